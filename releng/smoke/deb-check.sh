#!/bin/bash
# shellcheck disable=SC2015,SC2317 # "test && pass || fail" (pass never fails); purge runs from a trap
# Debian package check, run by the product module in the integration-test phase (after archive-check.sh):
#  1. always: the package's fields (name, version, dependencies) and contents (/opt/crew with its launcher,
#     /usr/bin/crew, the desktop entry and its icon);
#  2. only where it may change this machine (root, apt-get, and CREW_TESTS_STRICT=1 or -Dcrew.deb.install=true):
#     apt-get install of the package, crew --version from PATH as root and as another user (the product then is
#     not the user's to write), apt-get purge, and nothing of it left afterwards. A crew package installed before is
#     left alone (the check is then skipped).
#   releng/smoke/deb-check.sh PRODUCTS_DIR INSTALL      INSTALL: true runs part 2 outside strict runs too
set -u
PRODUCTS=${1:?usage: deb-check.sh PRODUCTS_DIR INSTALL}
INSTALL=${2:-false}
strict=${CREW_TESTS_STRICT:-0}
# no class data training runs in the background here: one would still write into homes this check removes (the
# product smoke test checks the archives)
export CREW_CDS=0
failures=0
passed=0
fail() { echo "DEB FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "deb ok: $*"; passed=$((passed + 1)); }
skip() {
  if [ "$strict" = 1 ]; then fail "prerequisite missing in a strict run: $*"; else echo "DEB SKIPPED: $*"; fi
}
finish() {
  echo "deb: $passed passed, $failures failed"
  [ $failures = 0 ] && echo "deb check passed" || echo "deb check: $failures failure(s)"
  exit $failures
}

deb=""
for f in "$PRODUCTS"/crew_*_amd64.deb; do [ -f "$f" ] && deb=$f; done
if [ -z "$deb" ]; then
  skip "no Debian package was built (no dpkg-deb on this machine)"
  finish
fi
name=$(basename "$deb")

# 1. fields and contents
field() { dpkg-deb -f "$deb" "$1"; }
version=$(field Version)
[ "$(field Package)" = crew ] && [ "$name" = "crew_${version}_amd64.deb" ] && [ "$(field Architecture)" = amd64 ] \
  && pass "$name: package crew, version $version, amd64" || fail "$name: fields $(field Package) $version $(field Architecture)"
depends=$(field Depends)
[[ "$depends" == *java17-runtime-headless* ]] && [[ "$depends" == *libgtk-3-0* ]] \
  && pass "depends on a Java 17+ runtime and GTK 3: $depends" || fail "Depends: $depends"
recommends=$(field Recommends)
[[ "$recommends" == *openvpn* ]] && [[ "$recommends" == *nftables* ]] && pass "recommends $recommends" || fail "Recommends: $recommends"
contents=$(dpkg-deb -c "$deb")
grep -qE '^-rwxr-xr-x root/root .* \./opt/crew/crew$' <<<"$contents" && pass "/opt/crew/crew, the launcher, executable and root's" \
  || fail "no executable /opt/crew/crew owned by root"
grep -qE '\./usr/bin/crew -> /opt/crew/crew$' <<<"$contents" && pass "/usr/bin/crew links to it" || fail "no /usr/bin/crew link"
grep -qE '\./opt/crew/plugins/org\.eclipse\.swt\.gtk\.linux\.x86_64_' <<<"$contents" && pass "carries the gtk x86_64 SWT fragment" \
  || fail "no SWT gtk x86_64 fragment in /opt/crew"
grep -qE '\./usr/share/applications/crew\.desktop$' <<<"$contents" && grep -qE '\./usr/share/icons/hicolor/48x48/apps/crew\.png$' <<<"$contents" \
  && pass "desktop entry and icon" || fail "no desktop entry or icon"
if command -v desktop-file-validate >/dev/null; then
  tmp=$(mktemp -d)
  dpkg-deb -x "$deb" "$tmp"
  out=$(desktop-file-validate "$tmp/usr/share/applications/crew.desktop" 2>&1) && pass "desktop-file-validate: clean" || fail "desktop-file-validate: $out"
  rm -rf "$tmp"
fi
grep -qE '\.log$' <<<"$contents" && fail "log files in the package: $(grep -E '\.log$' <<<"$contents")" || pass "no build leftovers"

# 2. install, run, purge
if [ "$strict" != 1 ] && [ "$INSTALL" != true ]; then
  echo "DEB SKIPPED: the install check installs and purges a package on this machine; CREW_TESTS_STRICT=1 or -Dcrew.deb.install=true runs it"
  finish
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  skip "the install check needs root and apt-get"
  finish
fi
if dpkg-query -W -f '${Status}' crew 2>/dev/null | grep -q 'installed'; then
  skip "a crew package is installed on this machine already; the check would replace it"
  finish
fi
apt_get() { DEBIAN_FRONTEND=noninteractive apt-get -y -q -o DPkg::Lock::Timeout=300 "$@"; }
group_before=$(getent group crew || true)
purge() { apt_get purge crew >/dev/null 2>&1; }
trap purge EXIT
# no recommends: openvpn and nftables are not needed for this check, and it should change the machine no more than that
if ! out=$(apt_get install --no-install-recommends "$deb" 2>&1); then
  fail "apt-get install $name: $(tail -n 15 <<<"$out")"
  finish
fi
pass "apt-get install ./$name"
[ "$(command -v crew)" = /usr/bin/crew ] && pass "crew is on PATH: /usr/bin/crew" || fail "crew on PATH is '$(command -v crew)'"
home=$(mktemp -d)
out=$(cd / && env -u CREW_HOME -u DISPLAY HOME="$home" crew --version 2>&1); rc=$?
[ $rc = 0 ] && [[ "$out" == "crew ${version%%~*}."* ]] && pass "crew --version as root: ${out%%$'\n'*}" || fail "crew --version as root: rc=$rc: $out"
if id nobody >/dev/null 2>&1 && command -v runuser >/dev/null; then
  user_home=$(mktemp -d)
  chown nobody "$user_home"
  out=$(cd / && runuser -u nobody -- env -u CREW_HOME -u DISPLAY HOME="$user_home" crew --version 2>&1); rc=$?
  [ $rc = 0 ] && [ -d "$user_home/.crew" ] && pass "crew --version as nobody (read-only /opt/crew; state in ~/.crew)" \
    || fail "crew --version as nobody: rc=$rc: $out"
  rm -rf "$user_home"
else
  skip "user nobody and runuser are needed to run the installed crew as another user"
fi
# the privileged agent: its units for this package's paths, the group its members control through
for unit in crew-agent.socket crew-agent.service; do
  [ -f "/lib/systemd/system/$unit" ] && pass "$unit installed" || fail "/lib/systemd/system/$unit missing"
done
exec_line=$(grep '^ExecStart=' /lib/systemd/system/crew-agent.service 2>/dev/null || true)
[ "$exec_line" = "ExecStart=/opt/crew/crew agent" ] && [ -x /opt/crew/crew ] && ! grep -q '@[A-Z_]*@' /lib/systemd/system/crew-agent.service \
  && grep -q '^RestartPreventExitStatus=3$' /lib/systemd/system/crew-agent.service \
  && pass "crew-agent.service starts the product's launcher (the agent configuration), no restart after exit 3" \
  || fail "crew-agent.service: $exec_line"
grep -q '^SocketGroup=crew$' /lib/systemd/system/crew-agent.socket && pass "the agent's socket belongs to group crew" \
  || fail "crew-agent.socket: no SocketGroup=crew"
getent group crew >/dev/null && pass "group crew ${group_before:+(there before) }present" || fail "no group crew after install"
rm -rf "$home"
if ! out=$(apt_get purge crew 2>&1); then
  fail "apt-get purge crew: $(tail -n 15 <<<"$out")"
fi
trap - EXIT
left=""
dpkg-query -W -f '${Status}' crew 2>/dev/null | grep -qv 'not-installed' && left+=" dpkg still knows crew ($(dpkg-query -W -f '${Status}' crew));"
[ -z "$group_before" ] && getent group crew >/dev/null && left+=" group crew;"
for path in /opt/crew /usr/bin/crew /usr/share/applications/crew.desktop /usr/share/icons/hicolor/48x48/apps/crew.png \
    /lib/systemd/system/crew-agent.socket /lib/systemd/system/crew-agent.service /var/lib/crew; do
  [ -e "$path" ] || [ -L "$path" ] && left+=" $path;"
done
[ -z "$left" ] && pass "apt-get purge crew leaves nothing behind" || fail "after purge:$left"
finish
