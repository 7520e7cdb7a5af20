#!/bin/sh
# The interface compiler from its command line: every error rule of the
# language (test/idl/invalid/: each NAME.idl.yaml and the exact stderr it
# must give, NAME.expected), the golden outputs of test/idl/valid/ and their
# compilation with the project's warnings, and the committed reference
# pages of the shipped interfaces (docs/reference/), which must be what
# psa-idl makes of them today.
# Usage: psa_idl.sh PSA_IDL "CC FLAGS"
# After a deliberate change of the output: PARTIX_UPDATE_GOLDEN=1 psa_idl.sh ...
set -u
tool=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cc=$2
top=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
update=${PARTIX_UPDATE_GOLDEN:-0}

ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fails=$((fails + 1)); }

# usage errors: exit 2, no interface read
"$tool" >/dev/null 2>&1
[ $? -eq 2 ] && ok "no command" || bad "no command"
"$tool" frobnicate x.idl.yaml >/dev/null 2>&1
[ $? -eq 2 ] && ok "unknown command" || bad "unknown command"
"$tool" generate test/idl/valid/example_hrot.idl.yaml >/dev/null 2>&1
[ $? -eq 2 ] && ok "generate without -o" || bad "generate without -o"
"$tool" check "$tmp/absent.idl.yaml" >"$tmp/out" 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "absent.idl.yaml: error: interface: cannot read" "$tmp/err" &&
    ok "a file that is not there" || { bad "a file that is not there"; cat "$tmp/err"; }

# every rule: exit 1, nothing on stdout, exactly the expected lines
cd test/idl/invalid || exit 1
for f in *.idl.yaml; do
    name=${f%.idl.yaml}
    "$tool" check "$f" >"$tmp/out" 2>"$tmp/err"
    st=$?
    if [ "$update" = 1 ]; then cp "$tmp/err" "$name.expected"; fi
    if [ $st -eq 1 ] && [ ! -s "$tmp/out" ] && cmp -s "$tmp/err" "$name.expected"; then
        ok "invalid/$name"
    else
        bad "invalid/$name (exit $st)"
        diff "$name.expected" "$tmp/err"
    fi
done
# several files at once: each one's errors, one count
"$tool" check duplicate_method.idl.yaml bound_zero.idl.yaml >"$tmp/out" 2>"$tmp/err"
[ $? -eq 1 ] && [ "$(grep -c ': error: ' "$tmp/err")" -eq 2 ] &&
    tail -n 1 "$tmp/err" | grep -q '^psa-idl: 2 errors$' && ok "two files" ||
    { bad "two files"; cat "$tmp/err"; }
cd "$top" || exit 1

# the shipped interfaces and the test ones are valid
for f in src/partitions/*/*.idl.yaml test/partitions/*/*.idl.yaml test/idl/valid/*.idl.yaml; do
    "$tool" check "$f" >"$tmp/out" 2>"$tmp/err" && [ ! -s "$tmp/err" ] &&
        ok "check $f" || { bad "check $f"; cat "$tmp/err"; }
done

# golden outputs, compiled as the build compiles them
for f in test/idl/valid/*.idl.yaml; do
    name=$(basename "$f" .idl.yaml)
    want=test/idl/valid/$name
    rm -rf "$tmp/gen" && mkdir -p "$tmp/gen"
    "$tool" generate "$f" -o "$tmp/gen" && "$tool" doc "$f" -o "$tmp/gen/$name.md" ||
        { bad "generate $name"; continue; }
    if [ "$update" = 1 ]; then rm -rf "$want" && cp -r "$tmp/gen" "$want"; fi
    diff -r "$want" "$tmp/gen" >"$tmp/diff" && ok "golden $name" ||
        { bad "golden $name"; cat "$tmp/diff"; }
    # a second run rewrites nothing (make would rebuild every user)
    touch -d '2000-01-01' "$tmp/gen"/*
    "$tool" generate "$f" -o "$tmp/gen" &&
        [ -z "$(find "$tmp/gen" -newer "$tmp/gen/$name.md" -type f)" ] &&
        ok "unchanged $name left alone" || bad "unchanged $name left alone"
    mkdir -p "$tmp/gen/psa_manifest" && : >"$tmp/gen/psa_manifest/sid.h"
    # shellcheck disable=SC2086
    $cc -Iinclude -I"$tmp/gen" -c "$tmp/gen/${name}_client.c" -o "$tmp/client.o" &&
        $cc -Iinclude -I"$tmp/gen" -c "$tmp/gen/${name}_service.c" -o "$tmp/service.o" &&
        ok "compile $name" || bad "compile $name"
done

# the reference pages in docs/ are what psa-idl makes of the interfaces today
for f in src/partitions/*/*.idl.yaml; do
    name=$(basename "$f" .idl.yaml)
    "$tool" doc "$f" >"$tmp/ref.md" || { bad "doc $name"; continue; }
    if [ "$update" = 1 ]; then cp "$tmp/ref.md" "docs/reference/$name.md"; fi
    cmp -s "$tmp/ref.md" "docs/reference/$name.md" && ok "docs/reference/$name.md is current" ||
        { bad "docs/reference/$name.md is stale: psa-idl doc $f -o docs/reference/$name.md";
          diff "docs/reference/$name.md" "$tmp/ref.md"; }
done

if [ $fails -ne 0 ]; then
    echo "psa_idl.sh: $fails failed"
    exit 1
fi
echo "psa_idl.sh: all passed"
