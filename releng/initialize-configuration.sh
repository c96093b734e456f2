#!/bin/sh
# Fills a materialized product's configuration area with the caches that Equinox otherwise builds during the first
# start: the framework's bundle database (org.eclipse.osgi/framework.info.N) and the extension registry cache
# (org.eclipse.core.runtime/.mainData.N and its siblings). It starts the product once with -initialize, the
# launcher option Eclipse provides for this (shared installs), and applications do not run.
# The paths in both caches are relative to the product folder, so the product can still be moved.
# Without it the first start of the workbench takes about 0.5 s longer than every later one (docs/workbench.md).
#   releng/initialize-configuration.sh PRODUCT_DIR      (run by product/pom.xml after materialize-products)
set -eu
PRODUCT=${1:?usage: initialize-configuration.sh PRODUCT_DIR}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
LAUNCHER=$(ls "$PRODUCT"/plugins/org.eclipse.equinox.launcher_*.jar 2>/dev/null | head -n 1)
[ -n "$LAUNCHER" ] || { echo "initialize-configuration: no launcher jar in $PRODUCT/plugins" >&2; exit 3; }
LOG="$PRODUCT/../initialize-configuration.log"
if ! "$JAVA" -Djava.awt.headless=true -jar "$LAUNCHER" -initialize -consoleLog \
    -configuration "$PRODUCT/configuration" >"$LOG" 2>&1; then
  echo "initialize-configuration: the product failed to initialize; see $LOG" >&2
  cat "$LOG" >&2
  exit 1
fi
ls "$PRODUCT"/configuration/org.eclipse.osgi/framework.info.* >/dev/null 2>&1 \
  || { echo "initialize-configuration: no bundle database was written to $PRODUCT/configuration" >&2; exit 1; }
ls "$PRODUCT"/configuration/org.eclipse.core.runtime/.mainData.* >/dev/null 2>&1 \
  || { echo "initialize-configuration: no extension registry cache was written to $PRODUCT/configuration" >&2; exit 1; }
echo "initialize-configuration: $PRODUCT/configuration holds the bundle database and the registry cache"
