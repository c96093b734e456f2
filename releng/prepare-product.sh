#!/bin/sh
# Prepares a materialized product for fast starts (run by product/pom.xml after materialize-products, before the
# archive is made, so that the archive is what users get):
#  1. removes the signature files of the two jars the JVM loads itself, the Equinox launcher and framework
#     (releng/StripJarSignatures.java says why: about 0.25 s of every start);
#  2. fills the configuration area with the caches Equinox otherwise builds during the first start: the bundle
#     database (org.eclipse.osgi/framework.info.N) and the extension registry cache (org.eclipse.core.runtime/.mainData.N
#     and its siblings), by starting the product once with -initialize, the launcher option Eclipse provides for this
#     (applications do not run). The paths in both caches are relative to the product folder, so it can be moved.
#   releng/prepare-product.sh PRODUCT_DIR
set -eu
PRODUCT=${1:?usage: prepare-product.sh PRODUCT_DIR}
HERE=$(cd "$(dirname "$0")" && pwd)
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
LAUNCHER=$(ls "$PRODUCT"/plugins/org.eclipse.equinox.launcher_*.jar 2>/dev/null | head -n 1)
FRAMEWORK=$(ls "$PRODUCT"/plugins/org.eclipse.osgi_*.jar 2>/dev/null | head -n 1)
[ -n "$LAUNCHER" ] && [ -n "$FRAMEWORK" ] || { echo "prepare-product: no launcher or framework jar in $PRODUCT/plugins" >&2; exit 3; }

"$JAVA" "$HERE/StripJarSignatures.java" "$LAUNCHER" "$FRAMEWORK" | sed 's/^/prepare-product: /'

LOG="$PRODUCT/../prepare-product.log"
if ! "$JAVA" -Djava.awt.headless=true -jar "$LAUNCHER" -initialize -consoleLog \
    -configuration "$PRODUCT/configuration" >"$LOG" 2>&1; then
  echo "prepare-product: the product failed to initialize; see $LOG" >&2
  cat "$LOG" >&2
  exit 1
fi
ls "$PRODUCT"/configuration/org.eclipse.osgi/framework.info.* >/dev/null 2>&1 \
  || { echo "prepare-product: no bundle database was written to $PRODUCT/configuration" >&2; exit 1; }
ls "$PRODUCT"/configuration/org.eclipse.core.runtime/.mainData.* >/dev/null 2>&1 \
  || { echo "prepare-product: no extension registry cache was written to $PRODUCT/configuration" >&2; exit 1; }
echo "prepare-product: $PRODUCT/configuration holds the bundle database and the registry cache"
