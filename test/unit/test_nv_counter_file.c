/*
 * test_nv_counter_file.c - the Platform partition's NV counter files
 * (platform_sp.h): the exact bytes, a round trip, and every way a file can
 * be wrong, each refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "durable_file.h"
#include "platform_sp.h"

#define N PLATFORM_NS_NV_COUNTERS

static const uint32_t values[N] = {1, 0x01020304u, UINT32_MAX};

/* The CRC-32 check value of "123456789" (the CRC catalogue's CRC-32/ISO-HDLC). */
static void test_crc32_check_value(void **state)
{
    (void)state;
    assert_int_equal(partix_crc32("123456789", 9), 0xcbf43926u);
    assert_int_equal(partix_crc32("", 0), 0);
}

static void test_layout(void **state)
{
    static const uint8_t head[NV_FILE_HEADER_SIZE + 4 * N] = {
        'P',  'X',  'N',  'V',  'C', 0, 0, 1, /* magic, version 1 */
        0xff, 0xff, 0xff, 0xff,               /* owner -1 */
        3,    0,    0,    0,                  /* three counters */
        1,    0,    0,    0,    4,   3, 2, 1, /* 1, 0x01020304 */
        0xff, 0xff, 0xff, 0xff,               /* UINT32_MAX */
    };
    uint8_t buf[NV_FILE_SIZE(N)];

    (void)state;
    assert_int_equal(nv_file_encode(buf, -1, values, N), sizeof(buf));
    assert_memory_equal(buf, head, sizeof(head));
    assert_int_equal(partix_get_le32(buf + sizeof(head)), partix_crc32(head, sizeof(head)));
}

static void test_round_trip(void **state)
{
    uint8_t buf[NV_FILE_MAX_SIZE];
    uint32_t all[PLAT_NV_COUNTER_MAX], got[PLAT_NV_COUNTER_MAX];
    size_t len;

    (void)state;
    for (uint32_t i = 0; i < PLAT_NV_COUNTER_MAX; i++)
        all[i] = i * 0x10001u;
    len = nv_file_encode(buf, 0, all, PLAT_NV_COUNTER_MAX);
    assert_int_equal(len, NV_FILE_MAX_SIZE);
    assert_int_equal(nv_file_decode(buf, len, 0, got, PLAT_NV_COUNTER_MAX), 0);
    assert_memory_equal(got, all, sizeof(all));
    len = nv_file_encode(buf, -1001, values, N);
    assert_int_equal(nv_file_decode(buf, len, -1001, got, N), 0);
    assert_memory_equal(got, values, sizeof(values));
}

/* Any one byte changed, the file is refused, and the output left alone. */
static void test_every_byte_checked(void **state)
{
    uint8_t buf[NV_FILE_SIZE(N)];
    uint32_t got[N] = {7, 7, 7};

    (void)state;
    nv_file_encode(buf, -1, values, N);
    for (size_t i = 0; i < sizeof(buf); i++) {
        for (unsigned bit = 0; bit < 8; bit++) {
            buf[i] ^= (uint8_t)(1u << bit);
            if (nv_file_decode(buf, sizeof(buf), -1, got, N) != -1)
                fail_msg("byte %zu bit %u flipped: accepted", i, bit);
            buf[i] ^= (uint8_t)(1u << bit);
        }
    }
    assert_int_equal(got[0], 7);
    assert_int_equal(nv_file_decode(buf, sizeof(buf), -1, got, N), 0);
}

static void test_refused(void **state)
{
    uint8_t buf[NV_FILE_SIZE(N) + 4];
    uint32_t got[PLAT_NV_COUNTER_MAX];
    size_t len;

    (void)state;
    memset(buf, 0, sizeof(buf));
    len = nv_file_encode(buf, -1, values, N);
    /* short, long, empty */
    assert_int_equal(nv_file_decode(buf, len - 1, -1, got, N), -1);
    assert_int_equal(nv_file_decode(buf, len + 1, -1, got, N), -1);
    assert_int_equal(nv_file_decode(buf, 0, -1, got, N), -1);
    /* another owner's file (a file renamed to another user's name) */
    assert_int_equal(nv_file_decode(buf, len, -2, got, N), -1);
    assert_int_equal(nv_file_decode(buf, len, 0, got, N), -1);
    /* a file of another count, whole and with a good CRC */
    len = nv_file_encode(buf, -1, values, 2);
    assert_int_equal(nv_file_decode(buf, len, -1, got, N), -1);
    assert_int_equal(nv_file_decode(buf, len, -1, got, 2), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crc32_check_value), cmocka_unit_test(test_layout),
        cmocka_unit_test(test_round_trip),        cmocka_unit_test(test_every_byte_checked),
        cmocka_unit_test(test_refused),
    };

    return cmocka_run_group_tests_name("nv_counter_file", tests, NULL, NULL);
}
