#!/bin/sh
# make demo: what partix can do today.  Usage: mk/demo.sh BUILD_DIR
set -eu
build=${1:-build}
tool=$build/bin/psa-manifest

echo "== 1. The shipped manifests, validated (psa-manifest check)"
"$tool" check manifests/manifest_list.yaml
echo
echo "== 2. The headers partitions include, generated in TF-M's naming"
"$tool" generate manifests/manifest_list.yaml -o "$build/include"
for h in sid.h pid.h tfm_echo_service.h; do
    echo "--- $build/include/psa_manifest/$h"
    grep '^#define [A-Z]' "$build/include/psa_manifest/$h" | grep -v '__PSA_MANIFEST'
done
echo
echo "== 3. TF-M's own PSA RoT manifests (crypto, storage, attestation, platform)"
defs=$(sed 's/^/-D /' test/manifest/valid/tfm_rot/defines | tr '\n' ' ')
# shellcheck disable=SC2086
"$tool" check $defs test/manifest/valid/tfm_rot/manifest_list.yaml
echo
if [ -d test/manifest/invalid/guide_echo ]; then
    echo "== 4. The pico2w guide's echo manifest as printed, and what is wrong with it"
    (cd test/manifest/invalid/guide_echo && "../../../../$tool" check manifest_list.yaml) || true
fi
