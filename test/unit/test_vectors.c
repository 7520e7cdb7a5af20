/*
 * test_vectors.c - libpsa-client's own checks of psa_call's vectors, with
 * the writability probe taking both of its paths (process_vm_* and, where a
 * seccomp profile forbids those, the pipe).
 */
#include <errno.h>
#include <seccomp.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "client_int.h"

static int checks(void)
{
    static char buf[64];
    char *ro = mmap(NULL, 8192, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    psa_invec in[3] = {{buf, 8}, {buf + 8, 8}, {buf + 4, 8}};
    psa_outvec out[2] = {{buf + 32, 16}, {ro, 16}};

    if (ro == MAP_FAILED)
        return 1;
    buf[32] = 'k';
    if (partix_check_vectors(0, in, 2, out, 1, true) != PSA_SUCCESS || buf[32] != 'k')
        return 2; /* valid, and the probe left the byte as it was */
    if (partix_check_vectors(0, in, 3, NULL, 0, true) != PSA_ERROR_PROGRAMMER_ERROR)
        return 3; /* in[2] overlaps in[0] and in[1] */
    if (partix_check_vectors(0, NULL, 0, &out[1], 1, true) != PSA_ERROR_PROGRAMMER_ERROR)
        return 4; /* read-only output */
    if (partix_check_vectors(0, NULL, 0, &out[1], 1, false) != PSA_SUCCESS)
        return 9; /* without the probe (a partition), the fault is left to the kernel */
    if (partix_check_vectors(-1, NULL, 0, NULL, 0, true) != PSA_ERROR_PROGRAMMER_ERROR ||
        partix_check_vectors(0x8000, NULL, 0, NULL, 0, true) != PSA_ERROR_PROGRAMMER_ERROR ||
        partix_check_vectors(0x7fff, NULL, 0, NULL, 0, true) != PSA_SUCCESS)
        return 5; /* type range */
    if (partix_check_vectors(0, in, 3, out, 2, true) != PSA_ERROR_PROGRAMMER_ERROR ||
        partix_check_vectors(0, NULL, 1, NULL, 0, true) != PSA_ERROR_PROGRAMMER_ERROR)
        return 6; /* counts, NULL arrays */
    in[0].base = NULL;
    if (partix_check_vectors(0, in, 1, NULL, 0, true) != PSA_ERROR_PROGRAMMER_ERROR)
        return 7; /* NULL base with a length */
    in[0].len = 0;
    if (partix_check_vectors(0, in, 1, NULL, 0, true) != PSA_SUCCESS)
        return 8; /* NULL base of length 0 is fine */
    return 0;
}

static void test_with_process_vm(void **state)
{
    (void)state;
    assert_int_equal(checks(), 0);
}

static void test_with_pipe(void **state)
{
    int status;
    pid_t pid;

    (void)state;
    pid = fork();
    if (pid == 0) {
        scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);

        seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(process_vm_readv), 0);
        seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(process_vm_writev), 0);
        if (seccomp_load(ctx) < 0)
            _exit(99);
        _exit(checks());
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_with_process_vm),
        cmocka_unit_test(test_with_pipe),
    };

    return cmocka_run_group_tests_name("client_vectors", tests, NULL, NULL);
}
