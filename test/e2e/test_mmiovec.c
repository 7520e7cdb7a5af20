/*
 * test_mmiovec.c - MM-IOVEC against the real daemon: psa_map_invec and
 * psa_map_outvec give the caller's bytes for a call carried in the datagram
 * and for one carried in a memfd (mapped in place: the vectors lie in one
 * mapping, laid out as the memfd), psa_unmap_outvec's length is the length
 * the client sees, and each misuse of the calls panics the partition with
 * its reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture.h"
#include "psa/client.h"
#include "psa_manifest/sid.h"
#include "test_ops.h"

#define BIG (1024u * 1024u) /* far above the 64 KiB carried in a datagram */

static struct fixture fx;
static const char *const restart[] = {"--fault-policy", "restart", NULL};

/* TEST_OP_MM_ECHO of one or two input vectors into a @p cap-byte output vector. */
static psa_status_t mm_echo(const void *a, size_t a_len, const void *b, size_t b_len, void *out,
                            size_t cap, size_t *out_len, struct test_mm_layout *layout)
{
    psa_invec in[] = {{a, a_len}, {b, b_len}};
    psa_outvec outv[] = {{out, cap}, {layout, sizeof(*layout)}};
    psa_status_t st;

    memset(layout, 0xff, sizeof(*layout));
    st = psa_call(PARTIX_TEST_MM_IOVEC_HANDLE, TEST_OP_MM_ECHO, in, b_len > 0 ? 2 : 1, outv, 2);
    if (st == PSA_SUCCESS)
        assert_int_equal(outv[1].len, sizeof(*layout));
    *out_len = outv[0].len;
    return st;
}

static void test_mm_inline_call(void **state)
{
    struct test_mm_layout layout;
    uint8_t out[64];
    size_t n = 0;

    (void)state;
    assert_int_equal(fixture_start(&fx, restart), 0);
    memset(out, 0, sizeof(out));
    assert_int_equal(mm_echo("hello", 5, ", world", 7, out, sizeof(out), &n, &layout), PSA_SUCCESS);
    /* psa_unmap_outvec(12) of a 64-byte vector: 12 bytes written */
    assert_int_equal(n, 12);
    assert_memory_equal(out, "hello, world", 12);
    assert_int_equal(fixture_stop(&fx), 0);
}

static void test_mm_large_call(void **state)
{
    struct test_mm_layout layout;
    uint8_t *in = malloc(BIG), *out = malloc(BIG + 4096);
    size_t i, n = 0;

    (void)state;
    assert_non_null(in);
    assert_non_null(out);
    for (i = 0; i < BIG; i++)
        in[i] = (uint8_t)(i * 7 + i / 4096);
    memset(out, 0, BIG + 4096);
    assert_int_equal(fixture_start(&fx, restart), 0);
    assert_int_equal(mm_echo(in, BIG, NULL, 0, out, BIG + 4096, &n, &layout), PSA_SUCCESS);
    assert_int_equal(n, BIG);
    assert_memory_equal(out, in, BIG);
    /* Zero-copy: the pointers are the memfd's mapping itself, which starts
     * with in_vec[0] on a page boundary and holds the output vectors right
     * after the inputs. */
    assert_int_equal(layout.in0_page_offset, 0);
    assert_int_equal(layout.out0_minus_in0, (int64_t)BIG);
    /* the same large call, output shorter than the input: its length is the unmap's */
    assert_int_equal(mm_echo(in, BIG, NULL, 0, out, 100000, &n, &layout), PSA_SUCCESS);
    assert_int_equal(n, 100000);
    assert_memory_equal(out, in, 100000);
    assert_int_equal(fixture_stop(&fx), 0);
    free(in);
    free(out);
}

static psa_status_t misuse(psa_handle_t h, uint32_t how)
{
    uint8_t out[8];
    psa_invec in[] = {{&how, sizeof(how)}, {"data", 4}};
    psa_outvec o = {out, sizeof(out)};

    return psa_call(h, TEST_OP_MM_MISUSE, in, 2, &o, 1);
}

static void test_mm_misuse_panics(void **state)
{
    static const struct {
        psa_handle_t handle;
        uint32_t how;
        const char *reason;
    } cases[] = {
        {PARTIX_TEST_MM_IOVEC_HANDLE, TEST_MM_MAP_TWICE,
         "panicked: psa_map_invec: input vector 1 was already mapped"},
        {PARTIX_TEST_MM_IOVEC_HANDLE, TEST_MM_READ_MAPPED,
         "panicked: psa_read: input vector 1 was mapped with psa_map_invec()"},
        {PARTIX_TEST_MM_IOVEC_HANDLE, TEST_MM_UNMAP_UNMAPPED,
         "panicked: psa_unmap_invec: input vector 1 is not mapped"},
        {PARTIX_TEST_MM_IOVEC_HANDLE, TEST_MM_UNMAP_TOO_LONG,
         "panicked: psa_unmap_outvec: length 9 exceeds output vector 0 (8 bytes)"},
        {PARTIX_TEST_MM_IOVEC_HANDLE, TEST_MM_WRITE_MAPPED,
         "panicked: psa_write: output vector 0 was mapped with psa_map_outvec()"},
        /* the service without mm_iovec */
        {PARTIX_TEST_STATELESS_HANDLE, TEST_MM_MAP_INVEC,
         "panicked: psa_map_invec: MM-IOVEC is not enabled for service 0x0000f103"},
    };
    pid_t pid;
    size_t i;

    (void)state;
    assert_int_equal(fixture_start(&fx, restart), 0);
    pid = fixture_partition_pid(&fx, "PARTIX_SP_TEST");
    assert_true(pid > 0);
    /* control: the same mapping on the MM-IOVEC service is no error */
    assert_int_equal(misuse(PARTIX_TEST_MM_IOVEC_HANDLE, TEST_MM_MAP_INVEC), PSA_SUCCESS);
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(misuse(cases[i].handle, cases[i].how), PSA_ERROR_COMMUNICATION_FAILURE);
        assert_true(fixture_log_has(&fx, "partition PARTIX_SP_TEST (pid", cases[i].reason));
        pid = fixture_restarted(&fx, "PARTIX_SP_TEST", pid);
        assert_true(pid > 0);
    }
    assert_int_equal(fixture_stop(&fx), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_mm_inline_call, fixture_teardown),
        cmocka_unit_test_teardown(test_mm_large_call, fixture_teardown),
        cmocka_unit_test_teardown(test_mm_misuse_panics, fixture_teardown),
    };

    return cmocka_run_group_tests_name("e2e_mmiovec", tests, NULL, NULL);
}
