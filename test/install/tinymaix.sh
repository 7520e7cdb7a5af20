#!/bin/sh
# A TinyMaix program built against the installed partix-tinymaix: installs
# partix into a scratch prefix, takes classify.c from
# docs/tinymaix-integration.md (the fenced block after "<!-- file: classify.c -->"),
# builds it for int8 and for fp32 with pkg-config, and compares what it
# prints on TinyMaix's models with TinyMaix's outputs in ../shared/tinymaix
# (int8 byte for byte, fp32 within 1e-5 relative; SKIP when absent).
# Usage: tinymaix.sh BUILD_DIR  ($OUTSIDE_CFLAGS: the build's sanitizer flags, if any)
set -eu
build=${1:-build}
top=$(pwd)
shared=${PARTIX_SHARED:-../shared}/tinymaix
prefix=$(mktemp -d /tmp/partix-tmprefix-XXXXXX)
work=$(mktemp -d /tmp/partix-tmwork-XXXXXX)
trap 'rm -rf "$prefix" "$work"' EXIT

make -s --no-print-directory BUILD="$build" install PREFIX="$prefix" >/dev/null
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
awk '
    /^<!-- file: classify.c -->$/ { want = 1; next }
    want && /^```/ && !inside { inside = 1; next }
    inside && /^```$/ { exit }
    inside { print }
' docs/tinymaix-integration.md >"$work/classify.c"
[ -s "$work/classify.c" ] || { echo "tinymaix.sh: the page has no classify.c"; exit 1; }
cd "$work"
cc() { command cc ${OUTSIDE_CFLAGS:-} "$@"; }
cc -std=c11 -Wall -Wextra -Werror classify.c $(pkg-config --cflags --libs partix-tinymaix) \
    -o classify_q
cc -std=c11 -Wall -Wextra -Werror -DTM_MDL_TYPE=TM_MDL_FP32 classify.c \
    $(pkg-config --cflags --libs partix-tinymaix) -o classify_f
echo "tinymaix.sh: classify.c builds against the installed partix-tinymaix, int8 and fp32"

case $shared in /*) ;; *) shared=$top/$shared ;; esac
# "out0 dims ...: v v ...", the values in C99 hex: equal heads, values within 1e-5
cat >near.c <<'C'
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(int argc, char **argv)
{
    char a[4096], b[4096];
    FILE *f = fopen(argv[1], "r"), *g = fopen(argv[2], "r");
    size_t n = f ? fread(a, 1, sizeof a - 1, f) : 0, m = g ? fread(b, 1, sizeof b - 1, g) : 0;
    a[n] = b[m] = 0;
    char *p = strchr(a, ':'), *q = strchr(b, ':');
    if (argc != 3 || !p || !q || p - a != q - b || memcmp(a, b, (size_t)(p - a)))
        return 1;
    for (p++, q++;;) {
        char *pe, *qe;
        double x = strtod(p, &pe), y = strtod(q, &qe);
        if ((pe == p) != (qe == q))
            return 1;
        if (pe == p)
            return 0;
        if (fabs(x - y) > 1e-6 + 1e-5 * fabs(y))
            return 1;
        p = pe, q = qe;
    }
}
C
cc -std=c11 -Wall -Werror near.c -lm -o near
if [ ! -d "$shared" ]; then
    echo "SKIP: $shared absent, outputs not compared"
    exit 0
fi
n=0
for t in q f; do
    for img in "$shared"/mnist_digit.u8 "$shared"/mnist_valid_$t.r*.u8; do
        id=$(basename "$img" .u8)
        id=${id#mnist_valid_$t.}
        want="$shared/mnist_valid_$t.$id.out"
        ./classify_$t "$shared/mnist_valid_$t.tmdl" "$img" >got.out
        if [ $t = q ]; then
            # TinyMaix's file may end without a newline
            [ "$(cat got.out)" = "$(cat "$want")" ] || {
                echo "tinymaix.sh: int8 $id differs"; cat got.out "$want"; exit 1; }
        else
            ./near got.out "$want" || { echo "tinymaix.sh: fp32 $id differs"; exit 1; }        fi
        n=$((n + 1))
    done
done
echo "tinymaix.sh: $n outputs are TinyMaix's (int8 identical, fp32 within rounding)"
