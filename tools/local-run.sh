#!/usr/bin/env bash
# One complete two-account replication, offline: builds what is missing, then runs
# `python3 -m e2e.localaws.run` (moto on loopback, template.yaml deployed into two emulated
# accounts, the packaged functions run by AWS's runtime interface client). Extra arguments go to
# the run; `--help` lists them (duplicate, delay, reorder or drop RDS events, N replications,
# `--dry-run`: both preflights and plans only, the reports printed, nothing created or changed).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source tools/jdk.sh
source tools/python-env.sh   # python3 with the versions of requirements-dev.txt (else .venv)
source tools/postgres-env.sh # PostgreSQL server tools for the emulated instances' databases (installs them)
stale=0
for m in functions/*/pom.xml; do
  d=$(dirname "$m")
  [ -f "$d/Makefile" ] || continue  # shared modules (common*, testing) have no package of their own
  z="$d/target/function.zip"
  if [ ! -f "$z" ] || [ -n "$(find "$d/src" functions/common*/src -newer "$z" -type f -print -quit 2>/dev/null)" ]; then
    stale=1
  fi
done
if [ $stale = 1 ] || ! ls e2e/target/ric/aws-lambda-java-runtime-interface-client-*.jar >/dev/null 2>&1; then
  echo "== building the functions (mvn -B -DskipTests package)"
  mvn -B -q -ntp -DskipTests package
fi
exec python3 -m e2e.localaws.run "$@"
