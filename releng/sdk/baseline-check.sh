#!/bin/bash
# Proof that the API baseline check (tycho-baseline-plugin against releng/baseline/, docs/plugin-sdk.md) keeps its
# promise: in a temporary copy of the repository, the public method Cidr.halves() is removed from the exported API
# package crew.model.net, and
#   1. without a version bump, the build of crew.model fails in the baseline check, naming crew.model.net and the
#      removed method;
#   2. with crew.model.net's major version bumped (Export-Package and package-info.java: 1.0.0 -> 2.0.0), it passes.
# Run by sdk-check.sh (the product module's integration-test phase) and by hand; offline when the outer build is, with
# the same local Maven repository: nested Maven runs of crew.model alone, nothing installed, the checkout untouched.
#   baseline-check.sh MVN LOCAL_REPOSITORY offline=true|false
# Output: product/target/baseline-check/ (the two builds' logs).
set -u
mvn=$1 local_repo=$2 offline=$3
repo_root=$(cd "$(dirname "$0")/../.." && pwd)
out="$repo_root/product/target/baseline-check"
rm -rf "$out" && mkdir -p "$out"
fail() { echo "BASELINE CHECK FAIL: $*"; exit 1; }
now() { date +%s%N; }
ms() { echo $(( ($2 - $1) / 1000000 )); }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# the copy: sources and poms (the root pom names every module), without the build's output and the history
tar -C "$repo_root" --exclude=./.git --exclude=./.mvn/dist --exclude=target --exclude=bin -cf - . | tar -C "$work" -xf - || fail "copying the repository to $work"
cidr="$work/bundles/crew.model/src/crew/model/net/Cidr.java"
manifest="$work/bundles/crew.model/META-INF/MANIFEST.MF"
info="$work/bundles/crew.model/src/crew/model/net/package-info.java"
grep -q 'crew.model.net;version="1.0.0"' "$manifest" && grep -q '@org.osgi.annotation.versioning.Version("1.0.0")' "$info" \
  || fail "crew.model.net is not at 1.0.0 in $repo_root/bundles/crew.model (MANIFEST.MF and package-info.java): update this check with the baseline"

# remove halves(): from its javadoc line to the method's closing brace (the first line that is "    }")
awk '/\/\*\* The two halves of this block/ { skip = 1 } !skip { print } skip && /^    }$/ { skip = 0 }' "$cidr" >"$cidr.new" && mv "$cidr.new" "$cidr"
! grep -q 'halves()' "$cidr" || fail "could not remove Cidr.halves() from the copy"

flags=(-B -Dmaven.repo.local="$local_repo" -DskipTests -Dcrew.allPlatforms=false -pl "target-platform,bundles/crew.model")
[ "${offline#offline=}" = true ] && flags+=(-o)
build() { # LOG: crew.model's build in the copy, through the baseline check (verify)
  (cd "$work" && "$mvn" "${flags[@]}" verify) >"$1" 2>&1
}

# 1. removed without a bump: the baseline check fails, naming the package and the method
t0=$(now)
build "$out/unbumped.log"
rc=$?
t1=$(now)
[ $rc != 0 ] || fail "crew.model built although Cidr.halves() was removed without a version bump: $out/unbumped.log"
grep -q 'tycho-baseline-plugin.*Baseline problems found' "$out/unbumped.log" \
  || fail "crew.model's build failed (rc=$rc), but not in the baseline check: $(grep -E '^\[ERROR\]' "$out/unbumped.log" | head -n 10)"
grep -qE 'MAJOR +│PACKAGE +│crew\.model\.net ' "$out/unbumped.log" && grep -q 'crew.model.net.Cidr/halves()' "$out/unbumped.log" \
  || fail "the baseline check failed without naming crew.model.net and Cidr.halves(): $(grep -E '^\[ERROR\]' "$out/unbumped.log" | head -n 15)"
echo "baseline check ok: removing Cidr.halves() without a version bump fails the build of crew.model in the baseline check, naming crew.model.net (MAJOR) and the method ($(ms "$t0" "$t1") ms)"

# 2. the same change with crew.model.net's major version bumped: it passes
sed -i 's/crew\.model\.net;version="1\.0\.0"/crew.model.net;version="2.0.0"/' "$manifest"
sed -i 's/@org\.osgi\.annotation\.versioning\.Version("1\.0\.0")/@org.osgi.annotation.versioning.Version("2.0.0")/' "$info"
t2=$(now)
build "$out/bumped.log"
rc=$?
t3=$(now)
[ $rc = 0 ] || fail "with crew.model.net at 2.0.0 the build still failed (rc=$rc): $out/bumped.log: $(grep -E '^\[ERROR\]' "$out/bumped.log" | head -n 15)"
grep -q 'tycho-baseline.*(api-baseline)' "$out/bumped.log" || fail "the bumped build passed without running the baseline check: $out/bumped.log"
echo "baseline check ok: with crew.model.net bumped to 2.0.0 the same change passes the baseline check ($(ms "$t2" "$t3") ms)"
printf 'unbumped-ms %s\nbumped-ms %s\n' "$(ms "$t0" "$t1")" "$(ms "$t2" "$t3")" >"$out/times.txt"
