/*
 * test_tfm23.c - issue 14: a partition written for TF-M v2.3
 * (test/partitions/test_tfm23) builds and runs unchanged; its log lines,
 * printf, perror and a failed assert() reach psa-spm's log; a log
 * conversion TF-M cannot print is reported once per call site; and each
 * partition's stack report separates its own code from partix's runtime.
 * Its manifest comes from an extra manifest list (test/manifests/extra/,
 * read after the main one as TF-M reads extra lists) and says model: dual,
 * which the default backend makes IPC (issue 14 item 9).
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
#include "psa_manifest/partix_test_tfm23.h"
#include "psa_manifest/pid.h"
#include "psa_manifest/sid.h"
#include "test_tfm23_ops.h"

/* model: dual under the default backend: the IPC model, its signal bit 4 */
_Static_assert(PARTIX_SP_TEST_TFM23_MODEL_IPC == 1 && PARTIX_SP_TEST_TFM23_MODEL_SFN == 0,
               "dual is IPC by default");
_Static_assert(PARTIX_TEST_TFM23_SIGNAL == 0x10, "an IPC service's signal");
_Static_assert(PARTIX_SP_TEST_TFM23 == 507 && TFM_SP_ECHO_SERVICE == 444,
               "one pid.h covers both lists");

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
    return fixture_teardown(state);
}

static psa_status_t op(int32_t type, const void *in, size_t in_len, void *out, size_t *out_len)
{
    psa_invec iv[] = {{in, in_len}};
    psa_outvec ov[] = {{out, out_len != NULL ? *out_len : 0}};
    psa_handle_t h = psa_connect(PARTIX_TEST_TFM23_SID, PARTIX_TEST_TFM23_VERSION);
    psa_status_t st;

    assert_true(h > 0);
    st = psa_call(h, type, iv, IOVEC_LEN(iv), ov, IOVEC_LEN(ov));
    if (out_len != NULL)
        *out_len = ov[0].len;
    psa_close(h);
    return st;
}

/* psa-spm took both lists as one system: the main list's services and the
 * extra list's dual partition, served as IPC (connection-based calls). */
static void test_two_lists_dual_ipc(void **state)
{
    char out[16] = {0};
    size_t n = sizeof(out);
    psa_handle_t h;

    (void)state;
    assert_true(fixture_log_has(&fx, "partition(s) from ", "extra/manifest_list.yaml"));
    h = psa_connect(TFM_ECHO_SERVICE_SID, TFM_ECHO_SERVICE_VERSION);
    assert_true(h > 0);
    psa_close(h);
    assert_int_equal(psa_version(PARTIX_TEST_TFM23_SID), PARTIX_TEST_TFM23_VERSION);
    assert_int_equal(op(TFM23_OP_ECHO, "dual", 4, out, &n), PSA_SUCCESS);
    assert_int_equal(n, 4);
    assert_memory_equal(out, "dual", 4);
}

static void test_runs_unchanged(void **state)
{
    char out[16] = {0};
    size_t n = sizeof(out);

    (void)state;
    assert_true(fixture_log_has(&fx, "[PARTIX_SP_TEST_TFM23] tfm23 up", NULL));
    assert_int_equal(op(TFM23_OP_ECHO, "mapped", 6, out, &n), PSA_SUCCESS);
    assert_int_equal(n, 6);
    assert_memory_equal(out, "mapped", 6);
    assert_int_equal(PSA_CALL_TYPE_MIN, 0);
    assert_int_equal(op(PSA_CALL_TYPE_MAX, "", 0, NULL, NULL), INT16_MAX);
    assert_int_equal(op(PSA_CALL_TYPE_MAX + 1, "", 0, NULL, NULL), PSA_ERROR_PROGRAMMER_ERROR);
}

static void test_log_unpriv(void **state)
{
    (void)state;
    assert_int_equal(op(TFM23_OP_LOG, "abc", 3, NULL, NULL), PSA_SUCCESS);
    assert_int_equal(op(TFM23_OP_LOG, "abcd", 4, NULL, NULL), PSA_SUCCESS);
    assert_true(fixture_log_has(&fx, "[PARTIX_SP_TEST_TFM23] tfm23 error -1", NULL));
    assert_true(fixture_log_has(&fx, "[PARTIX_SP_TEST_TFM23] [WRN] tfm23 warning w", NULL));
    assert_true(fixture_log_has(&fx, "[PARTIX_SP_TEST_TFM23] [NOT] tfm23 notice 2", NULL));
    assert_true(fixture_log_has(&fx, "[PARTIX_SP_TEST_TFM23] tfm23 info abc", NULL));
    /* the _RAW pieces make one line */
    assert_true(fixture_log_has(&fx, "[PARTIX_SP_TEST_TFM23] tfm23 bytes: de ad be ef", NULL));
    assert_true(fixture_log_has(&fx, "[PARTIX_SP_TEST_TFM23] tfm23 in_size 4", NULL));
    assert_int_equal(fixture_log_count(&fx, "tfm23 verbose", NULL), 0);
    /* the %zu call site ran twice: one warning, naming it */
    assert_int_equal(fixture_log_count(&fx, "test_tfm23.c:", "\"%zu\""), 1);
    assert_int_equal(fixture_log_count(&fx, "warning:", "test_tfm23.c"), 1);
}

static void test_stdio_reaches_the_log(void **state)
{
    char out[8];
    size_t n = sizeof(out);

    (void)state;
    assert_int_equal(op(TFM23_OP_STDIO, "", 0, NULL, NULL), PSA_SUCCESS);
    assert_true(fixture_log_has(&fx, "[PARTIX_SP_TEST_TFM23] tfm23 printf 42", NULL));
    assert_true(fixture_log_has(&fx, "[PARTIX_SP_TEST_TFM23] tfm23 puts", NULL));
    assert_true(fixture_log_has(&fx, "[PARTIX_SP_TEST_TFM23] tfm23 pieces: joined", NULL));
    assert_true(fixture_log_has(&fx, "[PARTIX_SP_TEST_TFM23] tfm23 perror: No such file", NULL));
    assert_true(fixture_log_has(&fx, "[PARTIX_SP_TEST_TFM23] tfm23 stderr 7", NULL));
    /* a line begun is sent when the partition waits for more work */
    assert_true(
        fixture_log_has(&fx, "[PARTIX_SP_TEST_TFM23] tfm23 no newline before psa_wait", NULL));
    assert_int_equal(fixture_log_count(&fx, "forbidden system call", NULL), 0);
    /* and the partition lives on */
    assert_int_equal(op(TFM23_OP_ECHO, "alive", 5, out, &n), PSA_SUCCESS);
}

static void test_failed_assert_is_a_panic(void **state)
{
    (void)state;
    assert_int_not_equal(op(TFM23_OP_ASSERT, "", 0, NULL, NULL), PSA_SUCCESS);
    assert_true(
        fixture_log_has(&fx, "test_tfm23.c:", "assertion \"msg->type == TFM23_OP_ECHO\" failed"));
    assert_int_equal(fixture_log_count(&fx, "refused: the partition holds", NULL), 0);
}

/* The figure "partition code N bytes" of @p name's stop report, or -1. */
static long stack_figure(const char *name, long *high)
{
    char line[1024], tag[128];
    FILE *f = fopen(fx.log, "r");
    long n = -1;
    const char *p;

    if (f == NULL)
        return -1;
    snprintf(tag, sizeof(tag), "[%s] stack: partition code ", name);
    while (fgets(line, sizeof(line), f) != NULL) {
        if ((p = strstr(line, tag)) == NULL)
            continue;
        n = strtol(p + strlen(tag), NULL, 10);
        p = strstr(p, "high-water mark ");
        *high = p != NULL ? strtol(p + strlen("high-water mark "), NULL, 10) : -1;
    }
    fclose(f);
    return n;
}

static void test_stack_report_separates_the_runtime(void **state)
{
    long echo, echo_high = -1, custom, custom_high = -1;

    (void)state;
    setenv("PARTIX_KEEP_LOGS", "1", 1);
    assert_int_equal(fixture_stop(&fx), 0);
    unsetenv("PARTIX_KEEP_LOGS");
    echo = stack_figure("TFM_SP_ECHO_SERVICE", &echo_high);
    custom = stack_figure("TFM_SP_MY_CUSTOM_SERVICE", &custom_high);
    /* the echo loop holds its 256-byte buffer and a psa_msg_t: within
     * TF-M's 0x200-ish budget, while libc's vsnprintf below it is not */
    assert_true(echo > 256 && echo < 0x300);
    assert_true(echo_high > echo + 1024);
    assert_true(custom > 0 && custom < 0x300);
    assert_true(custom_high > custom + 1024);
    unlink(fx.log);
    rmdir(fx.dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_lists_dual_ipc),
        cmocka_unit_test(test_runs_unchanged),
        cmocka_unit_test(test_log_unpriv),
        cmocka_unit_test(test_stdio_reaches_the_log),
        cmocka_unit_test(test_failed_assert_is_a_panic),
        cmocka_unit_test(test_stack_report_separates_the_runtime),
    };

    return cmocka_run_group_tests_name("e2e_tfm23", tests, start, stop);
}
