#!/bin/bash
# Builds plugins against the SDK this build just made, as a team outside CREW's repository would: run by the
# product module in the integration-test phase (and by hand). Offline when the outer build is, with the same local
# Maven repository: a nested Maven run, nothing installed.
#  1. crew plugin new (the materialized product) writes a project; it must equal examples/hello (kept in sync);
#  2. the generated project and examples/corprange, syslog, policy (copied out of the checkout) are built and
#     tested in one nested Maven run against jar:file:SDK!/;
#  3. their update sites land in product/target/sdk/examples/ (what `crew plugin install` takes).
#  4. releng/sdk/baseline-check.sh: the API baseline check fails on a removed API method without the version bump,
#     and passes with it (in a copy of the repository).
#   sdk-check.sh SDK_ZIP MVN LOCAL_REPOSITORY offline=true|false
set -u
sdk=$1 mvn=$2 local_repo=$3 offline=$4
repo_root=$(cd "$(dirname "$0")/../.." && pwd)
out="$repo_root/product/target/sdk-check"
rm -rf "$out" && mkdir -p "$out"
export CREW_NO_BUILD=1 CREW_HOME="$out/home"
fail() { echo "SDK CHECK FAIL: $*"; exit 1; }
now() { date +%s%N; }
ms() { echo $(( ($2 - $1) / 1000000 )); }

[ -f "$sdk" ] || fail "no SDK at $sdk"

# 1. the template, through the product's crew command
t0=$(now)
"$repo_root/crew" plugin new com.example.crew.hello --sdk "$sdk" --dir "$out/examples/hello" > "$out/plugin-new.log" 2>&1 \
  || fail "crew plugin new exited $?: $(cat "$out/plugin-new.log")"
url=$(sed -n 's/^-Dcrew.sdk=//p' "$out/examples/hello/.mvn/maven.config")
[[ "$url" == jar:file:*"$(basename "$sdk")!/" ]] || fail "the generated .mvn/maven.config names '$url', not the SDK zip $sdk"
t1=$(now)
if ! diff -r -x maven.config -x target "$repo_root/examples/hello" "$out/examples/hello" > "$out/template-diff.txt"; then
  fail "examples/hello differs from what crew plugin new writes now (regenerate it: crew plugin new com.example.crew.hello --dir examples/hello): $(head -c 2000 "$out/template-diff.txt")"
fi
echo "sdk check ok: crew plugin new wrote $(find "$out/examples/hello" -type f | wc -l) files, the same as examples/hello ($(ms "$t0" "$t1") ms)"

# 2. the examples, copied out of the checkout, built in one nested run
for e in corprange syslog policy; do
  cp -r "$repo_root/examples/$e" "$out/examples/$e"
  rm -rf "$out/examples/$e"/*/target
done
cp "$repo_root/examples/pom.xml" "$out/examples/pom.xml"
mkdir -p "$out/examples/.mvn" && : > "$out/examples/.mvn/maven.config"
flags=(-B -Dmaven.repo.local="$local_repo" -Dcrew.sdk="$url")
[ "${offline#offline=}" = true ] && flags+=(-o)
t2=$(now)
(cd "$out/examples" && "$mvn" "${flags[@]}" verify) > "$out/examples-build.log" 2>&1
rc=$?
t3=$(now)
grep -E "Tests run:.*Fail" "$out/examples-build.log" | grep -v " -- in " > "$out/tests.txt" || true
[ $rc = 0 ] || fail "the examples' build against the SDK failed (rc=$rc): $out/examples-build.log: $(grep -E '^\[ERROR\]' "$out/examples-build.log" | head -n 15)"
echo "sdk check ok: the generated project and 3 examples built and tested against $url in $(ms "$t2" "$t3") ms ($(paste -sd ' ' "$out/tests.txt"))"

# 3. the update sites
sites="$repo_root/product/target/sdk/examples"
mkdir -p "$sites"
for e in hello corprange syslog policy; do
  found=("$out/examples/$e"/*.site/target/*.site-*.zip)
  site=${found[0]}
  [ -f "$site" ] || fail "examples/$e made no update site zip"
  cp "$site" "$sites/"
done
echo "sdk check ok: update sites in $sites: $(cd "$sites" && printf '%s ' ./*.zip)"
printf 'plugin-new-ms %s\nexamples-build-ms %s\n' "$(ms "$t0" "$t1")" "$(ms "$t2" "$t3")" > "$out/times.txt"

# 4. the API baseline check fails on an incompatible change without its version bump, and passes with it
"$repo_root/releng/sdk/baseline-check.sh" "$mvn" "$local_repo" "$offline" || fail "the baseline check's proof failed (releng/sdk/baseline-check.sh)"
