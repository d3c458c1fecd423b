#!/usr/bin/env bash
# Exercises the native build as far as a machine without GraalVM/Mandrel allows: every function
# module is built with -Pnative, so every extension's native build steps run and generate the
# reflection and resource configuration; a stand-in `native-image` (it records its arguments and
# writes a placeholder executable) lets Quarkus finish the packaging. Then it checks that each
# function.zip holds exactly one `bootstrap` (what provided.al2023 runs) and that every record
# registered for reflection in the module and in the shared modules it uses (common, common-*) is in the
# generated reflect-config.json.
# A real native build needs Mandrel for JDK 25 or a container engine: see README, "Deploy".
# The build runs in a copy of the tree, so the JVM packages in target/ stay as they are.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source tools/jdk.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/src" "$work/graal/bin"
git ls-files -z --cached --others --exclude-standard | xargs -0 tar cf - | tar xf - -C "$work/src"
cat > "$work/graal/bin/native-image" <<'STANDIN'
#!/usr/bin/env bash
# Stand-in for GraalVM native-image: answers the version probe, records the arguments, and writes a
# placeholder where the executable would be (the name before -jar).
if [ "${1:-}" = "--version" ]; then
  echo 'native-image 25.0.1 2025-10-21'
  echo 'GraalVM Runtime Environment Mandrel-25.0.1.0-Final (build 25.0.1+8)'
  echo 'Substrate VM Mandrel-25.0.1.0-Final (build 25.0.1+8, serial gc)'
  exit 0
fi
echo "$@" > native-image-arguments.txt
out=""; prev=""
for a in "$@"; do if [ "$a" = "-jar" ]; then out="$prev"; fi; prev="$a"; done
[ -n "$out" ] || { echo "stand-in native-image: no executable name before -jar" >&2; exit 1; }
printf '#!/bin/sh\necho "placeholder from tools/native-check.sh, not a native executable" >&2\nexit 1\n' > "$out"
chmod +x "$out"
STANDIN
chmod +x "$work/graal/bin/native-image"

echo "== native build of every function (stand-in native-image)"
(cd "$work/src" && GRAALVM_HOME="$work/graal" mvn -B -q -ntp -T 2 package -Pnative -DskipTests \
   -Dquarkus.native.container-build=false)

records() {  # fully qualified names of the records a source tree registers for reflection
  grep -rl --include='*.java' -e '@RegisterForReflection' "$1" 2>/dev/null | while read -r f; do
    pkg=$(sed -nE 's/^package ([a-z0-9_.]+);/\1/p' "$f")
    sed -nE 's/^public record ([A-Za-z0-9_]+).*/\1/p' "$f" | sed "s/^/$pkg./"
  done
}
shared() {  # the shared modules (functions/common*) a module uses at runtime, directly or through another one
  for m in $(awk '/<dependency>/ {a=""; t=0} /<artifactId>common[a-z-]*<\/artifactId>/ {
                    if (match($0, /common[a-z-]*/)) a=substr($0, RSTART, RLENGTH)}
                  /<scope>(test|provided)<\/scope>/ {t=1}
                  /<\/dependency>/ {if (a != "" && !t) print a; a=""}' "$work/src/functions/$1/pom.xml"); do
    echo "$m"; shared "$m"
  done
}
status=0
for zip in "$work"/src/functions/*/target/function.zip; do
  module=$(basename "$(dirname "$(dirname "$zip")")")
  entries=$(unzip -Z1 "$zip")
  if [ "$entries" != "bootstrap" ]; then
    echo "✕ $module: function.zip holds '$entries', expected a single bootstrap"; status=1; continue
  fi
  config=$(unzip -p "$(ls "$work/src/functions/$module"/target/*-native-image-source-jar/*-runner.jar)" \
           META-INF/native-image/reflect-config.json)
  missing=""
  for r in $(for m in common $(shared "$module" | sort -u) "$module"; do records "$work/src/functions/$m/src/main/java"; done); do
    grep -q "\"$r\"" <<<"$config" || missing="$missing $r"
  done
  if [ -n "$missing" ]; then
    echo "✕ $module: not registered for reflection:$missing"; status=1
  else
    echo "✓ $module: function.zip = bootstrap; reflection config has its records"
  fi
done
count=$(ls "$work"/src/functions/*/target/function.zip | wc -l)
modules=$(ls "$work"/src/functions/*/Makefile | wc -l)  # a function module has a Makefile; shared ones do not
[ "$count" -eq "$modules" ] || { echo "✕ $count native packages for $modules function modules"; status=1; }
exit $status
