/*
 * test_partitions.c - partitions as clients of other partitions: calls to
 * declared dependencies work and carry the caller's partition id; anything
 * else panics the caller, as TF-M does.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture.h"
#include "psa/client.h"
#include "psa_manifest/pid.h"
#include "psa_manifest/sid.h"
#include "test_ops.h"

static struct fixture fx;
static const char *const restart_policy[] = {"--fault-policy", "restart", NULL};

static int start(void **state)
{
    (void)state;
    return fixture_start(&fx, restart_policy);
}

static int stop(void **state)
{
    (void)state;
    return fixture_stop(&fx) == 0 ? 0 : -1;
}

static psa_status_t op(int type, const void *in, size_t in_len, void *out, size_t *out_len)
{
    psa_invec iv = {in, in_len};
    psa_outvec ov = {out, out_len ? *out_len : 0};
    psa_status_t st =
        psa_call(PARTIX_TEST_STATELESS_HANDLE, type, &iv, in ? 1 : 0, &ov, out ? 1 : 0);

    if (out_len != NULL)
        *out_len = ov.len;
    return st;
}

static void test_declared_dependency(void **state)
{
    uint8_t out[80];
    size_t n = sizeof(out);
    int32_t client_id;

    (void)state;
    assert_int_equal(op(TEST_OP_PEER, "ping", 4, out, &n), PSA_SUCCESS);
    assert_int_equal(n, 8);
    memcpy(&client_id, out, sizeof(client_id));
    /* a secure caller's client id is its partition id */
    assert_int_equal(client_id, PARTIX_SP_TEST);
    assert_memory_equal(out + 4, "ping", 4);
}

static void test_secure_only_service(void **state)
{
    uint32_t v[2];
    size_t n = sizeof(v);

    (void)state;
    /* closed to Linux apps ... */
    assert_int_equal(psa_version(PARTIX_TEST_PEER_SID), PSA_VERSION_NONE);
    assert_int_equal(psa_connect(PARTIX_TEST_PEER_SID, 1), PSA_ERROR_CONNECTION_REFUSED);
    /* ... open to the partition that declares it, and nothing else is */
    assert_int_equal(op(TEST_OP_PEER_VERSION, NULL, 0, v, &n), PSA_SUCCESS);
    assert_int_equal(v[0], 1);
    assert_int_equal(v[1], PSA_VERSION_NONE);
}

static void test_undeclared_panics(void **state)
{
    (void)state;
    assert_int_equal(op(TEST_OP_UNDECLARED, NULL, 0, NULL, NULL), PSA_ERROR_COMMUNICATION_FAILURE);
    assert_true(fixture_log_has(&fx, "partition PARTIX_SP_TEST",
                                "panicked: psa_connect: TFM_ECHO_SERVICE is not in its manifest's "
                                "dependencies"));
}

static void test_bad_handle_panics(void **state)
{
    (void)state;
    for (int tries = 0; tries < 500 && op(TEST_OP_CONCAT, NULL, 0, NULL, NULL) != PSA_SUCCESS;
         tries++)
        usleep(10 * 1000); /* the restart after the previous panic */
    assert_int_equal(op(TEST_OP_BAD_HANDLE, NULL, 0, NULL, NULL), PSA_ERROR_COMMUNICATION_FAILURE);
    assert_true(fixture_log_has(&fx, "partition PARTIX_SP_TEST", "panicked: psa_call: handle"));
}

/* A partition's call to its dependency far above 64 KiB: it travels in a
 * memfd the partition creates inside its sandbox, and comes back whole. */
static void test_large_call_to_dependency(void **state)
{
    uint32_t sizes[] = {64 * 1024 + 1, 300 * 1024, 512 * 1024};
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        psa_invec in = {&sizes[i], sizeof(sizes[i])};

        assert_int_equal(psa_call(PARTIX_TEST_STATELESS_HANDLE, TEST_OP_PEER_BIG, &in, 1, NULL, 0),
                         PSA_SUCCESS);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_declared_dependency),      cmocka_unit_test(test_secure_only_service),
        cmocka_unit_test(test_large_call_to_dependency), cmocka_unit_test(test_undeclared_panics),
        cmocka_unit_test(test_bad_handle_panics),
    };

    return cmocka_run_group_tests_name("e2e_partitions", tests, start, stop);
}
