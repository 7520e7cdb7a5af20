/*
 * measure.c - the boot record (otp_layout.h).  psa-spm is the bootloader
 * of this simulated board: when it starts it measures itself and each
 * partition executable (SHA-256 of the file) and writes the measurements,
 * as the attestation token's software components, into the sealed OTP
 * region, where the Initial Attestation partition, which has no file
 * system to measure anything with, reads them.
 *
 * As a bootloader's, the measurements are of what was there at start: an
 * executable replaced while psa-spm runs is not measured again when its
 * partition restarts.  partix signs no executable, so each signer id is
 * 32 zero bytes: "no signer".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <psa/crypto.h>

#include "attest_claims.h"
#include "cbor.h"
#include "spm.h"

#define SHA256_LEN 32

/* SHA-256 of the file at @p path: 0, or -1 (logged). */
static int measure_file(const char *path, uint8_t out[SHA256_LEN])
{
    psa_hash_operation_t op = PSA_HASH_OPERATION_INIT;
    uint8_t buf[16384];
    ssize_t n = 0;
    size_t len;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0) {
        spm_log(SPM_ERROR, "boot record: cannot measure %s: %s", path, strerror(errno));
        return -1;
    }
    if (psa_crypto_init() != PSA_SUCCESS || psa_hash_setup(&op, PSA_ALG_SHA_256) != PSA_SUCCESS)
        goto fail;
    while ((n = read(fd, buf, sizeof(buf))) > 0)
        if (psa_hash_update(&op, buf, (size_t)n) != PSA_SUCCESS)
            goto fail;
    if (n < 0 || psa_hash_finish(&op, out, SHA256_LEN, &len) != PSA_SUCCESS)
        goto fail;
    close(fd);
    return 0;
fail:
    spm_log(SPM_ERROR, "boot record: cannot measure %s: %s", path,
            n < 0 ? strerror(errno) : "hash failed");
    psa_hash_abort(&op);
    close(fd);
    return -1;
}

/* One software component: keys in canonical order (1, 2, 5, 6). */
static void put_component(struct cbor_enc *e, const char *type, const uint8_t value[SHA256_LEN])
{
    static const uint8_t no_signer[SHA256_LEN];
    static const char desc[] = "sha-256";

    cbor_put_map(e, 4);
    cbor_put_uint(e, IAT_SW_COMPONENT_MEASUREMENT_TYPE);
    cbor_put_tstr(e, type, strlen(type));
    cbor_put_uint(e, IAT_SW_COMPONENT_MEASUREMENT_VALUE);
    cbor_put_bstr(e, value, SHA256_LEN);
    cbor_put_uint(e, IAT_SW_COMPONENT_SIGNER_ID);
    cbor_put_bstr(e, no_signer, sizeof(no_signer));
    cbor_put_uint(e, IAT_SW_COMPONENT_MEASUREMENT_DESC);
    cbor_put_tstr(e, desc, sizeof(desc) - 1);
}

int spm_boot_record(uint8_t *out, size_t room, size_t *len, uint32_t *count)
{
    uint8_t m[SHA256_LEN];
    char path[PATH_MAX];
    struct cbor_enc e;
    size_t i;

    cbor_enc_init(&e, out, room);
    cbor_put_array(&e, spm.sys->n_partitions + 1);
    if (measure_file("/proc/self/exe", m) < 0)
        return -1;
    put_component(&e, "psa-spm", m);
    for (i = 0; i < spm.sys->n_partitions; i++) {
        const struct mf_partition *mf = &spm.sys->partitions[i];

        /* the executable start_partitions() runs */
        if ((size_t)snprintf(path, sizeof(path), "%s/%s", spm.partition_dir, mf->basename) >=
                sizeof(path) ||
            measure_file(path, m) < 0)
            return -1;
        put_component(&e, mf->name, m);
    }
    if (cbor_enc_finish(&e, len) != CBOR_OK) {
        spm_log(SPM_ERROR,
                "boot record: %zu software components take %zu bytes, more than the %zu "
                "the otp region has room for",
                spm.sys->n_partitions + 1, *len, room);
        return -1;
    }
    *count = (uint32_t)(spm.sys->n_partitions + 1);
    return 0;
}
