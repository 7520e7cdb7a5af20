/*
 * debug.c - a partition run for a debugger (psa-spm --debug-partition,
 * docs/debugging.md).  psa-spm sets PARTIX_DEBUG in the partition's
 * environment; each mode relaxes the sandbox only as far as its tool needs:
 *
 *   gdb        the process stays dumpable (no PR_SET_DUMPABLE 0), so its
 *              own user may ptrace it; every other layer stays.
 *   gdb-wait   as gdb, and the process stops itself (SIGSTOP) just before
 *              the entry point, until the debugger (or SIGCONT) continues.
 *   valgrind   the process runs under valgrind, whose translated code
 *              needs executable memory and files: no seccomp, no
 *              Landlock, no root of its own; no new privileges still.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "debug.h"
#include "runtime.h"
#include "sandbox.h"

/* runtime.h's rt_stack_mark(): here, as libpsa-partition-test has it too */
const char *rt_api_entered;

static const char *mode(void)
{
    const char *m = getenv("PARTIX_DEBUG");

    return m != NULL ? m : "";
}

unsigned rt_debug_layers(void)
{
    const char *m = mode();

    if (strcmp(m, "gdb") == 0 || strcmp(m, "gdb-wait") == 0)
        return SANDBOX_ALL & ~SANDBOX_DUMPABLE;
    if (strcmp(m, "valgrind") == 0)
        return SANDBOX_NNP | SANDBOX_DUMPABLE;
    return SANDBOX_ALL;
}

void rt_debug_wait(void)
{
    if (strcmp(mode(), "gdb-wait") == 0)
        raise(SIGSTOP); /* tgkill to itself: the sandbox allows it */
}
