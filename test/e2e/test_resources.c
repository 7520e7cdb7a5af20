/*
 * test_resources.c - what a partition's manifest gives its process: the
 * priority as a nice value relative to psa-spm's (HIGH one step below,
 * NORMAL the same, LOW one step above; HIGH only with the privilege to
 * raise, else psa-spm's own and a warning), and heap_size as the bound of
 * what its malloc() hands out.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture.h"
#include "psa/client.h"
#include "psa_manifest/sid.h"
#include "test_ops.h"

#define STEP 5 /* nice steps between priorities (docs/architecture.md) */

static struct fixture fx;
static const char *const restart[] = {"--fault-policy", "restart", NULL};

/* Field 19 of /proc/<pid>/stat: the nice value. */
static int nice_of(pid_t pid)
{
    char nice[16];

    assert_true(fixture_stat_field(pid, 19, nice, sizeof(nice)));
    return atoi(nice);
}

static int clamp(int v)
{
    return v < -20 ? -20 : v > 19 ? 19 : v;
}

/* Whether this user may set a nice value below @p current, as the
 * daemon's children (the same user) will try to. */
static bool can_raise(int current)
{
    int status;
    pid_t pid = fork();

    assert_true(pid >= 0);
    if (pid == 0)
        _exit(setpriority(PRIO_PROCESS, 0, current - STEP) == 0 ? 0 : 1);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static void check_nice(void)
{
    int daemon = nice_of(fx.pid);
    pid_t high = fixture_partition_pid(&fx, "PARTIX_SP_TEST_PEER");
    pid_t normal = fixture_partition_pid(&fx, "PARTIX_SP_TEST");
    pid_t echo = fixture_partition_pid(&fx, "TFM_SP_ECHO_SERVICE");
    pid_t low = fixture_partition_pid(&fx, "PARTIX_SP_TEST_SFN");
    char line[128];

    assert_true(high > 0 && normal > 0 && echo > 0 && low > 0);
    assert_int_equal(nice_of(normal), daemon);
    assert_int_equal(nice_of(echo), daemon);
    assert_int_equal(nice_of(low), clamp(daemon + STEP));
    snprintf(line, sizeof(line), "priority LOW (nice %d)", clamp(daemon + STEP));
    assert_true(fixture_log_has(&fx, "partition PARTIX_SP_TEST_SFN (pid ", line));
    if (can_raise(daemon)) {
        assert_int_equal(nice_of(high), clamp(daemon - STEP));
    } else {
        /* unprivileged: psa-spm's own, and the log says why */
        assert_int_equal(nice_of(high), daemon);
        assert_true(fixture_log_has(&fx, "partition PARTIX_SP_TEST_PEER: priority HIGH runs at",
                                    "needs CAP_SYS_NICE"));
    }
}

static void test_priority_is_niceness(void **state)
{
    (void)state;
    assert_int_equal(fixture_start(&fx, restart), 0);
    check_nice();
    assert_int_equal(fixture_stop(&fx), 0);
}

/* The mapping follows psa-spm's own nice value (this test process's, which
 * it inherits).  It leaves this process niced: it runs last. */
static void test_nice_follows_the_daemon(void **state)
{
    int mine = getpriority(PRIO_PROCESS, 0);

    (void)state;
    if (mine + 2 > 19)
        skip();
    assert_int_equal(setpriority(PRIO_PROCESS, 0, mine + 2), 0);
    assert_int_equal(fixture_start(&fx, restart), 0);
    assert_int_equal(nice_of(fx.pid), mine + 2);
    check_nice();
    assert_int_equal(fixture_stop(&fx), 0);
}

/* TEST_OP_MALLOC of @p size: whether the partition got the memory. */
static bool mall(uint32_t size)
{
    struct test_malloc r;
    psa_invec in = {&size, sizeof(size)};
    psa_outvec out = {&r, sizeof(r)};

    memset(&r, 0xff, sizeof(r));
    assert_int_equal(psa_call(PARTIX_TEST_STATELESS_HANDLE, TEST_OP_MALLOC, &in, 1, &out, 1),
                     PSA_SUCCESS);
    assert_int_equal(out.len, sizeof(r));
    assert_int_equal(r.heap_size, 0x4000); /* test/manifests/partix_test_service.yaml */
    if (!r.enforced)
        skip(); /* a sanitizer build: its own allocator, not bounded */
    return r.ok != 0;
}

static void free_all(void)
{
    assert_int_equal(psa_call(PARTIX_TEST_STATELESS_HANDLE, TEST_OP_FREE_ALL, NULL, 0, NULL, 0),
                     PSA_SUCCESS);
}

static void test_heap_size_bounds_malloc(void **state)
{
    (void)state;
    assert_int_equal(fixture_start(&fx, restart), 0);
    /* more than the whole heap */
    assert_false(mall(0x4001));
    assert_true(fixture_log_has(&fx, "[PARTIX_SP_TEST] malloc(16385) refused",
                                "holds 0 bytes of its manifest heap_size 16384"));
    /* heap_size is usable memory: the whole of it, once (issue 14 item 3:
     * glibc's 8-byte header made this fail) */
    assert_true(mall(0x4000));
    assert_false(mall(1));
    free_all();
    /* blocks count what they ask for, held together */
    assert_true(mall(0x2000));
    assert_true(mall(0x1000));
    assert_false(mall(0x1001));
    assert_true(mall(0x800));
    assert_true(mall(0x800)); /* exactly full */
    assert_false(mall(1));
    /* freed memory is room again */
    free_all();
    assert_true(mall(0x3000));
    free_all();
    /* the partition still serves: its runtime's buffers are not its heap */
    assert_int_equal(psa_call(PARTIX_TEST_STATELESS_HANDLE, TEST_OP_CONCAT, NULL, 0, NULL, 0),
                     PSA_SUCCESS);
    assert_int_equal(fixture_stop(&fx), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_priority_is_niceness, fixture_teardown),
        cmocka_unit_test_teardown(test_heap_size_bounds_malloc, fixture_teardown),
        cmocka_unit_test_teardown(test_nice_follows_the_daemon, fixture_teardown),
    };

    return cmocka_run_group_tests_name("e2e_resources", tests, NULL, NULL);
}
