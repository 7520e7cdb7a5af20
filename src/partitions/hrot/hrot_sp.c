/*
 * hrot_sp.c - the hardware root of trust partition (PARTIX_SP_HROT, SFN
 * model): the handlers of its interface (partix_hrot.idl.yaml; psa-idl's
 * dispatch has checked every vector's size and copied the inputs in).
 * Each finds the caller's capability for the caller's client id (psa-spm's,
 * from the kernel; never what the caller sent), checks its rights, and
 * drives the TPM (hrot_tpm.c).  No reply carries a secret: the TPM's blobs
 * stay here, its keys in the TPM.
 */
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <mbedtls/sha256.h>

#include "hrot_caps.h"
#include "hrot_service.h"
#include "hrot_tpm.h"
#include "partix/storage.h"
#include "partix/tpm.h"
#include "psa/service.h"
#include "psa_manifest/partix_hrot.h"
#include "tfm_sp_log.h"

/* the manifest's entry_init: TF-M's generated header does not declare it */
psa_status_t partix_hrot_init(void);
psa_status_t partix_hrot_init(void)
{
    struct stat st;
    int fd = -1;
    psa_status_t s;

    /* the channel psa-spm left (partix/tpm.h); nothing else is open there
     * before the first message */
    if (syscall(SYS_fstat, PARTIX_TPM_FD, &st) == 0 &&
        (S_ISSOCK(st.st_mode) || S_ISCHR(st.st_mode)))
        fd = PARTIX_TPM_FD;
    hrot_caps_load(partix_storage_dir());
    if (fd < 0) {
        LOG_ERRFMT("[HROT] no TPM on this board: every call fails (PSA_ERROR_HARDWARE_FAILURE)\n");
        return PSA_SUCCESS;
    }
    s = hrot_tpm_init(fd);
    if (s == PSA_SUCCESS)
        LOG_INFFMT("[HROT] TPM 2.0 ready: started, self-tested, storage key made\n");
    else
        LOG_ERRFMT("[HROT] TPM start failed (%d): every call fails until the partition restarts\n",
                   (int)s);
    return PSA_SUCCESS;
}

/* The caller's capability @p token, with @p right. */
static psa_status_t get_cap(const psa_msg_t *msg, const hrot_cap_t *token, uint32_t right,
                            struct hrot_cap **cap, struct hrot_key **key)
{
    psa_status_t st = hrot_caps_find(token->bytes, msg->client_id, cap, key);

    if (st != PSA_SUCCESS)
        return st;
    return ((*cap)->rights & right) == right ? PSA_SUCCESS : PSA_ERROR_NOT_PERMITTED;
}

/* The TPM, started if it is not yet (it was absent, or failed at init). */
static psa_status_t tpm_ready(void)
{
    return hrot_tpm_up() ? PSA_SUCCESS : hrot_tpm_init(-1);
}

static psa_status_t load(const struct hrot_key *k, uint32_t *handle)
{
    psa_status_t st = tpm_ready();

    return st != PSA_SUCCESS
               ? st
               : hrot_tpm_load(k->id, k->priv, k->priv_len, k->pub, k->pub_len, handle);
}

psa_status_t hrot_init_handler(const psa_msg_t *msg)
{
    (void)msg;
    return tpm_ready();
}

psa_status_t hrot_trng_get_random_bytes_handler(const psa_msg_t *msg, uint32_t num_bytes_requested,
                                                uint8_t *buffer_cap, size_t buffer_cap_size,
                                                size_t *bytes_written)
{
    psa_status_t st;

    (void)msg;
    if (num_bytes_requested > HROT_MAX_RANDOM_CALL)
        return PSA_ERROR_INVALID_ARGUMENT;
    if (num_bytes_requested > buffer_cap_size)
        return PSA_ERROR_BUFFER_TOO_SMALL;
    if ((st = tpm_ready()) != PSA_SUCCESS ||
        (st = hrot_tpm_random(buffer_cap, num_bytes_requested)) != PSA_SUCCESS)
        return st;
    *bytes_written = num_bytes_requested;
    return PSA_SUCCESS;
}

psa_status_t hrot_generate_key_handler(const psa_msg_t *msg, uint32_t type, hrot_cap_t *cap)
{
    static uint8_t priv[HROT_PRIV_MAX], pub[HROT_PUB_MAX];
    size_t priv_len = sizeof(priv), pub_len = sizeof(pub);
    uint32_t serial;
    psa_status_t st;

    if (type != HROT_KEY_ECC_P256_SIGN && type != HROT_KEY_RSA2048_DECRYPT)
        return PSA_ERROR_NOT_SUPPORTED;
    if ((st = tpm_ready()) != PSA_SUCCESS)
        return st;
    st = hrot_tpm_create(type == HROT_KEY_ECC_P256_SIGN ? TPM2_T_ECC_SIGN : TPM2_T_RSA_DECRYPT,
                         priv, &priv_len, pub, &pub_len);
    if (st == PSA_SUCCESS)
        st = hrot_caps_add_key(msg->client_id, type, priv, priv_len, pub, pub_len, cap->bytes,
                               &serial);
    if (st == PSA_SUCCESS)
        LOG_INFFMT("[HROT] key of type %u made in the TPM for client %d\n", (unsigned)type,
                   (int)msg->client_id);
    return st;
}

/* The public key in PSA's export format: 0x04 || X || Y, or DER
 * RSAPublicKey (SEQUENCE { INTEGER n, INTEGER e }). */
static size_t export_public(const struct hrot_key *k, uint8_t *out, size_t cap)
{
    struct tpm2_slice s = {k->pub, k->pub_len};
    struct tpm2_public p;
    uint32_t e;
    uint8_t eb[4];
    size_t n = 0, i, elen;

    if (tpm2_parse_public(s, &p) < 0)
        return 0;
    if (p.type == TPM2_ALG_ECC) {
        if (cap < HROT_ECC_PUBLIC_SIZE)
            return 0;
        memset(out, 0, HROT_ECC_PUBLIC_SIZE);
        out[0] = 0x04;
        memcpy(out + 1 + 32 - p.x.len, p.x.p, p.x.len);
        memcpy(out + 33 + 32 - p.y.len, p.y.p, p.y.len);
        return HROT_ECC_PUBLIC_SIZE;
    }
    e = p.exponent ? p.exponent : 65537u;
    for (i = 0, elen = 0; i < 4; i++) {
        uint8_t b = (uint8_t)(e >> (24 - 8 * i));

        if (b != 0 || elen > 0)
            eb[elen++] = b;
    }
    /* n is 256 bytes with its top bit set (a 2048-bit modulus): 257 with
     * the sign byte; e needs a sign byte when its top bit is set */
    size_t e_int = elen + ((eb[0] & 0x80) ? 1 : 0);
    size_t body = 4 + 257 + 2 + e_int;

    if (cap < 4 + body || (p.n.p[0] & 0x80) == 0)
        return 0;
    out[n++] = 0x30;
    out[n++] = 0x82;
    out[n++] = (uint8_t)(body >> 8);
    out[n++] = (uint8_t)body;
    out[n++] = 0x02;
    out[n++] = 0x82;
    out[n++] = 0x01;
    out[n++] = 0x01;
    out[n++] = 0x00;
    memcpy(out + n, p.n.p, 256);
    n += 256;
    out[n++] = 0x02;
    out[n++] = (uint8_t)e_int;
    if (e_int > elen)
        out[n++] = 0x00;
    memcpy(out + n, eb, elen);
    return n + elen;
}

psa_status_t hrot_get_public_key_handler(const psa_msg_t *msg, const hrot_cap_t *cap, uint8_t *out,
                                         size_t out_size, size_t *out_len)
{
    uint8_t buf[HROT_RSA_PUBLIC_MAX];
    struct hrot_cap *c;
    struct hrot_key *k;
    size_t n;
    psa_status_t st;

    if ((st = get_cap(msg, cap, HROT_RIGHT_GET_PUBLIC, &c, &k)) != PSA_SUCCESS)
        return st;
    if ((n = export_public(k, buf, sizeof(buf))) == 0)
        return PSA_ERROR_DATA_CORRUPT;
    if (out_size < n)
        return PSA_ERROR_BUFFER_TOO_SMALL;
    memcpy(out, buf, n);
    *out_len = n;
    return PSA_SUCCESS;
}

psa_status_t hrot_sign_data_handler(const psa_msg_t *msg, const hrot_cap_t *key_id_cap,
                                    const uint8_t *data_to_sign_cap, size_t data_to_sign_cap_size,
                                    uint8_t *signature_buffer_cap, size_t signature_buffer_cap_size,
                                    size_t *signature_len)
{
    uint8_t digest[32];
    struct hrot_cap *c;
    struct hrot_key *k;
    uint32_t handle;
    psa_status_t st;

    if ((st = get_cap(msg, key_id_cap, HROT_RIGHT_SIGN, &c, &k)) != PSA_SUCCESS)
        return st;
    if (k->type != HROT_KEY_ECC_P256_SIGN)
        return PSA_ERROR_NOT_PERMITTED;
    if (signature_buffer_cap_size < HROT_SIGNATURE_SIZE)
        return PSA_ERROR_BUFFER_TOO_SMALL;
    mbedtls_sha256_ret(data_to_sign_cap, data_to_sign_cap_size, digest, 0);
    if ((st = load(k, &handle)) != PSA_SUCCESS ||
        (st = hrot_tpm_sign(handle, digest, signature_buffer_cap)) != PSA_SUCCESS)
        return st;
    *signature_len = HROT_SIGNATURE_SIZE;
    return PSA_SUCCESS;
}

psa_status_t hrot_decrypt_data_handler(const psa_msg_t *msg, const hrot_cap_t *key_id_cap,
                                       const uint8_t *encrypted_data_cap,
                                       size_t encrypted_data_cap_size,
                                       uint8_t *decrypted_buffer_cap,
                                       size_t decrypted_buffer_cap_size, size_t *decrypted_len)
{
    uint8_t pt[256];
    size_t pt_len = sizeof(pt);
    struct hrot_cap *c;
    struct hrot_key *k;
    uint32_t handle;
    psa_status_t st;

    if ((st = get_cap(msg, key_id_cap, HROT_RIGHT_DECRYPT, &c, &k)) != PSA_SUCCESS)
        return st;
    if (k->type != HROT_KEY_RSA2048_DECRYPT)
        return PSA_ERROR_NOT_PERMITTED;
    if ((st = load(k, &handle)) != PSA_SUCCESS ||
        (st = hrot_tpm_decrypt(handle, encrypted_data_cap, encrypted_data_cap_size, pt, &pt_len)) !=
            PSA_SUCCESS)
        return st;
    if (decrypted_buffer_cap_size < pt_len) {
        st = PSA_ERROR_BUFFER_TOO_SMALL;
    } else {
        memcpy(decrypted_buffer_cap, pt, pt_len);
        *decrypted_len = pt_len;
    }
    explicit_bzero(pt, sizeof(pt));
    return st;
}

psa_status_t hrot_grant_handler(const psa_msg_t *msg, const hrot_cap_t *cap, int32_t grantee,
                                uint32_t rights, hrot_cap_t *granted, uint32_t *serial)
{
    struct hrot_cap *c;
    struct hrot_key *k;
    psa_status_t st;

    if ((st = get_cap(msg, cap, HROT_RIGHT_GRANT, &c, &k)) != PSA_SUCCESS ||
        (st = hrot_caps_grant(c, grantee, rights, granted->bytes, serial)) != PSA_SUCCESS)
        return st;
    LOG_INFFMT("[HROT] client %d granted key %u to client %d (rights 0x%x, serial %u)\n",
               (int)msg->client_id, (unsigned)k->id, (int)grantee, (unsigned)rights,
               (unsigned)*serial);
    return PSA_SUCCESS;
}

psa_status_t hrot_revoke_handler(const psa_msg_t *msg, const hrot_cap_t *cap, uint32_t serial)
{
    struct hrot_cap *c;
    struct hrot_key *k;
    psa_status_t st;

    if ((st = get_cap(msg, cap, HROT_RIGHT_GRANT, &c, &k)) != PSA_SUCCESS)
        return st;
    if ((st = hrot_caps_revoke(c, k, serial)) == PSA_SUCCESS)
        LOG_INFFMT("[HROT] client %d revoked capability %u of key %u\n", (int)msg->client_id,
                   (unsigned)serial, (unsigned)k->id);
    return st;
}

psa_status_t hrot_attest_key_handler(const psa_msg_t *msg, const hrot_cap_t *cap,
                                     const uint8_t *nonce, size_t nonce_size, uint8_t *out,
                                     size_t out_size, size_t *out_len)
{
    static uint8_t attest[HROT_ATTEST_MAX], ak[HROT_PUB_MAX];
    size_t attest_len = sizeof(attest), ak_len = sizeof(ak), n = 0;
    uint8_t rs[64];
    struct hrot_cap *c;
    struct hrot_key *k;
    uint32_t handle;
    psa_status_t st;

    if ((st = get_cap(msg, cap, HROT_RIGHT_GET_PUBLIC, &c, &k)) != PSA_SUCCESS)
        return st;
    if ((st = load(k, &handle)) != PSA_SUCCESS ||
        (st = hrot_tpm_certify(handle, nonce, nonce_size, attest, &attest_len, rs, ak, &ak_len)) !=
            PSA_SUCCESS)
        return st;
    /* u16 n, TPMS_ATTEST, r || s, the AK's TPM2B_PUBLIC, the key's */
    if (2 + attest_len + 64 + ak_len + k->pub_len > out_size)
        return PSA_ERROR_BUFFER_TOO_SMALL;
    out[n++] = (uint8_t)(attest_len >> 8);
    out[n++] = (uint8_t)attest_len;
    memcpy(out + n, attest, attest_len);
    n += attest_len;
    memcpy(out + n, rs, 64);
    n += 64;
    memcpy(out + n, ak, ak_len);
    n += ak_len;
    memcpy(out + n, k->pub, k->pub_len);
    *out_len = n + k->pub_len;
    return PSA_SUCCESS;
}

psa_status_t hrot_destroy_key_handler(const psa_msg_t *msg, const hrot_cap_t *cap)
{
    struct hrot_cap *c;
    struct hrot_key *k;
    psa_status_t st;

    if ((st = get_cap(msg, cap, 0, &c, &k)) != PSA_SUCCESS)
        return st;
    return hrot_caps_destroy(c, k);
}

psa_status_t partix_hrot_sfn(const psa_msg_t *msg)
{
    return hrot_dispatch(msg);
}
