/*
 * test_testkit.c - libpsa-partition-test itself, with a partition written to
 * break FF-M's rules on request: each programmer error must panic with the
 * runtime's reason, as it would under psa-spm.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "partix/partition_test.h"
#include "psa/service.h"
#include "tfm_hal_platform.h"

#define SIG_A 0x10u
#define SID_A 0x1000u
#define SID_STATELESS 0x1001u
#define HANDLE_STATELESS 0x40000100

enum {
    OP_WRITE_PAST = 1,
    OP_BAD_INDEX,
    OP_DOUBLE_REPLY,
    OP_DEFER,
    OP_RHANDLE,
    OP_BAD_WAIT,
    OP_NOTIFY,
    OP_CLEAR,
    OP_READ_SKIP,
    OP_GET_UNASSERTED,
    OP_MAP,
    OP_SYSTEM_RESET
};

static void bad_partition_main(void);
static psa_status_t noop_sfn(const psa_msg_t *msg);

static const struct partix_service_info services[] = {
    {.name = "A",
     .sid = SID_A,
     .signal = SIG_A,
     .version = 1,
     .flags = PARTIX_SVC_CONNECTION_BASED | PARTIX_SVC_NS_CLIENTS},
    {.name = "STATELESS",
     .sid = SID_STATELESS,
     .signal = 0x20,
     .version = 1,
     .stateless_handle = HANDLE_STATELESS,
     .flags = PARTIX_SVC_NS_CLIENTS,
     .sfn = noop_sfn},
};

const struct partix_load_info partix_load_info = {
    .abi = PARTIX_LOAD_INFO_ABI,
    .name = "BAD_PARTITION",
    .ffm_version = 0x0101,
    .entry_point = bad_partition_main,
    .stack_size = 0x1000,
    .n_services = 2,
    .services = services,
};

static psa_status_t noop_sfn(const psa_msg_t *msg)
{
    (void)msg;
    return PSA_SUCCESS;
}

static psa_status_t handle(const psa_msg_t *msg)
{
    uint8_t buf[32] = {0};
    size_t n;

    switch (msg->type) {
    case OP_WRITE_PAST:
        psa_write(msg->handle, 0, buf, msg->out_size[0] + 1);
        break;
    case OP_BAD_INDEX:
        psa_read(msg->handle, 4, buf, 1);
        break;
    case OP_DOUBLE_REPLY:
        psa_reply(msg->handle, PSA_SUCCESS);
        psa_reply(msg->handle, PSA_SUCCESS);
        break;
    case OP_RHANDLE:
        psa_set_rhandle(msg->handle, (void *)(uintptr_t)0xfeed);
        break;
    case OP_BAD_WAIT:
        psa_wait(0x1, PSA_POLL);
        break;
    case OP_NOTIFY:
        psa_notify(msg->in_size[0] == 1 ? 1 : 99);
        break;
    case OP_CLEAR:
        psa_clear();
        break;
    case OP_READ_SKIP:
        /* read 3, skip 2, read the rest: psa_read/psa_skip return min(asked, left) */
        n = psa_read(msg->handle, 0, buf, 3);
        psa_write(msg->handle, 0, buf, n);
        if (psa_skip(msg->handle, 0, 2) != 2)
            return PSA_ERROR_GENERIC_ERROR;
        n = psa_read(msg->handle, 0, buf, sizeof(buf));
        psa_write(msg->handle, 0, buf, n);
        if (psa_read(msg->handle, 0, buf, 1) != 0 || psa_skip(msg->handle, 1, 5) != 0)
            return PSA_ERROR_GENERIC_ERROR;
        break;
    case OP_GET_UNASSERTED: {
        psa_msg_t other;

        psa_get(0x20, &other);
        break;
    }
    case OP_MAP:
        psa_map_invec(msg->handle, 0);
        break;
    case OP_SYSTEM_RESET:
        tfm_hal_system_reset(TFM_PLAT_SWSYN_DEFAULT);
    }
    return (psa_status_t)(uintptr_t)msg->rhandle;
}

static void bad_partition_main(void)
{
    psa_msg_t msg;

    for (;;) {
        psa_wait(SIG_A, PSA_BLOCK);
        psa_get(SIG_A, &msg);
        if (msg.type == PSA_IPC_CONNECT) {
            psa_reply(msg.handle, msg.client_id == -7 ? PSA_ERROR_GENERIC_ERROR : PSA_SUCCESS);
        } else if (msg.type == OP_DEFER) {
            continue; /* never replied */
        } else if (msg.type == OP_DOUBLE_REPLY) {
            handle(&msg);
        } else {
            psa_reply(msg.handle, handle(&msg));
        }
    }
}

static psa_handle_t h;

static int setup(void **state)
{
    (void)state;
    ptest_set_client_id(-1);
    if (ptest_start(&partix_load_info) != 0)
        return -1;
    h = ptest_connect(SID_A, 1);
    return PSA_HANDLE_IS_VALID(h) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    ptest_stop();
    return 0;
}

static void expect_panic(int op, const char *reason)
{
    uint8_t out[4];
    psa_outvec ov = {out, sizeof(out)};

    assert_int_equal(ptest_call(h, op, NULL, 0, &ov, 1), PTEST_PANICKED);
    assert_string_equal(ptest_panic_reason(), reason);
    /* a dead partition answers nothing more */
    assert_int_equal(ptest_call(h, OP_RHANDLE, NULL, 0, NULL, 0), PTEST_PANICKED);
}

static void test_write_past(void **state)
{
    (void)state;
    expect_panic(OP_WRITE_PAST, "psa_write: 5 bytes after 0 already written pass the end of "
                                "output vector 0 (4 bytes)");
}

/* No SPM to restart partitions: a system reset ends the partition as a panic does. */
static void test_system_reset(void **state)
{
    (void)state;
    expect_panic(OP_SYSTEM_RESET, "tfm_hal_system_reset: a system reset; the unit-test harness "
                                  "cannot restart partitions: test it under psa-spm");
}

static void test_bad_index(void **state)
{
    (void)state;
    expect_panic(OP_BAD_INDEX, "psa_read: vector index 4 is not below PSA_MAX_IOVEC");
}

static void test_double_reply(void **state)
{
    (void)state;
    expect_panic(OP_DOUBLE_REPLY, "psa_reply: 2 is not the handle of a message taken with "
                                  "psa_get()");
}

static void test_bad_wait(void **state)
{
    (void)state;
    expect_panic(OP_BAD_WAIT, "psa_wait: mask 0x00000001 holds none of the partition's signals "
                              "(0x00000038)");
}

static void test_clear_without_doorbell(void **state)
{
    (void)state;
    expect_panic(OP_CLEAR, "psa_clear: PSA_DOORBELL is not asserted");
}

static void test_get_unasserted(void **state)
{
    (void)state;
    expect_panic(OP_GET_UNASSERTED, "psa_get: signal 0x00000020 is not asserted");
}

static void test_map_without_mm_iovec(void **state)
{
    (void)state;
    expect_panic(OP_MAP, "psa_map_invec: MM-IOVEC is not enabled for service 0x00001000");
}

static void test_notify(void **state)
{
    uint8_t one = 1;
    psa_invec iv = {&one, 1};

    (void)state;
    assert_int_equal(ptest_call(h, OP_NOTIFY, &iv, 1, NULL, 0), PSA_SUCCESS);
    assert_true(ptest_notified(1));
    assert_false(ptest_notified(1));
    assert_int_equal(ptest_call(h, OP_NOTIFY, NULL, 0, NULL, 0), PTEST_PANICKED);
    assert_string_equal(ptest_panic_reason(), "psa_notify: 99 is not a partition ID");
}

static void test_connect_bad_status(void **state)
{
    (void)state;
    ptest_set_client_id(-7);
    assert_int_equal(ptest_connect(SID_A, 1), PTEST_PANICKED);
    assert_memory_equal(ptest_panic_reason(), "psa_reply: a CONNECT is answered with", 37);
}

static void test_defer_and_rhandle(void **state)
{
    (void)state;
    assert_int_equal(ptest_call(h, OP_DEFER, NULL, 0, NULL, 0), PTEST_NO_REPLY);
    /* the rhandle set on one message is given with the next ones */
    assert_int_equal(ptest_call(h, OP_RHANDLE, NULL, 0, NULL, 0), 0);
    assert_int_equal(ptest_call(h, OP_RHANDLE, NULL, 0, NULL, 0), 0xfeed);
}

static void test_read_skip(void **state)
{
    uint8_t out[16];
    psa_invec iv = {"abcdefghij", 10};
    psa_outvec ov = {out, sizeof(out)};

    (void)state;
    assert_int_equal(ptest_call(h, OP_READ_SKIP, &iv, 1, &ov, 1), 0);
    assert_int_equal(ov.len, 8);
    assert_memory_equal(out, "abcfghij", 8);
}

static void test_stateless_sfn_handle(void **state)
{
    (void)state;
    /* a stateless service is called through its handle, never connected */
    assert_int_equal(ptest_connect(SID_STATELESS, 1), PSA_ERROR_PROGRAMMER_ERROR);
    assert_int_equal(ptest_call(HANDLE_STATELESS + 1, 0, NULL, 0, NULL, 0),
                     PSA_ERROR_PROGRAMMER_ERROR);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_write_past),
        T(test_bad_index),
        T(test_double_reply),
        T(test_bad_wait),
        T(test_clear_without_doorbell),
        T(test_get_unasserted),
        T(test_map_without_mm_iovec),
        T(test_notify),
        T(test_connect_bad_status),
        T(test_defer_and_rhandle),
        T(test_read_skip),
        T(test_stateless_sfn_handle),
        T(test_system_reset),
    };

    return cmocka_run_group_tests_name("testkit", tests, NULL, NULL);
}
