#!/bin/sh
# test_debugger.sh - psa-spm --debug-partition (issue 17 item 5), against the
# real daemon, as an ordinary user (nobody, when the suite runs as root):
#
#   gdb       gdb -batch attaches to the echo partition, breaks in its
#             handler, the echo client calls it, gdb prints the message;
#             the breakpoint holds longer than --call-timeout and the
#             watchdog does not fire; another partition refuses the same
#             attach (the control: only the named partition is relaxed).
#   gdb-wait  the partition waits before its entry point until gdb clears
#             partix_debug_hold, then runs.
#   valgrind  memcheck runs the echo partition, reports in the log, finds no
#             error (skipped without valgrind or in a sanitizer build).
#
# Run by make test with E2E_ENV (PARTIX_SPM, PARTIX_TEST_PLATFORM).  Prints
# SKIP without gdb, with Yama's ptrace_scope 2 or 3, or, as root, without setpriv.
set -u

spm=${PARTIX_SPM:?set PARTIX_SPM}
bin=$(dirname "$spm")
pdir=$bin/../libexec/partix
fail=0

check() { # check NAME CONDITION-EXIT-STATUS
    if [ "$2" -eq 0 ]; then
        echo "ok: $1"
    else
        echo "FAIL: $1"
        fail=1
    fi
}

# the options: refused with status 2 and a reason, before anything starts
refused() { # WANT-PATTERN ARGS...
    want=$1
    shift
    "$spm" --manifest-list manifests/manifest_list.yaml --socket /nonexistent/s \
        --state-dir /nonexistent/state "$@" \
        >/dev/null 2>"${TMPDIR:-/tmp}/partix-debugger-opt.$$"
    got=$?
    grep -q -- "$want" "${TMPDIR:-/tmp}/partix-debugger-opt.$$"
    found=$?
    rm -f "${TMPDIR:-/tmp}/partix-debugger-opt.$$"
    [ "$got" -eq 2 ] && [ "$found" -eq 0 ]
}
refused "takes gdb, gdb-wait or valgrind" --debug-partition TFM_SP_ECHO_SERVICE:lldb
check "--debug-partition NAME:lldb refused" $?
refused "needs a partition name" --debug-partition :gdb
check "--debug-partition without a name refused" $?
refused "is given once" --debug-partition TFM_SP_ECHO_SERVICE --debug-partition TFM_SP_ITS
check "--debug-partition twice refused" $?
refused "no partition named NO_SUCH_PARTITION" --debug-partition NO_SUCH_PARTITION
check "--debug-partition of an unknown partition refused" $?

if ! command -v gdb >/dev/null 2>&1; then
    echo "SKIP: no gdb (apt-get install gdb)"
    exit $fail
fi
scope=$(cat /proc/sys/kernel/yama/ptrace_scope 2>/dev/null || echo 0)
if [ "$scope" -ge 2 ]; then
    echo "SKIP: Yama's ptrace_scope is $scope: only root may attach a debugger here"
    exit $fail
fi
as_user=""
if [ "$(id -u)" -eq 0 ]; then
    if ! command -v setpriv >/dev/null 2>&1; then
        echo "SKIP: running as root, and no setpriv to become an ordinary user"
        exit $fail
    fi
    as_user="setpriv --reuid=65534 --regid=65534 --clear-groups"
fi
dir=$(mktemp -d /tmp/partix-e2e-debugger-XXXXXX) || exit 1
[ -n "$as_user" ] && chown 65534:65534 "$dir"
spm_pid=""

cleanup() {
    if [ -n "$spm_pid" ]; then
        kill "$spm_pid" 2>/dev/null
        wait "$spm_pid" 2>/dev/null
    fi
    if [ -z "${PARTIX_KEEP_LOGS:-}" ]; then rm -rf "$dir"; else echo "kept $dir"; fi
}
trap cleanup EXIT

# start MODE [ARGS...]: psa-spm with the shipped partitions, the echo
# partition debugged in MODE, until it serves (its log in $dir/MODE.log)
start() {
    mode=$1
    shift
    log=$dir/$mode.log
    rm -f "$dir/ready"
    $as_user "$spm" --manifest-list manifests/manifest_list.yaml --partition-dir "$pdir" \
        --socket "$dir/spm.sock" --state-dir "$dir/state" --ready-fd 3 \
        --debug-partition "TFM_SP_ECHO_SERVICE:$mode" "$@" 3>"$dir/ready" 2>"$log" &
    spm_pid=$!
    for _ in $(seq 100); do
        grep -q READY "$dir/ready" 2>/dev/null && break
        sleep 0.1
    done
    grep -q READY "$dir/ready" || { echo "FAIL: psa-spm did not start"; cat "$log"; exit 1; }
    pid=$(sed -n 's/.*DEBUGGING: partition TFM_SP_ECHO_SERVICE (pid \([0-9]*\)).*/\1/p' "$log")
    other=$(sed -n 's/.*partition TFM_SP_MY_CUSTOM_SERVICE (pid \([0-9]*\)) ready.*/\1/p' "$log")
}

stop() {
    kill "$spm_pid"
    wait "$spm_pid" 2>/dev/null
    spm_pid=""
}

# gdb -batch as the ordinary user; its output in $dir/$1
debug() {
    out=$dir/$1
    shift
    $as_user timeout 60 gdb -nx -batch "$@" >"$out" 2>&1
}

# ---- gdb: attach, break in the handler, call it, inspect the message ----
start gdb --call-timeout 1
grep -q "DEBUGGING: the call watchdog (--call-timeout 1 s) is off" "$log"
check "the log says the watchdog is off" $?
grep -q "attach with: gdb -p $pid " "$log"
check "the log names the gdb command" $?

debug gdb.out -p "$pid" -ex 'break echo' -ex 'continue' -ex 'print msg->type' \
    -ex 'print msg->in_size[0]' -ex 'print msg->out_size[0] >= 5' -ex 'shell sleep 2' \
    -ex 'detach' &
gdb_pid=$!
# attached, its breakpoint set and the partition running again (gdb's
# output is buffered: the partition's state says it)
for _ in $(seq 300); do
    tracer=$(sed -n 's/^TracerPid:[[:space:]]*//p' "/proc/$pid/status")
    state=$(sed -n 's/^State:[[:space:]]*\([A-Za-z]\).*/\1/p' "/proc/$pid/status")
    [ "${tracer:-0}" != 0 ] && [ "$state" = S ] && break
    sleep 0.1
done
PSA_SPM_SOCKET=$dir/spm.sock timeout 60 "$bin/echo_client" hello >"$dir/client.out" 2>&1
check "the client's call, held at the breakpoint past --call-timeout, is answered" $?
wait $gdb_pid
grep -q "Breakpoint 1, echo (msg=" "$dir/gdb.out"
check "gdb stops in the partition's handler" $?
grep -q '^\$1 = 0$' "$dir/gdb.out"
check "gdb shows the message's type (PSA_IPC_CALL)" $?
grep -q '^\$2 = 5$' "$dir/gdb.out"
check "gdb shows the message's in_size[0] (5 bytes: hello)" $?
grep -q '^\$3 = 1$' "$dir/gdb.out"
check "gdb shows the message's out_size[0]" $?
grep -q 'got  5 bytes: "hello"' "$dir/client.out"
check "the call completes once gdb detaches" $?
grep -q "hung: no reply" "$log"
check "the watchdog did not panic the partition" $((1 - $?))

# the control: a partition not named stays undumpable
debug control.out -p "$other" -ex 'detach'
grep -q "Operation not permitted" "$dir/control.out"
check "another partition refuses the same attach" $?
stop

# ---- gdb-wait: held before the entry point until gdb releases it ----
start gdb-wait
grep -q "Echo Service\] Started" "$log"
check "the partition waits before its entry point" $((1 - $?))
debug wait.out -p "$pid" -ex 'break tfm_echo_service_main' -ex 'set var partix_debug_hold = 0' \
    -ex 'continue' -ex 'detach'
grep -q "Breakpoint 1, tfm_echo_service_main" "$dir/wait.out"
check "gdb stops at the entry point" $?
PSA_SPM_SOCKET=$dir/spm.sock timeout 60 "$bin/echo_client" hello >"$dir/client.out" 2>&1
check "the partition serves once released" $?
stop

# ---- valgrind: memcheck's report in the log, the partition serving ----
if [ "${PARTIX_TEST_SANITIZED:-0}" = 1 ]; then
    echo "SKIP: valgrind (AddressSanitizer's partitions do not run under it)"
elif ! command -v valgrind >/dev/null 2>&1; then
    echo "SKIP: valgrind (apt-get install valgrind)"
else
    start valgrind
    pid=$(sed -n 's/.*DEBUGGING: partition TFM_SP_ECHO_SERVICE (pid \([0-9]*\)) runs under valgrind.*/\1/p' "$log")
    grep -q "==$pid== Memcheck, a memory error detector" "$log"
    check "valgrind runs the partition, its report in the log" $?
    PSA_SPM_SOCKET=$dir/spm.sock timeout 60 "$bin/echo_client" hello >"$dir/client.out" 2>&1
    check "the partition serves under valgrind" $?
    stop
    grep -q "==$pid== ERROR SUMMARY: 0 errors" "$log"
    check "memcheck finds no error in the echo partition and the runtime" $?
fi

if [ $fail -ne 0 ]; then
    for f in "$dir"/*.out "$dir"/*.log; do
        echo "---- $f"
        cat "$f"
    done
    exit 1
fi
echo "all debugger checks passed"
