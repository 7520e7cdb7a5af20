#!/bin/sh
# Follows docs/writing-a-partition.md from outside the tree: installs partix
# into a scratch prefix, takes each file from the page (a fenced block after
# "<!-- file: PATH -->"), and runs the page's commands (those of section 6,
# the fenced block after "<!-- run -->", exactly as written but for the
# socket's folder), in a home of its own: nothing is written into the
# user's.  Then checks what "make install" put there: a man page for every
# command, each command's --version, the systemd units.
# Usage: outside.sh BUILD_DIR  ($OUTSIDE_CFLAGS: the build's sanitizer flags, if any)
set -eu
build=${1:-build}
top=$(pwd)
prefix=$(mktemp -d /tmp/partix-prefix-XXXXXX)
work=$(mktemp -d /tmp/partix-outside-XXXXXX)
spm=
# gone PID: the daemon has exited (or is a zombie nobody reaps yet)
gone() {
    st=$(ps -o stat= -p "$1" 2>/dev/null || true)
    [ -z "$st" ] || [ "${st#Z}" != "$st" ]
}
cleanup() {
    if [ -n "$spm" ] && ! gone "$spm"; then
        kill "$spm" 2>/dev/null || true
        i=0
        while ! gone "$spm" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
    fi
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

# the page's section 6, in a home of its own (psa-spm's default state
# directory is under it), with the socket in the scratch folder
mkdir home
HOME=$work/home
export HOME
unset XDG_STATE_HOME XDG_RUNTIME_DIR PSA_SPM_SOCKET LD_LIBRARY_PATH
awk '/^<!-- run -->$/ { want = 1; next }
     want && /^```/ && !inside { inside = 1; next }
     inside && /^```$/ { inside = 0; want = 0; next }
     inside { print }' "$top/docs/writing-a-partition.md" |
    sed "s|/tmp/greeter.sock|$work/greeter.sock|g" >run.sh
grep -q -- '--daemon' run.sh || { echo "outside: section 6 does not start psa-spm --daemon"; exit 1; }
if grep -q '&$' run.sh; then echo "outside: section 6 starts psa-spm with &"; exit 1; fi
# sourced, so that $spm (the daemon's pid, which the page sets) is ours
set +e
. ./run.sh >run.out 2>&1
set -e
got=$(cat run.out)
want='Hello, Ada!
status: PSA_SUCCESS (0)
out[0]: 11 of 80 bytes: Hello, Bob!'
[ "$got" = "$want" ] || { cat greeter.log; echo "outside: section 6 printed '$got'"; exit 1; }
grep -q 'partition PARTIX_SP_GREETER (pid [0-9]*) ready: sandboxed' greeter.log
grep -q '\[PARTIX_SP_GREETER\] greeted Ada' greeter.log
# the default state directory: in this home, not the user's
[ -f "$HOME/.local/state/partix/otp" ] || { echo "outside: no OTP in the page's home"; exit 1; }
echo "outside: a partition built from docs/writing-a-partition.md alone runs under psa-spm"

# every installed command: a man page that formats cleanly, and --version
version=$(pkg-config --modversion psa-client)
for cmd in "$prefix"/bin/*; do
    name=$(basename "$cmd")
    page=$(ls "$prefix"/share/man/man[18]/"$name".[18] 2>/dev/null | head -1)
    [ -n "$page" ] || { echo "outside: $name has no man page"; exit 1; }
    if command -v groff >/dev/null 2>&1; then
        warn=$(groff -man -Tutf8 -ww -z "$page" 2>&1)
        [ -z "$warn" ] || { echo "$warn"; echo "outside: $page: groff warns"; exit 1; }
    fi
    [ "$("$cmd" --version)" = "$name (partix) $version" ] ||
        { echo "outside: $name --version: $("$cmd" --version)"; exit 1; }
done
echo "outside: every installed command has a man page and --version ($version)"

# the systemd units, as systemd reads them
units="$prefix/lib/systemd/system/psa-spm.service $prefix/lib/systemd/system/psa-spm.socket"
for u in $units; do [ -s "$u" ] || { echo "outside: $u not installed"; exit 1; }; done
grep -q "^ExecStart=$prefix/bin/psa-spm " "$prefix/lib/systemd/system/psa-spm.service"
if command -v systemd-analyze >/dev/null 2>&1; then
    if ! out=$(systemd-analyze verify --man=no $units 2>&1) || [ -n "$out" ]; then
        echo "$out"
        echo "outside: systemd-analyze verify finds fault with the units"
        exit 1
    fi
    echo "outside: the systemd units verify"
else
    echo "SKIP systemd-analyze is not installed: the units are not verified"
fi
