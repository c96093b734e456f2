#!/bin/bash
# Start of the CREW workbench to its first mapped window, several runs of each kind, medians.
#   releng/bench/cold-start.sh [RUNS]      (needs a display: xvfb-run -a releng/bench/cold-start.sh 7)
# Every run is a new JVM started like ./crew starts the workbench, with a new, empty workspace. The kinds differ in
# the configuration area (the OSGi bundle database, the extension registry cache, bundle data):
#   first          the configuration as the product ships it (taken from the product archive when there is one):
#                  the first start after an install. The build fills it (releng/prepare-product.sh).
#   uninitialized  only config.ini and bundles.info: Equinox installs every bundle and parses every plugin.xml.
#                  This is what "cold" meant before the build initialized the configuration.
#   warm           the configuration left by an earlier start that was closed normally (Ctrl+Q), as on every
#                  start after the first. Needs xdotool to press Ctrl+Q; without it this series is skipped.
# The clock runs from the java process start until xwininfo sees the window titled "CREW - ..." (polled every
# 20 ms). The OS file cache is warm in every case. The runs of the kinds are interleaved, so that a change in the
# machine's speed during the benchmark affects them alike. Also printed: the CPU time (user + system, all threads)
# the JVM used until the window appeared. Output: product/target/bench/cold-start.txt.
# CREW_PRODUCT=DIR measures another product folder; GUI_VMARGS="" measures without ./crew's JVM options.
set -u
RUNS=${1:-5}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
PRODUCT=${CREW_PRODUCT:-"$REPO/product/target/products/crew/linux/gtk/x86_64/crew"}
ARCHIVE=${CREW_PRODUCT_ARCHIVE:-"$REPO/product/target/products/crew-linux.gtk.x86_64.tar.gz"}
OUT="$REPO/product/target/bench"
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
[ -f "$PRODUCT/configuration/config.ini" ] || { echo "no product at $PRODUCT: run ./mvnw -B -o -DskipTests package" >&2; exit 3; }
[ -n "${DISPLAY:-}" ] || { echo "no display: run under xvfb-run -a" >&2; exit 3; }
command -v xwininfo >/dev/null || { echo "xwininfo (x11-utils) is needed" >&2; exit 3; }
mkdir -p "$OUT"
LAUNCHER=$(ls "$PRODUCT"/plugins/org.eclipse.equinox.launcher_*.jar | head -n 1)
EXAMPLES=$(ls -d "$PRODUCT"/plugins/crew.examples_*/workspace 2>/dev/null | head -n 1 || true)
# the JVM options ./crew gives the workbench; GUI_VMARGS="" measures without them
GUI_VMARGS=${GUI_VMARGS--XX:TieredStopAtLevel=1 -XX:+UseSerialGC}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
TITLE='"CREW - Client Routes Enforcement Workbench'

# The shipped configuration: from the archive when it is there and not older than the product folder (the folder's
# own configuration also serves ./crew, so it may hold what earlier starts added), else the folder's.
SHIPPED="$WORK/shipped"
mkdir -p "$SHIPPED"
if [ -f "$ARCHIVE" ] && [ ! "$PRODUCT/configuration/config.ini" -nt "$ARCHIVE" ]; then
  tar -xzf "$ARCHIVE" -C "$SHIPPED" crew/configuration 2>/dev/null
  mv "$SHIPPED/crew/configuration" "$SHIPPED/configuration"
  shipped_from="$ARCHIVE"
else
  cp -r "$PRODUCT/configuration" "$SHIPPED/configuration"
  shipped_from="$PRODUCT/configuration"
fi

start() { # $1 = configuration dir, $2 = log; starts the workbench in the background, sets PID and T0
  local home
  home=$(mktemp -d -p "$WORK")
  T0=$(date +%s%N)
  # shellcheck disable=SC2086
  "$JAVA" -Dosgi.requiredJavaVersion=17 -Xms64m ${GUI_VMARGS} -Dcrew.examples="$EXAMPLES" ${CREW_VMARGS:-} -jar "$LAUNCHER" -consoleLog \
      -data "$home/workspace" -configuration "$1" >"$2" 2>&1 &
  PID=$!
}

wait_window() { # prints "WALL/CPU" in milliseconds, or "timeout"
  local shown="" elapsed cpu
  for _ in $(seq 1 3000); do
    if xwininfo -root -tree 2>/dev/null | grep -q "$TITLE"; then shown=yes; break; fi
    kill -0 "$PID" 2>/dev/null || break
    sleep 0.02
  done
  elapsed=$(( ($(date +%s%N) - T0) / 1000000 ))
  cpu=$(awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / hz)}' "/proc/$PID/stat" 2>/dev/null || echo 0)
  if [ -n "$shown" ]; then echo "$elapsed/$cpu"; else echo timeout; fi
}

one_run() { # $1 = configuration dir, $2 = kind; prints "WALL/CPU" or "timeout" (the log of a failed run is kept)
  local log="$WORK/$2-$RANDOM.log" result
  start "$1" "$log"
  result=$(wait_window)
  kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null
  [ "$result" = timeout ] && cp "$log" "$OUT/failed-$2-run.log"
  echo "$result"
}

quit_normally() { # closes the workbench of PID with Ctrl+Q, as a user does; returns non-zero when it does not exit
  local win
  win=$(xdotool search --name "^CREW - Client Routes Enforcement Workbench" 2>/dev/null | head -n 1)
  [ -n "$win" ] || return 1
  xdotool key --window "$win" ctrl+q
  for _ in $(seq 1 150); do kill -0 "$PID" 2>/dev/null || return 0; sleep 0.1; done
  kill "$PID" 2>/dev/null; return 1
}

copy_of() { local dir; dir=$(mktemp -d -p "$WORK"); cp -r "$1/." "$dir/"; echo "$dir"; }

uninitialized_config() {
  local dir
  dir=$(mktemp -d -p "$WORK")
  cp "$SHIPPED/configuration/config.ini" "$dir/"
  cp -r "$SHIPPED/configuration/org.eclipse.equinox.simpleconfigurator" "$dir/"
  echo "$dir"
}

# The warm configuration: start once from the shipped one, wait for the window, quit normally.
WARM=""
if command -v xdotool >/dev/null; then
  WARM=$(copy_of "$SHIPPED/configuration")
  start "$WARM" "$WORK/warm-setup.log"
  if [ "$(wait_window)" = timeout ] || ! { sleep 1; quit_normally; }; then
    echo "warm series skipped: the setup start did not open or did not quit (log: $OUT/warm-setup.log)" >&2
    cp "$WORK/warm-setup.log" "$OUT/warm-setup.log"
    WARM=""
  fi
else
  echo "warm series skipped: xdotool is needed to quit the workbench normally (apt-get install xdotool)" >&2
fi

first=(); uninit=(); warm=()
for _ in $(seq 1 "$RUNS"); do
  first+=("$(one_run "$(copy_of "$SHIPPED/configuration")" first)")
  uninit+=("$(one_run "$(uninitialized_config)" uninitialized)")
  [ -n "$WARM" ] && warm+=("$(one_run "$(copy_of "$WARM")" warm)")
done

median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print "n/a"; else if (NR % 2) print a[(NR+1)/2]; else print int((a[NR/2]+a[NR/2+1])/2)}'; }
report() { # $1 = name, rest = results
  local name=$1; shift
  [ $# -gt 0 ] || { echo "${name}: not measured"; return; }
  local wall cpu
  wall=$(printf '%s\n' "$@" | grep -v timeout | cut -d/ -f1 | median)
  cpu=$(printf '%s\n' "$@" | grep -v timeout | cut -d/ -f2 | median)
  echo "${name}_wall/cpu_ms=$*"
  echo "${name}_median_ms=$wall ${name}_median_cpu_ms=$cpu"
}
{
  echo "date=$(date -u +%FT%TZ) cores=$(nproc) load=$(cut -d' ' -f1 /proc/loadavg) runs=$RUNS vmargs=${GUI_VMARGS} ${CREW_VMARGS:-}"
  echo "shipped configuration from $shipped_from"
  report first "${first[@]}"
  report uninitialized "${uninit[@]}"
  report warm ${warm[@]+"${warm[@]}"}
} | tee "$OUT/cold-start.txt"
