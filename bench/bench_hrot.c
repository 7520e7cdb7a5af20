/*
 * bench_hrot.c - make bench: the hardware root of trust's costs (issue 16),
 * each against the same TPM 2.0 commands sent straight to a swtpm of the
 * bench's own in the same run (a SOCK_SEQPACKET pair, as psa-spm connects
 * the partition's):
 *
 *   - TRNG throughput: hrot_trng_get_random_bytes() of 64 KiB at a time,
 *     against TPM2_GetRandom(64) in a loop;
 *   - ECDSA P-256 signing latency: hrot_sign_data() of 32 bytes (the
 *     partition hashes, loads the cached key, signs), median and p99,
 *     against TPM2_Sign with the key loaded;
 *   - RSA-2048 OAEP decryption latency: hrot_decrypt_data() of a block
 *     Mbed TLS made with the exported public key, against TPM2_RSA_Decrypt
 *     with the key loaded.
 *
 * Usage: bench_hrot PSA_SPM MANIFEST_LIST PLATFORM   (prints figures, asserts none)
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <mbedtls/rsa.h>

#include "partix/hrot.h"
#include "tpm2_codec.h"

#define RANDOM_BYTES (4u << 20)
#define SIGN_ROUNDS 400
#define DECRYPT_ROUNDS 100

static double now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static void stats(double *v, int n, double *median, double *p99)
{
    qsort(v, (size_t)n, sizeof(*v), cmp_double);
    *median = v[n / 2];
    *p99 = v[(n * 99) / 100];
}

static pid_t start_spm(const char *spm, const char *list, const char *platform, const char *sock,
                       const char *state)
{
    char fdarg[16], buf[8];
    int fds[2];
    struct pollfd p;
    pid_t pid;

    if (pipe(fds) < 0)
        return -1;
    snprintf(fdarg, sizeof(fdarg), "%d", fds[1]);
    pid = fork();
    if (pid == 0) {
        close(fds[0]);
        execl(spm, spm, "--manifest-list", list, "--platform", platform, "--socket", sock,
              "--state-dir", state, "--log-level", "error", "--ready-fd", fdarg, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    p.fd = fds[0];
    p.events = POLLIN;
    if (poll(&p, 1, 15000) != 1 || read(fds[0], buf, sizeof(buf)) != 6) {
        kill(pid, SIGKILL);
        return -1;
    }
    close(fds[0]);
    return pid;
}

/* ---- the baseline: the bench's own swtpm ---- */

static int tpm_fd;
static struct tpm2_cmd cmd;
static uint8_t rsp[TPM2_MAX_BUF];

static pid_t start_swtpm(const char *dir)
{
    char state[128];
    int sv[2];
    pid_t pid;

    if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) < 0)
        return -1;
    snprintf(state, sizeof(state), "dir=%s", dir);
    pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);

        dup2(sv[1], 3);
        if (null >= 0)
            dup2(null, 2); /* its goodbye on each disconnect is no figure */
        execlp("swtpm", "swtpm", "chardev", "--tpm2", "--fd", "3", "--flags", "not-need-init",
               "--tpmstate", state, (char *)NULL);
        _exit(127);
    }
    close(sv[1]);
    tpm_fd = sv[0];
    return pid;
}

/* One command: its parameters, or -1. */
static int direct(int built, unsigned sessions, unsigned n_handles, uint32_t *handles,
                  struct tpm2_slice *params)
{
    uint32_t rc;
    ssize_t n;

    if (built < 0 || write(tpm_fd, cmd.b, cmd.len) != (ssize_t)cmd.len)
        return -1;
    n = read(tpm_fd, rsp, sizeof(rsp));
    if (n <= 0 || tpm2_rsp_frame(rsp, (size_t)n, sessions, n_handles, &rc, handles, params) < 0)
        return -1;
    return rc == 0 ? 0 : -1;
}

/* A key of template @p t, loaded under a fresh storage primary. */
static int direct_key(enum tpm2_template t, uint32_t srk, uint32_t *key, uint8_t *pub_out,
                      size_t *pub_len)
{
    static uint8_t priv[TPM2_MAX_BUF], pub[TPM2_MAX_BUF];
    struct tpm2_slice p, a, b;
    size_t pl, ul;

    if (direct(tpm2_cmd_create(&cmd, srk, t), 1, 0, NULL, &p) < 0 ||
        tpm2_parse_create(p, &a, &b) < 0)
        return -1;
    memcpy(priv, a.p, a.len);
    pl = a.len;
    memcpy(pub, b.p, b.len);
    ul = b.len;
    if (pub_out != NULL) {
        memcpy(pub_out, pub, ul);
        *pub_len = ul;
    }
    return direct(tpm2_cmd_load(&cmd, srk, priv, pl, pub, ul), 1, 1, key, &p);
}

static int rng(void *ctx, unsigned char *out, size_t len)
{
    (void)ctx;
    return getrandom(out, len, 0) == (ssize_t)len ? 0 : -1;
}

/* RSA-OAEP (SHA-256) under modulus @p n (256 bytes), e = 65537. */
static int oaep(const uint8_t *n, const uint8_t *msg, size_t len, uint8_t ct[256])
{
    static const uint8_t e[] = {1, 0, 1};
    mbedtls_rsa_context rsa;
    int rc;

    mbedtls_rsa_init(&rsa, MBEDTLS_RSA_PKCS_V21, MBEDTLS_MD_SHA256);
    rc = mbedtls_rsa_import_raw(&rsa, n, 256, NULL, 0, NULL, 0, NULL, 0, e, sizeof(e));
    if (rc == 0)
        rc = mbedtls_rsa_complete(&rsa);
    if (rc == 0)
        rc = mbedtls_rsa_rsaes_oaep_encrypt(&rsa, rng, NULL, MBEDTLS_RSA_PUBLIC, NULL, 0, len, msg,
                                            ct);
    mbedtls_rsa_free(&rsa);
    return rc == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
    static double lat[SIGN_ROUNDS], base[SIGN_ROUNDS];
    static uint8_t buf[64 << 10];
    char dir[] = "/tmp/partix-bench-hrot-XXXXXX", path[96], state[96], tdir[96], cmdline[128];
    uint8_t sig[64], ct[256], pt[256], digest[32] = {0};
    double t0, secs, base_secs, med, p99, bmed, bp99;
    struct tpm2_slice p;
    hrot_cap_t ecc, rsa;
    uint32_t srk, key, rkey;
    size_t n, done;
    pid_t spm, tpm;
    int i;

    if (argc != 4) {
        fprintf(stderr, "usage: bench_hrot PSA_SPM MANIFEST_LIST PLATFORM\n");
        return 2;
    }
    if (mkdtemp(dir) == NULL)
        return 1;
    snprintf(path, sizeof(path), "%s/spm.sock", dir);
    snprintf(state, sizeof(state), "%s/state", dir);
    snprintf(tdir, sizeof(tdir), "%s/direct", dir);
    snprintf(cmdline, sizeof(cmdline), "mkdir -p %s", tdir);
    if (system(cmdline) != 0)
        return 1;
    setenv("PSA_SPM_SOCKET", path, 1);
    spm = start_spm(argv[1], argv[2], argv[3], path, state);
    tpm = start_swtpm(tdir);
    if (spm < 0 || tpm < 0 || hrot_init() != PSA_SUCCESS) {
        fprintf(stderr, "bench_hrot: psa-spm with a TPM did not start (is swtpm installed?)\n");
        return 1;
    }
    if (direct(tpm2_cmd_startup(&cmd), 0, 0, NULL, &p) < 0 ||
        direct(tpm2_cmd_create_primary(&cmd, TPM2_RH_OWNER, TPM2_T_STORAGE_PRIMARY), 1, 1, &srk,
               &p) < 0) {
        fprintf(stderr, "bench_hrot: the bench's own swtpm did not start\n");
        return 1;
    }

    /* TRNG */
    t0 = now_us();
    for (done = 0; done < RANDOM_BYTES; done += sizeof(buf))
        if (hrot_trng_get_random_bytes(sizeof(buf), buf, sizeof(buf), &n) != PSA_SUCCESS)
            return 1;
    secs = (now_us() - t0) / 1e6;
    t0 = now_us();
    for (done = 0; done < RANDOM_BYTES; done += 64)
        if (direct(tpm2_cmd_get_random(&cmd, 64), 0, 0, NULL, &p) < 0)
            return 1;
    base_secs = (now_us() - t0) / 1e6;
    printf("HRoT TRNG (64 KiB per call): %.2f MiB/s; TPM2_GetRandom(64) straight to swtpm: "
           "%.2f MiB/s; ratio %.2fx\n",
           RANDOM_BYTES / secs / (1 << 20), RANDOM_BYTES / base_secs / (1 << 20), secs / base_secs);

    /* ECDSA P-256 */
    if (hrot_generate_key(HROT_KEY_ECC_P256_SIGN, &ecc) != PSA_SUCCESS ||
        direct_key(TPM2_T_ECC_SIGN, srk, &key, NULL, NULL) < 0)
        return 1;
    for (i = 0; i < SIGN_ROUNDS; i++) {
        t0 = now_us();
        if (hrot_sign_data(&ecc, digest, sizeof(digest), sig, sizeof(sig), &n) != PSA_SUCCESS)
            return 1;
        lat[i] = now_us() - t0;
        t0 = now_us();
        if (direct(tpm2_cmd_sign(&cmd, key, digest), 1, 0, NULL, &p) < 0)
            return 1;
        base[i] = now_us() - t0;
    }
    stats(lat, SIGN_ROUNDS, &med, &p99);
    stats(base, SIGN_ROUNDS, &bmed, &bp99);
    printf("HRoT sign (ECDSA P-256, 32 bytes): median %.0f us, p99 %.0f us; TPM2_Sign straight "
           "to swtpm: median %.0f us, p99 %.0f us; ratio %.2fx\n",
           med, p99, bmed, bp99, med / bmed);
    if (direct(tpm2_cmd_flush(&cmd, key), 0, 0, NULL, &p) < 0)
        return 1;

    /* RSA-2048 OAEP: a block made with each key's public part (Mbed TLS) */
    {
        static uint8_t pubarea[TPM2_MAX_BUF];
        uint8_t der[HROT_RSA_PUBLIC_MAX], ct2[256];
        const uint8_t msg[32] = {1};
        size_t pub_len, der_len;
        struct tpm2_slice s;
        struct tpm2_public pk;

        if (hrot_generate_key(HROT_KEY_RSA2048_DECRYPT, &rsa) != PSA_SUCCESS ||
            hrot_get_public_key(&rsa, der, sizeof(der), &der_len) != PSA_SUCCESS ||
            der_len != 270 || direct_key(TPM2_T_RSA_DECRYPT, srk, &rkey, pubarea, &pub_len) < 0)
            return 1;
        s.p = pubarea;
        s.len = pub_len;
        if (tpm2_parse_public(s, &pk) < 0 || oaep(der + 9, msg, sizeof(msg), ct) < 0 ||
            oaep(pk.n.p, msg, sizeof(msg), ct2) < 0)
            return 1;
        for (i = 0; i < DECRYPT_ROUNDS; i++) {
            t0 = now_us();
            if (hrot_decrypt_data(&rsa, ct, sizeof(ct), pt, sizeof(pt), &n) != PSA_SUCCESS)
                return 1;
            lat[i] = now_us() - t0;
            t0 = now_us();
            if (direct(tpm2_cmd_rsa_decrypt(&cmd, rkey, ct2, sizeof(ct2)), 1, 0, NULL, &p) < 0)
                return 1;
            base[i] = now_us() - t0;
        }
        stats(lat, DECRYPT_ROUNDS, &med, &p99);
        stats(base, DECRYPT_ROUNDS, &bmed, &bp99);
        printf("HRoT decrypt (RSA-2048 OAEP, 32 bytes): median %.0f us, p99 %.0f us; "
               "TPM2_RSA_Decrypt straight to swtpm: median %.0f us, p99 %.0f us; ratio %.2fx\n",
               med, p99, bmed, bp99, med / bmed);
    }

    hrot_destroy_key(&ecc);
    hrot_destroy_key(&rsa);
    close(tpm_fd);
    waitpid(tpm, NULL, 0);
    kill(spm, SIGTERM);
    waitpid(spm, NULL, 0);
    snprintf(cmdline, sizeof(cmdline), "rm -rf %s", dir);
    if (system(cmdline) != 0)
        fprintf(stderr, "bench_hrot: could not remove %s\n", dir);
    return 0;
}
