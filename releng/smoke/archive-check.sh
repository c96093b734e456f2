#!/bin/bash
# shellcheck disable=SC2015,SC2012,SC2013,SC2016 # "test && pass || fail" (pass never fails); plain build paths
# Archive check, run by the product module in the integration-test phase (after product-smoke.sh), and by hand:
#  1. every platform's archive holds one root folder with its launcher, its SWT fragment and no other platform's,
#     the initialized configuration, and no build leftovers;
#  2. the linux/gtk/x86_64 archive, unpacked outside the checkout: crew --version, crew lint --example split-tunnel,
#     the workbench window under X (also from a read-only copy, as under /opt), CREW_HOME's default, and what its
#     launcher says when Java is missing or too old;
#  3. every other platform's archive, unpacked: crew --version and crew lint through that archive's own launcher
#     (for Windows: crew.cmd's own java command line, taken from it) with osgi.os/ws/arch set to that platform, and
#     every bundle resolved there (ResolveCheck.java);
#  4. the launchers pass shellcheck, and crew.cmd the checks Linux allows (it has not run on Windows here).
#   releng/smoke/archive-check.sh PRODUCTS_DIR "OS.WS.ARCH ..."     output: product/target/archive-check/
set -u
PRODUCTS=${1:?usage: archive-check.sh PRODUCTS_DIR "OS.WS.ARCH ..."}
PLATFORMS=${2:?usage: archive-check.sh PRODUCTS_DIR "OS.WS.ARCH ..."}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
OUT="$REPO/product/target/archive-check"
rm -rf "$OUT" && mkdir -p "$OUT"
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
strict=${CREW_TESTS_STRICT:-0}
# no class data training runs in the background here: one would still write into homes this check removes (the
# product smoke test checks the archives)
export CREW_CDS=0
failures=0
passed=0
fail() { echo "ARCHIVE FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "archive ok: $*"; passed=$((passed + 1)); }
skip() {
  if [ "$strict" = 1 ]; then fail "prerequisite missing in a strict run: $*"; else echo "ARCHIVE SKIPPED: $*"; fi
}
# Unpacked outside the checkout, so that nothing can come from it.
TMP=$(mktemp -d "${TMPDIR:-/tmp}/crew-archive-check.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
case $TMP in "$REPO"/*) fail "the temporary folder $TMP is inside the checkout (TMPDIR)";; esac

archive_of() { # OS.WS.ARCH: the archive's path
  case $1 in
    win32.*) echo "$PRODUCTS/crew-$1.zip" ;;
    *) echo "$PRODUCTS/crew-$1.tar.gz" ;;
  esac
}
entries_of() { # ARCHIVE: one entry a line; tar's notes on libarchive's extended headers are noise
  case $1 in
    *.zip) unzip -Z1 "$1" ;;
    *) tar -tzf "$1" 2>/dev/null ;;
  esac
}
product_of() { # OS: where the product lies inside the archive
  case $1 in macosx) echo "CREW.app/Contents/Eclipse" ;; *) echo "crew" ;; esac
}
launcher_of() { # OS: the launcher's path inside the archive
  case $1 in macosx) echo "CREW.app/Contents/MacOS/crew" ;; win32) echo "crew/crew.cmd" ;; *) echo "crew/crew" ;; esac
}

# 1. contents
for env in $PLATFORMS; do
  IFS=. read -r os ws arch <<<"$env"
  archive=$(archive_of "$env")
  if [ ! -f "$archive" ]; then
    fail "$env: no archive $archive"
    continue
  fi
  entries=$(entries_of "$archive")
  echo "$entries" >"$OUT/$env.entries"
  product=$(product_of "$os")
  launcher=$(launcher_of "$os")
  roots=$(echo "$entries" | cut -d/ -f1 | sort -u | tr '\n' ' ')
  [ "$roots" = "${launcher%%/*} " ] && pass "$env: one root folder, ${launcher%%/*}/" || fail "$env: root entries are $roots"
  grep -qx "$launcher" <<<"$entries" && pass "$env: launcher $launcher" || fail "$env: no launcher $launcher"
  swt=$(grep -cE "^$product/plugins/org\.eclipse\.swt\.[a-z0-9]+\.[a-z0-9]+\.[a-z0-9_]+_[^/]*\.jar$" <<<"$entries")
  if grep -qE "^$product/plugins/org\.eclipse\.swt\.$ws\.$os\.${arch}_[^/]*\.jar$" <<<"$entries" && [ "$swt" = 1 ]; then
    pass "$env: its SWT fragment org.eclipse.swt.$ws.$os.$arch and no other"
  else
    fail "$env: SWT fragments: $(grep -oE "plugins/org\.eclipse\.swt\.[a-z0-9]+\.[a-z0-9]+\.[a-z0-9_]+_" <<<"$entries" | tr '\n' ' ')"
  fi
  grep -qE "^$product/configuration/org\.eclipse\.osgi/framework\.info\.[0-9]+$" <<<"$entries" \
    && pass "$env: the configuration is initialized" || fail "$env: no bundle database in $product/configuration"
  if [[ $archive == *.tar.gz ]]; then
    private=$(tar -tvzf "$archive" 2>/dev/null | awk '$1 !~ /^[-dl]r..r..r/ { print $NF }' | head -n 5)
    [ -z "$private" ] && pass "$env: every file readable by every user" || fail "$env: files only their owner can read: $private"
  fi
  leftovers=$(grep -E '\.log$|/build-crew|prepare-product' <<<"$entries" | head -n 5)
  [ -z "$leftovers" ] && pass "$env: no build leftovers" || fail "$env: build leftovers: $leftovers"
  # the routing backend of its OS and no other's (feature plugin entries with os= attributes)
  case $os in linux) own=linux ;; macosx) own=macos ;; win32) own=windows ;; *) own=none ;; esac
  backends=$(grep -oE "^$product/plugins/crew\.routing\.(linux|macos|windows)_" <<<"$entries" | sed -E 's/.*crew\.routing\.([a-z]+)_/\1/' | sort -u | tr '\n' ' ')
  [ "$backends" = "$own " ] && pass "$env: its routing backend crew.routing.$own and no other" || fail "$env: routing backends: ${backends:-none}"
  case $os in
    macosx)
      grep -qx "CREW.app/Contents/Info.plist" <<<"$entries" && pass "$env: CREW.app/Contents/Info.plist" || fail "$env: no Info.plist"
      grep -qE "^$product/plugins/org\.eclipse\.e4\.ui\.workbench\.renderers\.swt\.cocoa_" <<<"$entries" \
        && pass "$env: the cocoa workbench fragment (macOS application menu)" || fail "$env: no cocoa workbench fragment"
      ;;
    win32)
      grep -q "plugins/crew.ui.tunnel_" <<<"$entries" && fail "$env: carries crew.ui.tunnel (Linux only)" || pass "$env: no Linux-only bundles"
      ;;
  esac
  mkdir -p "$TMP/$env"
  case $archive in
    *.zip) unzip -q "$archive" -d "$TMP/$env" ;;
    *) tar -xzf "$archive" -C "$TMP/$env" 2>/dev/null ;;
  esac || fail "$env: the archive does not unpack"
  case $os in
    win32) ;;
    *) [ -x "$TMP/$env/$launcher" ] && pass "$env: the launcher is executable once unpacked" || fail "$env: $launcher is not executable" ;;
  esac
done

# 2. the Linux x86_64 archive, run
HOST=linux.gtk.x86_64
U="$TMP/$HOST/crew"
export CREW_HOME="$TMP/home"
if [ -x "$U/crew" ]; then
  cd "$TMP" || exit 1
  version=$(env -u DISPLAY -u WAYLAND_DISPLAY "$U/crew" --version 2>&1); rc=$?
  [ $rc = 0 ] && [[ "$version" == "crew 0."* ]] && pass "unpacked $HOST: crew --version: ${version%%$'\n'*}" || fail "unpacked crew --version: rc=$rc: $version"
  lint=$(env -u DISPLAY "$U/crew" lint --example split-tunnel 2>&1); rc=$?
  # 0: no finding above information, 1: findings; both are a lint that ran
  if [ $rc -le 1 ] && [[ "$lint" == *"split-tunnel.crew.json"*" rules"* ]] && [[ "$lint" == *"$U/plugins/crew.examples_"* ]]; then
    pass "unpacked $HOST: crew lint --example split-tunnel (exit $rc, the example from the unpacked product)"
  else
    fail "unpacked crew lint --example split-tunnel: rc=$rc: $lint"
  fi

  # what the launcher says about Java: none, a missing JAVA_HOME, too old ones (fake javas that only tell a version)
  mkdir -p "$TMP/tools" "$TMP/java11/bin" "$TMP/java8/bin"
  for t in sh uname dirname readlink sed awk mkdir cksum cut find head printf cat rm; do
    ln -sf "$(command -v "$t")" "$TMP/tools/$t"
  done
  msg=$(env -u JAVA_HOME PATH="$TMP/tools" "$U/crew" --version 2>&1); rc=$?
  [ $rc = 3 ] && [[ "$msg" == *"no Java found"*"Java 17 or newer"* ]] && pass "launcher: no Java: exit 3, ${msg%%$'\n'*}" || fail "launcher without Java: rc=$rc: $msg"
  msg=$(JAVA_HOME="$TMP/nowhere" "$U/crew" --version 2>&1); rc=$?
  [ $rc = 3 ] && [[ "$msg" == *"JAVA_HOME is $TMP/nowhere"* ]] && pass "launcher: JAVA_HOME without a java: exit 3" || fail "launcher with a wrong JAVA_HOME: rc=$rc: $msg"
  printf '#!/bin/sh\necho "openjdk version \\"11.0.25\\" 2024-10-15" >&2\n' >"$TMP/java11/bin/java"
  printf 'JAVA_VERSION="11.0.25"\n' >"$TMP/java11/release"
  printf '#!/bin/sh\necho "java version \\"1.8.0_412\\"" >&2\n' >"$TMP/java8/bin/java"
  chmod 755 "$TMP/java11/bin/java" "$TMP/java8/bin/java"
  msg=$(JAVA_HOME="$TMP/java11" "$U/crew" --version 2>&1); rc=$?
  [ $rc = 3 ] && [[ "$msg" == *"is Java 11: CREW needs a Java 17 or newer"* ]] && pass "launcher: Java 11 (release file): exit 3, too old" || fail "launcher with Java 11: rc=$rc: $msg"
  msg=$(env -u JAVA_HOME PATH="$TMP/java8/bin:$TMP/tools" "$U/crew" --version 2>&1); rc=$?
  [ $rc = 3 ] && [[ "$msg" == *"is Java 8: CREW needs a Java 17 or newer"* ]] && pass "launcher: Java 1.8 on PATH (java -version): exit 3, too old" || fail "launcher with Java 8: rc=$rc: $msg"
  # through a symbolic link (as /usr/bin/crew), with no CREW_HOME: it must default to ~/.crew
  ln -s "$U/crew" "$TMP/tools/crew-link"
  mkdir -p "$TMP/user"
  version=$(env -u CREW_HOME -u DISPLAY HOME="$TMP/user" "$TMP/tools/crew-link" --version 2>&1); rc=$?
  [ $rc = 0 ] && pass "launcher started through a symbolic link (as /usr/bin/crew)" || fail "launcher through a link: rc=$rc: $version"
  [ -d "$TMP/user/.crew" ] && pass "CREW_HOME defaults to ~/.crew on Linux" || fail "CREW_HOME default: no $TMP/user/.crew"

  # the workbench, from the unpacked archive, then from a read-only copy (as under /opt, as another user)
  window() { # LOG: waits for the CREW window of the process started last; 0 when it appeared
    local pid=$! shown=1
    for _ in $(seq 1 240); do
      if xwininfo -root -tree 2>/dev/null | grep -q '"CREW - Client Routes Enforcement Workbench'; then shown=0; break; fi
      kill -0 $pid 2>/dev/null || break
      sleep 0.25
    done
    [ $shown = 0 ] && [ -n "${2:-}" ] && sleep 1 && import -window root "$2" 2>/dev/null
    pkill -P $pid 2>/dev/null; kill $pid 2>/dev/null; wait $pid 2>/dev/null
    for _ in $(seq 1 40); do xwininfo -root -tree 2>/dev/null | grep -q '"CREW - ' || break; sleep 0.25; done
    return $shown
  }
  if [ -z "${DISPLAY:-}" ]; then
    skip "no X display for the unpacked workbench (run the build under xvfb-run -a)"
  elif ! command -v xwininfo >/dev/null || ! command -v import >/dev/null; then
    skip "xwininfo (x11-utils) and import (imagemagick) are needed to watch the window"
  else
    "$U/crew" >"$OUT/workbench.log" 2>&1 &
    if window "$OUT/workbench.log" "$OUT/workbench.png"; then
      pass "unpacked $HOST: the workbench window opened (screenshot $OUT/workbench.png)"
    else
      fail "unpacked $HOST: no workbench window within 60 s (see $OUT/workbench.log)"
    fi
    if [ "$(id -u)" != 0 ] || ! command -v unshare >/dev/null; then
      skip "root and unshare are needed to start the workbench from a read-only copy"
    else
      unshare -m sh -c 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && exec "$1/crew"' sh "$U" \
        >"$OUT/workbench-readonly.log" 2>&1 &
      if window "$OUT/workbench-readonly.log" && ls -d "$CREW_HOME"/workbench-configuration-* >/dev/null 2>&1; then
        pass "read-only product: the workbench opened, with this user's configuration area in CREW_HOME"
      else
        fail "read-only product: no workbench window, or no configuration in $CREW_HOME (see $OUT/workbench-readonly.log)"
      fi
    fi
  fi
  cd "$REPO" || exit 1
elif [[ " $PLATFORMS " == *" $HOST "* ]]; then
  fail "no unpacked $HOST launcher"
fi

# 3. the other platforms: their own launcher's command line, with their osgi.os/ws/arch, and their bundle set
cmd_line() { # PRODUCT ARGS...: crew.cmd's headless java command line, its variables filled in as crew.cmd fills them
  local product=$1 line shared examples build cliconfig jit
  shift
  line=$(tr -d '\r' <"$product/crew.cmd" | sed -n '/^:run_headless$/{n;p;}')
  shared=$(tr -d '\r' <"$product/crew.cmd" | sed -n 's/^set "SHARED=\(.*\)"$/\1/p')
  # crew.cmd's choices before :run_headless: the headless configuration when there is one, the JIT per command
  cliconfig=cli
  if [ -f "$product/configuration-headless/config.ini" ]; then
    cliconfig=headless
    shared="-Dosgi.sharedConfiguration.area=%PRODUCT%\configuration-headless"
  fi
  case $1 in agent | enforce | bench) jit="" ;; *) jit="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC" ;; esac
  shared=${shared//%PRODUCT%/$product}
  examples=$(ls -d "$product"/plugins/crew.examples_* | head -n 1)/workspace
  build=$(basename "$(ls "$product"/plugins/crew.cli_*.jar | head -n 1)" .jar)
  line=${line//%JAVA%/$JAVA}
  line=${line//%CD%/$PWD}
  line=${line//%EXAMPLES%/$examples}
  line=${line//%SHARED%/$shared}
  line=${line//%CREW_VMARGS%/${CREW_VMARGS:-}}
  line=${line//%LAUNCHER%/$(ls "$product"/plugins/org.eclipse.equinox.launcher_*.jar | head -n 1)}
  line=${line//%CREW_HOME%/$CREW_HOME}
  line=${line//%BUILD%/$build}
  line=${line//%CLICONFIG%/$cliconfig}
  line=${line//%JIT%/$jit}
  line=${line//\\//}
  line=${line//%\*/"$*"}
  echo "$line"
}
classes="$TMP/resolve-check"
mkdir -p "$classes"
framework=$(ls "$TMP"/*/*/plugins/org.eclipse.osgi_*.jar "$TMP"/*/CREW.app/Contents/Eclipse/plugins/org.eclipse.osgi_*.jar 2>/dev/null | head -n 1)
"${JAVA}c" -d "$classes" -cp "$framework" "$REPO/releng/smoke/ResolveCheck.java" >"$OUT/resolve-check-javac.log" 2>&1 \
  || fail "ResolveCheck.java does not compile: $(cat "$OUT/resolve-check-javac.log")"
run_platform() { # OS.WS.ARCH: its bundles resolved, and its crew commands run, as that platform
  local env=$1 os ws arch product framework rc summary command line out how
  IFS=. read -r os ws arch <<<"$env"
  product="$TMP/$env/$(product_of "$os")"
  framework=$(ls "$product"/plugins/org.eclipse.osgi_*.jar | head -n 1)
  "$JAVA" -cp "$classes:$framework" ResolveCheck "$product" "$os" "$ws" "$arch" "$TMP/resolve-$env" >"$OUT/resolve-$env.txt" 2>&1; rc=$?
  summary=$(grep '^resolve check' "$OUT/resolve-$env.txt" | head -n 1)
  [ $rc = 0 ] && pass "$env: $summary" || fail "$env: ${summary:-ResolveCheck failed}: $(grep -A20 '^resolve check' "$OUT/resolve-$env.txt" | tail -n +2)"
  # the headless configuration the launchers use for commands: every bundle it lists resolves there too
  "$JAVA" -cp "$classes:$framework" ResolveCheck "$product" "$os" "$ws" "$arch" "$TMP/resolve-headless-$env" configuration-headless \
    >"$OUT/resolve-headless-$env.txt" 2>&1; rc=$?
  summary=$(grep '^resolve check' "$OUT/resolve-headless-$env.txt" | head -n 1)
  [ $rc = 0 ] && pass "$env: $summary" || fail "$env: ${summary:-ResolveCheck of the headless configuration failed}: $(grep -A20 '^resolve check' "$OUT/resolve-headless-$env.txt" | tail -n +2)"
  [ "$env" = "$HOST" ] && return
  export CREW_VMARGS="-Dosgi.os=$os -Dosgi.ws=$ws -Dosgi.arch=$arch"
  export CREW_HOME="$TMP/home-$env"
  for command in "--version" "lint --example split-tunnel"; do
    # shellcheck disable=SC2086 # the command's words
    if [ "$os" = win32 ]; then
      line=$(cmd_line "$product" $command)
      eval "set -- $line"
      out=$("$@" 2>&1); rc=$?
      how="crew.cmd's command line"
    else
      out=$(env -u DISPLAY "$TMP/$env/$(launcher_of "$os")" $command 2>&1); rc=$?
      how="its launcher"
    fi
    if [ $rc -le 1 ] && { [[ "$out" == "crew 0."* ]] || [[ "$out" == *" rules"* ]]; } && [[ "$out" != *Exception* ]]; then
      pass "$env: crew $command through $how, as $os/$ws/$arch (exit $rc)"
    else
      fail "$env: crew $command through $how: rc=$rc: $out"
    fi
  done
}
# the platforms at once, as in releng/prepare-product.sh; their results are counted from what they printed
for env in $PLATFORMS; do
  [ -d "$TMP/$env" ] && run_platform "$env" >"$OUT/run-$env.txt" 2>&1 &
done
wait
for env in $PLATFORMS; do
  [ -f "$OUT/run-$env.txt" ] || continue
  cat "$OUT/run-$env.txt"
  passed=$((passed + $(grep -c '^archive ok: ' "$OUT/run-$env.txt")))
  failures=$((failures + $(grep -c '^ARCHIVE FAIL: ' "$OUT/run-$env.txt")))
done

# 4. the launchers: shellcheck, and crew.cmd as far as Linux allows
scripts=("$REPO/releng/launcher/crew" "$REPO/crew" "$REPO/releng/prepare-product.sh" "$REPO/releng/deb/build-deb.sh"
  "$REPO/releng/deb/postinst" "$REPO/releng/deb/prerm" "$REPO/releng/deb/postrm" "$REPO/releng/smoke/archive-check.sh" "$REPO/releng/smoke/deb-check.sh")
if command -v shellcheck >/dev/null; then
  if shellcheck "${scripts[@]}" >"$OUT/shellcheck.txt" 2>&1; then
    pass "shellcheck: ${#scripts[@]} scripts, launcher included, clean"
  else
    fail "shellcheck: $(head -n 40 "$OUT/shellcheck.txt")"
  fi
else
  skip "shellcheck is not installed (apt-get install shellcheck)"
fi

check_cmd() { # FILE: what can be checked of a Windows batch file without Windows
  local file=$1 text problems=""
  if [ "$(grep -c $'\r$' "$file")" != "$(wc -l <"$file")" ]; then problems+=" not every line ends in CRLF;"; fi
  text=$(tr -d '\r' <"$file" | grep -viE '^[[:space:]]*(rem |rem$|::)')
  for label in $(grep -oiE '\b(goto|call) :?[A-Za-z_][A-Za-z0-9_]*' <<<"$text" | awk '{ sub(/^:/, "", $2); print $2 }' | sort -u); do
    [ "$label" = eof ] && continue
    grep -qiE "^:$label\$" <<<"$text" || problems+=" goto $label has no label;"
  done
  # no parenthesized blocks: an expanded path holding ")" would end one early
  if grep -qE '\($|^[[:space:]]*\)' <<<"$text"; then problems+=" a parenthesized block;"; fi
  grep -qiE '^setlocal ' <<<"$text" || problems+=" no setlocal (variables would leak into the caller's console);"
  if grep -qiE '(^|[[:space:]&])exit($|[[:space:]]+[0-9%])' <<<"$text"; then problems+=" exit without /b closes the caller's console;"; fi
  # every variable it reads is set in it, or is one the user or Windows sets
  for var in $(grep -oE '%[A-Za-z_][A-Za-z0-9_]*(:[^%]*)?%' <<<"$text" | sed -E 's/^%([A-Za-z0-9_]+).*/\1/' | sort -u); do
    case $var in JAVA_HOME | CREW_HOME | CREW_VMARGS | CREW_FAST | LOCALAPPDATA | USERPROFILE | CD | ERRORLEVEL) continue ;; esac
    grep -qiE "set (/a )?\"?$var=" <<<"$text" || problems+=" %$var% is never set;"
  done
  echo "$problems"
}
problems=$(check_cmd "$REPO/releng/launcher/crew.cmd")
[ -z "$problems" ] && pass "crew.cmd: CRLF, labels, no blocks, setlocal, exit /b, variables set (static checks; not run on Windows)" \
  || fail "crew.cmd:$problems"
# crew.cmd reads the major version from java -fullversion with delims .-_+" and tokens 2 and 3 (the second when the
# first is 1); the same split, on what a real JVM prints here and on older formats
major_of() { awk -F'[.+_"-]' '{ print ($2 == 1 ? $3 : $2) }'; }
real=$("$JAVA" -fullversion 2>&1 | head -n 1)
expected=$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
got="$(major_of <<<"$real") $(major_of <<<'java full version "1.8.0_412-b08"') $(major_of <<<'openjdk full version "21+35"')"
[ "$got" = "$expected 8 21" ] && pass "crew.cmd's version split: '$real' gives $expected, 1.8.0_412 gives 8, 21+35 gives 21" \
  || fail "crew.cmd's version split gives '$got' for '$real', 1.8.0_412, 21+35 (expected '$expected 8 21')"

echo "archives: $passed passed, $failures failed"
[ $failures = 0 ] && echo "archive check passed" || echo "archive check: $failures failure(s)"
exit $failures
