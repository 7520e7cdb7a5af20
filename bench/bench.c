/*
 * bench.c - make bench: partix's costs, as ratios against a baseline
 * measured in the same run on the same machine.
 *
 *   - 64-byte echo psa_call on an open connection: median and p99;
 *   - the same 64-byte round trip over a raw AF_UNIX socketpair between two
 *     processes (the floor any IPC design pays), and the ratio partix/raw;
 *   - psa_connect + psa_close pairs per second;
 *   - 1 MiB echo throughput (the memfd path);
 *   - a BLS signature of a 32-byte signing root through the BLS HSM
 *     partition (tfm_bls_sign, median), against the same signature in
 *     process (bench_bls's "Sign").
 *
 * Usage: bench PSA_SPM MANIFEST_LIST PLATFORM   (psa-spm runs with --log-level error)
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "psa/client.h"
#include "psa_manifest/sid.h"
#include "tfm_bls_hsm_api.h"

#define ROUNDS 20000
#define PAIRS 3000
#define BIG (1u << 20)
#define BIG_ROUNDS 64
#define BLS_ROUNDS 200

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

/* psa-spm on @p sock, with a state directory of its own beside it (the
 * bench provisions a throwaway device, never the user's). */
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

/* The baseline: a process that echoes 64-byte datagrams back. */
static void raw_roundtrips(double *lat, int n)
{
    char msg[64], back[64];
    int sv[2], i;
    pid_t child;

    memset(msg, 'r', sizeof(msg));
    if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) < 0)
        exit(1);
    child = fork();
    if (child == 0) {
        ssize_t k;

        close(sv[0]);
        while ((k = recv(sv[1], back, sizeof(back), 0)) > 0)
            if (send(sv[1], back, (size_t)k, 0) != k)
                break;
        _exit(0);
    }
    close(sv[1]);
    for (i = 0; i < n; i++) {
        double t0 = now_us();

        if (send(sv[0], msg, sizeof(msg), 0) != sizeof(msg) ||
            recv(sv[0], back, sizeof(back), 0) != sizeof(back))
            exit(1);
        lat[i] = now_us() - t0;
    }
    close(sv[0]);
    waitpid(child, NULL, 0);
}

/* tfm_bls_sign of a signing root with a key imported for the run (and
 * deleted after it: the daemon's state directory keeps nothing). */
static int bls_sign_roundtrip(void)
{
    static double t[BLS_ROUNDS];
    uint8_t sk[TFM_BLS_HSM_SK_LEN] = {0x2a}, root[32] = {0x5a}, sig[TFM_BLS_HSM_SIG_LEN];
    double med, p99, t0;
    uint32_t index;
    int i;

    sk[31] = 1;
    if (tfm_bls_import_key(sk, &index) != PSA_SUCCESS) {
        printf("BLS HSM sign round trip: skipped (no free key slot)\n");
        return 0;
    }
    for (i = 0; i < BLS_ROUNDS + 10; i++) {
        t0 = now_us();
        if (tfm_bls_sign(index, root, sizeof(root), sig) != PSA_SUCCESS)
            return 1;
        if (i >= 10) /* after a warm-up */
            t[i - 10] = now_us() - t0;
    }
    stats(t, BLS_ROUNDS, &med, &p99);
    printf("BLS HSM sign (32-byte root) through the partition: median %.1f us, p99 %.1f us "
           "(%d calls)\n",
           med, p99, BLS_ROUNDS);
    return tfm_bls_delete_key(index) == PSA_SUCCESS ? 0 : 1;
}

int main(int argc, char **argv)
{
    static double lat[ROUNDS], raw[ROUNDS];
    char sock[] = "/tmp/partix-bench-XXXXXX", path[64], state[64], cmd[96];
    uint8_t msg[64], out[64];
    double med, p99, raw_med, raw_p99, t0, secs;
    psa_handle_t h;
    pid_t spm;
    int i;

    if (argc != 4) {
        fprintf(stderr, "usage: bench PSA_SPM MANIFEST_LIST PLATFORM\n");
        return 2;
    }
    if (mkdtemp(sock) == NULL)
        return 1;
    snprintf(path, sizeof(path), "%s/spm.sock", sock);
    setenv("PSA_SPM_SOCKET", path, 1);
    snprintf(state, sizeof(state), "%s/state", sock);
    spm = start_spm(argv[1], argv[2], argv[3], path, state);
    if (spm < 0) {
        fprintf(stderr, "bench: psa-spm did not start\n");
        return 1;
    }
    memset(msg, 'p', sizeof(msg));

    /* 64-byte echo on an open connection */
    h = psa_connect(TFM_ECHO_SERVICE_SID, TFM_ECHO_SERVICE_VERSION);
    if (!PSA_HANDLE_IS_VALID(h))
        return 1;
    for (i = 0; i < 2000; i++) { /* warm-up */
        psa_invec in = {msg, sizeof(msg)};
        psa_outvec o = {out, sizeof(out)};

        psa_call(h, PSA_IPC_CALL, &in, 1, &o, 1);
    }
    for (i = 0; i < ROUNDS; i++) {
        psa_invec in = {msg, sizeof(msg)};
        psa_outvec o = {out, sizeof(out)};

        t0 = now_us();
        if (psa_call(h, PSA_IPC_CALL, &in, 1, &o, 1) != PSA_SUCCESS)
            return 1;
        lat[i] = now_us() - t0;
    }
    stats(lat, ROUNDS, &med, &p99);
    raw_roundtrips(raw, ROUNDS);
    stats(raw, ROUNDS, &raw_med, &raw_p99);
    printf("64-byte echo psa_call (open connection): median %.1f us, p99 %.1f us (%d calls)\n", med,
           p99, ROUNDS);
    printf("64-byte raw AF_UNIX socketpair round trip: median %.1f us, p99 %.1f us\n", raw_med,
           raw_p99);
    printf("ratio partix/raw: median %.2fx, p99 %.2fx\n", med / raw_med, p99 / raw_p99);

    /* 1 MiB echo: the memfd path */
    {
        uint8_t *big = malloc(BIG), *back = malloc(BIG);

        memset(big, 'b', BIG);
        t0 = now_us();
        for (i = 0; i < BIG_ROUNDS; i++) {
            psa_invec in = {big, BIG};
            psa_outvec o = {back, BIG};

            if (psa_call(h, PSA_IPC_CALL, &in, 1, &o, 1) != PSA_SUCCESS || o.len != BIG)
                return 1;
        }
        secs = (now_us() - t0) / 1e6;
        printf("1 MiB echo: %.0f MiB/s each way (%d calls, %.1f ms per call)\n", BIG_ROUNDS / secs,
               BIG_ROUNDS, secs * 1e3 / BIG_ROUNDS);
        free(big);
        free(back);
    }
    psa_close(h);

    /* connect + close */
    t0 = now_us();
    for (i = 0; i < PAIRS; i++) {
        psa_handle_t c = psa_connect(TFM_ECHO_SERVICE_SID, TFM_ECHO_SERVICE_VERSION);

        if (!PSA_HANDLE_IS_VALID(c))
            return 1;
        psa_close(c);
    }
    secs = (now_us() - t0) / 1e6;
    printf("psa_connect + psa_close: %.0f pairs/s (%.1f us per pair)\n", PAIRS / secs,
           secs * 1e6 / PAIRS);

    if (bls_sign_roundtrip() != 0)
        return 1;

    kill(spm, SIGTERM);
    waitpid(spm, NULL, 0);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", sock);
    if (system(cmd) != 0)
        fprintf(stderr, "bench: could not remove %s\n", sock);
    return 0;
}
