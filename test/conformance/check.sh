#!/bin/sh
# The conformance matrix check: every test rules.tsv names passed in this
# run.  Usage: check.sh RESULTS_DIR RULES.tsv
set -u
results=$1
rules=$2
fails=0
skips=0
n=0
tab=$(printf '\t')
while IFS="$tab" read -r id rule binary tests; do
    case $id in '#'* | '') continue ;; esac
    n=$((n + 1))
    log="$results/$binary.log"
    for t in $(echo "$tests" | tr ',' ' '); do
        if grep -q "^\[  SKIPPED \] $t\$" "$log" 2>/dev/null; then
            # a build where the rule cannot hold (a sanitizer's allocator):
            # said, counted, not a failure
            echo "SKIP $id ($rule): $binary $t skipped in this build"
            skips=$((skips + 1))
        elif ! grep -q "^\[       OK \] $t\$" "$log" 2>/dev/null; then
            echo "FAIL $id ($rule): $binary $t did not pass"
            fails=$((fails + 1))
        fi
    done
done <"$rules"
if [ "$fails" -ne 0 ]; then
    echo "conformance: $fails test(s) of the matrix did not pass"
    exit 1
fi
echo "conformance: all $n rules proven by passing tests ($skips test(s) skipped in this build)"
