#!/bin/sh
# Installs (as root) or names (otherwise) the Debian 12 packages partix needs.
# Usage: mk/deps.sh   -- exits 0 when everything is present.
set -eu

PKGS="gcc make libc6-dev libyaml-dev libcmocka-dev libmbedtls-dev libseccomp-dev clang-format pkg-config"

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "deps: not a Debian system; make sure these (or equivalents) are installed: $PKGS" >&2
    exit 0
fi

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    echo "deps: installing$missing" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >&2
    # shellcheck disable=SC2086
    apt-get install -y -q --no-install-recommends $missing >&2
else
    echo "deps: missing Debian packages; install them with:" >&2
    echo "    sudo apt-get install -y$missing" >&2
    exit 1
fi
