/*
 * hrot_tpm.c - the TPM driver (hrot_tpm.h): one command, one response, each
 * within HROT_TPM_TIMEOUT_MS, over a channel where one write is one command
 * and one read one response (a SOCK_SEQPACKET pair with swtpm, the kernel's
 * TPM character device).  The codec (tpm2_codec.c) writes and checks the
 * bytes; this file owns the device's state: up, or gone for good.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "hrot_tpm.h"
#include "tfm_sp_log.h"

#define RETRIES 50 /* TPM_RC_RETRY, YIELDED, TESTING: the TPM asks to be asked again */

static struct {
    int fd;          /* -1: none, or gone */
    int up;          /* Startup and SelfTest done, primary made */
    uint32_t srk;    /* the storage primary key's handle */
    uint32_t ak;     /* the attestation key's handle, 0: not made yet */
    uint32_t cached; /* the loaded key's handle, 0: none */
    uint32_t cached_id;
    uint8_t rsp[TPM2_MAX_BUF];
    struct tpm2_cmd cmd;
} dev = {.fd = -1};

static long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static psa_status_t gone(const char *what, int err)
{
    if (dev.fd >= 0)
        LOG_ERRFMT("[HROT] TPM %s%s%s: the device is gone\n", what, err ? ": " : "",
                   err ? strerror(err) : "");
    if (dev.fd >= 0)
        close(dev.fd);
    dev.fd = -1;
    dev.up = 0;
    return PSA_ERROR_HARDWARE_FAILURE;
}

/* Waits for @p events on the device until @p deadline: 0, or -1 (errno). */
static int wait_for(short events, long deadline)
{
    for (;;) {
        struct pollfd p = {dev.fd, events, 0};
        long left = deadline - now_ms();
        int n;

        if (left <= 0) {
            errno = ETIMEDOUT;
            return -1;
        }
        n = poll(&p, 1, (int)left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            continue;
        if (p.revents & events)
            return 0;
        errno = EPIPE; /* POLLHUP or POLLERR: the other end went away */
        return -1;
    }
}

/* Sends dev.cmd and reads one response: its length, or a status < 0. */
static psa_status_t transact(size_t *len)
{
    long deadline = now_ms() + HROT_TPM_TIMEOUT_MS;
    ssize_t n;

    if (dev.fd < 0)
        return PSA_ERROR_HARDWARE_FAILURE;
    /* a socket takes the command at once, without a poll first (a system
     * call per command less); a full one, or a device, is waited for */
    do
        n = send(dev.fd, dev.cmd.b, dev.cmd.len, MSG_DONTWAIT | MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
    if (n < 0 && (errno == EAGAIN || errno == ENOTSOCK)) {
        if (wait_for(POLLOUT, deadline) < 0)
            return gone("write", errno);
        do
            n = write(dev.fd, dev.cmd.b, dev.cmd.len);
        while (n < 0 && errno == EINTR);
    }
    if (n != (ssize_t)dev.cmd.len)
        return gone("write", n < 0 ? errno : EIO);
    if (wait_for(POLLIN, deadline) < 0)
        return gone(errno == ETIMEDOUT ? "late" : "read", errno == ETIMEDOUT ? 0 : errno);
    do
        n = read(dev.fd, dev.rsp, sizeof(dev.rsp));
    while (n < 0 && errno == EINTR);
    if (n <= 0)
        return gone("read", n < 0 ? errno : EPIPE);
    *len = (size_t)n;
    return PSA_SUCCESS;
}

psa_status_t hrot_tpm_status(uint32_t rc)
{
    if (rc == TPM2_RC_SUCCESS)
        return PSA_SUCCESS;
    if (rc == TPM2_RC_OBJECT_MEMORY)
        return PSA_ERROR_INSUFFICIENT_MEMORY;
    if ((rc & TPM2_RC_FMT1) && ((rc & 0x3fu) == TPM2_RC_VALUE || (rc & 0x3fu) == TPM2_RC_SIZE))
        return PSA_ERROR_INVALID_ARGUMENT;
    return PSA_ERROR_HARDWARE_FAILURE;
}

/*
 * Runs the command built in dev.cmd (built == 0), retrying what the TPM
 * asks to retry, and frames its response: PSA_SUCCESS with *params, or the
 * status of a TPM error (logged), or HARDWARE_FAILURE for a device that
 * misbehaves (then gone).
 */
static psa_status_t run(int built, const char *name, unsigned sessions, unsigned n_handles,
                        uint32_t *handles, struct tpm2_slice *params, uint32_t *rc_out)
{
    uint32_t rc = 0;
    size_t len = 0;
    int i;
    psa_status_t st;

    if (built < 0)
        return PSA_ERROR_INVALID_ARGUMENT;
    for (i = 0; i < RETRIES; i++) {
        if ((st = transact(&len)) != PSA_SUCCESS)
            return st;
        if (tpm2_rsp_frame(dev.rsp, len, sessions, n_handles, &rc, handles, params) < 0)
            return gone("response malformed", 0);
        if (rc != TPM2_RC_RETRY && rc != TPM2_RC_YIELDED && rc != TPM2_RC_TESTING)
            break;
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    if (rc_out != NULL)
        *rc_out = rc;
    if (rc != TPM2_RC_SUCCESS && rc_out == NULL)
        LOG_INFFMT("[HROT] TPM %s: response code 0x%x\n", name, (unsigned)rc);
    return rc_out != NULL ? PSA_SUCCESS : hrot_tpm_status(rc);
}

static psa_status_t flush(uint32_t handle)
{
    struct tpm2_slice p;

    return run(tpm2_cmd_flush(&dev.cmd, handle), "FlushContext", 0, 0, NULL, &p, NULL);
}

static psa_status_t make_primary(uint32_t hierarchy, enum tpm2_template t, uint32_t *handle,
                                 struct tpm2_slice *pub)
{
    struct tpm2_slice p;
    psa_status_t st;

    st = run(tpm2_cmd_create_primary(&dev.cmd, hierarchy, t), "CreatePrimary", 1, 1, handle, &p,
             NULL);
    if (st == PSA_SUCCESS && tpm2_parse_create_primary(p, pub) < 0)
        return gone("CreatePrimary response malformed", 0);
    return st;
}

psa_status_t hrot_tpm_init(int fd)
{
    struct tpm2_slice p, pub;
    uint32_t rc;
    psa_status_t st;

    if (dev.up)
        return PSA_SUCCESS;
    if (fd >= 0 && dev.fd < 0)
        dev.fd = fd;
    if (dev.fd < 0)
        return PSA_ERROR_HARDWARE_FAILURE;
    /* a TPM started already (the host's, or after a partition restart)
     * answers TPM_RC_INITIALIZE: that is fine */
    st = run(tpm2_cmd_startup(&dev.cmd), "Startup", 0, 0, NULL, &p, &rc);
    if (st != PSA_SUCCESS)
        return st;
    if (rc != TPM2_RC_SUCCESS && rc != TPM2_RC_INITIALIZE) {
        LOG_ERRFMT("[HROT] TPM Startup: response code 0x%x\n", (unsigned)rc);
        return PSA_ERROR_HARDWARE_FAILURE;
    }
    if ((st = run(tpm2_cmd_self_test(&dev.cmd), "SelfTest", 0, 0, NULL, &p, NULL)) != PSA_SUCCESS)
        return st;
    /* the storage primary key: derived from the owner seed, so the same
     * key each time, and every key made under it loads again after any
     * restart */
    if ((st = make_primary(TPM2_RH_OWNER, TPM2_T_STORAGE_PRIMARY, &dev.srk, &pub)) != PSA_SUCCESS)
        return st;
    dev.up = 1;
    dev.cached = 0;
    dev.ak = 0;
    return PSA_SUCCESS;
}

int hrot_tpm_up(void)
{
    return dev.up && dev.fd >= 0;
}

psa_status_t hrot_tpm_random(uint8_t *out, size_t n)
{
    struct tpm2_slice p, bytes;
    psa_status_t st;

    while (n > 0) {
        uint16_t ask = n > 64 ? 64 : (uint16_t)n;

        st = run(tpm2_cmd_get_random(&dev.cmd, ask), "GetRandom", 0, 0, NULL, &p, NULL);
        if (st != PSA_SUCCESS)
            return st;
        if (tpm2_parse_random(p, ask, &bytes) < 0 || bytes.len == 0)
            return gone("GetRandom response malformed", 0);
        memcpy(out, bytes.p, bytes.len);
        out += bytes.len;
        n -= bytes.len;
    }
    return PSA_SUCCESS;
}

psa_status_t hrot_tpm_create(enum tpm2_template t, uint8_t *priv, size_t *priv_len, uint8_t *pub,
                             size_t *pub_len)
{
    struct tpm2_slice p, sp, su;
    struct tpm2_public pk;
    psa_status_t st;

    st = run(tpm2_cmd_create(&dev.cmd, dev.srk, t), "Create", 1, 0, NULL, &p, NULL);
    if (st != PSA_SUCCESS)
        return st;
    if (tpm2_parse_create(p, &sp, &su) < 0 || tpm2_parse_public(su, &pk) < 0)
        return gone("Create response malformed", 0);
    if (sp.len > *priv_len || su.len > *pub_len)
        return PSA_ERROR_INSUFFICIENT_MEMORY;
    memcpy(priv, sp.p, sp.len);
    memcpy(pub, su.p, su.len);
    *priv_len = sp.len;
    *pub_len = su.len;
    return PSA_SUCCESS;
}

psa_status_t hrot_tpm_load(uint32_t id, const uint8_t *priv, size_t priv_len, const uint8_t *pub,
                           size_t pub_len, uint32_t *handle)
{
    struct tpm2_slice p;
    psa_status_t st;

    if (dev.cached != 0 && dev.cached_id == id) {
        *handle = dev.cached;
        return PSA_SUCCESS;
    }
    if (dev.cached != 0) {
        /* swtpm holds three transient objects: the primary and one key */
        if ((st = flush(dev.cached)) != PSA_SUCCESS)
            return st;
        dev.cached = 0;
    }
    st = run(tpm2_cmd_load(&dev.cmd, dev.srk, priv, priv_len, pub, pub_len), "Load", 1, 1, handle,
             &p, NULL);
    if (st != PSA_SUCCESS)
        return st;
    if (tpm2_parse_load(p) < 0)
        return gone("Load response malformed", 0);
    dev.cached = *handle;
    dev.cached_id = id;
    return PSA_SUCCESS;
}

psa_status_t hrot_tpm_sign(uint32_t handle, const uint8_t digest[32], uint8_t rs[64])
{
    struct tpm2_slice p;
    psa_status_t st = run(tpm2_cmd_sign(&dev.cmd, handle, digest), "Sign", 1, 0, NULL, &p, NULL);

    if (st == PSA_SUCCESS && tpm2_parse_sign(p, rs) < 0)
        return gone("Sign response malformed", 0);
    return st;
}

psa_status_t hrot_tpm_decrypt(uint32_t handle, const uint8_t *ct, size_t ct_len, uint8_t *out,
                              size_t *out_len)
{
    struct tpm2_slice p, m;
    uint32_t rc;
    psa_status_t st;

    st =
        run(tpm2_cmd_rsa_decrypt(&dev.cmd, handle, ct, ct_len), "RSA_Decrypt", 1, 0, NULL, &p, &rc);
    if (st != PSA_SUCCESS)
        return st;
    /* not an OAEP block of this key: TPM_RC_VALUE in the specification,
     * TPM_RC_FAILURE from libtpms (swtpm), which goes on working */
    if (rc == TPM2_RC_FAILURE || hrot_tpm_status(rc) == PSA_ERROR_INVALID_ARGUMENT)
        return PSA_ERROR_INVALID_PADDING;
    if (rc != TPM2_RC_SUCCESS)
        return hrot_tpm_status(rc);
    if (tpm2_parse_decrypt(p, &m) < 0)
        return gone("RSA_Decrypt response malformed", 0);
    if (m.len > *out_len)
        return PSA_ERROR_BUFFER_TOO_SMALL;
    memcpy(out, m.p, m.len);
    *out_len = m.len;
    return PSA_SUCCESS;
}

psa_status_t hrot_tpm_certify(uint32_t handle, const uint8_t *nonce, size_t nonce_len,
                              uint8_t *attest, size_t *attest_len, uint8_t rs[64], uint8_t *ak_pub,
                              size_t *ak_pub_len)
{
    static uint8_t ak_area[TPM2_MAX_BUF];
    static size_t ak_len;
    struct tpm2_slice p, a, pub;
    psa_status_t st;

    if (dev.ak == 0) {
        /* the key being certified stays loaded: the primary, it and the
         * attestation key are swtpm's three transient objects */
        if ((st = make_primary(TPM2_RH_ENDORSEMENT, TPM2_T_ATTEST_PRIMARY, &dev.ak, &pub)) !=
            PSA_SUCCESS)
            return st;
        if (pub.len > sizeof(ak_area))
            return gone("CreatePrimary response malformed", 0);
        memcpy(ak_area, pub.p, pub.len);
        ak_len = pub.len;
    }
    st = run(tpm2_cmd_certify(&dev.cmd, handle, dev.ak, nonce, nonce_len), "Certify", 2, 0, NULL,
             &p, NULL);
    if (st == PSA_SUCCESS && tpm2_parse_certify(p, &a, rs) < 0)
        st = gone("Certify response malformed", 0);
    if (st == PSA_SUCCESS && (a.len > *attest_len || ak_len > *ak_pub_len))
        st = PSA_ERROR_BUFFER_TOO_SMALL;
    if (st == PSA_SUCCESS) {
        memcpy(attest, a.p, a.len);
        *attest_len = a.len;
        memcpy(ak_pub, ak_area, ak_len);
        *ak_pub_len = ak_len;
    }
    /* the attestation key is made again next time: a transient slot is
     * worth more than the time */
    if (dev.ak != 0 && hrot_tpm_up() && flush(dev.ak) == PSA_SUCCESS)
        dev.ak = 0;
    return st;
}
