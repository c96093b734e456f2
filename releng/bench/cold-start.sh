#!/bin/bash
# Cold start of the CREW workbench to its first mapped window, several runs, median.
#   releng/bench/cold-start.sh [RUNS]      (needs a display: xvfb-run -a releng/bench/cold-start.sh 5)
# Each run starts the materialized product like ./crew does, with a fresh workspace and, for "cold", a fresh OSGi
# configuration area (no bundle cache: the first start after an install); "warm" reuses the cache of the previous
# run. The clock runs from the java process start until xwininfo sees the window titled "CREW - ..." (polled every
# 20 ms); the OS file cache is warm in both cases. Output: product/target/bench/cold-start.txt.
set -u
RUNS=${1:-5}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
PRODUCT="$REPO/product/target/products/crew/linux/gtk/x86_64/crew"
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

one_run() { # $1 = configuration dir; prints milliseconds to the window, or "timeout"
  local config=$1 home
  home=$(mktemp -d -p "$WORK")
  local start pid shown="" elapsed
  start=$(date +%s%N)
  # shellcheck disable=SC2086
  "$JAVA" -Dosgi.requiredJavaVersion=17 -Xms64m ${GUI_VMARGS} -Dcrew.examples="$EXAMPLES" ${CREW_VMARGS:-} -jar "$LAUNCHER" -consoleLog \
      -data "$home/workspace" -configuration "$config" >"$home/log" 2>&1 &
  pid=$!
  for _ in $(seq 1 3000); do
    if xwininfo -root -tree 2>/dev/null | grep -q '"CREW - Client Routes Enforcement Workbench'; then shown=yes; break; fi
    kill -0 $pid 2>/dev/null || break
    sleep 0.02
  done
  elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
  # CPU the JVM used until then (user + system, all threads): a figure the other processes' load does not inflate
  local cpu
  cpu=$(awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / hz)}' "/proc/$pid/stat" 2>/dev/null || echo 0)
  kill $pid 2>/dev/null; wait $pid 2>/dev/null
  if [ -n "$shown" ]; then echo "$elapsed/$cpu"; else echo timeout; fi
}

fresh_config() { # a configuration area with the product's config.ini and bundle list, no cache
  local dir
  dir=$(mktemp -d -p "$WORK")
  cp "$PRODUCT/configuration/config.ini" "$dir/"
  cp -r "$PRODUCT/configuration/org.eclipse.equinox.simpleconfigurator" "$dir/"
  echo "$dir"
}

median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print "n/a"; else if (NR % 2) print a[(NR+1)/2]; else print int((a[NR/2]+a[NR/2+1])/2)}'; }

cold=(); warm=()
shared=$(fresh_config)
one_run "$shared" >/dev/null # fills the shared cache, so that the "warm" runs are warm
for i in $(seq 1 "$RUNS"); do
  cold+=("$(one_run "$(fresh_config)")")
  warm+=("$(one_run "$shared")")
done
cold_median=$(printf '%s\n' "${cold[@]}" | grep -v timeout | cut -d/ -f1 | median)
warm_median=$(printf '%s\n' "${warm[@]}" | grep -v timeout | cut -d/ -f1 | median)
cold_cpu=$(printf '%s\n' "${cold[@]}" | grep -v timeout | cut -d/ -f2 | median)
warm_cpu=$(printf '%s\n' "${warm[@]}" | grep -v timeout | cut -d/ -f2 | median)
{
  echo "date=$(date -u +%FT%TZ) cores=$(nproc) load=$(cut -d' ' -f1 /proc/loadavg) runs=$RUNS vmargs=${GUI_VMARGS} ${CREW_VMARGS:-}"
  echo "cold_wall/cpu_ms=${cold[*]}"
  echo "cold_median_ms=$cold_median cold_median_cpu_ms=$cold_cpu"
  echo "warm_wall/cpu_ms=${warm[*]}"
  echo "warm_median_ms=$warm_median warm_median_cpu_ms=$warm_cpu"
} | tee "$OUT/cold-start.txt"
