#!/bin/sh
# Installs (as root) or names (otherwise) the Debian 12 packages partix needs,
# and creates the account psa-spm runs partitions under when it runs as root.
# Usage: mk/deps.sh [model]   -- exits 0 when every package is present;
# "model" adds what "make model" needs to retrain models/ (numpy, a fast BLAS).
set -eu

# libdw-dev: elfutils' libdw, with which psa-spm's monitor unwinds and symbolizes a
# crashed partition's stack (docs/debugging.md); gdb and valgrind are optional.
PKGS="gcc make libc6-dev libyaml-dev libcmocka-dev libmbedtls-dev libseccomp-dev libdw-dev clang-format pkg-config groff-base swtpm"
# psa-model reads the gzipped IDX files; the TinyMaix tests and demo classify
# Fashion-MNIST's test images (issue 15)
PKGS="$PKGS zlib1g-dev dataset-fashion-mnist"
if [ "${1:-}" = model ]; then
    PKGS="$PKGS python3 python3-numpy libopenblas0-pthread"
fi

# The account (docs/architecture.md, "Identities"): a system user with no
# login and no home, and a range of subordinate uids in /etc/subuid, one
# per partition (psa-spm as root runs partition i as FIRST + i).
ACCOUNT=partix
SUBUID_COUNT=65536
SUBUID_MIN=100000

# The first SUBUID_COUNT-long range at or above SUBUID_MIN that no account
# of the passwd database and no range of /etc/subuid or /etc/subgid holds.
free_subuid_range() {
    { getent passwd | awk -F: '{ print "u", $3 }'
      cat /etc/subuid /etc/subgid 2>/dev/null | awk -F: 'NF == 3 { print "r", $2, $3 }'
    } | awk -v min="$SUBUID_MIN" -v n="$SUBUID_COUNT" '
        $1 == "u" { lo[++k] = $2; hi[k] = $2 + 1 }
        $1 == "r" { lo[++k] = $2; hi[k] = $2 + $3 }
        END {
            first = min
            do {
                moved = 0
                for (i = 1; i <= k; i++)
                    if (lo[i] < first + n && hi[i] > first) { first = hi[i]; moved = 1 }
            } while (moved)
            if (first + n > 4294967294) exit 1
            print first
        }'
}

account() {
    if ! command -v useradd >/dev/null 2>&1; then
        echo "deps: no useradd: create a system user $ACCOUNT with a range of" \
             "subordinate uids in /etc/subuid yourself" >&2
        return 0
    fi
    if [ "$(id -u)" -ne 0 ]; then
        if ! getent passwd "$ACCOUNT" >/dev/null ||
           ! grep -qs "^$ACCOUNT:" /etc/subuid; then
            echo "deps: psa-spm run as root needs the system user $ACCOUNT and its" \
                 "subordinate uids; create them with:" >&2
            echo "    sudo sh mk/deps.sh" >&2
        fi
        return 0
    fi
    if ! getent passwd "$ACCOUNT" >/dev/null; then
        echo "deps: creating the system user $ACCOUNT" >&2
        useradd --system --user-group --no-create-home --home-dir /nonexistent \
            --shell /usr/sbin/nologin --comment "partix secure partitions" "$ACCOUNT"
    fi
    if ! grep -qs "^$ACCOUNT:" /etc/subuid; then
        first=$(free_subuid_range) || {
            echo "deps: no free range of $SUBUID_COUNT uids for $ACCOUNT" >&2
            exit 1
        }
        echo "deps: reserving uids $first-$((first + SUBUID_COUNT - 1)) for $ACCOUNT's" \
             "partitions (/etc/subuid)" >&2
        touch /etc/subuid
        usermod --add-subuids "$first-$((first + SUBUID_COUNT - 1))" "$ACCOUNT"
    fi
}

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "deps: not a Debian system; make sure these (or equivalents) are installed: $PKGS" >&2
    account
    exit 0
fi

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done

if [ -z "$missing" ]; then
    :
elif [ "$(id -u)" -eq 0 ]; then
    echo "deps: installing$missing" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >&2
    # shellcheck disable=SC2086
    apt-get install -y -q --no-install-recommends $missing >&2
else
    echo "deps: missing Debian packages; install them with:" >&2
    echo "    sudo apt-get install -y$missing" >&2
    account
    exit 1
fi
account
