# Sourced by tools/test-all.sh and tools/local-run.sh: exports PG_BIN, the directory of the PostgreSQL
# server tools (initdb, pg_ctl, psql, pg_dump) that the local cloud starts its database servers with
# (e2e/localaws/pg.py). When they are missing it installs the Debian package `postgresql` with apt-get
# (non-interactive; through sudo when not root and sudo works without a password); when it cannot, it
# says exactly what to install and stops. The package's own cluster service is not used.
_pg_find() {
  local d
  for d in ${PG_BIN:-} $(dirname "$(command -v pg_ctl 2>/dev/null || echo /nonexistent/x)") \
           $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -n -r); do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/psql" ] && [ -x "$d/pg_dump" ]; then
      echo "$d"; return 0
    fi
  done
  return 1
}
if ! PG_BIN=$(_pg_find); then
  _pg_sudo=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then _pg_sudo="sudo -n"; else _pg_sudo="none"; fi
  fi
  if [ "$_pg_sudo" != none ] && command -v apt-get >/dev/null 2>&1; then
    echo "== PostgreSQL server tools missing: installing the Debian package 'postgresql' (apt-get)" >&2
    $_pg_sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null \
      && $_pg_sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql openssl >/dev/null \
      || true
  fi
  if ! PG_BIN=$(_pg_find); then
    echo "The local cloud needs the PostgreSQL server tools (initdb, pg_ctl, psql, pg_dump) and could not install them." >&2
    echo "Install them, e.g. 'sudo apt-get install -y postgresql' (Debian/Ubuntu), or set PG_BIN to their directory." >&2
    exit 1
  fi
  unset _pg_sudo
fi
command -v openssl >/dev/null 2>&1 || { echo "The local cloud needs openssl (TLS certificate of its database servers): apt-get install -y openssl" >&2; exit 1; }
export PG_BIN
unset -f _pg_find
