#!/bin/sh
# Prepares every materialized product for its archive (run by product/pom.xml after materialize-products, before
# the archives are made, so that the archives are what users get):
#  1. puts in the launcher, since no native one is published on Maven Central: the crew shell script (Linux; macOS
#     in CREW.app/Contents/MacOS with an Info.plist) or crew.cmd (Windows), from releng/launcher/;
#  2. removes the signature files of the jars the JVM loads itself, the Equinox launcher, the framework and the
#     framework's extension fragment org.eclipse.osgi.compatibility.state (on the framework's class path)
#     (releng/StripJarSignatures.java says why: about 0.25 s of every start, and 300 classes);
#  3. fills the configuration area with the caches Equinox otherwise builds during the first start: the bundle
#     database (org.eclipse.osgi/framework.info.N) and the extension registry cache (org.eclipse.core.runtime/.mainData.N
#     and its siblings), by starting the product once with -initialize, the launcher option Eclipse provides for this
#     (applications do not run), as the product's own platform (-os/-ws/-arch), so that the bundles resolve as they
#     will there. The paths in both caches are relative to the product folder, so it can be moved;
#  4. writes configuration-headless/ beside it, for the headless commands: the same bundles without those only the
#     workbench needs (HeadlessConfiguration.java decides from the resolved wires), application crew.cli.app,
#     initialized the same way (docs/startup.md);
#  5. writes configuration-agent/ for the privileged agent (crew agent, as root): the headless bundles as built, so
#     CREW's own only, never a plugin installed later, and agent-bundles.list (symbolic name,version per line), the
#     list the agent checks its bundles against at start (docs/agent.md, "What the agent loads").
# Its log goes to LOG_DIR, never into a product (it would end up in the archive).
#   releng/prepare-product.sh PRODUCTS_DIR LOG_DIR VERSION
#     PRODUCTS_DIR: product/target/products/crew, holding OS/WS/ARCH/ for each platform built
set -eu
PRODUCTS=${1:?usage: prepare-product.sh PRODUCTS_DIR LOG_DIR VERSION}
LOGS=${2:?usage: prepare-product.sh PRODUCTS_DIR LOG_DIR VERSION}
VERSION=${3:?usage: prepare-product.sh PRODUCTS_DIR LOG_DIR VERSION}
HERE=$(cd "$(dirname "$0")" && pwd)
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
mkdir -p "$LOGS"

# The product folder of a platform folder OS/WS/ARCH (Tycho installs a macOS product in CREW.app/Contents/Eclipse).
product_dir() {
  case $1 in
    */macosx/*) echo "$1/CREW.app/Contents/Eclipse" ;;
    *) echo "$1/crew" ;;
  esac
}

first() { # the first of its arguments that exists (a glob that matched nothing stays itself)
  for f in "$@"; do
    if [ -e "$f" ]; then
      echo "$f"
      return
    fi
  done
}

platforms=$(find "$PRODUCTS" -mindepth 3 -maxdepth 3 -type d | sort)
[ -n "$platforms" ] || { echo "prepare-product: no materialized product under $PRODUCTS" >&2; exit 3; }
jars=""
for platform in $platforms; do
  product=$(product_dir "$platform")
  launcher=$(first "$product"/plugins/org.eclipse.equinox.launcher_*.jar)
  framework=$(first "$product"/plugins/org.eclipse.osgi_*.jar)
  if [ -z "$launcher" ] || [ -z "$framework" ]; then
    echo "prepare-product: no launcher or framework jar in $product/plugins" >&2
    exit 3
  fi
  # the framework extension (when the product has it) is loaded by the framework's own class loader, as the framework
  extension=$(first "$product"/plugins/org.eclipse.osgi.compatibility.state_*.jar)
  jars="$jars $launcher $framework $extension"
done
# shellcheck disable=SC2086 # one jar path per word (no spaces in build paths)
"$JAVA" "$HERE/StripJarSignatures.java" $jars | sed 's/^/prepare-product: /'

prepare() { # PLATFORM_DIR: launcher in, configuration initialized
  platform=$1
  product=$(product_dir "$platform")
  arch=$(basename "$platform")
  ws=$(basename "$(dirname "$platform")")
  os=$(basename "$(dirname "$(dirname "$platform")")")
  env="$os.$ws.$arch"
  case $os in
    win32)
      cp "$HERE/launcher/crew.cmd" "$product/crew.cmd"
      ;;
    macosx)
      mkdir -p "$product/../MacOS"
      cp "$HERE/launcher/crew" "$product/../MacOS/crew"
      chmod 755 "$product/../MacOS/crew"
      sed -e "s/@VERSION@/$VERSION/g" -e "s/@SHORT_VERSION@/${VERSION%.*}/g" "$HERE/launcher/Info.plist" >"$product/../Info.plist"
      ;;
    *)
      cp "$HERE/launcher/crew" "$product/crew"
      chmod 755 "$product/crew"
      ;;
  esac

  launcher=$(first "$product"/plugins/org.eclipse.equinox.launcher_*.jar)
  log="$LOGS/prepare-$env.log"
  if ! "$JAVA" -Djava.awt.headless=true -jar "$launcher" -initialize -consoleLog -os "$os" -ws "$ws" -arch "$arch" \
      -configuration "$product/configuration" >"$log" 2>&1; then
    echo "prepare-product: the $env product failed to initialize; see $log" >&2
    cat "$log" >&2
    return 1
  fi
  if ! ls "$product"/configuration/org.eclipse.osgi/framework.info.* >/dev/null 2>&1; then
    echo "prepare-product: no bundle database was written to $product/configuration" >&2
    return 1
  fi
  if ! ls "$product"/configuration/org.eclipse.core.runtime/.mainData.* >/dev/null 2>&1; then
    echo "prepare-product: no extension registry cache was written to $product/configuration" >&2
    return 1
  fi
  # 4. the headless configuration: the same without the workbench's bundles, initialized the same way
  framework=$(first "$product"/plugins/org.eclipse.osgi_*.jar)
  headless="$product/configuration-headless"
  rm -rf "$headless" "$product/configuration-headless-excluded.txt"
  if ! "$JAVA" -cp "$framework" "$HERE/HeadlessConfiguration.java" "$product" "$os" "$ws" "$arch" "$LOGS/headless-work-$env" \
      "$headless" >"$LOGS/headless-$env.log" 2>&1; then
    echo "prepare-product: the $env headless configuration could not be made; see $LOGS/headless-$env.log" >&2
    cat "$LOGS/headless-$env.log" >&2
    return 1
  fi
  rm -rf "$LOGS/headless-work-$env"
  mv "$product/configuration-headless-excluded.txt" "$LOGS/headless-excluded-$env.txt"
  if ! "$JAVA" -Djava.awt.headless=true -jar "$launcher" -initialize -consoleLog -os "$os" -ws "$ws" -arch "$arch" \
      -configuration "$headless" >>"$LOGS/headless-$env.log" 2>&1 \
      || ! ls "$headless"/org.eclipse.osgi/framework.info.* >/dev/null 2>&1; then
    echo "prepare-product: the $env headless configuration failed to initialize; see $LOGS/headless-$env.log" >&2
    return 1
  fi
  # 5. the agent's configuration: the headless bundles as built (nothing a plugin install changes later)
  agent="$product/configuration-agent"
  rm -rf "$agent" "$product/agent-bundles.list"
  mkdir -p "$agent/org.eclipse.equinox.simpleconfigurator"
  cp "$headless/config.ini" "$agent/config.ini"
  cp "$headless/org.eclipse.equinox.simpleconfigurator/bundles.info" "$agent/org.eclipse.equinox.simpleconfigurator/bundles.info"
  grep -v '^#' "$headless/org.eclipse.equinox.simpleconfigurator/bundles.info" >"$LOGS/agent-bundles-$env.info"
  { echo "# The bundles the privileged agent may run with (symbolic name,version), made at build time from"
    echo "# configuration-agent/ (releng/prepare-product.sh); crew agent refuses to start with any other (docs/agent.md)."
    cut -d, -f1,2 "$LOGS/agent-bundles-$env.info"; } >"$product/agent-bundles.list"
  if ! "$JAVA" -Djava.awt.headless=true -jar "$launcher" -initialize -consoleLog -os "$os" -ws "$ws" -arch "$arch" \
      -configuration "$agent" >"$LOGS/agent-$env.log" 2>&1 \
      || ! ls "$agent"/org.eclipse.osgi/framework.info.* >/dev/null 2>&1; then
    echo "prepare-product: the $env agent configuration failed to initialize; see $LOGS/agent-$env.log" >&2
    return 1
  fi
  echo "prepare-product: $env: launcher in place; the configuration holds the bundle database and the registry cache;" \
    "$(head -n 1 "$LOGS/headless-$env.log"); agent configuration: $(grep -vc '^#' "$product/agent-bundles.list") bundles"
}

# All platforms at once: the five JVMs share the cores instead of waiting for each other (38 s one after the
# other, 19 s at once, on the 2 busy cores of the development machine).
pids=""
for platform in $platforms; do
  prepare "$platform" &
  pids="$pids $!"
done
failed=0
for pid in $pids; do
  wait "$pid" || failed=$((failed + 1))
done
[ $failed = 0 ] || { echo "prepare-product: $failed product(s) failed" >&2; exit 1; }
