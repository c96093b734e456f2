#!/bin/bash
# The materialized product's whole workbench as ordinary users, through the product's own root agent (docs/agent.md,
# "Tests"). Run by the product module in the integration-test phase (with tests on; as root in CI) and by hand:
#   sudo releng/smoke/agent-ui-check.sh [PRODUCT_DIR] [OUT_DIR]
# It creates two users (one in group crew, one not), starts `crew agent` in the foreground on a private socket
# (clients find it through $CREW_AGENT_SOCKET), starts a private Xvfb, and launches the product's workbench as each
# user with a fresh CREW home (the example workspace). xdotool drives it with the keyboard only: the tunnel console
# (Ctrl+Alt+U, maximized with Ctrl+M), Lab design (Alt+E, End: split-tunnel), Start lab (Alt+L), Connect (Alt+C),
# Disconnect (Alt+D), Stop lab (Alt+O). What happened is checked from outside: the agent's status (the session, its
# owner's uid), the device namespace's routing table (the tunnel's routes, then exactly as before), the agent's log
# (the outsider's refused connect, naming the rule), the namespaces. Screenshots of each step: OUT_DIR/NN-*.png.
# Users, group (when it created it), namespaces, processes and the display are removed at the end, on failure too.
# CREW_TESTS_STRICT=1 turns a missing prerequisite into a failure. Exit status: the number of failures.
set -u
REPO=$(cd "$(dirname "$0")/../.." && pwd)
PRODUCT=${1:-$REPO/product/target/products/crew/linux/gtk/x86_64/crew}
OUT=${2:-$REPO/product/target/agent-ui}
GROUP=crew                   # the agent's default control group: the refusal names it
MEMBER=aucmember             # in group crew
OUTSIDER=aucoutsider         # not in it
LAB_PREFIX=auc               # the consoles' lab ids: auc1 ..., namespaces crew-auc1-dev ...
MARK="CREW agent-ui check"   # the users' comment: only users with it are ever removed
strict=${CREW_TESTS_STRICT:-0}
failures=0
start_ns=$(date +%s%N)
rm -rf "$OUT" && mkdir -p "$OUT"
since() { printf '%6.1f s' "$(( ($(date +%s%N) - start_ns) / 1000000 ))e-3"; }
fail() { echo "AGENT-UI FAIL [$(since)]: $*"; failures=$((failures + 1)); }
pass() { echo "agent-ui ok [$(since)]: $*"; }
skip() {
  if [ "$strict" = 1 ]; then fail "prerequisite missing in a strict run: $*"; else echo "AGENT-UI SKIPPED: $*"; fi
  exit $failures
}

# ---- prerequisites ----
[ "$(id -u)" = 0 ] || skip "root is needed (it creates users and runs the agent; run: sudo $0)"
for tool in Xvfb xdotool import xauth mcookie runuser useradd userdel groupadd openvpn ip; do
  command -v "$tool" >/dev/null || skip "'$tool' is missing (.ci/run installs xvfb, xauth, xdotool, imagemagick, openvpn, iproute2)"
done
[ -x "$PRODUCT/crew" ] || skip "no materialized product at $PRODUCT (build the product module first)"
for u in $MEMBER $OUTSIDER; do
  if id "$u" >/dev/null 2>&1 && [ "$(getent passwd "$u" | cut -d: -f5)" != "$MARK" ]; then
    fail "a user '$u' exists and is not this check's: not touching it"; exit $failures
  fi
done

WORK=$(mktemp -d /tmp/crew-agent-ui.XXXXXX)
chmod 755 "$WORK"
AGENT_PID="" XVFB_PID="" GROUP_CREATED="" USERS_CREATED=""
declare -A WB_PID=()

# ---- the end: everything this check started or created goes, whatever happened ----
stop_pid() { # PID SECONDS: TERM, then KILL
  local pid=$1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 1 $(($2 * 10))); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null
  sleep 0.2
}
# shellcheck disable=SC2317 # run by the trap
cleanup() {
  trap - EXIT INT TERM
  for who in "${!WB_PID[@]}"; do
    stop_pid "$(pgrep -u "$who" -f org.eclipse.equinox.launcher | head -n 1)" 10
    kill -KILL -- "-${WB_PID[$who]}" 2>/dev/null
  done
  if [ -n "$AGENT_PID" ]; then
    stop_pid "$AGENT_PID" 30 # the agent's shutdown ends its sessions and labs: tables restored, namespaces removed
    cp "$WORK/agent.log" "$OUT/agent.log" 2>/dev/null
  fi
  # what a killed agent could not end: openvpn under this check's folders, the labs' namespaces
  for pid in $(pgrep -f "$WORK/" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep -E "^crew-${LAB_PREFIX}[0-9]+-(dev|srv|vpc)$"); do
    echo "agent-ui: removing the namespace $ns left behind"; ip netns del "$ns"
  done
  if [ -n "$USERS_CREATED" ]; then
    for u in $MEMBER $OUTSIDER; do
      pkill -KILL -u "$u" 2>/dev/null # only this check's users (created above with its mark)
      userdel "$u" 2>/dev/null
    done
  fi
  [ -n "$GROUP_CREATED" ] && groupdel "$GROUP" 2>/dev/null
  stop_pid "$XVFB_PID" 5
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- users, group ----
for u in $MEMBER $OUTSIDER; do id "$u" >/dev/null 2>&1 && userdel "$u"; done # a killed run's, with the mark
if ! getent group "$GROUP" >/dev/null; then
  groupadd "$GROUP" && GROUP_CREATED=yes
fi
useradd -M -N -g nogroup -G "$GROUP" -c "$MARK" -s /usr/sbin/nologin "$MEMBER" && USERS_CREATED=yes
useradd -M -N -g nogroup -c "$MARK" -s /usr/sbin/nologin "$OUTSIDER"
MEMBER_UID=$(id -u "$MEMBER") OUTSIDER_UID=$(id -u "$OUTSIDER")
# the product as the users see it: where it is when they may read it, else a copy they may
if ! runuser -u "$MEMBER" -- test -r "$PRODUCT/configuration/config.ini" -a -x "$PRODUCT/crew"; then
  cp -a "$PRODUCT" "$WORK/product" && chmod -R a+rX "$WORK/product" && PRODUCT=$WORK/product
  echo "agent-ui: the product is not readable by other users where it is; using a copy in $PRODUCT"
fi

# ---- the display: a private Xvfb, its cookie given to the users ----
cookie=$(mcookie)
touch "$WORK/xauth.server" "$WORK/xauth.root"
xauth -q -f "$WORK/xauth.server" add :0 . "$cookie"
Xvfb -displayfd 3 -screen 0 1400x900x24 -nolisten tcp -auth "$WORK/xauth.server" 3>"$WORK/display" >"$OUT/xvfb.log" 2>&1 &
XVFB_PID=$!
disown "$XVFB_PID" # ended by the cleanup, without the shell's report of it
for _ in $(seq 1 100); do [ -s "$WORK/display" ] && break; sleep 0.1; done
[ -s "$WORK/display" ] || { fail "Xvfb did not start (see $OUT/xvfb.log)"; exit $failures; }
DISPLAY=":$(tr -d '\n' <"$WORK/display")" XAUTHORITY="$WORK/xauth.root"
export DISPLAY XAUTHORITY
xauth -q -f "$XAUTHORITY" add "$DISPLAY" . "$cookie"
shot() { import -window root "$OUT/$1.png" 2>/dev/null; }

# ---- the agent: the product's, in the foreground, on a private socket; everyone may read status (0666) ----
mkdir -p "$WORK/sock" "$WORK/agent" && chmod 755 "$WORK/sock" && chmod 700 "$WORK/agent"
SOCK=$WORK/sock/agent.sock
CREW_HOME=$WORK/agent CREW_NO_BUILD=1 "$PRODUCT/crew" agent --socket "$SOCK" --socket-mode 0666 --group "$GROUP" >"$WORK/agent.log" 2>&1 &
AGENT_PID=$!
waitlog() { # TEXT SECONDS: the agent's log has a line with TEXT
  for _ in $(seq 1 $(($2 * 10))); do grep -q -- "$1" "$WORK/agent.log" 2>/dev/null && return 0; sleep 0.1; done; return 1
}
if waitlog "listening on $SOCK" 30; then
  pass "crew agent listens on $SOCK (pid $AGENT_PID, group $GROUP, mode 0666)"
else
  fail "the agent did not start: $(cat "$WORK/agent.log")"; exit $failures
fi
# what root's crew says about the agent (the client finds it through $CREW_AGENT_SOCKET)
agent_status() {
  env -u DISPLAY CREW_AGENT_SOCKET="$SOCK" CREW_HOME="$WORK/root-cli" CREW_CDS=0 CREW_NO_BUILD=1 "$PRODUCT/crew" agent status --json 2>&1
}
root_table_before=$(ip route show table all; ip -6 route show table all)

# ---- a user's workbench ----
start_workbench() { # USER: its own home, CREW home (the example workspace), the agent's socket; window id in $W
  local who=$1 home=$WORK/$1
  mkdir -p "$home/home" "$home/crew"
  cp "$WORK/xauth.root" "$home/Xauthority"
  chown -R "$who" "$home" && chmod 700 "$home"
  local java_home=""
  [ -n "${JAVA_HOME:-}" ] && runuser -u "$who" -- test -x "$JAVA_HOME/bin/java" && java_home=$JAVA_HOME
  setsid runuser -u "$who" -- env -i HOME="$home/home" USER="$who" LOGNAME="$who" PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin \
    DISPLAY="$DISPLAY" XAUTHORITY="$home/Xauthority" CREW_AGENT_SOCKET="$SOCK" CREW_HOME="$home/crew" ${java_home:+JAVA_HOME=$java_home} \
    CREW_VMARGS="-Dcrew.ui.labPrefix=$LAB_PREFIX" "$PRODUCT/crew" >"$OUT/workbench-$who.log" 2>&1 </dev/null &
  WB_PID[$who]=$!
  W=""
  local t0 java
  t0=$(date +%s%N)
  for _ in $(seq 1 240); do
    java=$(pgrep -u "$who" -f org.eclipse.equinox.launcher | head -n 1)
    [ -n "$java" ] && W=$(xdotool search --all --onlyvisible --pid "$java" --name '^CREW - Client Routes Enforcement Workbench' 2>/dev/null | head -n 1)
    [ -n "$W" ] && break
    kill -0 "${WB_PID[$who]}" 2>/dev/null || break
    sleep 0.25
  done
  [ -n "$W" ] || return 1
  echo "agent-ui: the workbench of $who shows its window after $(( ($(date +%s%N) - t0) / 1000000 )) ms"
  sleep 2 # the parts' first paint and reads
  xdotool windowsize --sync "$W" 1400 900 windowraise "$W" windowfocus --sync "$W"
  return 0
}
keys() { # the keys, one after the other, to the focused workbench
  xdotool windowfocus --sync "$W" 2>/dev/null
  for k in "$@"; do xdotool key --delay 60 "$k"; sleep 0.4; done
}
console() { # the tunnel console, maximized
  keys ctrl+alt+u
  sleep 1.5 # created on first show: its profiles, designs and the agent's status are read in jobs
  keys ctrl+m
  sleep 1
}
dev_table() { ip -n "$1" route show table all; ip -n "$1" -6 route show table all; }
stop_workbench() { # USER
  stop_pid "$(pgrep -u "$1" -f org.eclipse.equinox.launcher | head -n 1)" 15
  unset "WB_PID[$1]"
}

run_member() {
  start_workbench "$MEMBER" || { fail "no window of $MEMBER's workbench within 60 s (see $OUT/workbench-$MEMBER.log)"; return 1; }
  shot 01-member-workbench
  console
  shot 02-member-console
  # the lab: Lab design (Alt+E), the last design (split-tunnel), Start lab (Alt+L)
  keys alt+e End alt+l
  if ! waitlog "$MEMBER (uid $MEMBER_UID) brought lab " 90; then
    shot 03-member-lab-failed; fail "Start lab: the agent brought no lab up for $MEMBER (see 03-member-lab-failed.png)"; return 1
  fi
  lab=$(sed -n "s/.*$MEMBER (uid $MEMBER_UID) brought lab \([A-Za-z0-9_.-]*\) up.*/\1/p" "$WORK/agent.log" | head -n 1)
  dev=crew-$lab-dev
  ip netns list | grep -q "^$dev\b" && pass "Start lab (Alt+L): lab $lab up in the agent for $MEMBER, device namespace $dev" \
    || { fail "lab $lab: no namespace $dev"; return 1; }
  dev_before=$(dev_table "$dev")
  sleep 2 # the lab's profiles are copied for the user and listed; the lab user's is chosen
  shot 03-member-lab-up

  # Connect (Alt+C), from the keyboard right after Start lab
  keys alt+c
  local routes=""
  for _ in $(seq 1 300); do
    routes=$(ip -n "$dev" route show | grep ' dev tun' || true)
    [[ "$routes" == *"172.31.0.0/16 "* ]] && break
    sleep 0.1
  done
  if [[ "$routes" == *"172.31.0.0/16 "* ]]; then
    pass "Connect (Alt+C): the device table has the tunnel's routes (172.31.0.0/16 through the tunnel, split-tunnel's)"
  else
    shot 04-member-connect-failed; fail "Connect: no tunnel routes in $dev within 30 s (see 04-member-connect-failed.png): $(dev_table "$dev")"; return 1
  fi
  st=$(agent_status)
  echo "agent-ui: the tunnel's routes in $dev: $(ip -n "$dev" route show | grep ' dev tun' | awk '{print $1}' | tr '\n' ' ')"
  if [[ "$st" == *'"state":"CONNECTED"'* ]] && [[ "$st" == *"\"owner\":\"$MEMBER (uid $MEMBER_UID)\""* ]] && [[ "$st" == *"\"namespace\":\"$dev\""* ]]; then
    pass "crew agent status: the session in $dev is CONNECTED and $MEMBER's (uid $MEMBER_UID)"
  else
    fail "crew agent status does not show $MEMBER's connected session in $dev: $st"
  fi
  sleep 1.5 # the console's state line, protected routes and agent line follow
  shot 04-member-connected
  return 0
}

run_outsider() { # while the member's session runs
  start_workbench "$OUTSIDER" || { fail "no window of $OUTSIDER's workbench within 60 s (see $OUT/workbench-$OUTSIDER.log)"; return 1; }
  console
  shot 05-outsider-console
  keys alt+c # the example profile: the agent refuses before it reads a line of it
  local rule="only root and members of group '$GROUP' may connect"
  if waitlog "tunnel.connect refused for $OUTSIDER (uid $OUTSIDER_UID): $rule" 30; then
    pass "the outsider's Connect (Alt+C) is refused by the agent, naming the rule: $(grep -m1 "refused for $OUTSIDER" "$WORK/agent.log" | cut -c1-160)"
  else
    fail "no refusal of $OUTSIDER's connect naming the rule in the agent's log: $(tail -n 5 "$WORK/agent.log")"
  fi
  sleep 1.5 # the refusal appears under the console's buttons
  shot 06-outsider-refused
  st=$(agent_status)
  n=$(grep -o '"sessionId"' <<<"$st" | wc -l)
  [ "$n" = 1 ] && pass "the outsider changed nothing: the agent still runs one session" || fail "after the outsider: $n sessions: $st"
  stop_workbench "$OUTSIDER"
}

member_end() {
  xdotool windowraise "$W" 2>/dev/null
  # Disconnect (Alt+D)
  keys alt+d
  local after=""
  for _ in $(seq 1 300); do
    after=$(dev_table "$dev")
    [ "$after" = "$dev_before" ] && break
    sleep 0.1
  done
  [ "$after" = "$dev_before" ] && pass "Disconnect (Alt+D): the device table of $dev is exactly as before the connect" \
    || { shot 07-member-disconnect-failed; fail "Disconnect: the device table differs: $(diff <(echo "$dev_before") <(echo "$after"))"; }
  st=$(agent_status)
  [[ "$st" == *'"sessions":[]'* ]] && pass "crew agent status: no session runs" || fail "after Disconnect the agent still runs: $st"
  sleep 1
  shot 07-member-disconnected
  # Stop lab (Alt+O)
  keys alt+o
  local gone=""
  for _ in $(seq 1 300); do ip netns list | grep -q "^crew-$lab-" || { gone=yes; break; }; sleep 0.1; done
  st=$(agent_status)
  [ -n "$gone" ] && [[ "$st" == *'"labs":[]'* ]] && pass "Stop lab (Alt+O): lab $lab is down, its namespaces gone" \
    || fail "Stop lab: namespaces $(ip netns list | grep "^crew-$lab-" | tr '\n' ' '); status: $st"
  sleep 1
  shot 08-member-lab-down
  stop_workbench "$MEMBER"
}

if run_member; then
  run_outsider
  member_end
fi
stop_pid "$AGENT_PID" 30
grep -q "recovery: done" "$WORK/agent.log" && ! grep -qi "exception\|problem" "$WORK/agent.log" \
  && pass "the agent ended cleanly" || fail "the agent's log: $(grep -i "exception\|problem" "$WORK/agent.log" | head -n 5)"
cp "$WORK/agent.log" "$OUT/agent.log"; AGENT_PID=""
root_table_after=$(ip route show table all; ip -6 route show table all)
[ "$root_table_before" = "$root_table_after" ] && pass "the machine's own routing table is as found" \
  || fail "the machine's routing table changed: $(diff <(echo "$root_table_before") <(echo "$root_table_after"))"
left=$(ip netns list | grep -cE "^crew-${LAB_PREFIX}[0-9]+-")
[ "$left" = 0 ] && pass "no lab namespace left" || fail "$left lab namespaces left"
errors=$(grep -hE '!ENTRY .* 4 |Exception|SEVERE' "$OUT"/workbench-*.log 2>/dev/null | grep -v SessionManagerDBus | head -n 10)
[ -z "$errors" ] && pass "the workbenches logged no errors" || fail "the workbenches logged errors: $errors"
echo "agent-ui: $(( ($(date +%s%N) - start_ns) / 1000000 )) ms in all; screenshots in $OUT"
[ $failures = 0 ] && echo "agent-ui check passed" || echo "agent-ui check: $failures failure(s)"
exit $failures
