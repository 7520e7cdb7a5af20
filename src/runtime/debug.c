/*
 * debug.c - a partition run for a debugger (psa-spm --debug-partition,
 * docs/debugging.md).  psa-spm sets PARTIX_DEBUG in the partition's
 * environment; each mode relaxes the sandbox only as far as its tool needs:
 *
 *   gdb        the process stays dumpable (no PR_SET_DUMPABLE 0), so its
 *              own user may ptrace it (and Yama is told any process of
 *              that user may); every other layer stays.
 *   gdb-wait   as gdb, and the process waits just before the entry point
 *              until the debugger sets partix_debug_hold to 0.
 *   valgrind   the process runs under valgrind, whose translated code
 *              needs executable memory and files: no seccomp, no
 *              Landlock, no root of its own; no new privileges still.
 *
 * PARTIX_CORE=1 (psa-spm --core-dir): the process stays dumpable and
 * Landlock lets the kernel write its core beneath its working directory.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>

#include "debug.h"
#include "sandbox.h"

static const char *mode(void)
{
    const char *m = getenv("PARTIX_DEBUG");

    return m != NULL ? m : "";
}

/* psa-spm --core-dir: the kernel may dump this process's core into its
 * working directory, which psa-spm made the core directory. */
static bool core_dumps(void)
{
    const char *c = getenv("PARTIX_CORE");

    return c != NULL && strcmp(c, "1") == 0;
}

unsigned rt_debug_layers(void)
{
    const char *m = mode();

    if (strcmp(m, "gdb") == 0 || strcmp(m, "gdb-wait") == 0)
        return SANDBOX_ALL & ~SANDBOX_DUMPABLE;
    if (strcmp(m, "valgrind") == 0)
        return SANDBOX_NNP | SANDBOX_DUMPABLE;
    /* an undumpable process leaves no core */
    return core_dumps() ? SANDBOX_ALL & ~SANDBOX_DUMPABLE : SANDBOX_ALL;
}

void rt_debug_prepare(void)
{
    const char *m = mode();

    /* Yama's ptrace_scope 1 lets only ancestors attach: any process of the
     * partition's own user may (EINVAL without Yama: nothing to relax) */
    if (strcmp(m, "gdb") == 0 || strcmp(m, "gdb-wait") == 0)
        (void)prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0);
    /* Landlock would refuse the kernel the core file: a rule for the
     * working directory (no core dump if it cannot be opened) */
    if (core_dumps()) {
        int fd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);

        if (fd >= 0)
            sandbox_allow_core(fd);
    }
}

bool rt_debug_valgrind(void)
{
    return strcmp(mode(), "valgrind") == 0;
}

volatile int partix_debug_hold;

void rt_debug_wait(void)
{
    struct timespec ts = {0, 50 * 1000000L};

    if (strcmp(mode(), "gdb-wait") != 0)
        return;
    /* not SIGSTOP: gdb would hand the stop back at every continue */
    partix_debug_hold = 1;
    while (partix_debug_hold)
        nanosleep(&ts, NULL);
}
