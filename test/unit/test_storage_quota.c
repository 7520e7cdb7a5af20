/*
 * test_storage_quota.c - storage_fits(), the budget check both storage
 * partitions make against their capacity and against a user's quota:
 * table-driven, at and around every bound.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "storage_shared.h"

#define NEW UINT32_MAX /* no entry replaced */

static const struct {
    uint32_t entries, bytes; /* in use */
    uint32_t old;            /* the replaced entry's size, or NEW */
    uint32_t size;
    bool fits;
} cases[] = {
    /* budget: 4 entries, 100 bytes */
    {0, 0, NEW, 0, true},
    {0, 0, NEW, 100, true},
    {0, 0, NEW, 101, false},
    {3, 90, NEW, 10, true},
    {3, 90, NEW, 11, false},
    {4, 0, NEW, 0, false},  /* every entry taken */
    {4, 0, 0, 50, true},    /* a replacement takes no new entry */
    {4, 100, 40, 40, true}, /* it counts its new size, not both */
    {4, 100, 40, 41, false},
    {4, 100, 100, 100, true},
    {1, 60, NEW, 40, true},
    {1, 60, NEW, 41, false},
    {5, 0, 0, 1, true},      /* past the entries (a smaller build): replacements only */
    {5, 0, NEW, 0, false},   /* ... no new entry */
    {2, 150, NEW, 0, false}, /* past the bytes: nothing new fits, no underflow */
    {2, 150, 10, 0, false},
    {2, 150, 60, 10, true}, /* unless the replacement brings it back under */
};

static void test_fits(void **state)
{
    static const struct storage_use max = {4, 100};

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct storage_use use = {cases[i].entries, cases[i].bytes};
        const uint32_t *old = cases[i].old == NEW ? NULL : &cases[i].old;

        if (storage_fits(&use, &max, old, cases[i].size) != cases[i].fits)
            fail_msg("case %zu: expected %s", i, cases[i].fits ? "fits" : "does not fit");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fits),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
