/*
 * test_direct.c - the direct data path (issue 13, chan.h) against the real
 * daemon: calls on a connection go straight from libpsa-client to the
 * partition through the connection's area, and
 *
 *   - a client that lies in its area about the call (counts, lengths, type)
 *     gets PSA_ERROR_PROGRAMMER_ERROR for that call and nothing else
 *     happens: the partition lives on, every other client is served;
 *   - a client that scribbles on its area while its calls are served harms
 *     only its own calls;
 *   - a partition that dies in a direct call answers its caller at once
 *     (PSA_ERROR_COMMUNICATION_FAILURE); one that hangs is the watchdog's
 *     (--call-timeout), as for a call psa-spm routes;
 *   - a handle of a psa-spm that was restarted fails, it does not hang;
 *   - the child of a fork cannot use its parent's connections;
 *   - the partition sees the client id psa-spm bound to the connection.
 */
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "chan.h"
#include "fixture.h"
#include "psa/client.h"
#include "psa_manifest/pid.h"
#include "psa_manifest/sid.h"
#include "raw.h"
#include "test_ops.h"

static struct fixture fx;

static psa_handle_t connect_strict(void)
{
    psa_handle_t h = psa_connect(PARTIX_TEST_STRICT_SID, PARTIX_TEST_STRICT_VERSION);

    assert_true(PSA_HANDLE_IS_VALID(h));
    return h;
}

static psa_status_t concat(psa_handle_t h, const char *text, char *out, size_t *len)
{
    psa_invec in = {text, strlen(text)};
    psa_outvec o = {out, *len};
    psa_status_t st = psa_call(h, TEST_OP_CONCAT, &in, 1, &o, 1);

    *len = o.len;
    return st;
}

/* A well-behaved client on a connection of its own still gets its answers
 * (once the partition is back, if it was restarted). */
static void others_served(void)
{
    struct timespec ts = {0, 10 * 1000 * 1000};
    psa_handle_t h;
    char out[16];
    int i;

    for (i = 0; i < 500; i++) {
        h = psa_connect(PARTIX_TEST_STRICT_SID, PARTIX_TEST_STRICT_VERSION);
        if (h != PSA_ERROR_CONNECTION_BUSY)
            break;
        nanosleep(&ts, NULL);
    }
    assert_true(PSA_HANDLE_IS_VALID(h));
    size_t len = sizeof(out);

    assert_int_equal(concat(h, "fine", out, &len), PSA_SUCCESS);
    assert_int_equal(len, 4);
    assert_memory_equal(out, "fine", 4);
    psa_close(h);
}

/* ---- a client that speaks to its area itself (raw.c) ---- */

struct rawconn {
    int sock;
    struct chan_area *a;
    uint8_t *data;
    int doorbell;
    uint32_t seq;
};

static void raw_direct(struct rawconn *c)
{
    struct raw_reply r;
    void *map;

    c->sock = raw_open(fx.socket);
    assert_true(c->sock >= 0);
    assert_int_equal(
        raw_send_connect(c->sock, 1, PARTIX_TEST_STRICT_SID, PARTIX_TEST_STRICT_VERSION), 0);
    assert_int_equal(raw_recv(c->sock, &r), 1);
    assert_int_equal(r.kind, RAW_CONNECT);
    assert_true(r.value > 0);
    /* a direct connection: its area and doorbell came with the handle */
    assert_true(r.area >= 0 && r.doorbell >= 0);
    map = mmap(NULL, CHAN_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, r.area, 0);
    assert_true(map != MAP_FAILED);
    close(r.area);
    c->a = map;
    c->data = (uint8_t *)map + CHAN_HEAD;
    c->doorbell = r.doorbell;
    c->seq = c->a->req_seq;
}

static void raw_direct_close(struct rawconn *c)
{
    munmap(c->a, CHAN_SIZE);
    close(c->doorbell);
    close(c->sock); /* psa-spm sends DISCONNECT */
}

/* Posts the request as it stands in the area and rings; its status, once
 * done_seq says it was answered (within 10 s; -1 if not). */
static int32_t raw_post(struct rawconn *c)
{
    static const uint64_t one = 1;
    struct timespec ts = {0, 10 * 1000 * 1000};
    int i;

    __atomic_store_n(&c->a->req_seq, ++c->seq, __ATOMIC_SEQ_CST);
    assert_int_equal(write(c->doorbell, &one, sizeof(one)), (ssize_t)sizeof(one));
    for (i = 0; i < 1000; i++) {
        if (__atomic_load_n(&c->a->done_seq, __ATOMIC_ACQUIRE) == c->seq)
            return c->a->status;
        nanosleep(&ts, NULL);
    }
    return -1;
}

static void raw_request(struct rawconn *c, int32_t type, uint32_t n_in, uint32_t in0,
                        uint32_t n_out, uint32_t out0)
{
    memset(c->a->in_len, 0, sizeof(c->a->in_len));
    memset(c->a->out_len, 0, sizeof(c->a->out_len));
    c->a->type = type;
    c->a->n_in = n_in;
    c->a->n_out = n_out;
    c->a->in_len[0] = in0;
    c->a->out_len[0] = out0;
}

static void test_lying_client(void **state)
{
    struct rawconn c;
    pid_t part;

    (void)state;
    assert_int_equal(fixture_start(&fx, NULL), 0);
    part = fixture_partition_pid(&fx, "PARTIX_SP_TEST");
    assert_true(part > 0);
    raw_direct(&c);
    /* an honest CONCAT first */
    memcpy(c.data, "abc", 3);
    raw_request(&c, TEST_OP_CONCAT, 1, 3, 1, 8);
    assert_int_equal(raw_post(&c), PSA_SUCCESS);
    assert_int_equal(c.a->written[0], 3);
    assert_memory_equal(c.data + 3, "abc", 3);
    /* more vectors than FF-M allows */
    raw_request(&c, TEST_OP_CONCAT, 4, 3, 1, 8);
    assert_int_equal(raw_post(&c), PSA_ERROR_PROGRAMMER_ERROR);
    raw_request(&c, TEST_OP_CONCAT, 5, 3, 0, 0);
    assert_int_equal(raw_post(&c), PSA_ERROR_PROGRAMMER_ERROR);
    /* lengths past the area: an input, an output, a sum that wraps 32 bits */
    raw_request(&c, TEST_OP_CONCAT, 1, CHAN_DATA_CAP + 1, 1, 8);
    assert_int_equal(raw_post(&c), PSA_ERROR_PROGRAMMER_ERROR);
    raw_request(&c, TEST_OP_CONCAT, 1, 3, 1, 0xffffffffu);
    assert_int_equal(raw_post(&c), PSA_ERROR_PROGRAMMER_ERROR);
    raw_request(&c, TEST_OP_CONCAT, 2, 0x80000000u, 0, 0);
    c.a->in_len[1] = 0x80000000u;
    assert_int_equal(raw_post(&c), PSA_ERROR_PROGRAMMER_ERROR);
    /* a type outside FF-M's range, and CONNECT's */
    raw_request(&c, -1, 0, 0, 0, 0);
    assert_int_equal(raw_post(&c), PSA_ERROR_PROGRAMMER_ERROR);
    raw_request(&c, INT16_MAX + 1, 0, 0, 0, 0);
    assert_int_equal(raw_post(&c), PSA_ERROR_PROGRAMMER_ERROR);
    /* a ring with nothing posted, and rings of a stranger's making: nothing */
    {
        static const uint64_t many = 1000;

        assert_int_equal(write(c.doorbell, &many, sizeof(many)), (ssize_t)sizeof(many));
    }
    /* the connection still works, and so does everything else */
    memcpy(c.data, "xyz", 3);
    raw_request(&c, TEST_OP_CONCAT, 1, 3, 1, 8);
    assert_int_equal(raw_post(&c), PSA_SUCCESS);
    assert_memory_equal(c.data + 3, "xyz", 3);
    others_served();
    assert_int_equal(fixture_partition_pid(&fx, "PARTIX_SP_TEST"), part);
    assert_int_equal(fixture_log_count(&fx, "PARTIX_SP_TEST", "panicked"), 0);
    raw_direct_close(&c);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* Flips the request's counts and lengths while calls are served. */
static void *scribbler(void *arg)
{
    struct rawconn *c = arg;
    uint32_t x = 12345;

    while (__atomic_load_n(&c->seq, __ATOMIC_ACQUIRE) != 0) {
        x = x * 1103515245u + 12345u;
        switch (x >> 29) {
        case 0:
            c->a->n_in = x & 7;
            break;
        case 1:
            c->a->in_len[x >> 8 & 3] = x;
            break;
        case 2:
            c->a->out_len[x >> 8 & 3] = x & 0x1ffff;
            break;
        case 3: /* CONCAT, or no type at all: never an op that sleeps or dies */
            c->a->type = (x & 0x100) ? TEST_OP_CONCAT : -(int32_t)(x & 0xff) - 1;
            break;
        case 4:
            c->a->n_out = x & 3;
            break;
        default:
            memset(c->data, (int)x, 64);
            break;
        }
    }
    return NULL;
}

static void test_scribbling_client(void **state)
{
    struct rawconn c;
    pthread_t t;
    pid_t part;
    int i, answered = 0;

    (void)state;
    assert_int_equal(fixture_start(&fx, NULL), 0);
    part = fixture_partition_pid(&fx, "PARTIX_SP_TEST");
    raw_direct(&c);
    if (c.seq == 0)
        c.seq = 1000; /* the scribbler runs while seq is not 0 */
    c.a->req_seq = c.seq;
    assert_int_equal(pthread_create(&t, NULL, scribbler, &c), 0);
    for (i = 0; i < 2000; i++) {
        int32_t st;

        raw_request(&c, TEST_OP_CONCAT, 2, CHAN_DATA_CAP / 4, 1, CHAN_DATA_CAP / 2);
        c.a->in_len[1] = CHAN_DATA_CAP / 4;
        st = raw_post(&c);
        /* whatever the request read, an answer came, and never more than
         * the area holds (checked after the scribbler stopped) */
        if (st == -1 || c.a->written[0] > CHAN_DATA_CAP)
            break;
        answered++;
    }
    __atomic_store_n(&c.seq, 0, __ATOMIC_RELEASE);
    pthread_join(t, NULL);
    assert_int_equal(answered, 2000);
    others_served();
    assert_int_equal(fixture_partition_pid(&fx, "PARTIX_SP_TEST"), part);
    assert_int_equal(fixture_log_count(&fx, "PARTIX_SP_TEST", "panicked"), 0);
    raw_direct_close(&c);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* ---- deaths, hangs, restarts ---- */

static void test_partition_dies_in_a_direct_call(void **state)
{
    static const char *const restart[] = {"--fault-policy", "restart", NULL};
    psa_handle_t h;
    char out[8];
    size_t len = sizeof(out);
    pid_t part;

    (void)state;
    assert_int_equal(fixture_start(&fx, restart), 0);
    part = fixture_partition_pid(&fx, "PARTIX_SP_TEST");
    h = connect_strict();
    assert_int_equal(concat(h, "up", out, &len), PSA_SUCCESS);
    assert_int_equal(psa_call(h, TEST_OP_SEGV, NULL, 0, NULL, 0), PSA_ERROR_COMMUNICATION_FAILURE);
    /* its connections died with it: at once, not through a timeout */
    len = sizeof(out);
    assert_int_equal(concat(h, "again", out, &len), PSA_ERROR_COMMUNICATION_FAILURE);
    assert_int_equal(len, 0);
    psa_close(h);
    assert_true(fixture_log_has(&fx, "restarting partition PARTIX_SP_TEST", NULL));
    assert_true(fixture_restarted(&fx, "PARTIX_SP_TEST", part) > 0);
    others_served();
    assert_int_equal(fixture_stop(&fx), 0);
}

static void test_hung_in_a_direct_call(void **state)
{
    static const char *const args[] = {"--fault-policy", "restart", "--call-timeout", "1", NULL};
    uint32_t ms = 30000;
    psa_invec in = {&ms, sizeof(ms)};
    psa_handle_t h;
    pid_t part;

    (void)state;
    assert_int_equal(fixture_start(&fx, args), 0);
    part = fixture_partition_pid(&fx, "PARTIX_SP_TEST");
    h = connect_strict();
    /* a 30 s call with a 1 s watchdog: an error, not a 30 s wait */
    assert_int_equal(psa_call(h, TEST_OP_SLEEP, &in, 1, NULL, 0), PSA_ERROR_COMMUNICATION_FAILURE);
    assert_true(fixture_log_has(&fx, "partition PARTIX_SP_TEST",
                                "panicked: hung: no reply to a call message for 1000 ms"));
    psa_close(h);
    assert_true(fixture_log_has(&fx, "restarting partition PARTIX_SP_TEST", NULL));
    assert_true(fixture_restarted(&fx, "PARTIX_SP_TEST", part) > 0);
    others_served();
    assert_int_equal(fixture_stop(&fx), 0);
}

struct sleeper {
    psa_handle_t h;
    psa_status_t st;
};

static void *sleep_call(void *arg)
{
    struct sleeper *z = arg;
    uint32_t ms = 5000;
    psa_invec in = {&ms, sizeof(ms)};

    z->st = psa_call(z->h, TEST_OP_SLEEP, &in, 1, NULL, 0);
    return NULL;
}

/* A handle of a psa-spm that stopped, or was killed (and so could not say
 * its partitions were gone): COMMUNICATION_FAILURE, as through psa-spm. */
static void test_handle_of_a_restarted_spm(void **state)
{
    struct sleeper z;
    struct timespec ts = {0, 300 * 1000 * 1000};
    pthread_t t;
    psa_handle_t h;
    char out[8];
    size_t len = sizeof(out);

    (void)state;
    assert_int_equal(fixture_start(&fx, NULL), 0);
    h = connect_strict();
    assert_int_equal(concat(h, "old", out, &len), PSA_SUCCESS);
    assert_int_equal(fixture_stop(&fx), 0);
    assert_int_equal(fixture_start(&fx, NULL), 0);
    len = sizeof(out);
    assert_int_equal(concat(h, "new", out, &len), PSA_ERROR_COMMUNICATION_FAILURE);
    psa_close(h);
    /* killed in the middle of a direct call (its partition with it): the
     * caller learns it from psa-spm's silence, not from a timeout of its
     * own; then a handle of the dead daemon against a new one */
    h = connect_strict();
    z.h = connect_strict();
    assert_int_equal(pthread_create(&t, NULL, sleep_call, &z), 0);
    nanosleep(&ts, NULL);
    assert_int_equal(fixture_crash(&fx), 0);
    pthread_join(t, NULL);
    assert_int_equal(z.st, PSA_ERROR_COMMUNICATION_FAILURE);
    assert_int_equal(fixture_start(&fx, NULL), 0);
    len = sizeof(out);
    assert_int_equal(concat(h, "new", out, &len), PSA_ERROR_COMMUNICATION_FAILURE);
    psa_close(h);
    psa_close(z.h);
    others_served();
    assert_int_equal(fixture_stop(&fx), 0);
}

/* ---- identity ---- */

static psa_handle_t forked_handle;

static void test_fork_and_identity(void **state)
{
    struct test_info ti;
    psa_outvec o = {&ti, sizeof(ti)};
    pid_t child;
    int status;

    (void)state;
    assert_int_equal(fixture_start(&fx, NULL), 0);
    forked_handle = connect_strict();
    /* the partition sees the id psa-spm bound to the connection */
    assert_int_equal(psa_call(forked_handle, TEST_OP_INFO, NULL, 0, &o, 1), PSA_SUCCESS);
    assert_int_equal(ti.client_id, -1 - (int32_t)getuid());
    child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        char out[8];
        size_t len = sizeof(out);

        /* the parent's handle is not the child's */
        _exit(concat(forked_handle, "kid", out, &len) == PSA_ERROR_PROGRAMMER_ERROR ? 0 : 1);
    }
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    o.len = sizeof(ti);
    assert_int_equal(psa_call(forked_handle, TEST_OP_INFO, NULL, 0, &o, 1), PSA_SUCCESS);
    psa_close(forked_handle);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* Calls past the area's data go through the connection's big data area,
 * made on the first one and grown when a bigger one comes; the bytes come
 * back intact, and the service took each from an area, not from psa-spm. */
static void test_large_direct_calls(void **state)
{
    static const size_t sizes[] = {70000, 1u << 20, 300000, 3u << 20};
    psa_handle_t h;
    size_t k, i;

    (void)state;
    assert_int_equal(fixture_start(&fx, NULL), 0);
    h = connect_strict();
    for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
        size_t n = sizes[k];
        uint8_t *in = malloc(n), *out = malloc(n + 16);
        psa_invec iv = {in, n};
        psa_outvec ov = {out, n + 16};

        assert_non_null(in);
        assert_non_null(out);
        for (i = 0; i < n; i++)
            in[i] = (uint8_t)(i * 31 + k);
        assert_int_equal(psa_call(h, TEST_OP_CONCAT, &iv, 1, &ov, 1), PSA_SUCCESS);
        assert_int_equal(ov.len, n);
        assert_memory_equal(out, in, n);
        free(in);
        free(out);
    }
    /* (the partition's log lines reach psa-spm's log after the answers) */
    for (i = 0; i < 500 && fixture_log_count(&fx, "[PARTIX_SP_TEST] message", ", direct") < 4; i++)
        usleep(10000);
    assert_int_equal(fixture_log_count(&fx, "[PARTIX_SP_TEST] message", ", direct"), 4);
    psa_close(h);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* A partition's call to its dependency takes the same path. */
static void test_partition_to_partition(void **state)
{
    uint8_t out[16];
    psa_invec in = {"ping", 4};
    psa_outvec o = {out, sizeof(out)};
    int32_t client_id;

    (void)state;
    assert_int_equal(fixture_start(&fx, NULL), 0);
    assert_int_equal(psa_call(PARTIX_TEST_STATELESS_HANDLE, TEST_OP_PEER, &in, 1, &o, 1),
                     PSA_SUCCESS);
    assert_int_equal(o.len, 8);
    memcpy(&client_id, out, sizeof(client_id));
    assert_int_equal(client_id, PARTIX_SP_TEST); /* its partition id, bound by psa-spm */
    assert_memory_equal(out + 4, "ping", 4);
    /* the peer took it from the connection's area (its debug line for a
     * direct message), not from psa-spm */
    assert_true(fixture_log_has(&fx, "[PARTIX_SP_TEST_PEER] message", ", direct"));
    assert_int_equal(fixture_stop(&fx), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_lying_client, fixture_teardown),
        cmocka_unit_test_teardown(test_scribbling_client, fixture_teardown),
        cmocka_unit_test_teardown(test_partition_dies_in_a_direct_call, fixture_teardown),
        cmocka_unit_test_teardown(test_hung_in_a_direct_call, fixture_teardown),
        cmocka_unit_test_teardown(test_handle_of_a_restarted_spm, fixture_teardown),
        cmocka_unit_test_teardown(test_fork_and_identity, fixture_teardown),
        cmocka_unit_test_teardown(test_partition_to_partition, fixture_teardown),
        cmocka_unit_test_teardown(test_large_direct_calls, fixture_teardown),
    };

    return cmocka_run_group_tests_name("e2e_direct", tests, NULL, NULL);
}
