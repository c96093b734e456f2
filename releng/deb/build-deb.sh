#!/bin/sh
# Builds crew_VERSION_amd64.deb from the prepared linux/gtk/x86_64 product (run by product/pom.xml in package,
# after releng/prepare-product.sh). With dpkg-deb: CREW in /opt/crew, /usr/bin/crew linked to its launcher, a desktop
# entry with CREW's icon, the privileged agent's systemd units (its socket enabled at install, the group crew created),
# the dependencies in releng/deb/control. Without dpkg-deb (not a Debian-like machine) it
# says so and builds nothing; releng/smoke/deb-check.sh then reports the package missing.
#   releng/deb/build-deb.sh PRODUCT_DIR OUT_DIR VERSION
set -eu
PRODUCT=${1:?usage: build-deb.sh PRODUCT_DIR OUT_DIR VERSION}
OUT=${2:?usage: build-deb.sh PRODUCT_DIR OUT_DIR VERSION}
VERSION=${3:?usage: build-deb.sh PRODUCT_DIR OUT_DIR VERSION}
HERE=$(cd "$(dirname "$0")" && pwd)
if ! command -v dpkg-deb >/dev/null 2>&1; then
  echo "build-deb: no dpkg-deb on this machine: the Debian package is not built"
  exit 0
fi
if [ ! -x "$PRODUCT/crew" ]; then
  echo "build-deb: no prepared product with its launcher at $PRODUCT" >&2
  exit 3
fi
STAGE="$OUT/../deb/crew"
rm -rf "$STAGE" "$OUT"/crew_*.deb
mkdir -p "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/usr/share/applications"
cp -a "$PRODUCT" "$STAGE/opt/crew"
ln -s /opt/crew/crew "$STAGE/usr/bin/crew"
cp "$HERE/crew.desktop" "$STAGE/usr/share/applications/crew.desktop"
# The icon the workbench's window uses, from the crew.ui.app bundle, in each size it has.
app=""
for f in "$PRODUCT"/plugins/crew.ui.app_*.jar; do app=$f; done
for size in 16 32 48 64 128; do
  dir="$STAGE/usr/share/icons/hicolor/${size}x${size}/apps"
  mkdir -p "$dir"
  unzip -p "$app" "icons/crew-$size.png" >"$dir/crew.png"
  [ -s "$dir/crew.png" ] || { echo "build-deb: no icons/crew-$size.png in $app" >&2; exit 1; }
done
# The privileged agent's systemd units (docs/agent.md), from the crew.agent bundle, for this package's paths: the
# product's launcher (/opt/crew/crew agent: the agent's own configuration, the launcher's root rules), Java through
# the java17-runtime-headless alternative.
agent=""
for f in "$PRODUCT"/plugins/crew.agent_*.jar; do agent=$f; done
[ -f "$agent" ] || { echo "build-deb: no crew.agent bundle in $PRODUCT" >&2; exit 1; }
mkdir -p "$STAGE/lib/systemd/system"
for unit in crew-agent.socket crew-agent.service; do
  # the service runs the product's launcher, which finds the Java the alternatives system chose (no JAVA_HOME)
  unzip -p "$agent" "systemd/$unit" | sed -e '/^Environment=JAVA_HOME=@JAVA_HOME@$/d' -e "s|@PRODUCT@|/opt/crew|g" \
      >"$STAGE/lib/systemd/system/$unit"
  [ -s "$STAGE/lib/systemd/system/$unit" ] || { echo "build-deb: no systemd/$unit in $agent" >&2; exit 1; }
done
size=$(du -sk "$STAGE/opt" "$STAGE/usr" "$STAGE/lib" | awk '{ s += $1 } END { print s }')
sed -e "s/@VERSION@/$VERSION/" -e "s/@SIZE@/$size/" "$HERE/control" >"$STAGE/DEBIAN/control"
for script in postinst prerm postrm; do
  cp "$HERE/$script" "$STAGE/DEBIAN/$script"
  chmod 755 "$STAGE/DEBIAN/$script"
done
# gzip: the jars inside are compressed already, and xz would take far longer for little gain
dpkg-deb --root-owner-group -Zgzip --build "$STAGE" "$OUT/crew_${VERSION}_amd64.deb" >/dev/null
echo "build-deb: $OUT/crew_${VERSION}_amd64.deb"
