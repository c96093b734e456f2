#!/bin/bash
# The CREW SDK, made by the product module (pre-integration-test): the product's p2 repository (CREW's features and
# bundles with their whole runtime: Eclipse/Equinox, the DS runtime, the libraries), zipped by Tycho, under the
# SDK's name, with the target definition template beside it. docs/plugin-sdk.md says how to use it.
#   make-sdk.sh PRODUCT_TARGET_DIR VERSION  ->  PRODUCT_TARGET_DIR/sdk/crew-sdk-VERSION.zip, crew-sdk.target
set -euo pipefail
target=$1 version=$2
repo_root=$(cd "$(dirname "$0")/../.." && pwd)
out="$target/sdk"
rm -rf "$out" && mkdir -p "$out"
zips=("$target"/crew.product-*.zip)
zip=${zips[0]}
[ -f "$zip" ] || { echo "make-sdk: no crew.product-*.zip in $target: Tycho's repository archive is missing" >&2; exit 1; }
unzip -l "$zip" content.jar >/dev/null 2>&1 || { echo "make-sdk: $zip is not a p2 repository (no content.jar)" >&2; exit 1; }
sdk="$out/crew-sdk-$version.zip"
ln "$zip" "$sdk" 2>/dev/null || cp "$zip" "$sdk"
# the template of crew plugin new, with the placeholders a reader recognises
sed -e 's/@@ID@@/your plugin/g' "$repo_root/bundles/crew.cli/templates/plugin/crew-sdk.target" > "$out/crew-sdk.target"
plugins=$(unzip -l "$sdk" | grep -c ' plugins/.*\.jar$' || true)
echo "CREW SDK: $sdk ($(du -m "$sdk" | cut -f1) MB, $plugins bundles); target definition template: $out/crew-sdk.target"
