/*
 * test_operator.c - an operator's mistakes fail cleanly: a second psa-spm
 * on a state directory one already uses, and "partix-ctl otp provision" on
 * it, are refused, naming the directory and the running daemon, while
 * reading the OTP still works; once the daemon stops, both may.
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

static struct fixture fx;
static char state_dir[64];
static const char *const keep_state[] = {"--state-dir", state_dir, NULL};

static int teardown(void **state)
{
    fixture_teardown(state);
    return fixture_dir_remove(state_dir);
}

static void test_state_dir_in_use(void **state)
{
    const char *spm = getenv("PARTIX_SPM"), *plat = getenv("PARTIX_TEST_PLATFORM");
    char out[8192], pid[32];
    int rc;

    (void)state;
    assert_int_equal(fixture_dir_new(state_dir, sizeof(state_dir), "lock"), 0);
    assert_int_equal(fixture_start(&fx, keep_state), 0);
    snprintf(pid, sizeof(pid), "(pid %d)", (int)fx.pid);

    /* a second daemon, on a socket of its own: refused before it starts
     * anything (timeout: an old daemon would serve) */
    rc = fixture_sh(out, sizeof(out),
                    "timeout 20 %s --manifest-list %s --partition-dir %s --socket %s/second.sock "
                    "--state-dir %s%s%s",
                    spm, getenv("PARTIX_TEST_LIST"), getenv("PARTIX_TEST_PARTITIONS"), fx.dir,
                    state_dir, plat ? " --platform " : "", plat ? plat : "");
    assert_int_equal(rc, 1);
    assert_non_null(strstr(out, state_dir));
    assert_non_null(strstr(out, "in use"));
    assert_non_null(strstr(out, pid));
    assert_null(strstr(out, "starting")); /* no partition was started */

    /* writing the OTP under it: refused; reading it: fine */
    rc = fixture_sh(out, sizeof(out), "%s otp provision --state-dir %s --lifecycle decommissioned",
                    fixture_ctl(), state_dir);
    assert_int_equal(rc, 1);
    assert_non_null(strstr(out, "in use"));
    assert_non_null(strstr(out, pid));
    assert_int_equal(
        fixture_sh(out, sizeof(out), "%s otp show --state-dir %s", fixture_ctl(), state_dir), 0);
    assert_non_null(strstr(out, "secured"));
    assert_true(fixture_alive(&fx));
    assert_int_equal(fixture_stop(&fx), 0);

    /* its lock ends with it */
    assert_int_equal(
        fixture_sh(out, sizeof(out), "%s otp provision --state-dir %s", fixture_ctl(), state_dir),
        0);
    assert_int_equal(fixture_start(&fx, keep_state), 0);
    assert_int_equal(fixture_stop(&fx), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_state_dir_in_use, teardown),
    };

    return cmocka_run_group_tests_name("e2e_operator", tests, NULL, NULL);
}
