/*
 * test_doorbell.c - signals between partitions, against the real daemon:
 * psa_notify() asserts PSA_DOORBELL in another partition, psa_wait() returns
 * it, psa_clear() clears it, and two notifies before a clear are one
 * doorbell; PSA_POLL answers at once, PSA_BLOCK waits; and each misuse
 * (psa_clear without a doorbell, psa_notify to no partition, psa_wait on
 * none of the partition's signals) panics the partition that made it.
 * Driven from here through call types of the test service, which relays to
 * the secure-only test peer, and of the SFN test partition.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#include <cmocka.h>

#include "fixture.h"
#include "psa/client.h"
#include "psa/service.h"
#include "psa_manifest/partix_test_service.h"
#include "psa_manifest/pid.h"
#include "psa_manifest/sid.h"
#include "test_ops.h"

static struct fixture fx;
/* a partition that ignores a message is found out in 10 s, not 60 */
static const char *const args[] = {"--fault-policy", "restart", "--call-timeout", "10", NULL};

static int start(void **state)
{
    (void)state;
    return fixture_start(&fx, args);
}

static int stop(void **state)
{
    (void)state;
    return fixture_stop(&fx) == 0 ? 0 : -1;
}

/* A call to the test service's stateless service. */
static psa_status_t service_op(int op, const void *in, size_t in_len, void *out, size_t out_len)
{
    psa_invec iv = {in, in_len};
    psa_outvec ov = {out, out_len};

    return psa_call(PARTIX_TEST_STATELESS_HANDLE, op, &iv, in ? 1 : 0, &ov, out ? 1 : 0);
}

/* A call to the peer, relayed by the test service. */
static psa_status_t peer_op(int32_t type, const void *in, size_t in_len, void *out, size_t out_len)
{
    psa_invec iv[2] = {{&type, sizeof(type)}, {in, in_len}};
    psa_outvec ov = {out, out_len};

    return psa_call(PARTIX_TEST_STATELESS_HANDLE, TEST_OP_PEER_OP, iv, 2, &ov, out ? 1 : 0);
}

static psa_signal_t service_wait(psa_signal_t mask, uint32_t timeout)
{
    struct test_wait w = {mask, timeout};
    psa_signal_t s = 0xdeadbeef;

    assert_int_equal(service_op(TEST_OP_WAIT, &w, sizeof(w), &s, sizeof(s)), PSA_SUCCESS);
    return s;
}

static psa_signal_t peer_wait(psa_signal_t mask, uint32_t timeout)
{
    struct test_wait w = {mask, timeout};
    psa_signal_t s = 0xdeadbeef;

    assert_int_equal(peer_op(PEER_OP_WAIT, &w, sizeof(w), &s, sizeof(s)), PSA_SUCCESS);
    return s;
}

/* The test service notifies @p pid @p times times in a row. */
static psa_status_t service_notify(int32_t pid, uint32_t times)
{
    struct test_notify n = {pid, times};

    return service_op(TEST_OP_NOTIFY, &n, sizeof(n), NULL, 0);
}

static void test_poll_returns_at_once(void **state)
{
    (void)state;
    /* nothing asserted: PSA_POLL returns 0 */
    assert_int_equal(service_wait(PSA_DOORBELL, PSA_POLL), 0);
    assert_int_equal(peer_wait(PSA_DOORBELL, PSA_POLL), 0);
    /* the message being handled was taken: its signal is no longer asserted */
    assert_int_equal(service_wait(PSA_WAIT_ANY, PSA_POLL), 0);
    assert_int_equal(peer_wait(PSA_WAIT_ANY, PSA_POLL), 0);
}

static void test_notify_asserts_doorbell(void **state)
{
    (void)state;
    assert_int_equal(service_notify(PARTIX_SP_TEST_PEER, 1), PSA_SUCCESS);
    assert_int_equal(peer_wait(PSA_DOORBELL, PSA_POLL), PSA_DOORBELL);
    /* 0x8 and nothing else; waiting does not clear it */
    assert_int_equal(peer_wait(PSA_WAIT_ANY, PSA_POLL), PSA_DOORBELL);
    /* asserted: PSA_BLOCK returns at once too */
    assert_int_equal(peer_wait(PSA_DOORBELL, PSA_BLOCK), PSA_DOORBELL);
    assert_int_equal(peer_op(PEER_OP_CLEAR, NULL, 0, NULL, 0), PSA_SUCCESS);
    assert_int_equal(peer_wait(PSA_DOORBELL, PSA_POLL), 0);
    assert_int_equal(peer_wait(PSA_WAIT_ANY, PSA_POLL), 0);
    /* the notifier's own doorbell was never touched */
    assert_int_equal(service_wait(PSA_DOORBELL, PSA_POLL), 0);
}

static void test_two_notifies_one_doorbell(void **state)
{
    (void)state;
    /* three notifies (two in one call, one in another) before a clear ... */
    assert_int_equal(service_notify(PARTIX_SP_TEST_PEER, 2), PSA_SUCCESS);
    assert_int_equal(service_notify(PARTIX_SP_TEST_PEER, 1), PSA_SUCCESS);
    assert_int_equal(peer_wait(PSA_DOORBELL, PSA_POLL), PSA_DOORBELL);
    /* ... are one doorbell: one clear leaves nothing asserted */
    assert_int_equal(peer_op(PEER_OP_CLEAR, NULL, 0, NULL, 0), PSA_SUCCESS);
    assert_int_equal(peer_wait(PSA_DOORBELL, PSA_POLL), 0);
}

static void test_doorbell_while_serving(void **state)
{
    struct test_notify n = {PARTIX_SP_TEST, 1};
    uint8_t out[8];
    psa_invec in = {"ok", 2};
    psa_outvec o = {out, sizeof(out)};
    psa_handle_t h;

    (void)state;
    /* the peer rings the test service, whose loop waits on PSA_WAIT_ANY and
     * leaves the doorbell asserted: psa_wait() returns it at once, again and
     * again, and messages must still reach the partition */
    assert_int_equal(peer_op(PEER_OP_NOTIFY, &n, sizeof(n), NULL, 0), PSA_SUCCESS);
    assert_int_equal(service_wait(PSA_DOORBELL, PSA_POLL), PSA_DOORBELL);
    assert_int_equal(service_wait(PSA_WAIT_ANY, PSA_POLL), PSA_DOORBELL);
    h = psa_connect(PARTIX_TEST_STRICT_SID, PARTIX_TEST_STRICT_VERSION);
    assert_true(PSA_HANDLE_IS_VALID(h));
    assert_int_equal(psa_call(h, TEST_OP_CONCAT, &in, 1, &o, 1), PSA_SUCCESS);
    assert_int_equal(o.len, 2);
    psa_close(h);
    assert_int_equal(service_op(TEST_OP_CLEAR, NULL, 0, NULL, 0), PSA_SUCCESS);
    assert_int_equal(service_wait(PSA_DOORBELL, PSA_POLL), 0);
}

struct blocked {
    psa_signal_t mask;
    psa_status_t status;
    psa_signal_t got;
};

static void *wait_blocked(void *arg)
{
    struct blocked *b = arg;
    struct test_wait w = {b->mask, PSA_BLOCK};
    psa_invec iv = {&w, sizeof(w)};
    psa_outvec ov = {&b->got, sizeof(b->got)};

    b->status = psa_call(PARTIX_TEST_STATELESS_HANDLE, TEST_OP_WAIT, &iv, 1, &ov, 1);
    return NULL;
}

static void test_block_waits_for_doorbell(void **state)
{
    struct blocked b = {PSA_DOORBELL, -1, 0};
    struct test_notify n = {PARTIX_SP_TEST, 1};
    psa_invec iv = {&n, sizeof(n)};
    pthread_t t;

    (void)state;
    assert_int_equal(service_wait(PSA_DOORBELL, PSA_POLL), 0);
    assert_int_equal(pthread_create(&t, NULL, wait_blocked, &b), 0);
    assert_true(fixture_log_has(&fx, "[PARTIX_SP_TEST] psa_wait(0x00000008, PSA_BLOCK)", NULL));
    /* the SFN partition rings: only now is there anything to return */
    assert_int_equal(psa_call(PARTIX_TEST_SFN_STATELESS_HANDLE, SFN_OP_NOTIFY, &iv, 1, NULL, 0),
                     PSA_SUCCESS);
    assert_int_equal(pthread_join(t, NULL), 0);
    assert_int_equal(b.status, PSA_SUCCESS);
    assert_int_equal(b.got, PSA_DOORBELL);
    assert_int_equal(service_op(TEST_OP_CLEAR, NULL, 0, NULL, 0), PSA_SUCCESS);
}

static void test_block_waits_for_message(void **state)
{
    struct blocked b = {PSA_WAIT_ANY, -1, 0};
    psa_handle_t h;
    pthread_t t;

    (void)state;
    assert_int_equal(pthread_create(&t, NULL, wait_blocked, &b), 0);
    assert_true(fixture_log_has(&fx, "[PARTIX_SP_TEST] psa_wait(0xffffffff, PSA_BLOCK)", NULL));
    /* a CONNECT for another service of the partition ends the wait with
     * that service's signal, as the generated header defines it */
    h = psa_connect(PARTIX_TEST_STRICT_SID, PARTIX_TEST_STRICT_VERSION);
    assert_int_equal(pthread_join(t, NULL), 0);
    assert_int_equal(b.status, PSA_SUCCESS);
    assert_int_equal(b.got, PARTIX_TEST_STRICT_SIGNAL);
    /* and the message is still there for the loop to serve */
    assert_true(PSA_HANDLE_IS_VALID(h));
    psa_close(h);
}

/* A misuse of the partition API by @p name, running as @p pid: the call
 * failed, the log names the reason, and the partition comes back. */
static void expect_panic(psa_status_t st, const char *name, pid_t pid, const char *reason)
{
    char who[96];

    assert_true(pid > 0);
    snprintf(who, sizeof(who), "partition %s (pid %d)", name, (int)pid);
    assert_int_equal(st, PSA_ERROR_COMMUNICATION_FAILURE);
    assert_true(fixture_log_has(&fx, who, reason));
    assert_true(fixture_restarted(&fx, name, pid) > 0);
}

static pid_t pid_of(const char *name)
{
    return fixture_partition_pid(&fx, name);
}

static void test_clear_without_doorbell_panics(void **state)
{
    pid_t pid;

    (void)state;
    pid = pid_of("PARTIX_SP_TEST_PEER");
    expect_panic(peer_op(PEER_OP_CLEAR, NULL, 0, NULL, 0), "PARTIX_SP_TEST_PEER", pid,
                 "panicked: psa_clear: PSA_DOORBELL is not asserted");
    pid = pid_of("PARTIX_SP_TEST");
    expect_panic(service_op(TEST_OP_CLEAR, NULL, 0, NULL, 0), "PARTIX_SP_TEST", pid,
                 "panicked: psa_clear: PSA_DOORBELL is not asserted");
    /* after a clear, a second clear is the same error */
    assert_int_equal(service_notify(PARTIX_SP_TEST_PEER, 1), PSA_SUCCESS);
    assert_int_equal(peer_op(PEER_OP_CLEAR, NULL, 0, NULL, 0), PSA_SUCCESS);
    pid = pid_of("PARTIX_SP_TEST_PEER");
    expect_panic(peer_op(PEER_OP_CLEAR, NULL, 0, NULL, 0), "PARTIX_SP_TEST_PEER", pid,
                 "panicked: psa_clear: PSA_DOORBELL is not asserted");
}

static void test_notify_unknown_partition_panics(void **state)
{
    pid_t pid;

    (void)state;
    pid = pid_of("PARTIX_SP_TEST");
    expect_panic(service_notify(12345, 1), "PARTIX_SP_TEST", pid,
                 "panicked: psa_notify: 12345 is not a partition ID");
    /* a non-secure client id is not a partition either */
    pid = pid_of("PARTIX_SP_TEST");
    expect_panic(service_notify(-1, 1), "PARTIX_SP_TEST", pid,
                 "panicked: psa_notify: -1 is not a partition ID");
}

static void test_wait_on_none_of_its_signals_panics(void **state)
{
    struct test_wait w = {0x4, PSA_POLL}; /* reserved by FF-M */
    psa_signal_t s;
    pid_t pid;

    (void)state;
    pid = pid_of("PARTIX_SP_TEST");
    expect_panic(service_op(TEST_OP_WAIT, &w, sizeof(w), &s, sizeof(s)), "PARTIX_SP_TEST", pid,
                 "panicked: psa_wait: mask 0x00000004 holds none of the partition's signals "
                 "(0x000001f8)");
    /* the test service's second signal is not one of the peer's */
    w.mask = PARTIX_TEST_RELAXED_SIGNAL;
    pid = pid_of("PARTIX_SP_TEST_PEER");
    expect_panic(peer_op(PEER_OP_WAIT, &w, sizeof(w), &s, sizeof(s)), "PARTIX_SP_TEST_PEER", pid,
                 "panicked: psa_wait: mask 0x00000020 holds none of the partition's signals "
                 "(0x00000018)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_poll_returns_at_once),
        cmocka_unit_test(test_notify_asserts_doorbell),
        cmocka_unit_test(test_two_notifies_one_doorbell),
        cmocka_unit_test(test_doorbell_while_serving),
        cmocka_unit_test(test_block_waits_for_doorbell),
        cmocka_unit_test(test_block_waits_for_message),
        cmocka_unit_test(test_clear_without_doorbell_panics),
        cmocka_unit_test(test_notify_unknown_partition_panics),
        cmocka_unit_test(test_wait_on_none_of_its_signals_panics),
    };

    return cmocka_run_group_tests_name("e2e_doorbell", tests, start, stop);
}
