#!/bin/sh
# make demo: the shipped partitions under a real psa-spm, called by two
# example apps, then a clean stop.  Usage: mk/demo.sh BUILD_DIR
set -eu
build=${1:-build}
dir=$(mktemp -d /tmp/partix-demo-XXXXXX)
chmod 755 "$dir" # the socket is reachable by the second user of step 6
spm_pid=
cleanup() {
    [ -n "$spm_pid" ] && kill "$spm_pid" 2>/dev/null && wait "$spm_pid" 2>/dev/null
    rm -rf "$dir"
}
trap cleanup EXIT INT TERM

echo "== 1. The manifests (psa-manifest check)"
"$build/bin/psa-manifest" check manifests/manifest_list.yaml
echo
echo "== 2. psa-spm starts every partition in its own sandboxed process"
export PSA_SPM_SOCKET="$dir/spm.sock"
mkfifo "$dir/ready"
"$build/bin/psa-spm" --manifest-list manifests/manifest_list.yaml --platform manifests/platform.yaml \
    --socket "$PSA_SPM_SOCKET" --state-dir "$dir/state" \
    --ready-fd 3 3>"$dir/ready" 2>"$dir/spm.log" &
spm_pid=$!
read -r ready <"$dir/ready" || true
if [ "${ready:-}" != READY ]; then
    cat "$dir/spm.log"
    echo "demo: psa-spm did not start" >&2
    exit 1
fi
cut -c26- "$dir/spm.log"
for name in TFM_SP_ECHO_SERVICE TFM_SP_MY_CUSTOM_SERVICE; do
    pid=$(sed -n "s/.*partition $name (pid \([0-9]*\)) ready.*/\1/p" "$dir/spm.log" | tail -n 1)
    printf '   %s (pid %s): %s, %s, %s open fds\n' "$name" "$pid" \
        "$(grep '^Seccomp:' /proc/"$pid"/status | tr -s '\t ' ' ')" \
        "$(grep '^NoNewPrivs:' /proc/"$pid"/status | tr -s '\t ' ' ')" \
        "$(ls /proc/"$pid"/fd | wc -l)"
done
echo
echo "== 3. Linux apps call the secure services through libpsa-client"
lines=$(wc -l <"$dir/spm.log")
"$build/bin/echo_client" "Hello from a Linux app"
"$build/bin/custom_client"
echo
echo "   what psa-spm logged meanwhile:"
tail -n +"$((lines + 1))" "$dir/spm.log" | cut -c26- | sed 's/^/   /'
echo
echo "== 4. The PSA RoT services from one app (examples/rot_client.c: <psa/crypto.h>,"
echo "      ITS, PS and attestation headers, linked with libpsa-client only)"
"$build/bin/rot_client" --token-out "$dir/token.cbor" | sed 's/^/   /'
echo "   ... and again: the persistent key and the stored data are found"
"$build/bin/rot_client" | grep -E 'found|held' | sed 's/^/   /'
echo "   the device's attestation key, from the simulated OTP ($dir/state/otp):"
"$build/bin/partix-ctl" otp pubkey --state-dir "$dir/state" >"$dir/device.pem"
sed 's/^/   /' "$dir/device.pem"
echo "   psa-attest verify $dir/token.cbor --key device.pem:"
"$build/bin/psa-attest" verify "$dir/token.cbor" --key "$dir/device.pem" | head -n 10 | sed 's/^/   /'
echo
echo "== 5. The BLS signing HSM: bls_hsm_ns through the partition, then in-process"
"$build/bin/bls_hsm_ns" | sed 's/^/   /'
"$build/bin/bls_hsm_ns_direct" | sed 's/^/   /'
echo
echo "== 6. The hardware root of trust: a TPM 2.0 (swtpm, started by psa-spm) behind"
echo "      PARTIX_SP_HROT, keys reached through capabilities (examples/hrot_client.c)"
grep -E 'TPM swtpm|\[HROT\] TPM' "$dir/spm.log" | cut -c26- | sed 's/^/   /'
"$build/bin/hrot_client" | sed 's/^/   /'
echo
echo "== 7. SIGTERM: partitions stopped, socket removed"
kill "$spm_pid"
wait "$spm_pid"
spm_pid=
tail -n 3 "$dir/spm.log" | cut -c26-
[ ! -e "$PSA_SPM_SOCKET" ] && echo "   $PSA_SPM_SOCKET is gone"

# psa-spm again on a state directory, with extra options; waits until ready.
start_spm() {
    state=$1
    shift
    rm -f "$dir/ready"
    mkfifo "$dir/ready"
    "$build/bin/psa-spm" --manifest-list manifests/manifest_list.yaml \
        --platform manifests/platform.yaml --socket "$PSA_SPM_SOCKET" --state-dir "$state" \
        --ready-fd 3 "$@" 3>"$dir/ready" 2>>"$dir/spm.log" &
    spm_pid=$!
    read -r ready <"$dir/ready" || true
    if [ "${ready:-}" != READY ]; then
        tail -n 20 "$dir/spm.log"
        echo "demo: psa-spm did not start" >&2
        exit 1
    fi
}
stop_spm() {
    kill "$spm_pid"
    wait "$spm_pid" || true
    spm_pid=
}

echo
echo "== 7. The TinyMaix inference service (docs/model-encryption.md)"
echo "   a. provisioning: this device seals the shipped model (models/fashion_mnist_q.tmdl)"
echo "      with its own key, derived from its hardware unique key inside the partition"
start_spm "$dir/state" --lifecycle psa-rot-provisioning
"$build/bin/psa-model" seal models/fashion_mnist_q.tmdl -o "$dir/model.sealed" | sed 's/^/      /'
stop_spm
echo "   b. secured (the device's lifecycle): sealing is refused, the sealed model runs"
start_spm "$dir/state"
"$build/bin/psa-model" seal models/fashion_mnist_q.tmdl -o "$dir/again.sealed" 2>&1 |
    sed 's/^/      /' || true
echo "      psa-model classify: Fashion-MNIST test images through the partition"
"$build/bin/psa-model" classify "$dir/model.sealed" -n 8 | sed 's/^/      /'
grep -F '[TinyMaix]' "$dir/spm.log" | tail -n 3 | cut -c26- | sed 's/^/      /'
stop_spm
echo "   c. another device (a new OTP: another hardware unique key) refuses the model"
start_spm "$dir/other"
"$build/bin/psa-model" classify "$dir/model.sealed" -n 1 2>&1 | sed 's/^/      /' || true
stop_spm
