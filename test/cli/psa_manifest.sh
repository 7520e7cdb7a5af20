#!/bin/sh
# End-to-end tests of the psa-manifest command line, and a compile check of
# every golden header set.  Usage: psa_manifest.sh PSA_MANIFEST "CC FLAGS"
set -u
tool=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cc=$2
top=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0

ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fails=$((fails + 1)); }
# expect NAME STATUS COMMAND...: the command must exit with STATUS
expect() {
    name=$1 want=$2
    shift 2
    "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    if [ "$got" -eq "$want" ]; then ok "$name"; else
        bad "$name (exit $got, wanted $want)"; cat "$tmp/out" "$tmp/err"; fi
}

# check: one line per partition, exit 0
expect "check shipped list" 0 "$tool" check manifests/manifest_list.yaml
grep -q '^TFM_SP_ECHO_SERVICE: pid 444, APPLICATION-ROT, NORMAL, IPC, FF-M 1.1, stack 0x1000; services: TFM_ECHO_SERVICE (sid 0x105, v1 STRICT, connection-based, NS clients); irqs: none' "$tmp/out" &&
    grep -q '^TFM_SP_ITS: pid 257, PSA-ROT, NORMAL, SFN, FF-M 1.1, stack 0x1000; services: TFM_INTERNAL_TRUSTED_STORAGE_SERVICE (sid 0x70, v1 STRICT, stateless handle 0x40000102, NS clients)' "$tmp/out" &&
    grep -q '^TFM_SP_PS: pid 256, PSA-ROT, NORMAL, SFN, FF-M 1.1, stack 0x2000; services: TFM_PROTECTED_STORAGE_SERVICE (sid 0x60, v1 STRICT, stateless handle 0x40000101, NS clients)' "$tmp/out" &&
    grep -q '^TFM_SP_CRYPTO: pid 259, PSA-ROT' "$tmp/out" &&
    grep -q '^TFM_SP_PLATFORM: pid 260, PSA-ROT, NORMAL, SFN, FF-M 1.1, stack 0x500; services: TFM_PLATFORM_SERVICE (sid 0x40, v1 STRICT, stateless handle 0x40000105, NS clients)' "$tmp/out" &&
    grep -q '^TFM_SP_INITIAL_ATTESTATION: pid 261, PSA-ROT, NORMAL, SFN, FF-M 1.1, stack 0x2000; services: TFM_ATTESTATION_SERVICE (sid 0x20, v1 STRICT, stateless handle 0x40000103, NS clients)' "$tmp/out" &&
    grep -q '^PARTIX_SP_BLS_HSM: pid 447, APPLICATION-ROT, NORMAL, SFN, FF-M 1.1, stack 0x8000; services: PARTIX_BLS_HSM (sid 0x110, v1 STRICT, stateless handle 0x40000107, NS clients)' "$tmp/out" &&
    grep -q '^TFM_SP_TINYMAIX_INFERENCE: pid 445, APPLICATION-ROT, NORMAL, IPC, FF-M 1.1, stack 0x2000; services: TFM_TINYMAIX_INFERENCE_SERVICE (sid 0x107, v1 STRICT, connection-based, NS clients)' "$tmp/out" &&
    grep -q '^PARTIX_SP_HROT: pid 448, PSA-ROT, NORMAL, SFN, FF-M 1.1, stack 0x2000; services: PARTIX_HROT (sid 0x111, v1 STRICT, stateless handle 0x40000108, NS clients)' "$tmp/out" &&
    [ "$(wc -l <"$tmp/out")" -eq 10 ] && ok "check summary lines" || { bad "check summary lines"; cat "$tmp/out"; }

# generate: the same files as the golden copy of the shipped list
expect "generate shipped list" 0 "$tool" generate manifests/manifest_list.yaml -o "$tmp/gen"
diff -r "$tmp/gen/psa_manifest" test/manifest/valid/shipped/expected/psa_manifest >"$tmp/diff" &&
    ok "generated = golden" || { bad "generated = golden"; cat "$tmp/diff"; }

# -D options reach conditionals and sizes; switched-off partitions are listed
defs=$(sed 's/^/-D /' test/manifest/valid/tfm_rot/defines | tr '\n' ' ')
# shellcheck disable=SC2086
expect "check with -D" 0 "$tool" check $defs test/manifest/valid/tfm_rot/manifest_list.yaml
grep -q '^TFM Firmware Update Partition: OFF (TFM_PARTITION_FIRMWARE_UPDATE is off)$' "$tmp/out" &&
    grep -q 'TFM_SP_CRYPTO: pid 259, PSA-ROT, NORMAL, SFN, FF-M 1.1, stack 0x1b00; services: TFM_CRYPTO (sid 0x80, v1 STRICT, stateless handle 0x40000100, NS clients, MM-IOVEC)' "$tmp/out" &&
    ok "-D output" || { bad "-D output"; cat "$tmp/out"; }
expect "missing -D is an error" 1 "$tool" check test/manifest/valid/tfm_rot/manifest_list.yaml

# --platform: every interrupt source bound to a line of the board, or an error
expect "check with the test platform" 0 "$tool" check --platform test/manifests/platform.yaml \
    test/manifests/manifest_list.yaml
printf 'platform: empty-board\n' >"$tmp/empty_board.yaml"
expect "interrupts on a board without them" 1 "$tool" check --platform "$tmp/empty_board.yaml" \
    test/manifests/manifest_list.yaml
grep -q 'partix_test_irq.yaml:22:13: error: irqs\[1\].source: the platform empty-board .* has no interrupt source 41$' "$tmp/err" &&
    ok "unbound source error" || { bad "unbound source error"; cat "$tmp/err"; }

# run_case DIR: psa-manifest check in DIR with its defines, backend and lists
run_case() {
    defs="" lists=manifest_list.yaml
    [ -f "$1/defines" ] && defs=$(sed 's/^/-D /' "$1/defines" | tr '\n' ' ')
    [ -f "$1/backend" ] && defs="$defs --backend $(cat "$1/backend")"
    [ -f "$1/lists" ] && lists=$(sed 's/^/--manifest-list /' "$1/lists" | tr '\n' ' ')
    # shellcheck disable=SC2086
    (cd "$1" && "$tool" check $defs $lists) >"$tmp/out" 2>"$tmp/err"
}

# errors: every expected line on stderr, a count, exit 1, nothing on stdout
for case in test/manifest/invalid/*/; do
    [ -f "$case/expected.txt" ] || continue
    name=$(basename "$case")
    run_case "$case"
    st=$?
    n=$(wc -l <"$case/expected.txt")
    # the errors, without the warnings printed among them
    grep -v ': warning: ' "$tmp/err" >"$tmp/errors"
    if [ $st -eq 1 ] && [ ! -s "$tmp/out" ] && head -n "$n" "$tmp/errors" | cmp -s - "$case/expected.txt" &&
        tail -n 1 "$tmp/errors" | grep -q "^psa-manifest: $n errors\?$"; then
        ok "invalid/$name"
    else
        bad "invalid/$name (exit $st)"; diff "$case/expected.txt" "$tmp/errors"
    fi
done

# warnings: the case is valid (exit 0) and stderr holds exactly its warnings
for case in test/manifest/warnings/*/; do
    name=$(basename "$case")
    run_case "$case"
    st=$?
    if [ $st -eq 0 ] && cmp -s "$tmp/err" "$case/expected.txt"; then
        ok "warnings/$name"
    else
        bad "warnings/$name (exit $st)"; diff "$case/expected.txt" "$tmp/err"
    fi
done

# several lists (TF-M's extra manifest lists): --manifest-list repeated, or
# several operands; one system, the extra list's paths against its folder
two=test/manifest/valid/two_lists
expect "two lists, --manifest-list twice" 0 "$tool" check --manifest-list "$two/manifest_list.yaml" \
    --manifest-list "$two/extra/extra_list.yaml"
grep -q '^TFM_SP_MAIN: pid 444, APPLICATION-ROT, NORMAL, IPC, FF-M 1.1' "$tmp/out" &&
    grep -q '^TFM_SP_DUAL: pid 445, APPLICATION-ROT, NORMAL, IPC (dual), FF-M 1.1' "$tmp/out" &&
    [ "$(wc -l <"$tmp/out")" -eq 2 ] && [ ! -s "$tmp/err" ] && ok "two lists: both partitions" ||
    { bad "two lists: both partitions"; cat "$tmp/out" "$tmp/err"; }
expect "two lists as operands, generate" 0 "$tool" generate "$two/manifest_list.yaml" \
    "$two/extra/extra_list.yaml" -o "$tmp/two"
diff -r "$tmp/two/psa_manifest" "$two/expected/psa_manifest" >"$tmp/diff" &&
    ok "two lists: generated = golden" || { bad "two lists: generated = golden"; cat "$tmp/diff"; }
expect "one list twice" 1 "$tool" check "$two/manifest_list.yaml" --manifest-list "$two/manifest_list.yaml"
grep -q 'error: name: partition name TFM_SP_MAIN is already used at' "$tmp/err" &&
    ok "one list twice: duplicate names" || { bad "one list twice: duplicate names"; cat "$tmp/err"; }

# --backend: model: dual follows it; IPC by default
expect "--backend sfn" 0 "$tool" check --backend sfn "$two/extra/extra_list.yaml"
grep -q '^TFM_SP_DUAL: pid 256, APPLICATION-ROT, NORMAL, SFN (dual), FF-M 1.1' "$tmp/out" &&
    ok "--backend sfn: dual is SFN" || { bad "--backend sfn: dual is SFN"; cat "$tmp/out"; }
expect "--backend ipc" 0 "$tool" check --backend ipc "$two/extra/extra_list.yaml"
grep -q 'IPC (dual)' "$tmp/out" && ok "--backend ipc: dual is IPC" || bad "--backend ipc: dual is IPC"
expect "--backend sfn refuses IPC partitions" 1 "$tool" check --backend sfn "$two/manifest_list.yaml"
expect "--backend bogus" 2 "$tool" check --backend SFN "$two/manifest_list.yaml"

# a warning does not fail the check: it is printed with file:line:column
printf 'manifest_list:\n  - description: Echo\n    manifest: echo.yaml\n' >"$tmp/w_list.yaml"
sed 's/"stack_size": "0x1000"/"stack_size": 0x1000/' manifests/tfm_echo_service.yaml >"$tmp/echo.yaml"
expect "unquoted stack_size is a warning" 0 "$tool" check "$tmp/w_list.yaml"
grep -q "echo.yaml:12:17: warning: stack_size: .* quote it: \"0x1000\" \[tfm-string\]$" "$tmp/err" &&
    [ -s "$tmp/out" ] && ok "warning text" || { bad "warning text"; cat "$tmp/err"; }

# every rule is documented: each invalid case appears in docs/manifests.md
for case in test/manifest/invalid/*/ test/manifest/warnings/*/; do
    name=$(basename "$case")
    grep -q "^| \`$name\` |" docs/manifests.md && ok "documented: $name" ||
        bad "docs/manifests.md has no row for $case"
done

# usage errors exit 2
expect "no arguments" 2 "$tool"
expect "unknown command" 2 "$tool" frobnicate manifests/manifest_list.yaml
expect "generate without -o" 2 "$tool" generate manifests/manifest_list.yaml
expect "--help" 0 "$tool" --help
expect "missing list file" 1 "$tool" check "$tmp/nonexistent.yaml"
grep -q "nonexistent.yaml: error: manifest_list: cannot read" "$tmp/err" && ok "missing list message" ||
    bad "missing list message"

# every golden header set compiles, and the shipped values are TF-M's
for case in test/manifest/valid/*/; do
    name=$(basename "$case")
    {
        echo '#include "psa/service.h"'
        for h in "$case"expected/psa_manifest/*.h; do echo "#include \"psa_manifest/$(basename "$h")\""; done
        if [ "$name" = shipped ]; then
            cat <<'C'
_Static_assert(TFM_ECHO_SERVICE_SID == 0x105 && TFM_ECHO_SERVICE_VERSION == 1, "echo sid");
_Static_assert(TFM_ECHO_SERVICE_SIGNAL == 0x10, "echo signal");
_Static_assert(TFM_SP_ECHO_SERVICE == 444 && TFM_SP_MY_CUSTOM_SERVICE == 446, "pids");
_Static_assert(TFM_MY_CUSTOM_SERVICE_SID == 0x108, "custom sid");
_Static_assert(TFM_CRYPTO_SID == 0x80 && TFM_CRYPTO_HANDLE == 0x40000100 && TFM_SP_CRYPTO == 259,
               "crypto");
C
        fi
        echo 'int golden_compiles(void);'
        echo 'int golden_compiles(void) { return 0; }'
    } >"$tmp/$name.c"
    # shellcheck disable=SC2086
    if $cc -I"$top/include" -I"$case/expected" -c "$tmp/$name.c" -o "$tmp/$name.o" 2>"$tmp/err"; then
        ok "golden headers of $name compile"
    else
        bad "golden headers of $name compile"; cat "$tmp/err"
    fi
    for c in "$case"expected/auto_generated/*.c; do
        # shellcheck disable=SC2086
        if $cc -I"$top/include" -I"$case/expected" -c "$c" -o "$tmp/li.o" 2>"$tmp/err"; then
            ok "$name/$(basename "$c") compiles"
        else
            bad "$name/$(basename "$c") compiles"; cat "$tmp/err"
        fi
    done
done

[ $fails -eq 0 ] || { echo "$fails CLI test(s) failed"; exit 1; }
echo "all CLI tests passed"
