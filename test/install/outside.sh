#!/bin/sh
# Follows docs/writing-a-partition.md from outside the tree: installs partix
# into a scratch prefix, takes each file from the page (a fenced block after
# "<!-- file: PATH -->"), and runs the page's commands.
# Usage: outside.sh BUILD_DIR  ($OUTSIDE_CFLAGS: the build's sanitizer flags, if any)
set -eu
build=${1:-build}
top=$(pwd)
prefix=$(mktemp -d /tmp/partix-prefix-XXXXXX)
work=$(mktemp -d /tmp/partix-outside-XXXXXX)
spm=
cleanup() {
    [ -n "$spm" ] && kill "$spm" 2>/dev/null && wait "$spm" 2>/dev/null
    rm -rf "$prefix" "$work"
}
trap cleanup EXIT

make -s --no-print-directory BUILD="$build" install PREFIX="$prefix" >/dev/null
export PATH="$prefix/bin:$PATH" PKG_CONFIG_PATH="$prefix/lib/pkgconfig"

# the files, exactly as the page shows them
awk -v dir="$work" '
    /^<!-- file: .* -->$/ { file = $3; next }
    file != "" && /^```/ && !inside { inside = 1; next }
    inside && /^```$/ { inside = 0; file = ""; next }
    inside { path = dir "/" file; sub(/\/[^\/]*$/, "", path); system("mkdir -p " path);
             print > (dir "/" file) }
' docs/writing-a-partition.md
for f in greeter/partix_greeter.yaml manifest_list.yaml greeter/greeter.c test_greeter.c app.c; do
    [ -s "$work/$f" ] || { echo "outside: the page has no $f"; exit 1; }
done
cd "$work"
# a sanitizer build installs instrumented libraries: build like them
cc() { command cc ${OUTSIDE_CFLAGS:-} "$@"; }

# the commands of the page
psa-manifest check manifest_list.yaml
psa-manifest generate manifest_list.yaml -o gen
mkdir -p partitions
cc -std=c11 -Wall -Wextra -Igen $(pkg-config --cflags psa-partition) \
   greeter/greeter.c gen/auto_generated/load_info_partix_greeter.c \
   $(pkg-config --libs psa-partition) -o partitions/partix_greeter
cc -std=c11 -Igen test_greeter.c greeter/greeter.c gen/auto_generated/load_info_partix_greeter.c \
   $(pkg-config --cflags --libs psa-partition-test) -lcmocka -o test_greeter
PTEST_QUIET=1 ./test_greeter
cc -std=c11 -Igen app.c $(pkg-config --cflags --libs psa-client) -o app

mkfifo ready
psa-spm --manifest-list manifest_list.yaml --partition-dir partitions \
    --socket "$work/greeter.sock" --ready-fd 3 3>ready 2>spm.log &
spm=$!
read -r line <ready || true
[ "${line:-}" = READY ] || { cat spm.log; echo "outside: psa-spm did not start"; exit 1; }
got=$(PSA_SPM_SOCKET="$work/greeter.sock" LD_LIBRARY_PATH="$prefix/lib" ./app Ada)
[ "$got" = "Hello, Ada!" ] || { cat spm.log; echo "outside: app printed '$got'"; exit 1; }
grep -q 'partition PARTIX_SP_GREETER (pid [0-9]*) ready: sandboxed' spm.log
grep -q '\[PARTIX_SP_GREETER\] greeted Ada' spm.log
echo "outside: a partition built from docs/writing-a-partition.md alone runs under psa-spm"
