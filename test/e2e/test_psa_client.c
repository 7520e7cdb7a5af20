/*
 * test_psa_client.c - psa-client, the command-line client, against the real
 * daemon and the test system: what "list" shows of each service (SID,
 * version, stateless handle, who may call it, whether this user is
 * served), calls by name, SID and stateless handle with inputs given as
 * text, hex, numbers and files, outputs as hex, text and raw bytes, every
 * status by name, and the exit status of each: 0 success, 1 an error
 * status, 2 a usage error.
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
#include "psa_manifest/sid.h"
#include "test_ops.h"

static struct fixture fx;
static char tool[512]; /* psa-client */
static char cli[1024]; /* psa-client with the test system's lists */

/* Runs psa-client with @p fmt's arguments; its output in @p out. */
static int run(char *out, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int run(char *out, size_t size, const char *fmt, ...)
{
    char args[2048];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(args, sizeof(args), fmt, ap);
    va_end(ap);
    return fixture_sh(out, size, "%s %s", cli, args);
}

/* The line of "list" output @p out that starts with service @p name. */
static void line_of(const char *out, const char *name, char *line, size_t size)
{
    const char *p = out;
    size_t n = strlen(name);

    line[0] = '\0';
    while (p != NULL && *p != '\0') {
        const char *end = strchr(p, '\n');
        size_t len = end ? (size_t)(end - p) : strlen(p);

        if (strncmp(p, name, n) == 0 && p[n] == ' ') {
            snprintf(line, size, "%.*s", (int)len, p);
            return;
        }
        p = end ? end + 1 : NULL;
    }
    fail_msg("no line for %s in:\n%s", name, out);
}

/* The whitespace-separated field @p i (from 0) of @p line. */
static void field(const char *line, int i, char *out, size_t size)
{
    const char *p = line;

    for (;;) {
        size_t len;

        while (*p == ' ')
            p++;
        len = strcspn(p, " ");
        if (i-- == 0) {
            snprintf(out, size, "%.*s", (int)len, p);
            return;
        }
        if (p[len] == '\0') {
            out[0] = '\0';
            return;
        }
        p += len;
    }
}

static int setup(void **state)
{
    (void)state;
    fixture_beside_spm(tool, sizeof(tool), "psa-client");
    snprintf(cli, sizeof(cli), "%s -m %s -m %s", tool, getenv("PARTIX_TEST_LIST"),
             getenv("PARTIX_TEST_EXTRA_LIST"));
    return fixture_start(&fx, NULL);
}

static int teardown(void **state)
{
    (void)state;
    return fixture_stop(&fx) == 0 ? 0 : -1;
}

static void test_list(void **state)
{
    char out[16384], line[1024], f[128], handle[16];

    (void)state;
    assert_int_equal(run(out, sizeof(out), "list"), 0);
    assert_non_null(strstr(out, "SERVICE"));
    assert_null(strstr(out, "serves none")); /* the daemon answered */

    line_of(out, "TFM_ECHO_SERVICE", line, sizeof(line));
    field(line, 1, f, sizeof(f));
    assert_string_equal(f, "0x00000105");
    field(line, 2, f, sizeof(f));
    assert_string_equal(f, "1");
    field(line, 3, f, sizeof(f));
    assert_string_equal(f, "strict");
    field(line, 4, f, sizeof(f));
    assert_string_equal(f, "-"); /* connection-based */
    field(line, 5, f, sizeof(f));
    assert_string_equal(f, "1"); /* served to this user, at version 1 */
    field(line, 6, f, sizeof(f));
    assert_string_equal(f, "TFM_SP_ECHO_SERVICE");
    field(line, 7, f, sizeof(f));
    assert_string_equal(f, "non-secure");

    /* a stateless service: its handle, as sid.h has it */
    line_of(out, "PARTIX_TEST_STATELESS", line, sizeof(line));
    snprintf(handle, sizeof(handle), "0x%08x", (unsigned)PARTIX_TEST_STATELESS_HANDLE);
    field(line, 4, f, sizeof(f));
    assert_string_equal(f, handle);

    /* RELAXED at version 3 */
    line_of(out, "PARTIX_TEST_RELAXED", line, sizeof(line));
    field(line, 2, f, sizeof(f));
    assert_string_equal(f, "3");
    field(line, 3, f, sizeof(f));
    assert_string_equal(f, "relaxed");
    field(line, 5, f, sizeof(f));
    assert_string_equal(f, "3");

    /* secure clients only: the partition that depends on it, and not
     * served to this (non-secure) user */
    line_of(out, "PARTIX_TEST_PEER", line, sizeof(line));
    field(line, 5, f, sizeof(f));
    assert_string_equal(f, "-");
    assert_null(strstr(line, "non-secure"));
    assert_non_null(strstr(line, "PARTIX_SP_TEST"));

    /* without asking the daemon: nothing is served */
    assert_int_equal(run(out, sizeof(out), "list --no-daemon"), 0);
    line_of(out, "TFM_ECHO_SERVICE", line, sizeof(line));
    field(line, 5, f, sizeof(f));
    assert_string_equal(f, "-");

    /* no daemon on the socket: the list, and the hint */
    assert_int_equal(run(out, sizeof(out), "--socket %s/nowhere.sock list", fx.dir), 0);
    line_of(out, "TFM_ECHO_SERVICE", line, sizeof(line));
    field(line, 5, f, sizeof(f));
    assert_string_equal(f, "-");
    assert_non_null(strstr(out, "psa-spm serves none of them"));
}

static void test_call_formats(void **state)
{
    char out[8192], path[256];
    FILE *file;

    (void)state;
    /* by name, output as hex (the default) */
    assert_int_equal(run(out, sizeof(out), "call TFM_ECHO_SERVICE -i hello -o 16"), 0);
    assert_string_equal(out, "status: PSA_SUCCESS (0)\nout[0]: 5 of 16 bytes: 68656c6c6f\n");

    /* by SID, as text: escapes what is not printable */
    assert_int_equal(run(out, sizeof(out), "call 0x105 -i hex:410a42005c -o 8 -f text"), 0);
    assert_string_equal(out, "status: PSA_SUCCESS (0)\nout[0]: 5 of 8 bytes: A\\nB\\x00\\\\\n");

    /* raw: the bytes alone on stdout (the status on stderr) */
    assert_int_equal(run(out, sizeof(out), "call 261 -i text:raw -o 3 -f raw -q 2>/dev/null"), 0);
    assert_string_equal(out, "raw");

    /* every input form, in order, concatenated by the test service */
    snprintf(path, sizeof(path), "%s/input.bin", fx.dir);
    file = fopen(path, "wb");
    assert_non_null(file);
    fputs("FILE", file);
    assert_int_equal(fclose(file), 0);
    assert_int_equal(run(out, sizeof(out),
                         "call PARTIX_TEST_STRICT -t %d -i ab -i hex:0x0102 -i @%s -o 64 -q",
                         TEST_OP_CONCAT, path),
                     0);
    assert_string_equal(out, "out[0]: 8 of 64 bytes: 6162010246494c45\n");
    assert_int_equal(run(out, sizeof(out),
                         "call PARTIX_TEST_STRICT -i u32:0x01020304 -i i32:-2 "
                         "-i u8:255 -o 16 -q"),
                     0);
    assert_string_equal(out, "out[0]: 9 of 16 bytes: 04030201feffffffff\n");
    assert_int_equal(run(out, sizeof(out), "call PARTIX_TEST_STRICT -i @- -o 16 -q < %s", path), 0);
    assert_string_equal(out, "out[0]: 4 of 16 bytes: 46494c45\n");
}

static void test_statuses(void **state)
{
    char out[8192];

    (void)state;
    /* the service's error, by name; exit 1 */
    assert_int_equal(run(out, sizeof(out), "call TFM_ECHO_SERVICE -i hello -o 2"), 1);
    assert_string_equal(out, "status: PSA_ERROR_BUFFER_TOO_SMALL (-138)\nout[0]: 0 of 2 bytes:\n");
    assert_int_equal(
        run(out, sizeof(out), "call PARTIX_TEST_STRICT -t %d -i i32:-133", TEST_OP_STATUS), 1);
    assert_string_equal(out, "status: PSA_ERROR_NOT_PERMITTED (-133)\n");
    /* a positive status is the service's success: by number, exit 0 */
    assert_int_equal(
        run(out, sizeof(out), "call PARTIX_TEST_STRICT -t %d -i i32:7", TEST_OP_STATUS), 0);
    assert_string_equal(out, "status: 7\n");

    /* refused connections */
    assert_int_equal(run(out, sizeof(out), "connect PARTIX_TEST_PEER"), 1);
    assert_string_equal(out, "connect: PSA_ERROR_CONNECTION_REFUSED (-130)\n");
    assert_int_equal(run(out, sizeof(out), "call 0xdead -i x"), 1);
    assert_string_equal(out, "connect: PSA_ERROR_CONNECTION_REFUSED (-130)\n");
    assert_int_equal(run(out, sizeof(out), "connect PARTIX_TEST_STRICT --service-version 1"), 1);
    assert_string_equal(out, "connect: PSA_ERROR_CONNECTION_REFUSED (-130)\n");
    assert_int_equal(run(out, sizeof(out), "connect PARTIX_TEST_STRICT"), 0);
    assert_non_null(strstr(out, "connected: PARTIX_TEST_STRICT (SID 0x0000f100) version 2"));
    /* a stateless service has no connection */
    assert_int_equal(run(out, sizeof(out), "connect PARTIX_TEST_STATELESS"), 1);
    assert_string_equal(out, "connect: PSA_ERROR_PROGRAMMER_ERROR (-129)\n");
    /* a type past INT16_MAX: libpsa-client's check */
    assert_int_equal(run(out, sizeof(out), "call TFM_ECHO_SERVICE -t 40000 -i x"), 1);
    assert_string_equal(out, "status: PSA_ERROR_PROGRAMMER_ERROR (-129)\n");
    /* no daemon */
    assert_int_equal(
        run(out, sizeof(out), "--socket %s/nowhere.sock call TFM_ECHO_SERVICE -i x", fx.dir), 1);
    assert_string_equal(out, "connect: PSA_ERROR_CONNECTION_REFUSED (-130)\n");

    /* psa_version */
    assert_int_equal(run(out, sizeof(out), "version PARTIX_TEST_RELAXED"), 0);
    assert_string_equal(out, "PARTIX_TEST_RELAXED (SID 0x0000f101): version 3\n");
    assert_int_equal(run(out, sizeof(out), "version 0xdead"), 1);
    assert_non_null(strstr(out, "PSA_VERSION_NONE"));

    /* the status command, both ways */
    assert_int_equal(run(out, sizeof(out), "status -130"), 0);
    assert_string_equal(out, "PSA_ERROR_CONNECTION_REFUSED (-130)\n");
    assert_int_equal(run(out, sizeof(out), "status PSA_ERROR_DATA_INVALID"), 0);
    assert_string_equal(out, "-153\n");
    assert_int_equal(run(out, sizeof(out), "status -42"), 1);
    assert_string_equal(out, "-42\n");
}

static void test_stateless(void **state)
{
    char out[8192];

    (void)state;
    /* by name: its stateless handle, no connection */
    assert_int_equal(run(out, sizeof(out), "call PARTIX_TEST_STATELESS -i abc -o 8"), 0);
    assert_string_equal(out, "status: PSA_SUCCESS (0)\nout[0]: 3 of 8 bytes: 616263\n");
    /* by handle */
    assert_int_equal(run(out, sizeof(out), "call --handle 0x%08x -i abc -o 8 -q",
                         (unsigned)PARTIX_TEST_STATELESS_HANDLE),
                     0);
    assert_string_equal(out, "out[0]: 3 of 8 bytes: 616263\n");
    /* a handle of no service */
    assert_int_equal(run(out, sizeof(out), "call --handle 0x40001f1f -i abc"), 1);
    assert_non_null(strstr(out, "status: PSA_ERROR_"));
}

static void test_usage_errors(void **state)
{
    char out[8192];

    (void)state;
    assert_int_equal(run(out, sizeof(out), "call NO_SUCH_SERVICE"), 2);
    assert_non_null(strstr(out, "no service NO_SUCH_SERVICE"));
    assert_int_equal(run(out, sizeof(out), "call TFM_ECHO_SERVICE -i hex:abc"), 2);
    assert_non_null(strstr(out, "not pairs of hex digits"));
    assert_int_equal(run(out, sizeof(out), "call TFM_ECHO_SERVICE -i hex:zz"), 2);
    assert_int_equal(run(out, sizeof(out), "call TFM_ECHO_SERVICE -i @%s/none", fx.dir), 2);
    assert_non_null(strstr(out, "No such file"));
    assert_int_equal(run(out, sizeof(out), "call TFM_ECHO_SERVICE -i a -i b -i c -o 1 -o 1"), 2);
    assert_non_null(strstr(out, "more than 4 vectors"));
    assert_int_equal(run(out, sizeof(out), "call TFM_ECHO_SERVICE -t x"), 2);
    assert_int_equal(run(out, sizeof(out), "call TFM_ECHO_SERVICE -o -1"), 2);
    assert_int_equal(run(out, sizeof(out), "call TFM_ECHO_SERVICE -i u8:256"), 2);
    assert_int_equal(run(out, sizeof(out), "call 0x1ffffffff"), 2);
    assert_int_equal(run(out, sizeof(out), "call"), 2);
    assert_int_equal(run(out, sizeof(out), "frobnicate"), 2);
    assert_int_equal(run(out, sizeof(out), "--format json list"), 2);
    /* a list that does not parse: its errors, and no call */
    assert_int_equal(
        fixture_sh(out, sizeof(out), "%s -m %s/none.yaml call TFM_ECHO_SERVICE", tool, fx.dir), 2);
    assert_non_null(strstr(out, "none.yaml: error"));
    assert_int_equal(run(out, sizeof(out), "--version"), 0);
    assert_non_null(strstr(out, "psa-client (partix) "));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list),         cmocka_unit_test(test_call_formats),
        cmocka_unit_test(test_statuses),     cmocka_unit_test(test_stateless),
        cmocka_unit_test(test_usage_errors),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
