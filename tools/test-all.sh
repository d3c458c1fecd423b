#!/usr/bin/env bash
# Runs every check and test of the project: the README's test command, and what CI runs.
#   1. the state machines are what tools/gen_asl.py generates, and valid ASL (asl-validator)
#   2. template.yaml passes cfn-lint (SAM transform applied) with zero errors
#   3. mvn -B verify: unit tests, @QuarkusTest per function (AWS = moto on loopback), contract tests
#   4. the end-to-end scenarios against two emulated accounts (e2e/test_scenarios.py)
#   5. the native build steps with a stand-in native-image (tools/native-check.sh)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source tools/jdk.sh

echo "== Python tools (requirements-dev.txt: moto, boto3, cfn-lint, aws-sam-translator)"
source tools/python-env.sh

echo "== State machines"
[ -x node_modules/.bin/asl-validator ] || npm ci --no-audit --no-fund
python3 tools/gen_asl.py --check
bash tools/validate-asl.sh

echo "== template.yaml (cfn-lint, errors fail the build)"
# Warnings (W1030: empty defaults of optional ARN parameters) are shown but do not fail.
cfn-lint --non-zero-exit-code error template.yaml || { echo "cfn-lint found errors" >&2; exit 1; }

echo "== Maven build and tests"
# Two modules at a time (2 cores; each Quarkus test JVM takes free ports, see pom.xml).
mvn -B -ntp -T 2 verify "$@"

echo "== End-to-end scenarios (two emulated accounts, packaged functions; see docs/local-run.md)"
source tools/postgres-env.sh   # real PostgreSQL servers behind the emulated instances (installs them)
python3 -W ignore::UserWarning -m unittest e2e.test_scenarios -v

echo "== Native build steps (stand-in native-image; see tools/native-check.sh)"
bash tools/native-check.sh
