/*
 * bls_hsm_its.c - the keystore's backend on Internal Trusted Storage: slot
 * i is ITS entry uid i + 1 of this partition's namespace (its client id,
 * PID 447), written by one psa_call to ITS (the manifest's dependency), as
 * crypto_its.c does for Mbed TLS.  Entries are written whole (ITS replaces
 * an entry atomically), so a crash leaves a slot old or new, never torn.
 *
 * An entry (44 bytes, host byte order): "BLSK", version 1, three zero
 * bytes, the owner's client id (i32), the secret key (32 bytes).
 */
#include <stdint.h>
#include <string.h>

#include "bls_hsm.h"
#include "psa/client.h"
#include "psa_manifest/sid.h"
#include "tfm_its_defs.h"

#define ITS_HANDLE TFM_INTERNAL_TRUSTED_STORAGE_SERVICE_HANDLE
#define ENTRY_LEN 44
#define ENTRY_VERSION 1

static const uint8_t magic[4] = {'B', 'L', 'S', 'K'};

/* ITS restarting or out of service is, to the keystore, a storage failure. */
static psa_status_t storage(psa_status_t st)
{
    return st == PSA_ERROR_COMMUNICATION_FAILURE ? PSA_ERROR_STORAGE_FAILURE : st;
}

static psa_status_t its_load(uint32_t slot, struct bls_hsm_record *rec)
{
    uint64_t uid = (uint64_t)slot + 1, offset = 0;
    uint8_t e[ENTRY_LEN + 1];
    psa_invec in[] = {{&uid, sizeof(uid)}, {&offset, sizeof(offset)}};
    psa_outvec out[] = {{e, sizeof(e)}};
    psa_status_t st = storage(psa_call(ITS_HANDLE, TFM_ITS_GET, in, 2, out, 1));

    if (st == PSA_SUCCESS) {
        if (out[0].len != ENTRY_LEN || memcmp(e, magic, 4) != 0 || e[4] != ENTRY_VERSION ||
            e[5] != 0 || e[6] != 0 || e[7] != 0) {
            st = PSA_ERROR_DATA_CORRUPT;
        } else {
            memcpy(&rec->owner, e + 8, 4);
            memcpy(rec->sk, e + 12, sizeof(rec->sk));
        }
    }
    explicit_bzero(e, sizeof(e));
    return st;
}

static psa_status_t its_save(uint32_t slot, const struct bls_hsm_record *rec)
{
    uint64_t uid = (uint64_t)slot + 1;
    uint32_t flags = 0;
    uint8_t e[ENTRY_LEN] = {0};
    psa_invec in[] = {{&uid, sizeof(uid)}, {e, sizeof(e)}, {&flags, sizeof(flags)}};
    psa_status_t st;

    memcpy(e, magic, 4);
    e[4] = ENTRY_VERSION;
    memcpy(e + 8, &rec->owner, 4);
    memcpy(e + 12, rec->sk, sizeof(rec->sk));
    st = storage(psa_call(ITS_HANDLE, TFM_ITS_SET, in, 3, NULL, 0));
    explicit_bzero(e, sizeof(e));
    return st;
}

static psa_status_t its_remove(uint32_t slot)
{
    uint64_t uid = (uint64_t)slot + 1;
    psa_invec in[] = {{&uid, sizeof(uid)}};
    psa_status_t st = storage(psa_call(ITS_HANDLE, TFM_ITS_REMOVE, in, 1, NULL, 0));

    return st == PSA_ERROR_DOES_NOT_EXIST ? PSA_SUCCESS : st;
}

const struct bls_hsm_store bls_hsm_its_store = {its_load, its_save, its_remove};
