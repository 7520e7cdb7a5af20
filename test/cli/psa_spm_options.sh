#!/bin/sh
# psa-spm refuses a bad option value with status 2 and a message naming the
# option, before it reads anything.  Usage: psa_spm_options.sh PSA_SPM
set -u
spm=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0

ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fails=$((fails + 1)); }

# refused VALUE: --call-timeout VALUE exits 2 and says why
refused() {
    "$spm" --manifest-list "$tmp/none.yaml" --socket "$tmp/s" --call-timeout "$1" \
        >"$tmp/out" 2>"$tmp/err"
    got=$?
    if [ "$got" -eq 2 ] && grep -q -- "--call-timeout needs a whole number of seconds" "$tmp/err"; then
        ok "--call-timeout '$1' refused"
    else
        bad "--call-timeout '$1' (exit $got, wanted 2)"
        cat "$tmp/err"
    fi
}

# accepted VALUE: the value passes; psa-spm goes on to the missing list (status 1)
accepted() {
    "$spm" --manifest-list "$tmp/none.yaml" --socket "$tmp/s" --call-timeout "$1" \
        >"$tmp/out" 2>"$tmp/err"
    got=$?
    if [ "$got" -eq 1 ] && ! grep -q -- "--call-timeout" "$tmp/err" &&
        grep -q "none.yaml" "$tmp/err"; then
        ok "--call-timeout '$1' accepted"
    else
        bad "--call-timeout '$1' (exit $got, wanted 1 for the missing list)"
        cat "$tmp/err"
    fi
}

for v in abc -1 -0 "" 5x " 5" 1.5 2147484 99999999999999999999; do
    refused "$v"
done
for v in 0 1 60 2147483; do
    accepted "$v"
done

# --max-connections: a positive whole number, nothing else
for v in 0 -3 5x abc ""; do
    "$spm" --manifest-list "$tmp/none.yaml" --socket "$tmp/s" --max-connections "$v" \
        >"$tmp/out" 2>"$tmp/err"
    got=$?
    if [ "$got" -eq 2 ] && grep -q -- "--max-connections needs a positive number" "$tmp/err"; then
        ok "--max-connections '$v' refused"
    else
        bad "--max-connections '$v' (exit $got, wanted 2)"
    fi
done

# the bounds: each a positive whole number, nothing else (never 0, never wrapped)
for opt in max-inflight max-inflight-user max-sockets-user queue-bytes queue-total; do
    for v in 0 -3 5x abc "" " 5" 1.5 99999999999999999999999; do
        "$spm" --manifest-list "$tmp/none.yaml" --socket "$tmp/s" "--$opt" "$v" \
            >"$tmp/out" 2>"$tmp/err"
        got=$?
        if [ "$got" -eq 2 ] && grep -q -- "--$opt needs a positive number" "$tmp/err"; then
            ok "--$opt '$v' refused"
        else
            bad "--$opt '$v' (exit $got, wanted 2)"
        fi
    done
    "$spm" --manifest-list "$tmp/none.yaml" --socket "$tmp/s" "--$opt" 7 >"$tmp/out" 2>"$tmp/err"
    got=$?
    if [ "$got" -eq 1 ] && grep -q "none.yaml" "$tmp/err"; then
        ok "--$opt 7 accepted"
    else
        bad "--$opt 7 (exit $got, wanted 1 for the missing list)"
    fi
done
# a count past what the core holds is refused, not wrapped to a small one
"$spm" --manifest-list "$tmp/none.yaml" --socket "$tmp/s" --max-inflight 4294967297 \
    >"$tmp/out" 2>"$tmp/err"
got=$?
if [ "$got" -eq 2 ]; then
    ok "--max-inflight 4294967297 refused"
else
    bad "--max-inflight 4294967297 (exit $got, wanted 2)"
fi

# --ready-fd: a descriptor open for writing, else refused before anything
# else (the old daemon wrote READY into whatever it had opened there since)
ready_fd() { # WHAT WANT_STATUS PATTERN, then the redirections as a command
    what=$1 want=$2 pattern=$3
    shift 3
    "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    if [ "$got" -eq "$want" ] && grep -q -- "$pattern" "$tmp/err"; then
        ok "--ready-fd $what"
    else
        bad "--ready-fd $what (exit $got, wanted $want)"
        cat "$tmp/err"
    fi
}
ready_fd "closed" 2 "--ready-fd 9: not an open descriptor" \
    "$spm" --manifest-list "$tmp/none.yaml" --socket "$tmp/s" --ready-fd 9 9>&-
ready_fd "read-only" 2 "--ready-fd 9: not open for writing" \
    sh -c '"$0" --manifest-list "$1" --socket "$2" --ready-fd 9 9</dev/null' \
    "$spm" "$tmp/none.yaml" "$tmp/s"
for v in abc -1 "" 5x 99999999999; do
    ready_fd "'$v'" 2 "--ready-fd needs a descriptor number" \
        "$spm" --manifest-list "$tmp/none.yaml" --socket "$tmp/s" --ready-fd "$v"
done
ready_fd "open for writing" 1 "none.yaml" \
    sh -c '"$0" --manifest-list "$1" --socket "$2" --ready-fd 9 9>/dev/null' \
    "$spm" "$tmp/none.yaml" "$tmp/s"

# --reset-limit N/SECONDS or 0 (issue 14 item 5)
for v in 3 3/0 0/5 x 2/x 2/86401 -1/5 ""; do
    "$spm" --manifest-list "$tmp/none.yaml" --socket "$tmp/s" --reset-limit "$v" \
        >"$tmp/out" 2>"$tmp/err"
    got=$?
    if [ "$got" -eq 2 ] && grep -q -- "--reset-limit is N/SECONDS" "$tmp/err"; then
        ok "--reset-limit '$v' refused"
    else
        bad "--reset-limit '$v' (exit $got, wanted 2)"
    fi
done
for v in 0 2/60 10/10; do
    "$spm" --manifest-list "$tmp/none.yaml" --socket "$tmp/s" --reset-limit "$v" \
        >"$tmp/out" 2>"$tmp/err"
    got=$?
    if [ "$got" -eq 1 ] && grep -q "none.yaml" "$tmp/err"; then
        ok "--reset-limit '$v' accepted"
    else
        bad "--reset-limit '$v' (exit $got, wanted 1 for the missing list)"
    fi
done

# The control commands are partix-ctl's (issue 12 item 6): psa-spm names it,
# and links no libpsa-client, so no psa_* function of the client library is
# in the daemon beside Mbed TLS's (it had 62 defined twice, link order
# picking).
for sub in otp irq; do
    "$spm" "$sub" show >"$tmp/out" 2>"$tmp/err"
    got=$?
    if [ "$got" -eq 2 ] && grep -q "partix-ctl $sub" "$tmp/err"; then
        ok "psa-spm $sub: names partix-ctl"
    else
        bad "psa-spm $sub (exit $got, wanted 2 naming partix-ctl)"
    fi
done
if command -v nm >/dev/null 2>&1; then
    linked=$(nm "$spm" | grep -E ' [TtWw] (psa_connect|psa_call|psa_close|partix_irq_set|psa_framework_version)$')
    if [ -z "$linked" ]; then
        ok "psa-spm links no client library"
    else
        bad "psa-spm defines client functions: $linked"
    fi
    ctl="$(dirname "$spm")/partix-ctl"
    dup=$(nm "$ctl" | awk '$2 ~ /^[TW]$/ && $3 ~ /^psa_/ {print $3}' | sort | uniq -d)
    if [ -x "$ctl" ] && [ -z "$dup" ] && nm "$ctl" | grep -q ' T partix_irq_set$'; then
        ok "partix-ctl: the client's control calls, no psa_* function twice"
    else
        bad "partix-ctl: missing, or psa_* defined twice: $dup"
    fi
else
    echo "SKIP nm is not installed: psa-spm's symbols"
fi

# --backend: ipc or sfn, anything else refused before the lists are read;
# --manifest-list repeated: every list is read (both missing ones are named)
"$spm" --manifest-list "$tmp/none.yaml" --socket "$tmp/s" --backend SFN >"$tmp/out" 2>"$tmp/err"
got=$?
[ "$got" -eq 2 ] && grep -q -- "--backend is ipc or sfn, not 'SFN'" "$tmp/err" &&
    ok "--backend SFN refused" || { bad "--backend SFN (exit $got, wanted 2)"; cat "$tmp/err"; }
"$spm" --manifest-list "$tmp/first.yaml" --manifest-list "$tmp/second.yaml" --socket "$tmp/s" \
    --backend sfn >"$tmp/out" 2>"$tmp/err"
got=$?
[ "$got" -eq 1 ] && grep -q "first.yaml: error: manifest_list: cannot read" "$tmp/err" &&
    grep -q "second.yaml: error: manifest_list: cannot read" "$tmp/err" &&
    ok "--manifest-list twice: both read" ||
    { bad "--manifest-list twice (exit $got, wanted 1)"; cat "$tmp/err"; }

[ "$fails" -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
