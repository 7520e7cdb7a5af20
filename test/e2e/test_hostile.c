/*
 * test_hostile.c - clients that attack psa-spm, against the real daemon:
 * one that stops reading while its partition dies, one that floods a
 * partition with pipelined calls, and many sockets whose replies are never
 * read.  Whatever a client sends, the daemon lives, no partition dies or
 * restarts for it, its memory stays bounded, and other clients are served.
 * The requests are pipelined, which libpsa-client cannot do: raw.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture.h"
#include "its_config.h"
#include "psa/client.h"
#include "psa/internal_trusted_storage.h"
#include "psa_manifest/pid.h"
#include "psa_manifest/sid.h"
#include "raw.h"
#include "test_ops.h"
#include "tfm_echo_api.h"
#include "tfm_its_defs.h"

#define ITS_HANDLE TFM_INTERNAL_TRUSTED_STORAGE_SERVICE_HANDLE

/* The attacker's Linux user when the tests run as root, as the issue's
 * unprivileged client: bounds a daemon keeps per user fall on it, not on
 * the test's own client. */
#define ATTACKER_UID 65534

#define FLOOD_SETS 5000 /* pipelined ITS sets of ITS_MAX_ASSET_SIZE (16 KiB) each */

#define DEAF_SOCKETS 32
#define DEAF_CAP 50000      /* requests per socket at most: ~75 MB of queued replies today */
#define DEAF_IDLE_MS 500    /* no socket writable this long: the daemon stopped reading them */
#define RSS_BOUND_KIB 32768 /* psa-spm's growth allowed for all those sockets */

static struct fixture fx;
static const char *const restart_policy[] = {"--fault-policy", "restart", NULL};
static pid_t attacker; /* killed by the teardown if an assertion left it running */
/* The flood's state directory: in memory (tmpfs) where there is one, as a
 * daemon that serves all 5,000 sets makes 10,000 fsyncs, seconds on a disk;
 * durability is not what the test is about. */
static char flood_state[64];
static const char *const in_memory[] = {"--state-dir", flood_state, NULL};

/* Every partition, by the name the log gives it (the id only makes the
 * compiler check the name against pid.h). */
#define PART(id) #id, id
static const struct {
    const char *name;
    int32_t id;
} partitions[] = {
    {PART(TFM_SP_ECHO_SERVICE)},
    {PART(TFM_SP_MY_CUSTOM_SERVICE)},
    {PART(TFM_SP_ITS)},
    {PART(TFM_SP_PS)},
    {PART(TFM_SP_CRYPTO)},
    {PART(TFM_SP_PLATFORM)},
    {PART(TFM_SP_INITIAL_ATTESTATION)},
    {PART(PARTIX_SP_BLS_HSM)},
    {PART(PARTIX_SP_TEST)},
    {PART(PARTIX_SP_TEST_PEER)},
    {PART(PARTIX_SP_TEST_SFN)},
    {PART(PARTIX_SP_TEST_IRQ)},
    {PART(PARTIX_SP_TEST_MMIO)},
    {PART(PARTIX_SP_TEST_CONF)},
};
#define N_PARTITIONS (sizeof(partitions) / sizeof(partitions[0]))

/* Pipes between the test and the deaf clients' process. */
static int deaf_done[2] = {-1, -1}; /* it writes once it has sent all it could */
static int deaf_hold[2] = {-1, -1}; /* it keeps its sockets until this closes */

static void close_pipe(int fds[2])
{
    for (int i = 0; i < 2; i++) {
        if (fds[i] >= 0)
            close(fds[i]);
        fds[i] = -1;
    }
}

static int teardown(void **state)
{
    close_pipe(deaf_done);
    close_pipe(deaf_hold);
    if (attacker > 0) {
        kill(attacker, SIGKILL);
        waitpid(attacker, NULL, 0);
        attacker = 0;
    }
    fixture_teardown(state);
    return fixture_dir_remove(flood_state);
}

/* Runs @p fn in a child process: of ATTACKER_UID when we are root, else of
 * our own user.  Its exit status is fn's result. */
static pid_t spawn_attacker(int (*fn)(void *), void *arg)
{
    pid_t pid = fixture_spawn_as(&fx, ATTACKER_UID, fn, arg);

    if (pid == -2) {
        pid = fork();
        if (pid == 0)
            _exit(fn(arg) & 0x7f);
    }
    assert_true(pid > 0);
    attacker = pid;
    return pid;
}

static int attacker_status(void)
{
    int status;

    assert_int_equal(waitpid(attacker, &status, 0), attacker);
    attacker = 0;
    assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

static int set_nonblocking(int fd)
{
    int fl = fcntl(fd, F_GETFL);

    return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

static void echo_works(void)
{
    uint8_t out[5];
    size_t n = 0;

    assert_int_equal(tfm_echo_service((const uint8_t *)"alive", 5, out, 5, &n), PSA_SUCCESS);
    assert_int_equal(n, 5);
    assert_memory_equal(out, "alive", 5);
}

/* A client that plays by the rules is served: first a probe that cannot
 * hang (a daemon spinning on a corrupted heap fails it), then libpsa-client,
 * which waits as long as the daemon takes. */
static void assert_served(void)
{
    struct raw_reply r = {0};
    int fd = raw_open(fx.socket), rc = -1;

    if (fd >= 0 && raw_send_version(fd, 1, TFM_ECHO_SERVICE_SID) == 0)
        rc = raw_recv(fd, &r);
    if (fd >= 0)
        close(fd);
    if (rc != 1 || r.kind != RAW_VERSION) {
        int err = errno;

        /* it may have closed our socket on its way out: give it a second to die */
        for (int tries = 0; tries < 100 && fixture_alive(&fx); tries++)
            usleep(10 * 1000);
        fail_msg("psa-spm does not answer a new client (%s): %s", rc == 0 ? "EOF" : strerror(err),
                 fixture_alive(&fx) ? "it hangs" : "it died (its log above)");
    }
    assert_int_equal(r.value, TFM_ECHO_SERVICE_VERSION);
    assert_int_equal(psa_version(TFM_ECHO_SERVICE_SID), TFM_ECHO_SERVICE_VERSION);
    echo_works();
}

static psa_handle_t raw_connect_strict(int fd, uint32_t seq)
{
    struct raw_reply r;

    assert_int_equal(raw_send_connect(fd, seq, PARTIX_TEST_STRICT_SID, PARTIX_TEST_STRICT_VERSION),
                     0);
    assert_int_equal(raw_recv(fd, &r), 1);
    assert_int_equal(r.kind, RAW_CONNECT);
    assert_int_equal(r.seq, seq);
    assert_true(r.value > 0);
    /* its calls go through psa-spm here: the direct path is not these tests' */
    if (r.area >= 0)
        close(r.area);
    if (r.doorbell >= 0)
        close(r.doorbell);
    return r.value;
}

/* Whether the reply to @p seq comes within @p ms (others are skipped). */
static bool reply_within(int fd, uint32_t seq, int ms)
{
    struct pollfd p = {fd, POLLIN, 0};
    struct raw_reply r;

    while (poll(&p, 1, ms) == 1) {
        if (raw_recv(fd, &r) != 1)
            return false;
        if (r.seq == seq)
            return true;
    }
    return false;
}

/*
 * A client with an idle connection and a CONNECT in its partition stops
 * reading (shutdown SHUT_RD), and the partition dies: answering that
 * CONNECT fails, which drops the client, whose idle connection is freed
 * while the daemon walks its connections (a use-after-free).
 */
static void test_partition_dies_under_deaf_client(void **state)
{
    uint32_t ms = 10000;
    psa_invec sleep_in = {&ms, sizeof(ms)};
    psa_invec concat_in = {"again", 5};
    psa_outvec concat_out;
    psa_handle_t busy;
    uint8_t out[5];
    pid_t part;
    int fd;

    (void)state;
    assert_int_equal(fixture_start(&fx, restart_policy), 0);
    part = fixture_partition_pid(&fx, "PARTIX_SP_TEST");
    assert_true(part > 0);
    fd = raw_open(fx.socket);
    assert_true(fd >= 0);
    /* all on one socket: the client's only one, so dropping it ends the
     * client process; and requests of one socket are taken in order.  The
     * idle connection is the younger, as in the issue: today's list of
     * connections, newest first, then has it right after the CONNECT's. */
    busy = raw_connect_strict(fd, 1);
    raw_connect_strict(fd, 2); /* idle from now on */
    assert_int_equal(raw_send_call(fd, 3, busy, TEST_OP_SLEEP, &sleep_in, 1, NULL, 0), 0);
    /* behind the sleeping call: a CONNECT the partition cannot answer yet */
    assert_int_equal(raw_send_connect(fd, 4, PARTIX_TEST_STRICT_SID, PARTIX_TEST_STRICT_VERSION),
                     0);
    /* the daemon answers a version itself: once it has, it has taken the
     * CONNECT before it.  A daemon that holds back a client with calls in
     * flight may never answer: then the CONNECT waits with it, also fine. */
    assert_int_equal(raw_send_version(fd, 5, PARTIX_TEST_STRICT_SID), 0);
    (void)reply_within(fd, 5, 2000);
    assert_int_equal(shutdown(fd, SHUT_RD), 0);
    assert_int_equal(kill(part, SIGKILL), 0);

    /* the daemon lives, restarts the partition, and serves a new client */
    assert_true(fixture_restarted(&fx, "PARTIX_SP_TEST", part) > 0);
    assert_true(fixture_alive(&fx));
    assert_served();
    concat_out = (psa_outvec){out, sizeof(out)};
    assert_int_equal(
        psa_call(PARTIX_TEST_STATELESS_HANDLE, TEST_OP_CONCAT, &concat_in, 1, &concat_out, 1),
        PSA_SUCCESS);
    assert_memory_equal(out, "again", 5);
    close(fd);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* How the flooding client's attack ended: its exit status. */
enum flood_end {
    FLOOD_ANSWERED = 0, /* every set answered PSA_SUCCESS */
    FLOOD_DROPPED = 1,  /* the daemon closed its socket (every answer before: PSA_SUCCESS) */
    FLOOD_FAILED = 2,   /* a set was answered with an error */
    FLOOD_STUCK = 3,    /* neither sending nor a reply for RAW_TIMEOUT_S */
    FLOOD_GARBLED = 4,  /* a reply that answers nothing it sent */
    FLOOD_NO_SOCKET = 5,
};

static const char *const flood_ends[] = {"answered", "dropped", "a set failed",
                                         "stuck",    "garbled", "no socket"};

/* Takes the replies there are; a flood_end, or -1 to go on. */
static int take_replies(int fd, uint32_t sent, uint32_t *answered)
{
    struct raw_reply r;
    int rc;

    while ((rc = raw_recv(fd, &r)) == 1) {
        if (r.kind != RAW_CALL || r.seq == 0 || r.seq > sent)
            return FLOOD_GARBLED;
        if (r.value != PSA_SUCCESS)
            return FLOOD_FAILED;
        ++*answered;
    }
    if (rc == 0 || errno == ECONNRESET)
        return FLOOD_DROPPED;
    return errno == EAGAIN ? -1 : FLOOD_GARBLED;
}

/* The flooding client: sends as fast as the socket takes them, and reads
 * replies only when it cannot send (else a daemon that stops reading a
 * client until it reads its replies would stall it for good). */
static int flood_its(void *arg)
{
    static uint8_t data[ITS_MAX_ASSET_SIZE];
    psa_storage_uid_t uid = 1; /* the same entry each time: storage does not fill */
    psa_storage_create_flags_t flags = PSA_STORAGE_FLAG_NONE;
    psa_invec in[] = {{&uid, sizeof(uid)}, {data, sizeof(data)}, {&flags, sizeof(flags)}};
    uint32_t sent = 0, answered = 0;
    int fd = raw_open(fx.socket), end;

    (void)arg;
    if (fd < 0 || set_nonblocking(fd) < 0)
        return FLOOD_NO_SOCKET;
    memset(data, 0x5a, sizeof(data));
    while (answered < FLOOD_SETS) {
        struct pollfd p = {fd, POLLIN, 0};

        if (sent < FLOOD_SETS) {
            if (raw_send_call(fd, sent + 1, ITS_HANDLE, TFM_ITS_SET, in, 3, NULL, 0) == 0) {
                sent++;
                continue;
            }
            if (errno == EPIPE || errno == ECONNRESET)
                return FLOOD_DROPPED;
            if (errno != EAGAIN)
                return FLOOD_NO_SOCKET;
            p.events |= POLLOUT;
        }
        if (poll(&p, 1, RAW_TIMEOUT_S * 1000) != 1)
            return FLOOD_STUCK;
        if ((end = take_replies(fd, sent, &answered)) >= 0)
            return end;
    }
    return FLOOD_ANSWERED;
}

/* Another client sets and gets an entry of its own: a status. */
static psa_status_t its_round_trip(uint32_t round)
{
    char want[32], got[32];
    size_t len = 0;
    psa_status_t st;
    int n = snprintf(want, sizeof(want), "still served %u", (unsigned)round);

    st = psa_its_set(7, (size_t)n, want, PSA_STORAGE_FLAG_NONE);
    if (st == PSA_SUCCESS)
        st = psa_its_get(7, 0, sizeof(got), got, &len);
    if (st == PSA_SUCCESS && (len != (size_t)n || memcmp(got, want, len) != 0))
        st = PSA_ERROR_CORRUPTION_DETECTED;
    return st;
}

/* Whether process @p pid exists and has not exited (a zombie has). */
static bool running(pid_t pid)
{
    char state[8];

    return fixture_stat_field(pid, 3, state, sizeof(state)) && state[0] != 'Z' && state[0] != 'X';
}

/*
 * One client pipelines 5,000 ITS sets of 16 KiB without reading replies:
 * today the daemon queues them for the partition until its channel's queue
 * is full, then kills the partition, and the fault policy resets them all.
 */
static void test_its_flood(void **state)
{
    pid_t before[N_PARTITIONS];
    char lost[1024] = "";
    psa_status_t meanwhile = PSA_SUCCESS, st;
    uint32_t round = 0;
    int end, status;
    pid_t r;
    size_t i;

    (void)state;
    snprintf(flood_state, sizeof(flood_state), "/dev/shm/partix-e2e-flood-XXXXXX");
    if (mkdtemp(flood_state) == NULL)
        flood_state[0] = '\0';
    /* the default fault policy: a fault resets every partition */
    assert_int_equal(fixture_start(&fx, flood_state[0] != '\0' ? in_memory : NULL), 0);
    for (i = 0; i < N_PARTITIONS; i++) {
        before[i] = fixture_partition_pid(&fx, partitions[i].name);
        assert_true(before[i] > 0);
    }
    spawn_attacker(flood_its, NULL);
    /* meanwhile another user's client is served */
    while ((r = waitpid(attacker, &status, WNOHANG)) == 0) {
        st = its_round_trip(++round);
        if (meanwhile == PSA_SUCCESS)
            meanwhile = st;
    }
    assert_int_equal(r, attacker);
    attacker = 0;
    assert_true(WIFEXITED(status));
    end = WEXITSTATUS(status);
    print_message("the flooding client: %s; another client's round trips meanwhile: %u\n",
                  end < (int)(sizeof(flood_ends) / sizeof(flood_ends[0])) ? flood_ends[end] : "?",
                  (unsigned)round);

    assert_true(fixture_alive(&fx));
    for (i = 0; i < N_PARTITIONS; i++) {
        size_t n = strlen(lost);

        if (!running(before[i]) || fixture_partition_pid(&fx, partitions[i].name) != before[i])
            snprintf(lost + n, sizeof(lost) - n, " %s (pid %d)", partitions[i].name,
                     (int)before[i]);
    }
    if (lost[0] != '\0')
        fail_msg("partitions killed or restarted for a client's flood:%s", lost);
    assert_true(end == FLOOD_ANSWERED || end == FLOOD_DROPPED);
    assert_int_equal(meanwhile, PSA_SUCCESS);
    assert_int_equal(its_round_trip(++round), PSA_SUCCESS);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* psa-spm's resident memory, in KiB. */
static long rss_kib(void)
{
    char path[64], line[128];
    long kib = -1;
    FILE *f;

    snprintf(path, sizeof(path), "/proc/%d/status", (int)fx.router);
    f = fopen(path, "r");
    assert_non_null(f);
    while (fgets(line, sizeof(line), f) != NULL)
        if (sscanf(line, "VmRSS: %ld kB", &kib) == 1)
            break;
    fclose(f);
    assert_true(kib > 0);
    return kib;
}

/*
 * DEAF_SOCKETS sockets, each sent C_VERSIONs until it would block or has
 * DEAF_CAP of them, and none read.  A daemon that applies backpressure stops
 * reading them early: none writable for DEAF_IDLE_MS ends the attack.
 */
static int deaf_clients(void *arg)
{
    int fds[DEAF_SOCKETS], idx[DEAF_SOCKETS];
    uint32_t sent[DEAF_SOCKETS] = {0};
    bool done[DEAF_SOCKETS] = {false};
    struct pollfd p[DEAF_SOCKETS];
    uint64_t total = 0;
    char c;
    int i, n;

    (void)arg;
    close(deaf_done[0]);
    close(deaf_hold[1]);
    for (i = 0; i < DEAF_SOCKETS; i++) {
        fds[i] = raw_open(fx.socket);
        if (fds[i] < 0 || set_nonblocking(fds[i]) < 0)
            done[i] = true; /* refused: one socket fewer */
    }
    for (;;) {
        for (i = 0, n = 0; i < DEAF_SOCKETS; i++) {
            if (done[i])
                continue;
            while (sent[i] < DEAF_CAP &&
                   raw_send_version(fds[i], sent[i] + 1, TFM_ECHO_SERVICE_SID) == 0)
                sent[i]++;
            if (sent[i] == DEAF_CAP || errno != EAGAIN) {
                done[i] = true; /* all sent, or dropped */
                continue;
            }
            p[n] = (struct pollfd){fds[i], POLLOUT, 0};
            idx[n++] = i;
        }
        if (n == 0 || poll(p, (nfds_t)n, DEAF_IDLE_MS) <= 0)
            break;
        for (i = 0; i < n; i++)
            if (p[i].revents & (POLLHUP | POLLERR))
                done[idx[i]] = true;
    }
    for (i = 0; i < DEAF_SOCKETS; i++)
        total += sent[i];
    if (write(deaf_done[1], &total, sizeof(total)) != sizeof(total))
        return 1;
    (void)!read(deaf_hold[0], &c, 1); /* until the test has measured */
    return 0;
}

/*
 * Sockets whose replies are never read: today each queues up to 4 MiB of
 * reply payload, ~16 MB of the daemon's memory at ~48 bytes per 12-byte
 * reply, with no bound per user or overall.
 */
static void test_unread_replies(void **state)
{
    uint64_t total = 0;
    long before, after;

    (void)state;
    assert_int_equal(fixture_start(&fx, NULL), 0);
    assert_served(); /* the daemon as any client finds it */
    before = rss_kib();
    assert_int_equal(pipe2(deaf_done, O_CLOEXEC), 0);
    assert_int_equal(pipe2(deaf_hold, O_CLOEXEC), 0);
    spawn_attacker(deaf_clients, NULL);
    close(deaf_done[1]);
    close(deaf_hold[0]);
    deaf_done[1] = deaf_hold[0] = -1;
    assert_int_equal(read(deaf_done[0], &total, sizeof(total)), sizeof(total));
    assert_true(fixture_alive(&fx));
    after = rss_kib();
    print_message("%llu requests on %d sockets, none read: psa-spm grew by %ld KiB\n",
                  (unsigned long long)total, DEAF_SOCKETS, after - before);

    assert_true(after - before < RSS_BOUND_KIB);
    assert_served();       /* while they still hold their sockets */
    close_pipe(deaf_hold); /* lets them go */
    assert_int_equal(attacker_status(), 0);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* A large call's memory object as a client may forge it. */
enum unfit { SEALED_WRITE, SEALED_FUTURE_WRITE, READ_ONLY, SEALABLE, TOO_SMALL, FIT };

#define BIG_IN (70u * 1024u) /* with BIG_OUT, past what travels inline */
#define BIG_OUT (70u * 1024u)

static int memory_object(enum unfit how)
{
    const int sealed = F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL;
    size_t size = BIG_IN + BIG_OUT - (how == TOO_SMALL ? 1 : 0);
    int fd = memfd_create("hostile", MFD_CLOEXEC | MFD_ALLOW_SEALING), ro;
    char path[64];
    int seals = how == SEALABLE              ? F_SEAL_SHRINK | F_SEAL_GROW
                : how == SEALED_WRITE        ? sealed | F_SEAL_WRITE
                : how == SEALED_FUTURE_WRITE ? sealed | F_SEAL_FUTURE_WRITE
                                             : sealed;

    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, (off_t)size), 0);
    assert_int_equal(fcntl(fd, F_ADD_SEALS, seals), 0);
    if (how != READ_ONLY)
        return fd;
    snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    ro = open(path, O_RDONLY | O_CLOEXEC);
    close(fd);
    assert_true(ro >= 0);
    return ro;
}

static int32_t memfd_call(int fd, uint32_t seq, psa_handle_t handle, int32_t type, enum unfit how)
{
    struct raw_reply r;
    int memfd = memory_object(how);

    assert_int_equal(raw_send_call_memfd(fd, seq, handle, type, memfd, BIG_IN, BIG_OUT), 0);
    close(memfd);
    assert_int_equal(raw_recv(fd, &r), 1);
    assert_int_equal(r.kind, RAW_CALL);
    assert_int_equal(r.seq, seq);
    return r.value;
}

/*
 * A client's memory object the partition could not map for writing (sealed
 * against writes, opened read-only), could still be sealed so after the
 * check, or is smaller than the call: today some pass the SPM's check and
 * the partition panics mapping them, which resets every partition.  Each
 * must be answered PROGRAMMER_ERROR with no partition touched.
 */
static void test_unfit_memory_objects(void **state)
{
    static const enum unfit unfit[] = {SEALED_WRITE, SEALED_FUTURE_WRITE, READ_ONLY, SEALABLE,
                                       TOO_SMALL};
    pid_t before[N_PARTITIONS];
    uint32_t seq = 1;
    psa_handle_t h;
    size_t i;
    int fd;

    (void)state;
    assert_int_equal(fixture_start(&fx, NULL), 0); /* a fault would reset them all */
    for (i = 0; i < N_PARTITIONS; i++)
        before[i] = fixture_partition_pid(&fx, partitions[i].name);
    fd = raw_open(fx.socket);
    assert_true(fd >= 0);
    h = raw_connect_strict(fd, seq++);
    for (i = 0; i < sizeof(unfit) / sizeof(unfit[0]); i++) {
        assert_int_equal(memfd_call(fd, seq++, h, TEST_OP_CONCAT, unfit[i]),
                         PSA_ERROR_PROGRAMMER_ERROR);
        assert_int_equal(memfd_call(fd, seq++, ITS_HANDLE, 0, unfit[i]),
                         PSA_ERROR_PROGRAMMER_ERROR);
    }
    /* the control: a fit one reaches the service */
    assert_int_equal(memfd_call(fd, seq++, h, TEST_OP_CONCAT, FIT), PSA_SUCCESS);
    close(fd);
    assert_true(fixture_alive(&fx));
    for (i = 0; i < N_PARTITIONS; i++)
        if (!running(before[i]) || fixture_partition_pid(&fx, partitions[i].name) != before[i])
            fail_msg("partition %s (pid %d) killed or restarted for a client's memory object",
                     partitions[i].name, (int)before[i]);
    assert_served();
    assert_int_equal(fixture_stop(&fx), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_partition_dies_under_deaf_client, teardown),
        cmocka_unit_test_teardown(test_its_flood, teardown),
        cmocka_unit_test_teardown(test_unread_replies, teardown),
        cmocka_unit_test_teardown(test_unfit_memory_objects, teardown),
    };

    return cmocka_run_group_tests_name("e2e_hostile", tests, NULL, NULL);
}
