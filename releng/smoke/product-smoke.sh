#!/bin/bash
# Product smoke test, run by the product module in the integration-test phase (and by hand):
# the materialized product answers headless commands without a display, opens its workbench window under X,
# and logs no errors. Output: product/target/smoke/ (screenshot, logs, timings).
set -u
REPO=$(cd "$(dirname "$0")/../.." && pwd)
OUT="$REPO/product/target/smoke"
rm -rf "$OUT" && mkdir -p "$OUT/home"
export CREW_NO_BUILD=1 CREW_HOME="$OUT/home"
strict=${CREW_TESTS_STRICT:-0}
failures=0
fail() { echo "SMOKE FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "smoke ok: $*"; }
skip() {
  if [ "$strict" = 1 ]; then fail "prerequisite missing in a strict run: $*"; else echo "SMOKE SKIPPED: $*"; fi
}

# 1. headless commands, with no display at all
version=$(env -u DISPLAY -u WAYLAND_DISPLAY "$REPO/crew" --version 2>&1); rc=$?
[ $rc = 0 ] && [[ "$version" == "crew 0."* ]] && pass "crew --version without a display: ${version%%$'\n'*}" || fail "crew --version: rc=$rc: $version"
help=$(env -u DISPLAY "$REPO/crew" help 2>&1); rc=$?
[ $rc = 0 ] && [[ "$help" == *"version"* ]] && pass "crew help lists commands" || fail "crew help: rc=$rc: $help"
env -u DISPLAY "$REPO/crew" no-such-command >/dev/null 2>&1; rc=$?
[ $rc = 2 ] && pass "unknown command exits 2" || fail "unknown command exited $rc, expected 2"
msg=$(env -u DISPLAY -u WAYLAND_DISPLAY "$REPO/crew" 2>&1); rc=$?
[ $rc = 3 ] && [[ "$msg" == *"xvfb-run"* ]] && pass "no display: exit 3 and how to get one" || fail "no-display message: rc=$rc: $msg"
# every command's help (each command created, with its references, in the headless configuration)
names=$(env -u DISPLAY "$REPO/crew" help --json 2>&1 | sed -n 's/^    "\([^"]*\)": .*/\1/p')
count=0; bad=""
while read -r name; do
  [ -n "$name" ] || continue
  count=$((count + 1))
  # shellcheck disable=SC2086 # a command's name is one or more words
  out=$(env -u DISPLAY "$REPO/crew" $name --help 2>&1); rc=$?
  [ $rc = 0 ] && [[ "$out" == "Usage: crew $name"* ]] || bad+=" '$name' (rc=$rc: ${out:0:160})"
done <<<"$names"
[ "$count" -ge 20 ] && [ -z "$bad" ] && pass "all $count commands show their help" || fail "command help: $count commands listed; failed:$bad"
# start-up: help and --version create no command and load nothing of the workbench, the lint rules or JNA
# (docs/startup.md); lint loads its rules (so the check sees classes at all)
lazy="$OUT/classes-help.log"
CREW_VMARGS="-Xlog:class+load=info:file=$lazy" env -u DISPLAY "$REPO/crew" help >/dev/null 2>&1
unwanted=$(grep -oE ' (crew\.design\.internal\.rules|crew\.design\.cli|com\.sun\.jna|org\.eclipse\.(emf|e4|swt|jface)|software\.amazon)\.[A-Za-z0-9_.$]+' "$lazy" | head -n 5)
loaded=$(grep -c 'class,load' "$lazy")
CREW_VMARGS="-Xlog:class+load=info:file=$OUT/classes-lint.log" env -u DISPLAY "$REPO/crew" lint --example split-tunnel >/dev/null 2>&1
rules=$(grep -c ' crew\.design\.internal\.rules\.' "$OUT/classes-lint.log")
# a command class loaded by crew help is one without @Command (crew.cli.Command): the registry created it for its name
created=$(grep -oE ' crew\.[a-z0-9.]+\.[A-Z][A-Za-z0-9]*Command ' "$lazy" | grep -vE ' crew\.cli\.(internal\.(Help|Registered)Command|CliCommand|Command) ' | sort -u | tr -d '\n')
[ "$loaded" -gt 500 ] && [ -z "$unwanted" ] && [ -z "$created" ] && [ "$rules" -gt 10 ] \
  && pass "crew help loads $loaded classes, none of the commands, lint rules, JNA, AWS or the workbench; lint loads $rules rule classes" \
  || fail "start-up laziness: crew help loaded $loaded classes, among them:$unwanted; commands created for their name (add @Command(name, summary) beside @Component):${created:- none}; lint loaded $rules rule classes"

# the routing backends are created when asked for: the simulated one's table loads no JNA (the Linux backend's)
CREW_VMARGS="-Xlog:class+load=info:file=$OUT/classes-inspect-sim.log" env -u DISPLAY "$REPO/crew" inspect --backend sim >/dev/null 2>&1; rc=$?
jna=$(grep -c ' com\.sun\.jna\.' "$OUT/classes-inspect-sim.log")
[ $rc = 0 ] && [ "$jna" = 0 ] && pass "crew inspect --backend sim loads no JNA" || fail "crew inspect --backend sim: rc=$rc, $jna JNA classes loaded"

# the class data archive: the first command's training run made it (the help loop above took long enough), and
# the runs since map the framework's and CREW's classes from it
archive=$(ls "$CREW_HOME"/cds/headless-*.jsa 2>/dev/null | head -n 1)
mapped=$(grep -cE ' (crew|org\.eclipse\.osgi)\.[^ ]+ source: shared objects file \(top\)' "$lazy")
[ -n "$archive" ] && [ "$mapped" -gt 100 ] && pass "class data archive $(basename "$archive"): crew help mapped $mapped framework and CREW classes from it" \
  || fail "class data archive: '${archive:-none in $CREW_HOME/cds}', $mapped framework and CREW classes mapped from it"

# the fast path (docs/startup.md): --version and the agent's status commands, answered by crew.agent's PlainClient
# without the framework, print what the framework's commands print, byte for byte, with the same exit code; what it
# cannot answer (a status command with no agent, which then works in-process) runs in the framework. Which JVM ran is
# seen by a java in front of the product's Java (a JAVA_HOME of its own) that logs each start's main class.
fastjava="$OUT/fast-java"
mkdir -p "$fastjava/bin"
realjava=$(cd "$(dirname "$(readlink -f "$(command -v java)")")/.." && pwd -P)
[ -n "${JAVA_HOME:-}" ] && realjava=$JAVA_HOME
cp "$realjava/release" "$fastjava/release" 2>/dev/null # the launcher reads the version there
cat >"$fastjava/bin/java" <<JAVA
#!/bin/sh
case "\$*" in *-XX:ArchiveClassesAtExit=*) exec "$realjava/bin/java" "\$@" ;; esac # a training run for an archive
for a in "\$@"; do
  case \$a in crew.agent.internal.PlainClient) echo plain >>"$OUT/fast-starts" ;; */org.eclipse.equinox.launcher_*) echo framework >>"$OUT/fast-starts" ;; esac
done
exec "$realjava/bin/java" "\$@"
JAVA
chmod +x "$fastjava/bin/java"
fast_compare() { # EXPECTED-STARTS WORDS...: the fast path and CREW_FAST=0 agree; EXPECTED-STARTS: "plain" or "plain framework"
  local expected=$1 a b
  shift
  rm -f "$OUT/fast-starts"
  JAVA_HOME=$fastjava env -u DISPLAY "$REPO/crew" "$@" >"$OUT/fast.out" 2>"$OUT/fast.err"; a=$?
  local starts
  starts=$(paste -sd' ' "$OUT/fast-starts" 2>/dev/null)
  CREW_FAST=0 env -u DISPLAY "$REPO/crew" "$@" >"$OUT/framework.out" 2>"$OUT/framework.err"; b=$?
  if [ "$a" != "$b" ] || ! cmp -s "$OUT/fast.out" "$OUT/framework.out" || ! cmp -s "$OUT/fast.err" "$OUT/framework.err"; then
    fast_bad+=" 'crew $*' (fast path exit $a, framework exit $b: $(diff "$OUT/fast.out" "$OUT/framework.out" | head -c 300) $(diff "$OUT/fast.err" "$OUT/framework.err" | head -c 300))"
  elif [ -z "$starts" ]; then
    fast_unseen=$((fast_unseen + 1)) # the launcher did not take this JAVA_HOME: the same output, which JVM unseen
    fast_count=$((fast_count + 1))
  elif [ "$starts" != "$expected" ]; then
    fast_bad+=" 'crew $*' (JVMs started: '$starts', expected '$expected')"
  else
    fast_count=$((fast_count + 1))
  fi
}
fast_bad="" fast_count=0 fast_unseen=0
export CREW_AGENT_SOCKET="$OUT/no-agent/agent.sock"
fast_compare plain --version
fast_compare plain --version --json
fast_compare plain version --help
fast_compare plain --version --no-such-option
fast_compare plain agent status
fast_compare plain agent status --json
fast_compare "plain framework" tunnel status
fast_compare "plain framework" lab status --json
agent_pid=""
if [ "$(id -u)" = 0 ]; then
  agentdir=$(mktemp -d /run/crew-smoke-XXXXXX) && chmod 755 "$agentdir"
  CREW_AGENT_SOCKET="$agentdir/agent.sock"
  env -u DISPLAY CREW_HOME="$OUT/agent-home" "$REPO/crew" agent --socket "$CREW_AGENT_SOCKET" >"$OUT/fast-agent.log" 2>&1 &
  agent_pid=$!
  for _ in $(seq 1 300); do [ -S "$CREW_AGENT_SOCKET" ] && break; kill -0 $agent_pid 2>/dev/null || break; sleep 0.1; done
  for words in "agent status" "agent status --json" "tunnel status" "tunnel status --json" "tunnel status no-such-session" "lab status" "lab status --json"; do
    # shellcheck disable=SC2086 # the words of a command
    fast_compare plain $words
  done
  kill $agent_pid 2>/dev/null; wait $agent_pid 2>/dev/null
  rm -rf "$agentdir"
fi
unset CREW_AGENT_SOCKET
[ "$fast_count" -ge 8 ] && [ -z "$fast_bad" ] \
  && pass "the fast path answers $fast_count commands as the framework does (output, stderr, exit code)${agent_pid:+, 7 of them through a running agent}; which JVM ran seen for $((fast_count - fast_unseen))" \
  || fail "the fast path differs from the framework:$fast_bad"
[ "$fast_unseen" = 0 ] || echo "smoke note: for $fast_unseen commands the launcher did not run the java of JAVA_HOME=$fastjava: which JVM answered them was not seen"
[ -n "$agent_pid" ] || skip "root is needed to run an agent for the fast path's status commands through it"

# 2. the workbench window
if [ -z "${DISPLAY:-}" ]; then
  skip "no X display for the workbench smoke test (run the build under xvfb-run -a)"
elif ! command -v xwininfo >/dev/null || ! command -v import >/dev/null; then
  skip "xwininfo (x11-utils) and import (imagemagick) are needed to watch and capture the window"
else
  start=$(date +%s%N)
  "$REPO/crew" >"$OUT/workbench.log" 2>&1 &
  pid=$!
  shown=""
  for _ in $(seq 1 240); do
    if xwininfo -root -tree 2>/dev/null | grep -q '"CREW - Client Routes Enforcement Workbench'; then shown=yes; break; fi
    kill -0 $pid 2>/dev/null || break
    sleep 0.25
  done
  elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
  if [ -n "$shown" ]; then
    sleep 2 # let it paint
    import -window root "$OUT/workbench.png" && pass "workbench window after ${elapsed} ms; screenshot $OUT/workbench.png"
    echo "window_ms=$elapsed" >"$OUT/timings.txt"
  else
    fail "no CREW window within 60 s (see $OUT/workbench.log)"
  fi
  kill $pid 2>/dev/null; wait $pid 2>/dev/null
  # errors in the console log or the workspace log; the session-manager D-Bus notice is harmless GTK noise
  errors=$(grep -hE '!ENTRY .* 4 |Exception|SEVERE|ERROR' "$OUT/workbench.log" "$OUT/home/workspace/.metadata/.log" 2>/dev/null \
      | grep -v 'SessionManagerDBus' | head -n 20)
  [ -z "$errors" ] && pass "no errors logged" || fail "errors logged: $errors"
fi

# 3. a lab and a tunnel through the product's own commands, as root with openvpn. The tunnel's process is then
#    killed with -9: openvpn must exit by itself (CREW's management socket is its dead-man switch), so the device
#    never keeps CREW's routes without a CREW process; the next connect recovers the journal; lab down leaves nothing.
waitfor() { # FILE TEXT SECONDS
  for _ in $(seq 1 $(( $3 * 10 ))); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done; return 1
}
if [ "$(id -u)" != 0 ] || ! command -v openvpn >/dev/null || ! command -v ip >/dev/null; then
  skip "root, openvpn and iproute2 are needed for the lab and tunnel smoke test"
else
  design="$REPO/bundles/crew.examples/workspace/designs/split-tunnel.crew.json"
  env -u DISPLAY "$REPO/crew" lab up --id smoke "$design" >"$OUT/lab.log" 2>&1 &
  labpid=$!
  if waitfor "$OUT/lab.log" "lab smoke is up" 60; then
    pass "crew lab up"
    dev=crew-smoke-dev
    profile="$CREW_HOME/lab/smoke/clients/lab-user.ovpn"
    before=$(ip -n $dev route show table all)
    env -u DISPLAY "$REPO/crew" tunnel connect --netns $dev "$profile" >"$OUT/tunnel.log" 2>&1 &
    tpid=$!
    if waitfor "$OUT/tunnel.log" "connected in" 60; then
      pass "crew tunnel connect: $(grep 'connected in' "$OUT/tunnel.log" | head -1)"
      st=$(env -u DISPLAY "$REPO/crew" tunnel status 2>&1)
      [[ "$st" == *"connected on tun0"*"enforced (aws)"* ]] && pass "crew tunnel status" || fail "crew tunnel status: $st"
      at=$(env -u DISPLAY "$REPO/crew" tunnel attack 2>&1)
      [[ "$at" == *"enforced: session"*"removed the conflicting route"* ]] && pass "crew tunnel attack: ${at##*$'\n'}" || fail "crew tunnel attack: $at"
      kill -9 $tpid; wait $tpid 2>/dev/null
      gone=""
      for _ in $(seq 1 50); do pgrep -f "$CREW_HOME/tunnel/lab-user" >/dev/null || { gone=yes; break; }; sleep 0.1; done
      [ -n "$gone" ] && pass "kill -9 of the tunnel's process: openvpn exited by itself" || fail "openvpn still runs after its CREW process died"
      after=$(ip -n $dev route show table all)
      [ "$before" = "$after" ] && pass "the device table is as before the tunnel" || fail "device table after the crash differs: $after"
      again=$(env -u DISPLAY "$REPO/crew" tunnel connect --netns $dev --seconds 1 "$profile" 2>&1); rc=$?
      [ $rc = 0 ] && [[ "$again" == *"routing table restored"* ]] && pass "reconnect after the crash (journal recovered)" \
        || fail "reconnect after the crash: rc=$rc: $again"
    else
      fail "crew tunnel connect did not connect (see $OUT/tunnel.log)"
      kill $tpid 2>/dev/null; wait $tpid 2>/dev/null
    fi
    down=$(env -u DISPLAY "$REPO/crew" lab down smoke 2>&1); rc=$?
    wait $labpid 2>/dev/null
    left=$(ip netns list | grep -c '^crew-smoke-')
    procs=$(pgrep -fc "$CREW_HOME/lab/smoke")
    [ $rc = 0 ] && [ "$left" = 0 ] && [ "$procs" = 0 ] && [ ! -e "$CREW_HOME/lab/smoke" ] && pass "crew lab down leaves nothing behind" \
      || fail "crew lab down: rc=$rc, namespaces left $left, processes left $procs: $down"
  else
    fail "crew lab up did not come up (see $OUT/lab.log)"
    kill $labpid 2>/dev/null; wait $labpid 2>/dev/null
  fi
fi

[ $failures = 0 ] && echo "product smoke test passed" || echo "product smoke test: $failures failure(s)"
exit $failures
