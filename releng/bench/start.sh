#!/bin/bash
# Start-up benchmark of the crew commands and the workbench, this build against a previous one, interleaved.
#   releng/bench/start.sh [RUNS] [PREVIOUS_PRODUCT]      (docs/startup.md has the figures and how to read them)
# For each kind of run, RUNS runs of this build and of the previous build (a product folder, or its .tar.gz /
# .zip archive; default: none, this build alone) alternate, so that a change in the machine's speed affects both alike:
#   version        crew --version                                 target: median under 1.0 s wall, 1.5 s CPU
#                  (a build with the fast path answers it without the framework: crew.agent's PlainClient)
#   version-framework  crew --version with CREW_FAST=0: through the framework, as a build without the fast path
#   lint           crew lint --example split-tunnel               target: median under 1.0 s wall, 1.5 s CPU
#   help           crew help
#   window         the workbench to its first window (needs a display: xvfb-run -a; and xwininfo)  target: 2.5 s
#   tunnel-status  crew tunnel status answered by a running agent (needs root: a `crew agent` of this build is
#                  started in the foreground on a socket of its own, then stopped; a build with the fast path
#                  answers it without the framework)  target: 0.5 s
# Wall time from the process start to its exit (the window: until xwininfo sees it), CPU as user + system of the
# process and its children. Printed: median, min and max per kind and build, and this build's median as a ratio
# of the previous one's. Then one run of each headless command of this build with -Xlog:class+load, split into
# phases at classes that mark them (the JVM to the launcher's main, the launcher to the framework, the framework
# reading its bundle database and resolving, the start levels with SCR and the services up to the application, the
# command and the exit), with the classes loaded in each. The load average is printed before and after.
# Each build's headless runs share one CREW_HOME (a user's), whose class data archive the launcher's training run
# made before the series; each workbench run gets a new CREW_HOME and workspace with the archive that one start
# before the series recorded. So the series measure the steady state; CREW_CDS=0 measures without archives.
# Output: product/target/bench/start.txt.
set -u
RUNS=${1:-7}
PREVIOUS=${2:-}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
PRODUCT=${CREW_PRODUCT:-"$REPO/product/target/products/crew/linux/gtk/x86_64/crew"}
OUT="$REPO/product/target/bench"
KINDS=${CREW_BENCH_KINDS:-version version-framework lint help window tunnel-status}
[ -x "$PRODUCT/crew" ] || { echo "no product at $PRODUCT: run ./mvnw -B -o -DskipTests -Dcrew.allPlatforms=false package" >&2; exit 3; }
mkdir -p "$OUT"
WORK=$(mktemp -d)
AGENT_PID=""
cleanup() {
  [ -n "$AGENT_PID" ] && kill "$AGENT_PID" 2>/dev/null && wait "$AGENT_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

builds=(new)
declare -A DIR
DIR[new]=$PRODUCT
if [ -n "$PREVIOUS" ]; then
  case $PREVIOUS in
    *.tar.gz) mkdir -p "$WORK/previous" && tar -xzf "$PREVIOUS" -C "$WORK/previous" 2>/dev/null && DIR[previous]="$WORK/previous/crew" ;;
    *.zip) mkdir -p "$WORK/previous" && unzip -q "$PREVIOUS" -d "$WORK/previous" && DIR[previous]="$WORK/previous/crew" ;;
    *) DIR[previous]=$PREVIOUS ;;
  esac
  [ -x "${DIR[previous]}/crew" ] || { echo "no crew launcher in the previous build ${DIR[previous]}" >&2; exit 3; }
  builds+=(previous)
fi

home_of() { # BUILD: a CREW_HOME with the class data archives of that build, trained once
  local home="$WORK/home-$1" fast
  if [ ! -d "$home" ]; then
    mkdir -p "$home"
    if [ "${CREW_CDS:-1}" != 0 ]; then
      # the framework's archive (CREW_FAST=0: --version through the framework), then the fast path's (an
      # ordinary user's only); each by a training run in the background: until it is done (at most 60 s each)
      for fast in 0 1; do
        CREW_FAST=$fast CREW_HOME="$home" env -u DISPLAY "${DIR[$1]}/crew" --version >/dev/null 2>&1
        for _ in $(seq 1 600); do
          ls "$home"/cds/*.training >/dev/null 2>&1 || break
          sleep 0.1
        done
      done
    fi
  fi
  echo "$home"
}

timed() { # BUILD COMMAND...: prints WALL_MS/CPU_MS of one run of the build's crew (stdout and stderr discarded)
  local build=$1 home t
  shift
  home=$(home_of "$build")
  t=$( { TIMEFORMAT='%R %U %S'; time env -u DISPLAY CREW_HOME="$home" "${DIR[$build]}/crew" "$@" >/dev/null 2>&1; } 2>&1 )
  awk '{ printf "%d/%d\n", $1 * 1000, ($2 + $3) * 1000 }' <<<"$t"
}

window() { # BUILD HOME: WALL_MS/CPU_MS until the workbench's window shows, or "timeout"
  local build=$1 home=$2 pid t0 shown="" elapsed cpu
  t0=$(date +%s%N)
  CREW_HOME="$home" "${DIR[$build]}/crew" >"$home/log" 2>&1 &
  pid=$!
  for _ in $(seq 1 3000); do
    if xwininfo -root -tree 2>/dev/null | grep -q '"CREW - Client Routes Enforcement Workbench'; then shown=yes; break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.02
  done
  elapsed=$(( ($(date +%s%N) - t0) / 1000000 ))
  # the launcher execs java: the same process; its CPU (all threads) from /proc
  cpu=$(awk -v hz="$(getconf CLK_TCK)" '{ print int(($14 + $15) * 1000 / hz) }' "/proc/$pid/stat" 2>/dev/null || echo 0)
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  if [ -n "$shown" ]; then echo "$elapsed/$cpu"; else echo timeout; fi
}

start_agent() { # BUILD: a crew agent of that build on a socket of its own; sets AGENT_SOCKET
  local build=$1 dir
  dir="/run/crew-bench-start-$$-$build"
  mkdir -m 755 "$dir"
  AGENT_SOCKET="$dir/agent.sock"
  CREW_HOME="$WORK/agent-home-$build" "${DIR[$build]}/crew" agent --socket "$AGENT_SOCKET" >"$WORK/agent-$build.log" 2>&1 &
  AGENT_PID=$!
  for _ in $(seq 1 300); do
    [ -S "$AGENT_SOCKET" ] && return 0
    kill -0 "$AGENT_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "the agent of the $build build did not start: $(tail -n 5 "$WORK/agent-$build.log")" >&2
  return 1
}

stop_agent() {
  [ -n "$AGENT_PID" ] && kill "$AGENT_PID" 2>/dev/null && wait "$AGENT_PID" 2>/dev/null
  AGENT_PID=""
  rm -rf "$(dirname "$AGENT_SOCKET")"
}

median() { sort -n | awk '{ a[NR] = $1 } END { if (NR == 0) print "n/a"; else if (NR % 2) print a[(NR + 1) / 2]; else print int((a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
stats() { # RESULTS...: "median M (min A, max B) ms, CPU median C ms"
  local ok wall cpu
  ok=$(printf '%s\n' "$@" | grep -v timeout)
  [ -n "$ok" ] || { echo "no result"; return; }
  wall=$(cut -d/ -f1 <<<"$ok" | sort -n)
  cpu=$(cut -d/ -f2 <<<"$ok" | median)
  echo "median $(median <<<"$wall") ms (min $(head -n 1 <<<"$wall"), max $(tail -n 1 <<<"$wall")), CPU median $cpu ms"
}

run_kind() { # KIND: RUNS interleaved runs per build; prints one line per build and the ratio
  local kind=$1 b r home
  declare -A results verified
  for b in "${builds[@]}"; do results[$b]=""; done
  case $kind in
    window)
      if [ -z "${DISPLAY:-}" ] || ! command -v xwininfo >/dev/null; then
        echo "window: not measured (needs a display and xwininfo: xvfb-run -a)"
        return
      fi ;;
    tunnel-status)
      [ "$(id -u)" = 0 ] || { echo "tunnel-status: not measured (needs root to run the agent)"; return; } ;;
  esac
  for _ in $(seq 1 "$RUNS"); do
    for b in "${builds[@]}"; do
      case $kind in
        version) r=$(timed "$b" --version) ;;
        version-framework) r=$(CREW_FAST=0 timed "$b" --version) ;;
        lint) r=$(timed "$b" lint --example split-tunnel) ;;
        help) r=$(timed "$b" help) ;;
        window)
          # a new workspace each time, with the class data archive that one start before the series recorded
          # (the launcher records it at the first start and uses it from the next)
          if [ ! -d "$WORK/window-home-$b" ]; then
            mkdir -p "$WORK/window-home-$b"
            window "$b" "$WORK/window-home-$b" >/dev/null
          fi
          home=$(mktemp -d -p "$WORK")
          [ -d "$WORK/window-home-$b/cds" ] && cp -r "$WORK/window-home-$b/cds" "$home/"
          r=$(window "$b" "$home") ;;
        tunnel-status)
          # one agent at a time: each run starts its build's agent (not timed), then times the status
          start_agent "$b" || { r=timeout; results[$b]+="$r "; continue; }
          r=$(CREW_AGENT_SOCKET="$AGENT_SOCKET" timed "$b" tunnel status)
          # that the agent answered: the command connected to its socket (strace, in a run not timed)
          if command -v strace >/dev/null && [ -z "${verified[$b]:-}" ]; then
            CREW_AGENT_SOCKET="$AGENT_SOCKET" CREW_HOME="$(home_of "$b")" strace -f -qq -e trace=connect -o "$WORK/strace-$b" \
              "${DIR[$b]}/crew" tunnel status >/dev/null 2>&1
            if grep -q "$AGENT_SOCKET" "$WORK/strace-$b"; then verified[$b]="connected to the agent's socket"; else verified[$b]="NOT through the agent"; fi
          fi
          stop_agent ;;
      esac
      results[$b]+="$r "
    done
  done
  for b in "${builds[@]}"; do
    # shellcheck disable=SC2086 # one result per word
    echo "$kind $b: $(stats ${results[$b]})   [${results[$b]% }]${verified[$b]:+ (${verified[$b]})}"
  done
  if [ ${#builds[@]} = 2 ]; then
    local n p
    # shellcheck disable=SC2086
    n=$(printf '%s\n' ${results[new]} | grep -v timeout | cut -d/ -f1 | median)
    # shellcheck disable=SC2086
    p=$(printf '%s\n' ${results[previous]} | grep -v timeout | cut -d/ -f1 | median)
    [ "$n" != n/a ] && [ "$p" != n/a ] && [ "$p" -gt 0 ] && awk -v n="$n" -v p="$p" -v k="$kind" \
      'BEGIN { printf "%s: this build / previous = %.2f (median %d ms against %d ms)\n", k, n / p, n, p }'
  fi
}

phases() { # BUILD COMMAND...: one run of the build with class loading logged, split into phases
  local build=$1 home log t0 total
  shift
  home=$(home_of "$build")
  log="$WORK/classes-$RANDOM.log"
  t0=$(date +%s%N)
  # through the framework (CREW_FAST=0: the fast path has no phases of its own)
  CREW_FAST=0 CREW_HOME="$home" CREW_VMARGS="-Xlog:class+load=info:file=$log:uptimemillis" env -u DISPLAY "${DIR[$build]}/crew" "$@" >/dev/null 2>&1
  total=$(( ($(date +%s%N) - t0) / 1000000 ))
  echo "phases of 'crew $*' through the framework, $build build (one run, ${total} ms from outside):"
  awk -v total="$total" '
    BEGIN {
      n = split("org.eclipse.equinox.launcher.Main|org.eclipse.osgi.launch.Equinox|org.eclipse.equinox.internal.simpleconfigurator.Activator|crew.cli.internal.CrewApplication", marker, "|")
      label[1] = "JVM start to the launcher"; label[2] = "launcher to the framework"
      label[3] = "framework: bundle database read, bundles resolved"; label[4] = "start levels: SCR, registry, services"
      label[5] = "the command and the exit"
      phase = 1; count[1] = 0
    }
    {
      ms = $1; gsub(/[^0-9]/, "", ms)
      cls = $2
      if (phase <= n && cls == marker[phase]) { at[phase] = ms + 0; phase++; count[phase] = 0 }
      count[phase]++
      if ($0 ~ /source: shared/) shared[phase]++
    }
    END {
      prev = 0
      for (i = 1; i <= n + 1; i++) {
        end = (i <= n) ? at[i] : total
        if (i <= n && at[i] == "") { printf "  %-52s marker %s not seen\n", label[i], marker[i]; continue }
        printf "  %-52s %5d ms  %5d classes (%d from the class data archive)\n", label[i], end - prev, count[i], shared[i] + 0
        all += count[i]
        prev = end
      }
      printf "  %-52s %5d ms  %5d classes\n", "total", total, all
    }' "$log"
  grep -cE ' (org\.eclipse\.(emf|e4|swt|jface)|com\.sun\.jna)\.' "$log" | awk '{ printf "  classes of EMF, e4, SWT, JFace, JNA: %d\n", $1 }'
}

{
  echo "date=$(date -u +%FT%TZ) cores=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg) runs=$RUNS cds=${CREW_CDS:-1}"
  echo "this build: ${DIR[new]}"
  [ -n "$PREVIOUS" ] && echo "previous build: $PREVIOUS"
  for kind in $KINDS; do
    run_kind "$kind"
  done
  for b in "${builds[@]}"; do
    phases "$b" --version
    phases "$b" lint --example split-tunnel
  done
  echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/start.txt"
