/*
 * bls_hsm.c - the keystore (bls_hsm.h): slots, ownership, KeyGen from
 * getrandom, imports, signing, all through the BLS12-381 library.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/random.h>

#include "bls.h"
#include "bls_hsm.h"
#include "bls_hsm_config.h"
#include "keygen.h"

enum slot_state { SLOT_FREE, SLOT_USED, SLOT_CORRUPT };

static struct slot {
    enum slot_state state;
    int32_t owner;
    uint8_t sk[TFM_BLS_HSM_SK_LEN];
    uint8_t pk[TFM_BLS_HSM_PK_LEN];
} slots[TFM_BLS_HSM_KEYSTORE_SIZE];

static const struct bls_hsm_store *backend;
static bool loaded;

static void wipe_slot(struct slot *s)
{
    explicit_bzero(s, sizeof(*s));
    s->state = SLOT_FREE;
}

void bls_hsm_setup(const struct bls_hsm_store *store)
{
    for (size_t i = 0; i < TFM_BLS_HSM_KEYSTORE_SIZE; i++)
        wipe_slot(&slots[i]);
    backend = store;
    loaded = store == NULL;
}

/* Reads every slot from the backend, once.  A record that does not hold a
 * secret key keeps its slot (SLOT_CORRUPT: usable by nobody, never
 * overwritten); storage that cannot be read fails the call, and the next
 * call tries again. */
static psa_status_t load(void)
{
    struct bls_hsm_record rec;
    psa_status_t st = PSA_SUCCESS;
    uint32_t i;

    if (loaded)
        return PSA_SUCCESS;
    for (i = 0; i < TFM_BLS_HSM_KEYSTORE_SIZE && st == PSA_SUCCESS; i++) {
        struct slot *s = &slots[i];

        st = backend->load(i, &rec);
        if (st == PSA_ERROR_DOES_NOT_EXIST) {
            st = PSA_SUCCESS;
        } else if (st == PSA_SUCCESS && bls_sk_to_pk(s->pk, rec.sk) == 0) {
            s->state = SLOT_USED;
            s->owner = rec.owner;
            memcpy(s->sk, rec.sk, sizeof(s->sk));
        } else if (st == PSA_SUCCESS || st == PSA_ERROR_DATA_CORRUPT) {
            s->state = SLOT_CORRUPT;
            st = PSA_SUCCESS;
        }
    }
    explicit_bzero(&rec, sizeof(rec));
    if (st != PSA_SUCCESS) {
        for (i = 0; i < TFM_BLS_HSM_KEYSTORE_SIZE; i++)
            wipe_slot(&slots[i]);
        return PSA_ERROR_STORAGE_FAILURE;
    }
    loaded = true;
    return PSA_SUCCESS;
}

/* @p client's key @p index, after load(). */
static psa_status_t find(int32_t client, uint32_t index, struct slot **out)
{
    psa_status_t st = load();

    if (st != PSA_SUCCESS)
        return st;
    if (index >= TFM_BLS_HSM_KEYSTORE_SIZE)
        return PSA_ERROR_INVALID_ARGUMENT;
    if (slots[index].state != SLOT_USED || slots[index].owner != client)
        return PSA_ERROR_DOES_NOT_EXIST;
    *out = &slots[index];
    return PSA_SUCCESS;
}

psa_status_t bls_hsm_get_keystore(int32_t client, uint32_t *keys, uint32_t *free_slots)
{
    psa_status_t st = load();
    uint32_t i;

    if (st != PSA_SUCCESS)
        return st;
    *keys = 0;
    *free_slots = 0;
    for (i = 0; i < TFM_BLS_HSM_KEYSTORE_SIZE; i++) {
        *keys += slots[i].state == SLOT_USED && slots[i].owner == client;
        *free_slots += slots[i].state == SLOT_FREE;
    }
    return PSA_SUCCESS;
}

/* Takes a free slot for @p sk (checked by SkToPk) and stores it, if
 * @p client is under its quota (counted from the slots: what the backend
 * holds, once loaded). */
static psa_status_t add_key(int32_t client, const uint8_t sk[TFM_BLS_HSM_SK_LEN], uint32_t *index)
{
    struct bls_hsm_record rec;
    struct slot *s = NULL;
    psa_status_t st = load();
    uint32_t i, mine = 0;

    if (st != PSA_SUCCESS)
        return st;
    for (i = 0; i < TFM_BLS_HSM_KEYSTORE_SIZE; i++) {
        mine += slots[i].state == SLOT_USED && slots[i].owner == client;
        if (slots[i].state == SLOT_FREE && s == NULL)
            s = &slots[i];
    }
    if (s == NULL || mine >= BLS_HSM_USER_MAX_KEYS)
        return PSA_ERROR_INSUFFICIENT_STORAGE;
    i = (uint32_t)(s - slots);
    if (bls_sk_to_pk(s->pk, sk) != 0) {
        wipe_slot(s);
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    if (backend != NULL) {
        rec.owner = client;
        memcpy(rec.sk, sk, sizeof(rec.sk));
        st = backend->save(i, &rec);
        explicit_bzero(&rec, sizeof(rec));
        if (st != PSA_SUCCESS) {
            wipe_slot(s);
            return st;
        }
    }
    s->state = SLOT_USED;
    s->owner = client;
    memcpy(s->sk, sk, sizeof(s->sk));
    *index = i;
    return PSA_SUCCESS;
}

psa_status_t bls_hsm_secure_keygen(int32_t client, const uint8_t *info, size_t info_len,
                                   uint32_t *index)
{
    uint8_t ikm[32], sk[TFM_BLS_HSM_SK_LEN];
    psa_status_t st = PSA_ERROR_INSUFFICIENT_ENTROPY;
    size_t got = 0;
    ssize_t n;

    if (info_len > TFM_BLS_HSM_MAX_INFO || (info == NULL && info_len > 0))
        return PSA_ERROR_INVALID_ARGUMENT;
    while (got < sizeof(ikm)) {
        n = getrandom(ikm + got, sizeof(ikm) - got, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            goto out;
        got += (size_t)n;
    }
    st = bls_keygen(sk, ikm, sizeof(ikm), info, info_len) == 0 ? add_key(client, sk, index)
                                                               : PSA_ERROR_GENERIC_ERROR;
out:
    explicit_bzero(ikm, sizeof(ikm));
    explicit_bzero(sk, sizeof(sk));
    return st;
}

psa_status_t bls_hsm_get_key(int32_t client, uint32_t index, uint8_t pk[TFM_BLS_HSM_PK_LEN])
{
    struct slot *s;
    psa_status_t st = find(client, index, &s);

    if (st == PSA_SUCCESS)
        memcpy(pk, s->pk, TFM_BLS_HSM_PK_LEN);
    return st;
}

psa_status_t bls_hsm_sign(int32_t client, uint32_t index, const uint8_t *msg, size_t msg_len,
                          uint8_t sig[TFM_BLS_HSM_SIG_LEN])
{
    struct slot *s;
    psa_status_t st;

    if (msg_len > TFM_BLS_HSM_MAX_MSG || (msg == NULL && msg_len > 0))
        return PSA_ERROR_INVALID_ARGUMENT;
    if ((st = find(client, index, &s)) != PSA_SUCCESS)
        return st;
    return bls_sign(sig, s->sk, msg, msg_len) == 0 ? PSA_SUCCESS : PSA_ERROR_CORRUPTION_DETECTED;
}

psa_status_t bls_hsm_import_key(int32_t client, const uint8_t sk[TFM_BLS_HSM_SK_LEN],
                                uint32_t *index)
{
    if (!bls_sk_is_valid(sk))
        return PSA_ERROR_INVALID_ARGUMENT;
    return add_key(client, sk, index);
}

psa_status_t bls_hsm_import_seed(int32_t client, const uint8_t *seed, size_t seed_len,
                                 uint32_t *index)
{
    uint8_t sk[TFM_BLS_HSM_SK_LEN];
    psa_status_t st = PSA_ERROR_INVALID_ARGUMENT;

    if (seed_len >= TFM_BLS_HSM_MIN_SEED && seed_len <= TFM_BLS_HSM_MAX_SEED &&
        bls_derive_master_sk(sk, seed, seed_len) == 0)
        st = add_key(client, sk, index);
    explicit_bzero(sk, sizeof(sk));
    return st;
}

psa_status_t bls_hsm_delete_key(int32_t client, uint32_t index)
{
    struct slot *s;
    psa_status_t st = find(client, index, &s);

    if (st != PSA_SUCCESS)
        return st;
    if (backend != NULL && (st = backend->remove(index)) != PSA_SUCCESS)
        return st;
    wipe_slot(s);
    return PSA_SUCCESS;
}
