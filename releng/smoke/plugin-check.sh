#!/bin/bash
# Plugins installed into a materialized product, as an outside team's would be (run by the product module in
# integration-test, and by hand): fixture plugins (releng/smoke/plugin-fixtures/) compiled with javac against the
# product's bundles, signed with a key made here (keytool, jarsigner; nothing secret is kept), published with the
# product's own p2 publisher, then installed with crew plugin install into a copy of the product:
#   refused while their signer is not trusted, unsigned, or tampered (the refusal names the unit);
#   after crew plugin trust: installed; crew help lists the command, crew lint --rules the rule, crew inspect shows
#   the classification, enforcement events reach the syslog sink on loopback (crew enforce on the simulated backend);
#   a plugin that does not resolve and one that throws at activation: reported at start and by crew plugin list,
#   and crew still runs;
#   crew plugin remove restores the product: file tree and p2 profile compared with the copy before any install.
# With EXAMPLES_DIR (the SDK check's update sites of examples/: product/target/sdk/examples), each example is also
# installed (--allow-unsigned: the examples' build does not sign them) and seen at work, and removed.
#   releng/smoke/plugin-check.sh PRODUCT_DIR OUT_DIR [EXAMPLES_DIR]
set -u
REPO=$(cd "$(dirname "$0")/../.." && pwd)
SRC_PRODUCT=${1:?usage: plugin-check.sh PRODUCT_DIR OUT_DIR}
OUT=${2:?usage: plugin-check.sh PRODUCT_DIR OUT_DIR}
EXAMPLES=${3:-}
FIX="$REPO/releng/smoke/plugin-fixtures"
rm -rf "$OUT" && mkdir -p "$OUT/home" "$OUT/work"
export CREW_HOME="$OUT/home"
unset DISPLAY WAYLAND_DISPLAY
strict=${CREW_TESTS_STRICT:-0}
failures=0
fail() { echo "PLUGIN CHECK FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "plugin check ok: $*"; }
skip() {
  if [ "$strict" = 1 ]; then fail "prerequisite missing in a strict run: $*"; else echo "PLUGIN CHECK SKIPPED: $*"; fi
}
JDK=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}
for tool in java javac jar keytool jarsigner; do
  [ -x "$JDK/bin/$tool" ] || { fail "no $tool in $JDK/bin: the check needs a JDK"; exit 1; }
done

# A copy of the product: the check changes it, the archives and the other checks use the original.
P="$OUT/crew"
cp -a "$SRC_PRODUCT" "$P"
crew() { "$P/crew" "$@"; }
W="$OUT/work"

# The product's files (path and SHA-256) and its p2 profile's units and properties, for the comparison at the end.
# Left out of the byte comparison, and compared for their content instead: three files p2 rewrites whenever it
# commits, with a new timestamp (config.ini's comment line, platform.xml's date, artifacts.xml's p2.timestamp, its
# repository version written 1.0.0 for 1, config.ini's p2 data area with a trailing slash). The profile registry
# keeps every earlier state as a timestamped file (p2 -revert uses them): those are compared as "nothing lost". The
# framework caches of configuration/ are rebuilt at will and left out. A roaming profile records the folder the
# product is in: the copy's folder replaces the original's before comparing.
snapshot() { # PREFIX
  (cd "$P" && find . -type f \
      ! -path './p2/org.eclipse.equinox.p2.engine/profileRegistry/*' \
      ! -path './configuration/org.eclipse.osgi/*' ! -path './configuration/org.eclipse.core.runtime/*' \
      ! -path './configuration/org.eclipse.equinox.app/*' ! -name '*.log' \
      ! -path ./artifacts.xml ! -path ./configuration/config.ini ! -path ./configuration/org.eclipse.update/platform.xml -print0 \
    | sort -z | xargs -0 sha256sum) >"$1.files"
  { grep -v '^#' "$P/configuration/config.ini" | sed 's|^eclipse.p2.data.area=@config.dir/../p2/$|eclipse.p2.data.area=@config.dir/../p2|' | sort
    sed 's/ date="[0-9]*"//' "$P/configuration/org.eclipse.update/platform.xml"
    sed -e "/name='p2.timestamp'/d" -e "s/version='1.0.0'/version='1'/" "$P/artifacts.xml"; } >>"$1.files"
  (cd "$P" && find . -type d ! -path './configuration/org.eclipse.osgi*' ! -path './configuration/org.eclipse.core.runtime*' \
      ! -path './configuration/org.eclipse.equinox.app*' | sort) >"$1.dirs"
  latest=$(find "$P/p2/org.eclipse.equinox.p2.engine/profileRegistry/DefaultProfile.profile" -name '*.profile.gz' | sort | tail -n 1)
  zcat "$latest" | grep -oE '<(unit|property) [^>]*' | grep -v 'org.eclipse.equinox.p2.profile.timestamp' \
    | sed "s|$SRC_ABS|$P|g" | sort >"$1.profile"
  find "$P/p2/org.eclipse.equinox.p2.engine/profileRegistry/DefaultProfile.profile" -type f -name '*.profile.gz' -printf '%P\n' | sort >"$1.history"
}
SRC_ABS=$(cd "$SRC_PRODUCT" && pwd -P)
snapshot "$OUT/before"

# 1. The fixture plugins: compiled against the product's bundles, jarred, signed, published.
CP=$(find "$P/plugins" -maxdepth 1 -name '*.jar' | tr '\n' ':')
build_bundle() { # NAME DEST_PLUGINS_DIR
  name=$1
  rm -rf "$W/classes/$name" && mkdir -p "$W/classes/$name" "$2"
  if [ -d "$FIX/$name/src" ]; then
    find "$FIX/$name/src" -name '*.java' >"$W/sources-$name.txt"
    "$JDK/bin/javac" --release 17 -nowarn -d "$W/classes/$name" -cp "$CP" "@$W/sources-$name.txt" || return 1
  fi
  for extra in OSGI-INF native; do
    [ -d "$FIX/$name/$extra" ] && cp -r "$FIX/$name/$extra" "$W/classes/$name/"
  done
  "$JDK/bin/jar" --create --file "$2/${name}_1.0.0.jar" --manifest "$FIX/$name/META-INF/MANIFEST.MF" -C "$W/classes/$name" .
}
build_feature() { # ID DEST_FEATURES_DIR
  rm -rf "$W/feature-$1" && mkdir -p "$W/feature-$1" "$2"
  cp "$FIX/features/$1.xml" "$W/feature-$1/feature.xml"
  "$JDK/bin/jar" --create --file "$2/${1}_1.0.0.jar" -C "$W/feature-$1" feature.xml
}
KS="$W/acme-signing.p12"
PASS="throwaway-$$"
"$JDK/bin/keytool" -genkeypair -keystore "$KS" -storetype PKCS12 -storepass "$PASS" -keypass "$PASS" -alias acme \
  -keyalg EC -groupname secp256r1 -validity 2 -dname "CN=ACME plugin signing (CREW plugin check),O=ACME" >/dev/null 2>&1
"$JDK/bin/keytool" -exportcert -rfc -keystore "$KS" -storepass "$PASS" -alias acme -file "$W/acme.pem" >/dev/null 2>&1
sign_all() { # DIR
  for j in "$1"/plugins/*.jar "$1"/features/*.jar; do
    "$JDK/bin/jarsigner" -keystore "$KS" -storepass "$PASS" "$j" acme >/dev/null || return 1
  done
}
LAUNCHER=$(ls "$P"/plugins/org.eclipse.equinox.launcher_*.jar)
publish() { # SOURCE_DIR REPO_DIR: the product's own p2 publisher (FeaturesAndBundlesPublisher), artifacts as they are
  "$JDK/bin/java" -Dosgi.sharedConfiguration.area="$P/configuration" -Dosgi.configuration.cascaded=true \
    -jar "$LAUNCHER" -configuration "$W/publisher-configuration" -nosplash \
    -application org.eclipse.equinox.p2.publisher.FeaturesAndBundlesPublisher \
    -metadataRepository "file:$2" -artifactRepository "file:$2" -source "$1" -publishArtifacts -compress >"$2.log" 2>&1
}
built=yes
for kind in signed unsigned tampered broken; do
  d="$W/src-$kind"
  if [ $kind = broken ]; then
    build_bundle acme.crew.broken "$d/plugins" && build_bundle acme.crew.throwing "$d/plugins" \
      && build_feature acme.crew.broken.feature "$d/features" || built=""
  else
    build_bundle acme.crew.fixture "$d/plugins" && build_feature acme.crew.fixture.feature "$d/features" || built=""
  fi
  [ $kind = unsigned ] || sign_all "$d" || built=""
  if [ $kind = tampered ]; then
    # after signing, one resource changes: the jar's signature no longer matches its content (the repository's
    # checksums are computed after, as an attacker who controls the repository would)
    mkdir -p "$W/tamper/OSGI-INF"
    sed 's/say hello/say HELLO/' "$FIX/acme.crew.fixture/OSGI-INF/hello.xml" >"$W/tamper/OSGI-INF/hello.xml"
    printf '<!-- changed after signing -->\n' >>"$W/tamper/OSGI-INF/hello.xml"
    "$JDK/bin/jar" --update --file "$d/plugins/acme.crew.fixture_1.0.0.jar" -C "$W/tamper" OSGI-INF/hello.xml || built=""
  fi
  publish "$d" "$W/repo-$kind" || { built=""; fail "publishing the $kind fixture: $(tail -n 20 "$W/repo-$kind.log")"; }
done
(cd "$W/repo-signed" && "$JDK/bin/jar" --create --file "$W/acme-signed.zip" .)
[ -n "$built" ] && pass "fixture plugins built, signed and published (p2 repositories in $W)" || fail "fixture plugins not built"

# 2. Trust: refused before the signer is trusted, and unsigned or tampered content whatever the trust.
out=$(crew plugin install "$W/acme-signed.zip" 2>&1); rc=$?
echo "$out" >"$W/untrusted.txt"
[ $rc = 4 ] && [[ "$out" == *"does not trust"*"osgi.bundle,acme.crew.fixture,1.0.0"* ]] \
  && pass "an untrusted signer is refused, naming the unit: $(echo "$out" | grep -m1 'osgi.bundle,acme.crew.fixture' | sed 's/^[[:space:]]*//')" \
  || fail "untrusted signer: rc=$rc: $out"
out=$(crew plugin trust "$W/acme.pem" 2>&1); rc=$?
[ $rc = 0 ] && [[ "$out" == "trusted: "* ]] && pass "crew plugin trust: $out" || fail "crew plugin trust: rc=$rc: $out"
out=$(crew plugin install "$W/repo-unsigned" 2>&1); rc=$?
[ $rc = 4 ] && [[ "$out" == *"unsigned"*"osgi.bundle,acme.crew.fixture,1.0.0"* ]] \
  && pass "unsigned content is refused, naming the unit: $(echo "$out" | grep -m1 'osgi.bundle,acme.crew.fixture' | sed 's/^[[:space:]]*//')" || fail "unsigned: rc=$rc: $out"
out=$(crew plugin install "$W/repo-tampered" 2>&1); rc=$?
[ $rc = 4 ] && [[ "$out" == *"does not match its signature"*"osgi.bundle,acme.crew.fixture,1.0.0"* ]] \
  && pass "a tampered jar is refused: $(echo "$out" | grep -m1 'osgi.bundle,acme.crew.fixture' | sed 's/^[[:space:]]*//')" \
  || fail "tampered: rc=$rc: $out"
out=$(crew plugin install --allow-unsigned "$W/repo-tampered" 2>&1); rc=$?
[ $rc = 4 ] && [[ "$out" == *"does not match its signature"* ]] && pass "a tampered jar is refused even with --allow-unsigned" || fail "tampered with --allow-unsigned: rc=$rc: $out"
snapshot "$OUT/refused"
diff -q "$OUT/before.files" "$OUT/refused.files" >/dev/null && diff -q "$OUT/before.profile" "$OUT/refused.profile" >/dev/null \
  && pass "refused installs left the product as it was" || fail "a refused install changed the product: $(diff "$OUT/before.files" "$OUT/refused.files" | head)"

# 3. Installed: each extension is seen where users look.
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
t=$(date +%s%N)
out=$(crew plugin install "$W/acme-signed.zip" 2>&1); rc=$?
echo "install_ms=$(ms "$t")" >>"$OUT/timings.txt"
[ $rc = 0 ] && pass "signed by a trusted signer: $out ($(ms "$t") ms)" || fail "install: rc=$rc: $out"
out=$(crew help 2>&1); rc=$?
[ $rc = 0 ] && [[ "$out" == *"acme hello"* ]] && pass "crew help lists the plugin's command" || fail "crew help: rc=$rc: $out"
out=$(crew acme hello 2>&1); rc=$?
[ $rc = 0 ] && [ "$out" = "hello from acme.crew.fixture" ] && pass "crew acme hello runs it" || fail "crew acme hello: rc=$rc: $out"
out=$(crew lint --rules 2>&1); rc=$?
[ $rc = 0 ] && [[ "$out" == *"ACME001"* ]] && pass "crew lint --rules lists ACME001" || fail "crew lint --rules: rc=$rc: $out"
out=$(ACME_CORPORATE_RANGES=172.17.0.0/16 crew inspect --backend sim --json 2>&1); rc=$?
[[ "$out" == *"ACME corporate 172.17.0.0/16"* ]] && pass "crew inspect shows the plugin's classification: $(echo "$out" | grep -m1 'ACME corporate')" \
  || fail "crew inspect: rc=$rc: $out"
t=$(date +%s%N)
out=$(crew plugin list 2>&1); rc=$?
echo "list_ms=$(ms "$t")" >>"$OUT/timings.txt"
[ $rc = 0 ] && [[ "$out" == *"acme.crew.fixture.feature.feature.group"*"provides crew.cli.CliCommand"* ]] \
  && [[ "$out" == *"provides crew.enforce.EnforcementEventSink"* ]] && pass "crew plugin list: the plugin and its services ($(ms "$t") ms)" \
  || fail "crew plugin list: rc=$rc: $out"

# --- agentsafe: the privileged agent with a plugin installed (docs/agent.md, "What the agent loads") ----------------
# As root: the plugin is in the headless list (the install kept it current) and not in the agent's; crew agent (in
# the foreground, on a socket of its own) starts from configuration-agent/, serves crew agent status, and neither
# installs nor opens the plugin's bundle; the plugin's bundle forced into configuration-agent/ makes it exit 3 naming
# it; a group-writable product folder is refused; JVM option variables are ignored; no class data archive from a
# CREW_HOME others can write. Then crew --version with the
# plugin installed, the full configuration (before: what the launcher fell back to) against the headless list
# (after), interleaved, CREW_CDS=0, with the load.
agent_safety_check() {
  local agent_info="$P/configuration-agent/org.eclipse.equinox.simpleconfigurator/bundles.info"
  local headless_info="$P/configuration-headless/org.eclipse.equinox.simpleconfigurator/bundles.info"
  local full_info="$P/configuration/org.eclipse.equinox.simpleconfigurator/bundles.info"
  grep -q '^acme\.crew\.fixture,' "$headless_info" && [ -z "$(find "$full_info" -newer "$headless_info")" ] \
    && pass "agentsafe: the install kept the headless list current: it lists acme.crew.fixture and is not older than the product's" \
    || fail "agentsafe: the headless list after the install: $(grep -c . "$headless_info") lines, acme: $(grep -c '^acme' "$headless_info")"
  ! grep -q acme "$agent_info" "$P/agent-bundles.list" && pass "agentsafe: the agent's configuration and list do not have the plugin" \
    || fail "agentsafe: the plugin is in the agent's configuration"
  if [ "$(id -u)" != 0 ]; then
    skip "agentsafe: the agent's checks run as root (crew agent); this run is uid $(id -u)"
    return
  fi
  local A="$OUT/agent" sock apid out rc
  mkdir -p "$A/run" && chmod 700 "$A/run"
  sock="$A/run/agent.sock"
  "$P/crew" agent --socket "$sock" --group root >"$A/agent.log" 2>&1 & # the launcher execs java: $! is the agent
  apid=$!
  rc=1
  for _ in $(seq 1 120); do
    out=$(CREW_AGENT_SOCKET=$sock crew agent status 2>&1) && { rc=0; break; }
    kill -0 $apid 2>/dev/null || break
    sleep 0.5
  done
  if [ $rc = 0 ]; then
    pass "agentsafe: crew agent (root, plugin installed) serves crew agent status on $sock: ${out%%$'\n'*}"
  else
    fail "agentsafe: crew agent did not serve status: $out; agent log: $(cat "$A/agent.log")"
  fi
  grep -q "bundles, all of them CREW's own" "$A/agent.log" \
    && pass "agentsafe: the agent's bundle check: $(grep -m1 "all of them CREW's own" "$A/agent.log")" \
    || fail "agentsafe: no bundle check line in the agent's log: $(cat "$A/agent.log")"
  if kill -0 $apid 2>/dev/null; then
    if grep -q acme "/proc/$apid/maps" 2>/dev/null || find "/proc/$apid/fd" -lname '*acme*' 2>/dev/null | grep -q .; then
      fail "agentsafe: the agent (pid $apid) has the plugin's jar open or mapped"
    else
      pass "agentsafe: the agent (pid $apid) has no file of the plugin open or mapped"
    fi
  fi
  local db
  db=$(find "$P/configuration-agent/org.eclipse.osgi" "$CREW_HOME"/agent-configuration-*/org.eclipse.osgi -name 'framework.info.*' 2>/dev/null)
  if [ -z "$db" ]; then
    fail "agentsafe: no bundle database of the agent found"
  elif printf '%s\n' "$db" | xargs grep -alq acme; then
    fail "agentsafe: the agent's bundle database names the plugin: $(printf '%s\n' "$db" | xargs grep -al acme)"
  else
    pass "agentsafe: the agent's bundle databases ($(printf '%s\n' "$db" | wc -l) files) do not name the plugin"
  fi
  kill -TERM $apid 2>/dev/null; wait $apid 2>/dev/null

  # as the systemd unit runs it: the launcher, socket-activated (systemd-socket-activate passes the listening fd 3)
  if command -v systemd-socket-activate >/dev/null 2>&1; then
    rm -f "$sock"
    CREW_HOME="$A/unit-home" systemd-socket-activate -l "$sock" "$P/crew" agent >"$A/activated.log" 2>&1 &
    apid=$!
    out=$(CREW_AGENT_SOCKET=$sock timeout 90 "$P/crew" agent status 2>&1); rc=$?
    [ $rc = 0 ] && grep -q "listening on the socket systemd passed" "$A/activated.log" && grep -q "all of them CREW's own" "$A/activated.log" \
      && pass "agentsafe: socket-activated as the unit runs it (PRODUCT/crew agent): ${out%%$'\n'*}" \
      || fail "agentsafe: socket-activated agent: rc=$rc: $out; log: $(cat "$A/activated.log")"
    kill -TERM $apid 2>/dev/null; wait $apid 2>/dev/null
    rm -f "$sock"
  else
    skip "agentsafe: no systemd-socket-activate: the unit's way of starting the agent is not run"
  fi

  # the plugin's bundle forced into the agent's configuration: refused at start, exit 3, naming it
  cp -p "$agent_info" "$A/bundles.info.saved"
  grep '^acme\.crew\.fixture,' "$full_info" >>"$agent_info"
  rm -rf "$CREW_HOME"/agent-configuration-*
  # (with the JVM option variables set: the agent as root ignores them, so the JVM says nothing of them)
  out=$(CREW_VMARGS=-Dcrew.injected=1 JAVA_TOOL_OPTIONS=-Dcrew.injected=2 _JAVA_OPTIONS=-Dcrew.injected=3 \
    JDK_JAVA_OPTIONS=-Dcrew.injected=4 timeout 120 "$P/crew" agent --socket "$sock" --group root 2>&1); rc=$?
  cp -p "$A/bundles.info.saved" "$agent_info"
  rm -rf "$CREW_HOME"/agent-configuration-*
  [ $rc = 3 ] && [[ "$out" == *"acme.crew.fixture 1.0.0 (location "*"acme.crew.fixture_1.0.0.jar): not one of CREW's own bundles"* ]] \
    && pass "agentsafe: a foreign bundle in the agent's configuration: exit 3, $(echo "$out" | grep -m1 'acme.crew.fixture 1.0.0' | sed 's/^[[:space:]]*//')" \
    || fail "agentsafe: a foreign bundle in the agent's configuration: rc=$rc: $out"
  [[ "$out" == *"the agent as root ignores CREW_VMARGS, JAVA_TOOL_OPTIONS, JDK_JAVA_OPTIONS and _JAVA_OPTIONS"* ]] && [[ "$out" != *"Picked up"* ]] \
    && pass "agentsafe: the agent as root ignores the JVM option variables (the JVM picked up none)" \
    || fail "agentsafe: JVM option variables reached the agent: $out"
  ! CREW_AGENT_SOCKET=$sock timeout 60 "$P/crew" agent status >/dev/null 2>&1 \
    && pass "agentsafe: the refused agent served nothing" || fail "agentsafe: the refused agent answered on $sock"

  # the launcher as root: a group-writable product folder is refused, naming it
  chmod g+w "$P"
  out=$(timeout 60 "$P/crew" agent --socket "$sock" --group root 2>&1); rc=$?
  chmod g-w "$P"
  [ $rc = 3 ] && [[ "$out" == *"refusing to start the agent as root: $P is writable by its group or by others"* ]] \
    && pass "agentsafe: a group-writable product folder: exit 3, ${out%%;*}" || fail "agentsafe: group-writable product: rc=$rc: $out"

  # as root, no class data archive from a CREW_HOME others could write: none used, none recorded (the control, a
  # home only root writes, gets its training run's folder)
  local unsafe="$A/group-writable-home" safe="$A/root-home"
  mkdir -p "$unsafe" "$safe" && chmod 775 "$unsafe" && chmod 755 "$safe"
  # (through the framework: the fast path's own JVM records no archive as root at all)
  CREW_FAST=0 CREW_HOME=$unsafe "$P/crew" --version >/dev/null 2>&1
  CREW_FAST=0 CREW_HOME=$safe "$P/crew" --version >/dev/null 2>&1
  for _ in $(seq 1 20); do [ -d "$safe/cds" ] && break; sleep 0.5; done
  [ ! -e "$unsafe/cds" ] && [ -d "$safe/cds" ] \
    && pass "agentsafe: as root no class data archive in a group-writable CREW_HOME (one is recorded in root's own)" \
    || fail "agentsafe: class data as root: group-writable home: $(ls -A "$unsafe"), root's: $(ls -A "$safe")"
  for _ in $(seq 1 120); do ls "$safe"/cds/*.training >/dev/null 2>&1 || break; sleep 0.5; done

  # crew --version with the plugin installed: the full configuration (before) and the headless list (after), wall
  # and CPU (user + system of the launcher and its children, /usr/bin/time)
  local runs=${CREW_AGENTSAFE_RUNS:-5} kind t0 before="" after="" before_cpu="" after_cpu="" load cpu
  load=$(uptime | sed 's/.*load average: //')
  for _ in $(seq 1 "$runs"); do
    for kind in before after; do
      if [ $kind = before ]; then touch "$full_info"; else touch "$headless_info"; fi
      t0=$(date +%s%N)
      if [ -x /usr/bin/time ]; then
        CREW_CDS=0 /usr/bin/time -f '%U %S' -o "$A/time.txt" "$P/crew" --version >/dev/null 2>&1
        cpu=$(awk '{ printf "%d", ($1 + $2) * 1000 }' "$A/time.txt")
      else
        CREW_CDS=0 "$P/crew" --version >/dev/null 2>&1
        cpu=0
      fi
      if [ $kind = before ]; then before="$before $(ms "$t0")"; before_cpu="$before_cpu $cpu"
      else after="$after $(ms "$t0")"; after_cpu="$after_cpu $cpu"; fi
    done
  done
  touch "$headless_info"
  median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
  # shellcheck disable=SC2086 # one run's milliseconds per word
  echo "version_with_plugin_full_ms=$(median $before) cpu_ms=$(median $before_cpu) version_with_plugin_headless_ms=$(median $after) cpu_ms=$(median $after_cpu) runs=$runs load=$load all_full=[$before ] all_headless=[$after ]" >>"$OUT/timings.txt"
  # shellcheck disable=SC2086
  pass "agentsafe: crew --version with a plugin, median of $runs interleaved (CREW_CDS=0, load $load): full configuration $(median $before) ms (CPU $(median $before_cpu) ms), headless list $(median $after) ms (CPU $(median $after_cpu) ms); runs: [$before ] [$after ]"
}
agent_safety_check
# --- end agentsafe ----------------------------------------------------------------------------------------------------

# 4. Enforcement events reach the syslog sink on loopback: crew enforce on the simulated backend.
PORT=$((20000 + $$ % 20000))
"$JDK/bin/java" "$REPO/releng/smoke/SyslogCollector.java" "$PORT" "$W/syslog.txt" 30 >"$W/collector.log" 2>&1 &
cpid=$!
sleep 1.5
out=$(ACME_SYSLOG=127.0.0.1:$PORT crew enforce --backend sim --interface tun0 --gateway 10.200.0.1 --protect 10.20.0.0/16 --seconds 2 2>&1); rc=$?
sleep 0.5
kill $cpid 2>/dev/null; wait $cpid 2>/dev/null
if grep -q '^<109>1 .* crew - session-started \[crew@32473 ' "$W/syslog.txt" 2>/dev/null && grep -q 'route-installed' "$W/syslog.txt"; then
  pass "enforcement events reached the syslog sink: $(wc -l <"$W/syslog.txt") RFC 5424 messages, e.g. $(grep -m1 route-installed "$W/syslog.txt")"
else
  fail "no syslog from crew enforce (rc=$rc: $out): $(cat "$W/syslog.txt" 2>/dev/null)"
fi

# ---- pluginhealth: a lab tunnel's enforcement events reach a plugin's sink, in-process and through a root agent ----
# As root with openvpn: crew lab up, crew tunnel connect, crew tunnel attack (a conflicting route: removed) and a
# tamper (a protected route deleted with ip: re-asserted); the sink runs in the crew JVM, in the host's network
# namespace, so the collector listens on the host's 127.0.0.1. Then the same through a foreground root agent
# (crew agent --socket): the agent streams the events and the client's own sinks get them. Always torn down.
labwait() { # FILE TEXT SECONDS
  for _ in $(seq 1 $(( $3 * 10 ))); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done; return 1
}
lab_events() { # MODE (inprocess|agent) SINK_VAR SINK_PREFIX: the sink's target is SINK_VAR=SINK_PREFIX:PORT
  local mode=$1 var=$2 prefix=$3 id dev profile line lport cpid labpid tpid apid="" t connect_ms="" wall="" removal="" protected
  id=ph${mode:0:1}$((RANDOM % 1000)); lport=$((PORT + 2)); [ "$mode" = agent ] && lport=$((PORT + 3))
  local d="$W/lab-$mode"; mkdir -p "$d"
  "$JDK/bin/java" "$REPO/releng/smoke/SyslogCollector.java" "$lport" "$d/syslog.txt" 300 >"$d/collector.log" 2>&1 &
  cpid=$!
  if [ "$mode" = agent ]; then
    export CREW_AGENT_SOCKET="$W/agent-$$.sock"
    "$P/crew" agent --socket "$CREW_AGENT_SOCKET" --group root >"$d/agent.log" 2>&1 &
    apid=$!
    labwait "$d/agent.log" "listening on" 60 || fail "crew agent did not start: $(cat "$d/agent.log")"
  else
    export CREW_AGENT_SOCKET="$W/no-agent-$$.sock" # in-process: no agent, not even the system's
  fi
  sleep 1
  crew lab up --id "$id" "$LAB_DESIGN" >"$d/lab.log" 2>&1 &
  labpid=$!
  if labwait "$d/lab.log" "connect with:" 120; then
    line=$(grep -m1 "connect with:" "$d/lab.log"); dev=$(echo "$line" | awk '{print $7}'); profile=$(echo "$line" | awk '{print $8}')
    t=$(date +%s%N)
    env "$var=$prefix$lport" "$P/crew" tunnel connect --netns "$dev" --session "phs-$mode" "$profile" >"$d/tunnel.log" 2>&1 &
    tpid=$!
    if labwait "$d/tunnel.log" "^connected" 120; then
      wall=$(ms "$t")
      connect_ms=$(grep -m1 -oE '^connected (through the agent )?in [0-9]+ ms' "$d/tunnel.log" | grep -oE '[0-9]+ ms$' | grep -oE '[0-9]+')
      pass "lab tunnel connected ($mode): $(grep -m1 '^connected' "$d/tunnel.log") (the command's own start included: $wall ms)"
      protected=$(sed -n '/protected routes:/{n;p;}' "$d/tunnel.log" | awk '{print $1}')
      out=$(crew tunnel attack "phs-$mode" 2>&1); rc=$?
      removal=$(echo "$out" | grep -oE 'route [0-9.]+ ms after' | grep -oE '[0-9.]+')
      [ $rc = 0 ] && [[ "$out" == *"removed the conflicting route"* ]] && pass "crew tunnel attack ($mode): ${out##*$'\n'}" \
        || fail "crew tunnel attack ($mode): rc=$rc: $out"
      if [ -n "$protected" ]; then
        ip -n "$dev" route del "$protected" 2>>"$d/tamper.log" || fail "tamper: ip -n $dev route del $protected: $(cat "$d/tamper.log")"
      fi
      sleep 1.5
      out=$(crew tunnel disconnect "phs-$mode" 2>&1) || fail "crew tunnel disconnect ($mode): $out"
      for _ in $(seq 1 300); do kill -0 $tpid 2>/dev/null || break; sleep 0.1; done
    else
      fail "crew tunnel connect ($mode) did not connect: $(tail -n 20 "$d/tunnel.log")"
    fi
    kill $tpid 2>/dev/null; wait $tpid 2>/dev/null
  else
    fail "crew lab up ($mode) did not come up: $(tail -n 20 "$d/lab.log")"
  fi
  # tear down, whatever happened: the lab, the agent, the collector; no namespace left
  out=$(crew lab down "$id" 2>&1) || echo "crew lab down $id ($mode): $out" >>"$d/teardown.log"
  for _ in $(seq 1 300); do kill -0 $labpid 2>/dev/null || break; sleep 0.1; done
  kill $labpid 2>/dev/null; wait $labpid 2>/dev/null
  if [ -n "$apid" ]; then
    kill -TERM $apid 2>/dev/null
    for _ in $(seq 1 300); do kill -0 $apid 2>/dev/null || break; sleep 0.1; done
    kill -9 $apid 2>/dev/null; wait $apid 2>/dev/null
  fi
  unset CREW_AGENT_SOCKET
  sleep 0.5
  kill $cpid 2>/dev/null; wait $cpid 2>/dev/null
  local left; left=$(ip netns list | awk '{print $1}' | grep "^crew-$id-")
  if [ -z "$left" ]; then
    pass "lab $id ($mode) torn down: no namespace left"
  else
    fail "namespaces left after crew lab down $id ($mode): $left (removed now)"
    for n in $left; do ip netns pids "$n" 2>/dev/null | xargs -r kill -9; ip netns del "$n"; done
  fi
  if grep -q 'route-removed' "$d/syslog.txt" 2>/dev/null && grep -q 'protected-route-restored' "$d/syslog.txt"; then
    pass "the lab tunnel's enforcement events reached the plugin's syslog sink ($mode, $var): $(grep -c . "$d/syslog.txt") messages, e.g. $(grep -m1 route-removed "$d/syslog.txt" | cut -c1-200)"
  else
    fail "the sink got no route-removed/protected-route-restored from the lab tunnel ($mode, $var): $(cut -c1-160 "$d/syslog.txt" 2>/dev/null | head -n 20)"
  fi
  echo "lab_${mode}_connect_ms=$connect_ms lab_${mode}_connect_command_ms=$wall lab_${mode}_attack_removed_ms=$removal load=\"$(uptime | sed 's/.*load average: //')\"" >>"$OUT/timings.txt"
}
LAB_DESIGN="$REPO/bundles/crew.examples/workspace/designs/split-tunnel.crew.json"
lab_events_both() { # SINK_VAR SINK_PREFIX
  if [ "$(id -u)" != 0 ] || ! command -v openvpn >/dev/null || ! command -v ip >/dev/null; then
    skip "root, openvpn and iproute2 are needed for a lab tunnel's events to the plugin's sink"
    return
  fi
  lab_events inprocess "$1" "$2"
  lab_events agent "$1" "$2"
}
# with the examples, examples/syslog is the sink checked (below); without them, the fixture's
if [ -z "$EXAMPLES" ] || ! ls "$EXAMPLES"/*.zip >/dev/null 2>&1; then
  lab_events_both ACME_SYSLOG 127.0.0.1:
fi
# ---- end pluginhealth ----

# 5. Broken plugins: one that does not resolve, one whose component throws. CREW starts and says so.
out=$(crew plugin install "$W/repo-broken" 2>&1); rc=$?
[ $rc = 0 ] && pass "broken plugins installed (p2 cannot know): $out" || fail "installing the broken plugins: rc=$rc: $out"
err=$(crew help 2>&1 >"$W/help-broken.txt"); rc=$?
[ $rc = 0 ] && grep -q "acme hello" "$W/help-broken.txt" && pass "with broken plugins crew still starts and runs the others" \
  || fail "crew help with broken plugins: rc=$rc: $err"
[[ "$err" == *"acme.crew.broken 1.0.0 does not resolve"*"osgi.native"* ]] && pass "reported at start: ${err%%$'\n'*}" \
  || fail "no start report of the bundle that does not resolve: $err"
# ---- pluginhealth: components that throw, a classifier that throws (docs/plugins.md, A broken plugin) ----
plugin_health_checks() {
  local line
  line=$(printf '%s\n' "$err" | grep -m1 'component acme.crew.throwing.boom of bundle')
  [[ "$line" == "crew: component acme.crew.throwing.boom of bundle acme.crew.throwing 1.0.0 failed to activate: java.lang.IllegalStateException: ACME boom"* ]] \
    && pass "a component that throws at activation is reported at start: $line" || fail "no start report of the throwing component: $err"
  [[ "$err" != *"Exception"*$'\n'$'\t'"at "* ]] && pass "no stack trace at start" || fail "a stack trace at start: $err"
  out=$(crew acme boom 2>&1); rc=$?
  [ $rc = 3 ] && [[ "$out" == *"crew acme boom: cannot run: its component acme.crew.throwing.later of bundle acme.crew.throwing 1.0.0 failed to activate: java.lang.IllegalStateException: ACME boom"* ]] \
    && [[ "$out" == *"crew: component acme.crew.throwing.later of bundle acme.crew.throwing 1.0.0 failed when first used"* ]] && [[ "$out" != *$'\tat '* ]] \
    && pass "a command whose component throws when first used: exit 3, reported, no stack trace: $(printf '%s\n' "$out" | grep -m1 'cannot run')" \
    || fail "crew acme boom: rc=$rc: $out"
  out=$(ACME_CORPORATE_RANGES=172.17.0.0/16 crew inspect --backend sim --json 2>"$W/inspect-throwing.err"); rc=$?
  line=$(grep -m1 'acme.crew.throwing.ThrowingClassifier' "$W/inspect-throwing.err")
  [ $rc = 0 ] && [[ "$out" == *"ACME corporate 172.17.0.0/16"* ]] && [[ "$out" == *'"classifierProblems"'* ]] \
    && [[ "$line" == "crew inspect: route classifier acme.crew.throwing.ThrowingClassifier (bundle acme.crew.throwing 1.0.0) failed on "*" and was passed over: java.lang.IllegalStateException: ACME classifier bug on "* ]] \
    && pass "a classifier that throws is passed over, the others classify, crew inspect names it (exit 0): $line" \
    || fail "crew inspect with a throwing classifier: rc=$rc: $out $(cat "$W/inspect-throwing.err")"
}
plugin_health_checks
# ---- end pluginhealth ----
out=$(crew plugin list 2>&1); rc=$?
[ $rc = 1 ] && [[ "$out" == *"acme.crew.broken"*"PROBLEM: does not resolve"* ]] && [[ "$out" == *"acme.crew.throwing"*"PROBLEM: component acme.crew.throwing.boom fails to activate"*"ACME boom"* ]] \
  && pass "crew plugin list reports both (exit 1)" || fail "crew plugin list with broken plugins: rc=$rc: $out"
out=$(crew plugin list --json 2>/dev/null); rc=$?
[ $rc = 1 ] && [[ "$out" == *'"problems"'* ]] && pass "crew plugin list --json" || fail "crew plugin list --json: rc=$rc: $out"
out=$(crew --version 2>/dev/null); rc=$?
[ $rc = 0 ] && pass "crew --version with broken plugins: ${out%%$'\n'*}" || fail "crew --version: rc=$rc"

out=$(crew plugin remove acme.crew.broken.feature 2>&1); rc=$?
[ $rc = 0 ] && pass "crew plugin remove acme.crew.broken.feature" || fail "remove broken: rc=$rc: $out"

# 6. The examples of examples/ (built by the SDK check against the SDK, as an outside team would), each installed.
if [ -z "$EXAMPLES" ] || ! ls "$EXAMPLES"/*.zip >/dev/null 2>&1; then
  skip "no example update sites (${EXAMPLES:-no EXAMPLES_DIR given}): the SDK check (releng/sdk/sdk-check.sh) makes them"
else
  for zip in "$EXAMPLES"/*.zip; do
    out=$(crew plugin install "$zip" 2>&1); rc=$?
    [ $rc = 4 ] && [[ "$out" == *"unsigned content"* ]] || fail "example $(basename "$zip") unsigned, expected a refusal: rc=$rc: $out"
    out=$(crew plugin install --allow-unsigned "$zip" 2>&1); rc=$?
    [ $rc = 0 ] && pass "example $(basename "$zip") refused unsigned, then installed with --allow-unsigned: $out" \
      || fail "example $(basename "$zip"): rc=$rc: $out"
  done
  out=$(crew help 2>&1); rc=$?
  [ $rc = 0 ] && [[ "$out" == *"  hello "* ]] && pass "crew help lists examples/hello's command" || fail "crew help with the examples: rc=$rc: $out"
  out=$(crew hello 2>&1); rc=$?
  [ $rc = 0 ] && pass "crew hello: ${out%%$'\n'*}" || fail "crew hello: rc=$rc: $out"
  out=$(crew lint --rules 2>&1); rc=$?
  [[ "$out" == *"EXAMPLE001"* ]] && pass "crew lint --rules lists examples/policy's EXAMPLE001" || fail "crew lint --rules: rc=$rc: $out"
  out=$(CREW_CORPRANGE_RANGES=172.17.0.0/16 crew inspect --backend sim --json 2>&1); rc=$?
  [[ "$out" == *"corporate range 172.17.0.0/16"* ]] && pass "crew inspect shows examples/corprange's classification" \
    || fail "crew inspect with examples/corprange: rc=$rc: $out"
  "$JDK/bin/java" "$REPO/releng/smoke/SyslogCollector.java" "$PORT" "$W/syslog-example.txt" 30 >"$W/collector-example.log" 2>&1 &
  cpid=$!
  sleep 1.5
  out=$(CREW_SYSLOG_TARGET=udp://127.0.0.1:$PORT ACME_SYSLOG=127.0.0.1:$((PORT + 1)) crew enforce --backend sim --interface tun0 \
    --gateway 10.200.0.1 --protect 10.20.0.0/16 --seconds 2 2>&1); rc=$?
  sleep 0.5
  kill $cpid 2>/dev/null; wait $cpid 2>/dev/null
  grep -q 'route-installed' "$W/syslog-example.txt" 2>/dev/null \
    && pass "examples/syslog received enforcement events: $(grep -m1 route-installed "$W/syslog-example.txt" | cut -c1-160)" \
    || fail "examples/syslog got nothing (rc=$rc: $out): $(cat "$W/syslog-example.txt" 2>/dev/null)"
  lab_events_both CREW_SYSLOG_TARGET udp://127.0.0.1: # pluginhealth: a lab tunnel's events to examples/syslog
  out=$(crew plugin list --no-start --json 2>/dev/null)
  for id in $(printf '%s\n' "$out" | sed -n 's/^    "id": "\(com\.example\.[^"]*\)",$/\1/p'); do
    r=$(crew plugin remove "$id" 2>&1) && pass "crew plugin remove $id" || fail "crew plugin remove $id: $r"
  done
fi

# 7. Removal restores the product.
out=$(crew plugin remove crew.core.feature.group 2>&1); rc=$?
[ $rc = 2 ] && pass "CREW's own features are not plugins: $out" || fail "removing crew.core: rc=$rc: $out"
t=$(date +%s%N)
out=$(crew plugin remove acme.crew.fixture.feature.feature.group 2>&1); rc=$?
echo "remove_ms=$(ms "$t")" >>"$OUT/timings.txt"
[ $rc = 0 ] && pass "crew plugin remove acme.crew.fixture.feature.feature.group ($(ms "$t") ms)" || fail "remove: rc=$rc: $out"
snapshot "$OUT/after"
if diff "$OUT/before.files" "$OUT/after.files" >"$OUT/files.diff" && diff "$OUT/before.dirs" "$OUT/after.dirs" >>"$OUT/files.diff"; then
  pass "after removal every file of the product is as before ($(wc -l <"$OUT/before.files") files compared)"
else
  fail "the product's files differ after removal: $(head -n 20 "$OUT/files.diff")"
fi
if diff "$OUT/before.profile" "$OUT/after.profile" >"$OUT/profile.diff"; then
  pass "the p2 profile's units and properties are as before ($(wc -l <"$OUT/before.profile") lines)"
else
  fail "the profile differs after removal: $(head -n 20 "$OUT/profile.diff")"
fi
comm -23 "$OUT/before.history" "$OUT/after.history" | grep -q . && fail "profile history lost: $(comm -23 "$OUT/before.history" "$OUT/after.history")" \
  || pass "profile history kept ($(comm -13 "$OUT/before.history" "$OUT/after.history" | wc -l) states added, for p2 -revert)"
out=$(crew help 2>&1); rc=$?
[ $rc = 0 ] && [[ "$out" != *"acme"* ]] && pass "crew help after removal: no plugin command, no report" || fail "crew help after removal: rc=$rc: $out"

[ $failures = 0 ] && echo "plugin check passed" || echo "plugin check: $failures failure(s)"
exit $failures
