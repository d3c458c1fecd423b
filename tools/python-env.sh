# Sourced by tools/test-all.sh and tools/local-run.sh: makes `python3` (and cfn-lint) on the PATH an
# interpreter with exactly the versions of requirements-dev.txt. The machine's python3 when it has
# them; otherwise a project-local virtual environment, .venv (git-ignored), created and installed
# from requirements-dev.txt, and put first on the PATH (Maven's tests start `python3 -m moto.server`
# through the PATH too).
_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if python3 "$_root/tools/check_python_requirements.py" 2>/dev/null; then
  :
elif [ -x "$_root/.venv/bin/python3" ] && "$_root/.venv/bin/python3" "$_root/tools/check_python_requirements.py" 2>/dev/null; then
  export PATH="$_root/.venv/bin:$PATH"
else
  echo "== python3 lacks the pinned tools:" >&2
  python3 "$_root/tools/check_python_requirements.py" || true
  echo "== creating $_root/.venv from requirements-dev.txt" >&2
  if ! { python3 -m venv "$_root/.venv" \
         && "$_root/.venv/bin/python3" -m pip install --quiet --disable-pip-version-check -r "$_root/requirements-dev.txt" \
         && "$_root/.venv/bin/python3" "$_root/tools/check_python_requirements.py"; }; then
    echo "cannot set up the Python tools: pip could not install requirements-dev.txt into .venv" >&2
    echo "(is PyPI reachable? otherwise install exactly those versions into python3). Nothing was run." >&2
    exit 1
  fi
  export PATH="$_root/.venv/bin:$PATH"
fi
unset _root
