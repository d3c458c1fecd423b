#!/usr/bin/env bash
# Validates every statemachines/*.asl.json with asl-validator (npm). The files hold SAM
# DefinitionSubstitutions (${...}); each is validated as deployed, with the substitutions filled in
# with values of the right shape (function and state machine ARNs, partition).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/node_modules/.bin/asl-validator"
[ -x "$bin" ] || { echo "asl-validator missing: run 'npm ci' in $root" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
for f in "$root"/statemachines/*.asl.json; do
  out="$tmp/$(basename "$f")"
  sed -E -e 's/\$\{Partition\}/aws/g' \
         -e 's/\$\{([A-Za-z]+)FunctionArn\}/arn:aws:lambda:us-east-1:123456789012:function:\1/g' \
         -e 's/\$\{([A-Za-z]+)StateMachineArn\}/arn:aws:states:us-east-1:123456789012:stateMachine:\1/g' "$f" > "$out"
  if grep -q '\${' "$out"; then
    echo "✕ $(basename "$f"): unknown substitution $(grep -o '\${[^}]*}' "$out" | sort -u | tr '\n' ' ')"
    status=1
  fi
  if "$bin" --json-path "$out" >/dev/null; then
    echo "✓ $(basename "$f") is valid ASL"
  else
    "$bin" --json-path "$out" || true
    status=1
  fi
done
exit $status
