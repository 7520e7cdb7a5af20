/*
 * hrot_sp.c - the hardware root of trust partition (PARTIX_SP_HROT, SFN
 * model): each call type of hrot_defs.h checks its vectors' sizes before
 * it reads them, finds the caller's capability for the caller's client id
 * (psa-spm's, from the kernel; never what the caller sent), checks its
 * rights, and drives the TPM (hrot_tpm.c).  No reply carries a secret: the
 * TPM's blobs stay here, its keys in the TPM.
 */
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <mbedtls/sha256.h>

#include "hrot_caps.h"
#include "hrot_defs.h"
#include "hrot_tpm.h"
#include "partix/storage.h"
#include "partix/tpm.h"
#include "psa/service.h"
#include "psa_manifest/partix_hrot.h"
#include "tfm_sp_log.h"

#define CHUNK 1024

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
        LOG_ERRFMT("[HROT] TPM start failed (%d): every call fails until psa-spm restarts\n",
                   (int)s);
    return PSA_SUCCESS;
}

/* Whether @p msg carries a non-empty vector past its call type's. */
static bool extra_vectors(const psa_msg_t *msg, size_t n_in, size_t n_out)
{
    size_t i;

    for (i = n_in; i < PSA_MAX_IOVEC; i++)
        if (msg->in_size[i] != 0)
            return true;
    for (i = n_out; i < PSA_MAX_IOVEC; i++)
        if (msg->out_size[i] != 0)
            return true;
    return false;
}

static psa_status_t read_u32(const psa_msg_t *msg, uint32_t idx, uint32_t *v)
{
    if (msg->in_size[idx] != sizeof(*v) || psa_read(msg->handle, idx, v, sizeof(*v)) != sizeof(*v))
        return PSA_ERROR_INVALID_ARGUMENT;
    return PSA_SUCCESS;
}

/* The caller's capability in in_vec[0], with @p right. */
static psa_status_t get_cap(const psa_msg_t *msg, uint32_t right, struct hrot_cap **cap,
                            struct hrot_key **key)
{
    uint8_t token[HROT_CAP_SIZE];
    psa_status_t st;

    if (msg->in_size[0] != sizeof(token) ||
        psa_read(msg->handle, 0, token, sizeof(token)) != sizeof(token))
        return PSA_ERROR_INVALID_HANDLE;
    if ((st = hrot_caps_find(token, msg->client_id, cap, key)) != PSA_SUCCESS)
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

static psa_status_t write_cap(const psa_msg_t *msg, const uint8_t token[HROT_CAP_SIZE],
                              uint32_t serial)
{
    struct hrot_wire_cap w;

    memcpy(w.token, token, sizeof(w.token));
    w.serial = serial;
    psa_write(msg->handle, 0, &w, sizeof(w));
    return PSA_SUCCESS;
}

static psa_status_t random_req(const psa_msg_t *msg)
{
    uint8_t buf[CHUNK];
    uint32_t n;
    psa_status_t st;

    if ((st = read_u32(msg, 0, &n)) != PSA_SUCCESS)
        return st;
    if (n > HROT_MAX_RANDOM_CALL)
        return PSA_ERROR_INVALID_ARGUMENT;
    if (msg->out_size[0] < n)
        return PSA_ERROR_BUFFER_TOO_SMALL;
    if ((st = tpm_ready()) != PSA_SUCCESS)
        return st;
    while (n > 0) {
        size_t k = n > sizeof(buf) ? sizeof(buf) : n;

        if ((st = hrot_tpm_random(buf, k)) != PSA_SUCCESS)
            break;
        psa_write(msg->handle, 0, buf, k);
        n -= (uint32_t)k;
    }
    explicit_bzero(buf, sizeof(buf));
    return st;
}

static psa_status_t keygen_req(const psa_msg_t *msg)
{
    static uint8_t priv[HROT_PRIV_MAX], pub[HROT_PUB_MAX];
    size_t priv_len = sizeof(priv), pub_len = sizeof(pub);
    uint8_t token[HROT_CAP_SIZE];
    uint32_t type, serial;
    psa_status_t st;

    if ((st = read_u32(msg, 0, &type)) != PSA_SUCCESS)
        return st;
    if (type != HROT_KEY_ECC_P256_SIGN && type != HROT_KEY_RSA2048_DECRYPT)
        return PSA_ERROR_NOT_SUPPORTED;
    if (msg->out_size[0] < sizeof(struct hrot_wire_cap))
        return PSA_ERROR_BUFFER_TOO_SMALL;
    if ((st = tpm_ready()) != PSA_SUCCESS)
        return st;
    st = hrot_tpm_create(type == HROT_KEY_ECC_P256_SIGN ? TPM2_T_ECC_SIGN : TPM2_T_RSA_DECRYPT,
                         priv, &priv_len, pub, &pub_len);
    if (st == PSA_SUCCESS)
        st = hrot_caps_add_key(msg->client_id, type, priv, priv_len, pub, pub_len, token, &serial);
    if (st == PSA_SUCCESS)
        LOG_INFFMT("[HROT] key of type %u made in the TPM for client %d\n", (unsigned)type,
                   (int)msg->client_id);
    return st == PSA_SUCCESS ? write_cap(msg, token, serial) : st;
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

static psa_status_t get_public_req(const psa_msg_t *msg)
{
    uint8_t out[HROT_RSA_PUBLIC_MAX];
    struct hrot_cap *c;
    struct hrot_key *k;
    size_t n;
    psa_status_t st;

    if ((st = get_cap(msg, HROT_RIGHT_GET_PUBLIC, &c, &k)) != PSA_SUCCESS)
        return st;
    if ((n = export_public(k, out, sizeof(out))) == 0)
        return PSA_ERROR_DATA_CORRUPT;
    if (msg->out_size[0] < n)
        return PSA_ERROR_BUFFER_TOO_SMALL;
    psa_write(msg->handle, 0, out, n);
    return PSA_SUCCESS;
}

static psa_status_t sign_req(const psa_msg_t *msg)
{
    mbedtls_sha256_context sha;
    uint8_t buf[CHUNK], digest[32], rs[64];
    struct hrot_cap *c;
    struct hrot_key *k;
    uint32_t handle;
    size_t left = msg->in_size[1];
    psa_status_t st;

    if ((st = get_cap(msg, HROT_RIGHT_SIGN, &c, &k)) != PSA_SUCCESS)
        return st;
    if (k->type != HROT_KEY_ECC_P256_SIGN)
        return PSA_ERROR_NOT_PERMITTED;
    if (left > HROT_MAX_SIGN_DATA)
        return PSA_ERROR_INVALID_ARGUMENT;
    if (msg->out_size[0] < sizeof(rs))
        return PSA_ERROR_BUFFER_TOO_SMALL;
    mbedtls_sha256_init(&sha);
    mbedtls_sha256_starts_ret(&sha, 0);
    while (left > 0) {
        size_t n = psa_read(msg->handle, 1, buf, sizeof(buf));

        if (n == 0)
            break;
        mbedtls_sha256_update_ret(&sha, buf, n);
        left -= n;
    }
    mbedtls_sha256_finish_ret(&sha, digest);
    mbedtls_sha256_free(&sha);
    if ((st = load(k, &handle)) != PSA_SUCCESS ||
        (st = hrot_tpm_sign(handle, digest, rs)) != PSA_SUCCESS)
        return st;
    psa_write(msg->handle, 0, rs, sizeof(rs));
    return PSA_SUCCESS;
}

static psa_status_t decrypt_req(const psa_msg_t *msg)
{
    uint8_t ct[HROT_RSA_CIPHERTEXT_SIZE], pt[256];
    size_t pt_len = sizeof(pt);
    struct hrot_cap *c;
    struct hrot_key *k;
    uint32_t handle;
    psa_status_t st;

    if ((st = get_cap(msg, HROT_RIGHT_DECRYPT, &c, &k)) != PSA_SUCCESS)
        return st;
    if (k->type != HROT_KEY_RSA2048_DECRYPT)
        return PSA_ERROR_NOT_PERMITTED;
    if (msg->in_size[1] != sizeof(ct))
        return PSA_ERROR_INVALID_ARGUMENT;
    if (psa_read(msg->handle, 1, ct, sizeof(ct)) != sizeof(ct))
        return PSA_ERROR_INVALID_ARGUMENT;
    if ((st = load(k, &handle)) != PSA_SUCCESS ||
        (st = hrot_tpm_decrypt(handle, ct, sizeof(ct), pt, &pt_len)) != PSA_SUCCESS)
        return st;
    if (msg->out_size[0] < pt_len)
        st = PSA_ERROR_BUFFER_TOO_SMALL;
    else
        psa_write(msg->handle, 0, pt, pt_len);
    explicit_bzero(pt, sizeof(pt));
    return st;
}

static psa_status_t grant_req(const psa_msg_t *msg)
{
    struct hrot_wire_grant g;
    uint8_t token[HROT_CAP_SIZE];
    struct hrot_cap *c;
    struct hrot_key *k;
    uint32_t serial;
    psa_status_t st;

    if ((st = get_cap(msg, HROT_RIGHT_GRANT, &c, &k)) != PSA_SUCCESS)
        return st;
    if (msg->in_size[1] != sizeof(g) || psa_read(msg->handle, 1, &g, sizeof(g)) != sizeof(g))
        return PSA_ERROR_INVALID_ARGUMENT;
    if (msg->out_size[0] < sizeof(struct hrot_wire_cap))
        return PSA_ERROR_BUFFER_TOO_SMALL;
    if ((st = hrot_caps_grant(c, g.grantee, g.rights, token, &serial)) != PSA_SUCCESS)
        return st;
    LOG_INFFMT("[HROT] client %d granted key %u to client %d (rights 0x%x, serial %u)\n",
               (int)msg->client_id, (unsigned)k->id, (int)g.grantee, (unsigned)g.rights,
               (unsigned)serial);
    return write_cap(msg, token, serial);
}

static psa_status_t revoke_req(const psa_msg_t *msg)
{
    struct hrot_cap *c;
    struct hrot_key *k;
    uint32_t serial;
    psa_status_t st;

    if ((st = get_cap(msg, HROT_RIGHT_GRANT, &c, &k)) != PSA_SUCCESS)
        return st;
    if ((st = read_u32(msg, 1, &serial)) != PSA_SUCCESS)
        return st;
    if ((st = hrot_caps_revoke(c, k, serial)) == PSA_SUCCESS)
        LOG_INFFMT("[HROT] client %d revoked capability %u of key %u\n", (int)msg->client_id,
                   (unsigned)serial, (unsigned)k->id);
    return st;
}

static psa_status_t attest_req(const psa_msg_t *msg)
{
    static uint8_t out[HROT_ATTEST_MAX], attest[HROT_ATTEST_MAX], ak[HROT_PUB_MAX];
    uint8_t nonce[HROT_MAX_NONCE], rs[64];
    size_t attest_len = sizeof(attest), ak_len = sizeof(ak), n_nonce = msg->in_size[1], n = 0;
    struct hrot_cap *c;
    struct hrot_key *k;
    uint32_t handle;
    psa_status_t st;

    if ((st = get_cap(msg, HROT_RIGHT_GET_PUBLIC, &c, &k)) != PSA_SUCCESS)
        return st;
    if (n_nonce > sizeof(nonce) || psa_read(msg->handle, 1, nonce, n_nonce) != n_nonce)
        return PSA_ERROR_INVALID_ARGUMENT;
    if ((st = load(k, &handle)) != PSA_SUCCESS ||
        (st = hrot_tpm_certify(handle, nonce, n_nonce, attest, &attest_len, rs, ak, &ak_len)) !=
            PSA_SUCCESS)
        return st;
    /* u16 n, TPMS_ATTEST, r || s, u16 m, AK TPMT_PUBLIC, u16 k, key TPMT_PUBLIC
     * (the TPM2B's own big-endian size prefixes serve as the u16s) */
    if (2 + attest_len + 64 + ak_len + k->pub_len > sizeof(out))
        return PSA_ERROR_INSUFFICIENT_MEMORY;
    out[n++] = (uint8_t)(attest_len >> 8);
    out[n++] = (uint8_t)attest_len;
    memcpy(out + n, attest, attest_len);
    n += attest_len;
    memcpy(out + n, rs, 64);
    n += 64;
    memcpy(out + n, ak, ak_len);
    n += ak_len;
    memcpy(out + n, k->pub, k->pub_len);
    n += k->pub_len;
    if (msg->out_size[0] < n)
        return PSA_ERROR_BUFFER_TOO_SMALL;
    psa_write(msg->handle, 0, out, n);
    return PSA_SUCCESS;
}

static psa_status_t destroy_req(const psa_msg_t *msg)
{
    struct hrot_cap *c;
    struct hrot_key *k;
    psa_status_t st;

    if ((st = get_cap(msg, 0, &c, &k)) != PSA_SUCCESS)
        return st;
    return hrot_caps_destroy(c, k);
}

/* Inputs and outputs of each call type (hrot_defs.h). */
static const struct {
    uint8_t n_in, n_out;
} shape[] = {
    [HROT_INIT] = {0, 0},         [HROT_TRNG_METHOD_GET_RANDOM_BYTES] = {1, 1},
    [HROT_GENERATE_KEY] = {1, 1}, [HROT_GET_PUBLIC_KEY] = {1, 1},
    [HROT_SIGN_DATA] = {2, 1},    [HROT_DECRYPT_DATA] = {2, 1},
    [HROT_GRANT] = {2, 1},        [HROT_REVOKE] = {2, 0},
    [HROT_ATTEST_KEY] = {2, 1},   [HROT_DESTROY_KEY] = {1, 0},
};

psa_status_t partix_hrot_sfn(const psa_msg_t *msg)
{
    if (msg->type < HROT_INIT || msg->type > HROT_DESTROY_KEY)
        return PSA_ERROR_NOT_SUPPORTED;
    if (extra_vectors(msg, shape[msg->type].n_in, shape[msg->type].n_out))
        return PSA_ERROR_INVALID_ARGUMENT;
    switch (msg->type) {
    case HROT_INIT:
        return tpm_ready();
    case HROT_TRNG_METHOD_GET_RANDOM_BYTES:
        return random_req(msg);
    case HROT_GENERATE_KEY:
        return keygen_req(msg);
    case HROT_GET_PUBLIC_KEY:
        return get_public_req(msg);
    case HROT_SIGN_DATA:
        return sign_req(msg);
    case HROT_DECRYPT_DATA:
        return decrypt_req(msg);
    case HROT_GRANT:
        return grant_req(msg);
    case HROT_REVOKE:
        return revoke_req(msg);
    case HROT_ATTEST_KEY:
        return attest_req(msg);
    default:
        return destroy_req(msg);
    }
}
