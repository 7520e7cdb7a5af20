/*
 * test_conformance.c - FF-M's partition-side rules against the real daemon,
 * one test per rule of DESIGN.md's partition table not already proven by
 * another suite (rules.tsv maps every rule to its test; check.sh verifies
 * each of those tests passed).  A PARTIX_SP_TEST_CONF call type commits the
 * error; the test asserts psa-spm reported that panic with that reason, and
 * that the caller got COMMUNICATION_FAILURE.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "psa/client.h"
#include "psa_manifest/sid.h"
#include "test_conf_ops.h"

static struct fixture fx;
static const char *const restart[] = {"--fault-policy", "restart", NULL};

static int setup(void **state)
{
    (void)state;
    return fixture_start(&fx, restart);
}

static psa_handle_t connect_a(void)
{
    psa_handle_t h = psa_connect(PARTIX_CONF_A_SID, 1);

    assert_true(PSA_HANDLE_IS_VALID(h));
    return h;
}

/* The call commits the error: the caller learns the partition died, and the
 * log says it panicked for that reason. */
static void expect_panic(int op, const char *reason)
{
    psa_handle_t h = connect_a();
    uint8_t in[8] = {0}, out[8];
    psa_invec iv = {in, sizeof(in)};
    psa_outvec ov = {out, sizeof(out)};

    assert_int_equal(psa_call(h, op, &iv, 1, &ov, 1), PSA_ERROR_COMMUNICATION_FAILURE);
    assert_true(fixture_log_has(&fx, "partition PARTIX_SP_TEST_CONF", reason));
    psa_close(h);
}

static void test_get_two_signals(void **state)
{
    (void)state;
    expect_panic(CONF_BAD_GET_TWO_SIGNALS, "panicked: psa_get: signal 0x00000030 is not a "
                                           "single signal");
}

static void test_get_not_asserted(void **state)
{
    (void)state;
    expect_panic(CONF_BAD_GET_NOT_ASSERTED, "panicked: psa_get: signal 0x00000020 is not "
                                            "asserted");
}

static void test_get_not_a_service_signal(void **state)
{
    (void)state;
    expect_panic(CONF_BAD_GET_IRQLESS_SIGNAL, "panicked: psa_get: signal 0x00000008 is not a "
                                              "service signal of the partition");
}

static void test_reply_bad_handle(void **state)
{
    (void)state;
    expect_panic(CONF_BAD_REPLY_HANDLE, "panicked: psa_reply: 30001 is not the handle of a message "
                                        "taken with psa_get()");
}

static void test_read_bad_handle(void **state)
{
    (void)state;
    expect_panic(CONF_BAD_READ_HANDLE, "panicked: psa_read: 30001 is not the handle of a message "
                                       "taken with psa_get()");
}

static void test_read_index(void **state)
{
    (void)state;
    expect_panic(CONF_BAD_READ_INDEX, "panicked: psa_read: vector index 4 is not below "
                                      "PSA_MAX_IOVEC");
}

static void test_skip_bad_handle(void **state)
{
    (void)state;
    expect_panic(CONF_BAD_SKIP_HANDLE, "panicked: psa_skip: 30001 is not the handle of a message "
                                       "taken with psa_get()");
}

static void test_write_index(void **state)
{
    (void)state;
    expect_panic(CONF_BAD_WRITE_INDEX, "panicked: psa_write: vector index 4 is not below "
                                       "PSA_MAX_IOVEC");
}

static void test_stateless_set_rhandle(void **state)
{
    uint8_t b = 0;
    psa_invec iv = {&b, 1};

    (void)state;
    assert_int_equal(psa_call(PARTIX_CONF_STATELESS_HANDLE, CONF_BAD_SET_RHANDLE, &iv, 1, NULL, 0),
                     PSA_ERROR_COMMUNICATION_FAILURE);
    assert_true(fixture_log_has(&fx, "partition PARTIX_SP_TEST_CONF",
                                "panicked: psa_set_rhandle: message "));
    assert_true(
        fixture_log_has(&fx, "partition PARTIX_SP_TEST_CONF", "is for a stateless service"));
}

/* The next CONNECT misbehaves: the connecting client is refused, and the
 * partition panics. */
static void expect_connect_panic(int arm, const char *reason)
{
    psa_handle_t h = connect_a();

    assert_int_equal(psa_call(h, arm, NULL, 0, NULL, 0), PSA_SUCCESS);
    assert_false(PSA_HANDLE_IS_VALID(psa_connect(PARTIX_CONF_A_SID, 1)));
    assert_true(fixture_log_has(&fx, "partition PARTIX_SP_TEST_CONF", reason));
    psa_close(h);
}

static void test_connect_reply_status(void **state)
{
    (void)state;
    expect_connect_panic(CONF_BAD_CONNECT_STATUS,
                         "panicked: psa_reply: a CONNECT is answered with PSA_SUCCESS, "
                         "PSA_ERROR_CONNECTION_REFUSED or PSA_ERROR_CONNECTION_BUSY, not -135");
}

static void test_read_of_connect(void **state)
{
    (void)state;
    expect_connect_panic(CONF_BAD_READ_CONNECT, "is a CONNECT, not a request");
}

/* psa_read and psa_skip return min(requested, remaining). */
static void test_read_skip_return_min(void **state)
{
    uint32_t got[4];
    psa_handle_t h;
    psa_invec iv = {"0123456789", 10};
    psa_outvec ov = {got, sizeof(got)};

    (void)state;
    h = connect_a();
    assert_int_equal(psa_call(h, CONF_READ_SKIP, &iv, 1, &ov, 1), PSA_SUCCESS);
    assert_int_equal(got[0], 4); /* read 4 of 10 */
    assert_int_equal(got[1], 3); /* skip 3 of 6 */
    assert_int_equal(got[2], 3); /* read 100 of 3 */
    assert_int_equal(got[3], 0); /* read 1 of 0 */
    psa_close(h);
}

/* psa_write is cumulative: each write continues where the last ended. */
static void test_writes_accumulate(void **state)
{
    char out[16];
    psa_handle_t h;
    psa_outvec ov = {out, sizeof(out)};

    (void)state;
    h = connect_a();
    assert_int_equal(psa_call(h, CONF_WRITE_TWICE, NULL, 0, &ov, 1), PSA_SUCCESS);
    assert_int_equal(ov.len, 6);
    assert_memory_equal(out, "abcdef", 6);
    psa_close(h);
}

struct queued {
    psa_handle_t h;
    int32_t type;
    psa_status_t st;
    int32_t seen[8];
    size_t n_seen;
};

static void *call_thread(void *arg)
{
    struct queued *q = arg;
    psa_outvec ov = {q->seen, sizeof(q->seen)};

    q->st = psa_call(q->h, q->type, NULL, 0, &ov, q->type == CONF_HOLD ? 1 : 0);
    q->n_seen = ov.len / sizeof(int32_t);
    return NULL;
}

/* A connection carries one call at a time: a second thread's call on it
 * while the first is in the partition is a programmer error. */
static void test_connection_in_a_call(void **state)
{
    struct queued q = {0};
    pthread_t t;
    psa_handle_t b;
    char line[64];

    (void)state;
    q.h = connect_a();
    q.type = CONF_HOLD;
    b = psa_connect(PARTIX_CONF_B_SID, 1);
    assert_true(PSA_HANDLE_IS_VALID(b));
    assert_int_equal(pthread_create(&t, NULL, call_thread, &q), 0);
    /* psa-spm's line for a routed call, the partition's for a direct one */
    snprintf(line, sizeof(line), "(type %d) on handle %d", CONF_HOLD, (int)q.h);
    assert_true(fixture_log_has(&fx, line, NULL));
    assert_int_equal(psa_call(q.h, CONF_WRITE_TWICE, NULL, 0, NULL, 0), PSA_ERROR_PROGRAMMER_ERROR);
    assert_int_equal(psa_call(b, PSA_IPC_CALL, NULL, 0, NULL, 0), PSA_SUCCESS); /* release */
    pthread_join(t, NULL);
    assert_int_equal(q.st, PSA_SUCCESS);
    psa_close(q.h);
    psa_close(b);
}

/* Messages on one signal reach the partition in the order they were sent:
 * three calls queue up behind a call that holds the partition. */
static void test_messages_in_order(void **state)
{
    struct queued q[4];
    pthread_t t[4];
    psa_handle_t b;
    char line[64];
    int i;

    (void)state;
    for (i = 0; i < 4; i++) {
        q[i].h = connect_a();
        q[i].type = i == 0 ? CONF_HOLD : 100 + i;
    }
    b = psa_connect(PARTIX_CONF_B_SID, 1);
    assert_true(PSA_HANDLE_IS_VALID(b));
    for (i = 0; i < 4; i++) {
        assert_int_equal(pthread_create(&t[i], NULL, call_thread, &q[i]), 0);
        /* sent in this order: each reached the partition before the next */
        snprintf(line, sizeof(line), "(type %d) on handle %d", (int)q[i].type, (int)q[i].h);
        assert_true(fixture_log_has(&fx, line, NULL));
    }
    assert_int_equal(psa_call(b, PSA_IPC_CALL, NULL, 0, NULL, 0), PSA_SUCCESS); /* release */
    for (i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    assert_int_equal(q[0].st, PSA_SUCCESS);
    assert_int_equal(q[0].n_seen, 3);
    for (i = 1; i < 4; i++) {
        assert_int_equal(q[0].seen[i - 1], 100 + i); /* taken in order */
        assert_int_equal(q[i].st, i - 1);            /* and answered in order */
    }
    for (i = 0; i < 4; i++)
        psa_close(q[i].h);
    psa_close(b);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, fixture_teardown)
    const struct CMUnitTest tests[] = {
        T(test_get_two_signals),      T(test_get_not_asserted),  T(test_get_not_a_service_signal),
        T(test_reply_bad_handle),     T(test_read_bad_handle),   T(test_read_index),
        T(test_skip_bad_handle),      T(test_write_index),       T(test_stateless_set_rhandle),
        T(test_connect_reply_status), T(test_read_of_connect),   T(test_read_skip_return_min),
        T(test_writes_accumulate),    T(test_messages_in_order), T(test_connection_in_a_call),
    };

    return cmocka_run_group_tests_name("conformance", tests, NULL, NULL);
}
