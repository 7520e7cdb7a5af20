/*
 * bench.c - make bench: partix's costs, as ratios against a baseline
 * measured in the same run on the same machine, round by round (each
 * round of the baseline next to a round of partix, so both see the same
 * load on this noisy machine).  docs/performance.md reads these figures.
 *
 *   - 64-byte echo psa_call on an open connection against a raw two-process
 *     AF_UNIX SOCK_SEQPACKET ping-pong of 64 bytes: median and p99, ratio;
 *   - 1 MiB echo against one memcpy of 1 MiB: bandwidth, ratio;
 *   - psa_connect + psa_close against a raw Unix-socket connect with one
 *     descriptor passed back: median and p99, ratio;
 *   - the idle check: CPU time psa-spm and every partition take in 10 s
 *     with nothing to do;
 *   - concurrent clients (1 to 1,000 threads, each on its own connection,
 *     calling for a bounded time): calls, errors, latency percentiles;
 *   - echo latency by payload size, 16 B to 4 MiB;
 *   - a BLS signature of a 32-byte signing root through the BLS HSM
 *     partition (tfm_bls_sign, median), against the same signature in
 *     process (bench_bls's "Sign").
 *
 * BENCH_JSON=FILE also writes every figure as JSON.
 *
 * Usage: bench PSA_SPM MANIFEST_LIST PLATFORM   (psa-spm runs with --log-level error)
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "psa/client.h"
#include "psa_manifest/sid.h"
#include "tfm_bls_hsm_api.h"

#define ROUNDS 20000
#define PAIRS 3000
#define BIG (1u << 20)
#define BIG_ROUNDS 200
#define BLS_ROUNDS 200
#define MAX_CLIENTS 1000
#define CLIENT_SECONDS 3
#define IDLE_SECONDS 10

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
        /* room for MAX_CLIENTS connections of one user, each with a call */
        execl(spm, spm, "--manifest-list", list, "--platform", platform, "--socket", sock,
              "--state-dir", state, "--log-level", "error", "--ready-fd", fdarg,
              "--max-connections", "1100", "--max-inflight-user", "1100", "--max-sockets-user",
              "1100", (char *)NULL);
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

/* The baseline's peer: a process that echoes datagrams back. */
static int raw_sock = -1;
static pid_t raw_child;

static void raw_start(void)
{
    static char back[64];
    int sv[2];

    if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) < 0)
        exit(1);
    raw_child = fork();
    if (raw_child == 0) {
        ssize_t k;

        close(sv[0]);
        while ((k = recv(sv[1], back, sizeof(back), 0)) > 0)
            if (send(sv[1], back, (size_t)k, 0) != k)
                break;
        _exit(0);
    }
    close(sv[1]);
    raw_sock = sv[0];
}

static void raw_stop(void)
{
    close(raw_sock);
    waitpid(raw_child, NULL, 0);
}

/* One raw 64-byte round trip: its time in us. */
static double raw_round(void)
{
    static char msg[64] = {'r'}, back[64];
    double t0 = now_us();

    if (send(raw_sock, msg, sizeof(msg), 0) != sizeof(msg) ||
        recv(raw_sock, back, sizeof(back), 0) != sizeof(back))
        exit(1);
    return now_us() - t0;
}

/* The connect baseline's peer: a listening Unix socket whose server
 * passes one descriptor back on each connection, as psa-spm passes a
 * connection's area and doorbell. */
static pid_t conn_child;

static void conn_start(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int l = socket(AF_UNIX, SOCK_SEQPACKET, 0), nul = open("/dev/null", O_RDONLY);

    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
    if (l < 0 || nul < 0 || bind(l, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(l, 64) < 0)
        exit(1);
    conn_child = fork();
    if (conn_child == 0) {
        for (;;) {
            union {
                char buf[CMSG_SPACE(sizeof(int))];
                struct cmsghdr align;
            } ctl;
            char byte = 1;
            struct iovec iov = {&byte, 1};
            struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf,
                                .msg_controllen = sizeof(ctl.buf)};
            struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
            int a = accept(l, NULL, NULL);

            if (a < 0)
                _exit(0);
            c->cmsg_level = SOL_SOCKET;
            c->cmsg_type = SCM_RIGHTS;
            c->cmsg_len = CMSG_LEN(sizeof(int));
            memcpy(CMSG_DATA(c), &nul, sizeof(int));
            (void)sendmsg(a, &mh, 0);
            close(a);
        }
    }
    close(l);
    close(nul);
}

/* One raw connect: connect, take the passed descriptor, close both. */
static double conn_round(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } ctl;
    char byte;
    struct iovec iov = {&byte, 1};
    struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf,
                        .msg_controllen = sizeof(ctl.buf)};
    double t0 = now_us();
    int s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0), fd;

    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
    if (s < 0 || connect(s, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
        recvmsg(s, &mh, MSG_CMSG_CLOEXEC) != 1 || CMSG_FIRSTHDR(&mh) == NULL)
        exit(1);
    memcpy(&fd, CMSG_DATA(CMSG_FIRSTHDR(&mh)), sizeof(int));
    close(fd);
    close(s);
    return now_us() - t0;
}

/* ---- JSON (BENCH_JSON) ---- */

static FILE *json;
static int json_n;

static void fig(const char *name, double value, const char *unit)
{
    if (json != NULL)
        fprintf(json, "%s\n  \"%s\": {\"value\": %.3f, \"unit\": \"%s\"}", json_n++ ? "," : "",
                name, value, unit);
}

/* ---- CPU time of psa-spm and its descendants ---- */

/* utime + stime (clock ticks) of @p pid and every process below it. */
static long long cpu_ticks(pid_t pid, int *n_procs)
{
    DIR *d = opendir("/proc");
    struct dirent *e;
    long long sum = 0;

    if (d == NULL)
        return -1;
    while ((e = readdir(d)) != NULL) {
        char path[64], buf[1024], *p;
        unsigned long ut, st;
        int ppid, self = atoi(e->d_name);
        FILE *f;

        if (self <= 0)
            continue;
        snprintf(path, sizeof(path), "/proc/%d/stat", self);
        f = fopen(path, "r");
        if (f == NULL)
            continue;
        p = fgets(buf, sizeof(buf), f);
        fclose(f);
        if (p == NULL || (p = strrchr(buf, ')')) == NULL)
            continue;
        /* fields after the name: state ppid ... utime (14) stime (15) */
        if (sscanf(p + 2, "%*c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ppid, &ut, &st) !=
            3)
            continue;
        if (self == pid) {
            sum += (long long)(ut + st);
            ++*n_procs;
        } else if (ppid > 0 && ppid != 1) {
            /* a descendant: walk up */
            int up = ppid, hops = 0;

            while (up > 1 && up != pid && hops++ < 8) {
                char q[64], b2[512], *r;
                FILE *g;

                snprintf(q, sizeof(q), "/proc/%d/stat", up);
                g = fopen(q, "r");
                if (g == NULL)
                    break;
                r = fgets(b2, sizeof(b2), g);
                fclose(g);
                if (r == NULL || (r = strrchr(b2, ')')) == NULL ||
                    sscanf(r + 2, "%*c %d", &up) != 1)
                    break;
            }
            if (up == pid) {
                sum += (long long)(ut + st);
                ++*n_procs;
            }
        }
    }
    closedir(d);
    return sum;
}

/* ---- concurrent clients ---- */

struct worker {
    pthread_t t;
    volatile int *go;
    double *lat;
    int cap, n, errors;
    long calls;
};

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    uint8_t msg[64], out[64];
    psa_handle_t h = psa_connect(TFM_ECHO_SERVICE_SID, TFM_ECHO_SERVICE_VERSION);

    memset(msg, 'w', sizeof(msg));
    if (!PSA_HANDLE_IS_VALID(h)) {
        w->errors++;
        return NULL;
    }
    while (__atomic_load_n(w->go, __ATOMIC_ACQUIRE) == 0)
        usleep(1000);
    while (__atomic_load_n(w->go, __ATOMIC_ACQUIRE) == 1) {
        psa_invec in = {msg, sizeof(msg)};
        psa_outvec o = {out, sizeof(out)};
        double t0 = now_us();

        if (psa_call(h, PSA_IPC_CALL, &in, 1, &o, 1) != PSA_SUCCESS || o.len != sizeof(msg))
            w->errors++;
        else if (w->calls++, w->n < w->cap)
            w->lat[w->n++] = now_us() - t0;
    }
    psa_close(h);
    return NULL;
}

/* @p n threads, each on its own connection, calling for CLIENT_SECONDS. */
static int concurrent(int n, int print)
{
    static struct worker w[MAX_CLIENTS];
    static double all[MAX_CLIENTS * 64];
    volatile int go = 0;
    int i, k = 0, errors = 0, cap = (int)(sizeof(all) / sizeof(all[0])) / n;
    long calls = 0;
    double med, p99, p999, secs, t0;
    char name[64];

    if (cap > 20000)
        cap = 20000;
    for (i = 0; i < n; i++) {
        w[i] = (struct worker){.go = &go, .cap = cap, .lat = malloc((size_t)cap * sizeof(double))};
        if (w[i].lat == NULL || pthread_create(&w[i].t, NULL, worker_main, &w[i]) != 0)
            return -1;
    }
    usleep(200000 + 2000 * (unsigned)n); /* every thread connected */
    t0 = now_us();
    __atomic_store_n(&go, 1, __ATOMIC_RELEASE);
    sleep(CLIENT_SECONDS);
    __atomic_store_n(&go, 2, __ATOMIC_RELEASE);
    for (i = 0; i < n; i++)
        pthread_join(w[i].t, NULL);
    secs = (now_us() - t0) / 1e6;
    for (i = 0; i < n; i++) {
        int j;

        errors += w[i].errors;
        calls += w[i].calls;
        for (j = 0; j < w[i].n && k < (int)(sizeof(all) / sizeof(all[0])); j++)
            all[k++] = w[i].lat[j];
        free(w[i].lat);
    }
    if (k == 0) {
        printf("%4d clients: no call completed, %d errors\n", n, errors);
        return -1;
    }
    stats(all, k, &med, &p99);
    p999 = all[(k * 999) / 1000];
    if (print)
        printf("%4d clients: %ld calls in %.1f s (%.0f calls/s), %d errors; latency median "
               "%.1f us, p99 %.1f us, p99.9 %.1f us, max %.1f us\n",
               n, calls, secs, calls / secs, errors, med, p99, p999, all[k - 1]);
    snprintf(name, sizeof(name), "clients_%d_calls_per_s", n);
    fig(name, calls / secs, "1/s");
    snprintf(name, sizeof(name), "clients_%d_errors", n);
    fig(name, errors, "count");
    snprintf(name, sizeof(name), "clients_%d_median_us", n);
    fig(name, med, "us");
    snprintf(name, sizeof(name), "clients_%d_p99_us", n);
    fig(name, p99, "us");
    return errors;
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
    static double lat[ROUNDS], raw[ROUNDS], cl[PAIRS], rc[PAIRS], big_t[BIG_ROUNDS],
        cpy_t[BIG_ROUNDS];
    static const size_t sizes[] = {16, 256, 4096, 16384, 32768, 65536, 262144, 1u << 20, 4u << 20};
    char sock[] = "/tmp/partix-bench-XXXXXX", path[64], state[64], lpath[64], cmd[96];
    uint8_t msg[64], out[64];
    double med, p99, raw_med, raw_p99, t0;
    const char *jpath = getenv("BENCH_JSON");
    struct rlimit nofile;
    long long before, after;
    int i, n_procs, failed = 0;
    psa_handle_t h;
    pid_t spm;

    if (argc != 4) {
        fprintf(stderr, "usage: bench PSA_SPM MANIFEST_LIST PLATFORM\n");
        return 2;
    }
    /* a socket and three descriptors for each of MAX_CLIENTS threads */
    if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur < nofile.rlim_max) {
        nofile.rlim_cur = nofile.rlim_max;
        setrlimit(RLIMIT_NOFILE, &nofile);
    }
    if (jpath != NULL && (json = fopen(jpath, "w")) != NULL)
        fputs("{", json);
    if (mkdtemp(sock) == NULL)
        return 1;
    snprintf(path, sizeof(path), "%s/spm.sock", sock);
    setenv("PSA_SPM_SOCKET", path, 1);
    snprintf(state, sizeof(state), "%s/state", sock);
    snprintf(lpath, sizeof(lpath), "%s/raw.sock", sock);
    spm = start_spm(argv[1], argv[2], argv[3], path, state);
    if (spm < 0) {
        fprintf(stderr, "bench: psa-spm did not start\n");
        return 1;
    }
    memset(msg, 'p', sizeof(msg));

    /* 64-byte echo on an open connection, round by round against the raw
     * ping-pong */
    h = psa_connect(TFM_ECHO_SERVICE_SID, TFM_ECHO_SERVICE_VERSION);
    if (!PSA_HANDLE_IS_VALID(h))
        return 1;
    raw_start();
    for (i = 0; i < 2000; i++) { /* warm-up */
        psa_invec in = {msg, sizeof(msg)};
        psa_outvec o = {out, sizeof(out)};

        psa_call(h, PSA_IPC_CALL, &in, 1, &o, 1);
        raw_round();
    }
    for (i = 0; i < ROUNDS; i++) {
        psa_invec in = {msg, sizeof(msg)};
        psa_outvec o = {out, sizeof(out)};

        raw[i] = raw_round();
        t0 = now_us();
        if (psa_call(h, PSA_IPC_CALL, &in, 1, &o, 1) != PSA_SUCCESS)
            return 1;
        lat[i] = now_us() - t0;
    }
    raw_stop();
    stats(lat, ROUNDS, &med, &p99);
    stats(raw, ROUNDS, &raw_med, &raw_p99);
    printf("64-byte echo psa_call (open connection): median %.2f us, p99 %.2f us (%d calls)\n",
           med, p99, ROUNDS);
    printf("64-byte raw SOCK_SEQPACKET ping-pong, same rounds: median %.2f us, p99 %.2f us\n",
           raw_med, raw_p99);
    printf("  ratio partix/raw: median %.2fx, p99 %.2fx (goal: median <= 1.0x)\n", med / raw_med,
           p99 / raw_p99);
    fig("call64_median_us", med, "us");
    fig("call64_p99_us", p99, "us");
    fig("raw64_median_us", raw_med, "us");
    fig("raw64_p99_us", raw_p99, "us");
    fig("call64_ratio_median", med / raw_med, "x");

    /* 1 MiB echo against one memcpy of 1 MiB */
    {
        uint8_t *big = malloc(BIG), *back = malloc(BIG), *dst = malloc(BIG);
        double bmed, bp99, cmed, cp99;

        memset(big, 'b', BIG);
        memset(dst, 0, BIG);
        for (i = 0; i < BIG_ROUNDS; i++) {
            psa_invec in = {big, BIG};
            psa_outvec o = {back, BIG};

            t0 = now_us();
            memcpy(dst, big, BIG);
            __asm__ volatile("" : : "r"(dst) : "memory");
            cpy_t[i] = now_us() - t0;
            t0 = now_us();
            if (psa_call(h, PSA_IPC_CALL, &in, 1, &o, 1) != PSA_SUCCESS || o.len != BIG)
                return 1;
            big_t[i] = now_us() - t0;
        }
        stats(big_t, BIG_ROUNDS, &bmed, &bp99);
        stats(cpy_t, BIG_ROUNDS, &cmed, &cp99);
        printf("1 MiB echo psa_call: median %.0f us (%.0f MiB/s), p99 %.0f us (%d calls)\n", bmed,
               1e6 / bmed, bp99, BIG_ROUNDS);
        printf("1 MiB memcpy, same rounds: median %.0f us (%.0f MiB/s)\n", cmed, 1e6 / cmed);
        printf("  ratio: the echo moves 1 MiB at %.0f%% of memcpy's bandwidth (goal: >= 50%%)\n",
               100.0 * cmed / bmed);
        fig("echo1m_median_us", bmed, "us");
        fig("memcpy1m_median_us", cmed, "us");
        fig("echo1m_of_memcpy", cmed / bmed, "fraction");
        free(big);
        free(back);
        free(dst);
    }

    /* echo latency by payload size */
    printf("echo latency by payload size (in = out = size):\n");
    for (size_t z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
        uint8_t *a = malloc(sizes[z]), *b = malloc(sizes[z]);
        int n = sizes[z] >= (1u << 20) ? 50 : 1000;
        double *t = malloc((size_t)n * sizeof(double)), zm, zp;
        char name[64];

        memset(a, 'z', sizes[z]);
        for (i = 0; i < n; i++) {
            psa_invec in = {a, sizes[z]};
            psa_outvec o = {b, sizes[z]};

            t0 = now_us();
            if (psa_call(h, PSA_IPC_CALL, &in, 1, &o, 1) != PSA_SUCCESS)
                return 1;
            t[i] = now_us() - t0;
        }
        stats(t, n, &zm, &zp);
        printf("  %8zu B: median %9.1f us, p99 %9.1f us, %8.1f MiB/s\n", sizes[z], zm, zp,
               sizes[z] / zm * 1e6 / (1 << 20));
        snprintf(name, sizeof(name), "echo_%zu_median_us", sizes[z]);
        fig(name, zm, "us");
        free(a);
        free(b);
        free(t);
    }
    psa_close(h);

    /* connect + close against a raw connect with one descriptor passed */
    conn_start(lpath);
    for (i = 0; i < PAIRS; i++) {
        psa_handle_t c;

        rc[i] = conn_round(lpath);
        t0 = now_us();
        c = psa_connect(TFM_ECHO_SERVICE_SID, TFM_ECHO_SERVICE_VERSION);
        if (!PSA_HANDLE_IS_VALID(c))
            return 1;
        psa_close(c);
        cl[i] = now_us() - t0;
    }
    kill(conn_child, SIGKILL);
    waitpid(conn_child, NULL, 0);
    stats(cl, PAIRS, &med, &p99);
    stats(rc, PAIRS, &raw_med, &raw_p99);
    printf("psa_connect + psa_close: median %.1f us, p99 %.1f us (%d pairs)\n", med, p99, PAIRS);
    printf("raw Unix-socket connect + one descriptor passed, same rounds: median %.1f us, p99 "
           "%.1f us\n",
           raw_med, raw_p99);
    printf("  ratio: median %.2fx, p99 %.2fx (goal: median <= 1.5x)\n", med / raw_med,
           p99 / raw_p99);
    fig("connect_close_median_us", med, "us");
    fig("raw_connect_median_us", raw_med, "us");
    fig("connect_close_ratio_median", med / raw_med, "x");

    /* concurrent clients */
    printf("concurrent clients, each thread on its own connection, %d s each:\n", CLIENT_SECONDS);
    {
        static const int counts[] = {1, 10, 100, MAX_CLIENTS};

        for (i = 0; i < (int)(sizeof(counts) / sizeof(counts[0])); i++)
            if (concurrent(counts[i], 1) != 0)
                failed = 1;
    }

    /* idle: nothing to do for IDLE_SECONDS */
    n_procs = 0;
    before = cpu_ticks(spm, &n_procs);
    sleep(IDLE_SECONDS);
    n_procs = 0;
    after = cpu_ticks(spm, &n_procs);
    printf("idle %d s: psa-spm and its %d processes took %lld clock ticks of CPU (goal: 0)\n",
           IDLE_SECONDS, n_procs - 1, after - before);
    fig("idle_cpu_ticks", (double)(after - before), "ticks");

    if (bls_sign_roundtrip() != 0)
        return 1;

    kill(spm, SIGTERM);
    waitpid(spm, NULL, 0);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", sock);
    if (system(cmd) != 0)
        fprintf(stderr, "bench: could not remove %s\n", sock);
    if (json != NULL) {
        fputs("\n}\n", json);
        fclose(json);
    }
    return failed;
}
