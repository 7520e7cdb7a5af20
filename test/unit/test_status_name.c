/*
 * test_status_name.c - partix_status_name() and partix_status_text() on
 * every status <psa/error.h> defines (each named by its own macro's
 * spelling), on values without a name, and on buffers too small.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "partix/status.h"

#define ROW(s)                                                                                     \
    {                                                                                              \
        s, #s                                                                                      \
    }
static const struct {
    psa_status_t status;
    const char *name;
} rows[] = {
    ROW(PSA_SUCCESS),
    ROW(PSA_ERROR_PROGRAMMER_ERROR),
    ROW(PSA_ERROR_CONNECTION_REFUSED),
    ROW(PSA_ERROR_CONNECTION_BUSY),
    ROW(PSA_ERROR_GENERIC_ERROR),
    ROW(PSA_ERROR_NOT_PERMITTED),
    ROW(PSA_ERROR_NOT_SUPPORTED),
    ROW(PSA_ERROR_INVALID_ARGUMENT),
    ROW(PSA_ERROR_INVALID_HANDLE),
    ROW(PSA_ERROR_BAD_STATE),
    ROW(PSA_ERROR_BUFFER_TOO_SMALL),
    ROW(PSA_ERROR_ALREADY_EXISTS),
    ROW(PSA_ERROR_DOES_NOT_EXIST),
    ROW(PSA_ERROR_INSUFFICIENT_MEMORY),
    ROW(PSA_ERROR_INSUFFICIENT_STORAGE),
    ROW(PSA_ERROR_INSUFFICIENT_DATA),
    ROW(PSA_ERROR_SERVICE_FAILURE),
    ROW(PSA_ERROR_COMMUNICATION_FAILURE),
    ROW(PSA_ERROR_STORAGE_FAILURE),
    ROW(PSA_ERROR_HARDWARE_FAILURE),
    ROW(PSA_ERROR_INSUFFICIENT_ENTROPY),
    ROW(PSA_ERROR_INVALID_SIGNATURE),
    ROW(PSA_ERROR_INVALID_PADDING),
    ROW(PSA_ERROR_CORRUPTION_DETECTED),
    ROW(PSA_ERROR_DATA_CORRUPT),
    ROW(PSA_ERROR_DATA_INVALID),
    ROW(PSA_OPERATION_INCOMPLETE),
};

static void test_every_name(void **state)
{
    char text[PARTIX_STATUS_TEXT_MAX], want[PARTIX_STATUS_TEXT_MAX];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        const char *name = partix_status_name(rows[i].status);

        assert_non_null(name);
        assert_string_equal(name, rows[i].name);
        snprintf(want, sizeof(want), "%s (%d)", rows[i].name, (int)rows[i].status);
        assert_int_equal(partix_status_text(rows[i].status, text, sizeof(text)), strlen(want));
        assert_string_equal(text, want);
    }
    assert_string_equal(partix_status_name(-130), "PSA_ERROR_CONNECTION_REFUSED");
}

static void test_unnamed(void **state)
{
    static const psa_status_t values[] = {1, 7, -1, -128, -249, -154, INT32_MIN, INT32_MAX};
    char text[PARTIX_STATUS_TEXT_MAX], want[32];
    size_t i;
    int s, named = 0;

    (void)state;
    for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
        assert_null(partix_status_name(values[i]));
        snprintf(want, sizeof(want), "%d", (int)values[i]);
        partix_status_text(values[i], text, sizeof(text));
        assert_string_equal(text, want);
    }
    /* exactly the rows have names, in all the range statuses live in */
    for (s = -1000; s <= 1000; s++)
        named += partix_status_name(s) != NULL;
    assert_int_equal(named, sizeof(rows) / sizeof(rows[0]));
}

static void test_short_buffer(void **state)
{
    char text[8];
    int n;

    (void)state;
    memset(text, 'x', sizeof(text));
    n = partix_status_text(PSA_ERROR_CONNECTION_REFUSED, text, sizeof(text));
    assert_int_equal(n, (int)strlen("PSA_ERROR_CONNECTION_REFUSED (-130)"));
    assert_string_equal(text, "PSA_ERR"); /* cut, terminated */
    assert_int_equal(partix_status_text(PSA_SUCCESS, NULL, 0), (int)strlen("PSA_SUCCESS (0)"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_name),
        cmocka_unit_test(test_unnamed),
        cmocka_unit_test(test_short_buffer),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
