/*
 * debug.h - the runtime's help for a partition developer: the crash report
 * its fault handlers send (crash.c), and the relaxations psa-spm's
 * --debug-partition asks for (debug.c).
 */
#ifndef PARTIX_RT_DEBUG_H
#define PARTIX_RT_DEBUG_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

/* Takes the crash socket psa-spm passed (none: crash reports are off),
 * notes where the modules are loaded and installs the handlers of SIGILL,
 * SIGFPE and SIGABRT.  Before the sandbox, after sigaltstack.  0 or -1. */
int rt_crash_init(void);

/* From a fault handler: sends the crash report of signal @p sig (kind
 * enum crash_kind) once; later calls do nothing. */
void rt_crash_report(int sig, const siginfo_t *si, const void *uc, int kind);

/* The entry point's stack, [*lo, *hi) (0, 0 before it is made). */
void rt_stack_bounds(uintptr_t *lo, uintptr_t *hi);

/* The sandbox layers to enter: SANDBOX_ALL, less what the debugging mode
 * psa-spm set (PARTIX_DEBUG) needs relaxed. */
unsigned rt_debug_layers(void);

/* Before the sandbox: what the mode needs that seccomp would then refuse
 * (PR_SET_PTRACER for gdb). */
void rt_debug_prepare(void);

/* Whether the partition runs under valgrind (whose memcheck would call the
 * stack's high-water scan, below the stack pointer, invalid reads). */
bool rt_debug_valgrind(void);

/* In the gdb-wait mode, holds the process just before the entry point
 * runs, while partix_debug_hold is not 0: a debugger attaches, sets its
 * breakpoints, then `set var partix_debug_hold = 0` and `continue`. */
extern volatile int partix_debug_hold;
void rt_debug_wait(void);

#endif /* PARTIX_RT_DEBUG_H */
