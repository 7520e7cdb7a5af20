/*
 * stack.c - the partition's entry point runs on a stack of the manifest's
 * stack_size (times RT_STACK_SCALE: 64-bit code and glibc need more than a
 * Cortex-M33), with a guard page below it.  Running into the guard page is
 * reported as a stack overflow, not a bare SIGSEGV; the stack is painted so
 * the high-water mark can be logged when the partition stops.
 *
 * That mark holds the runtime's and glibc's frames below the partition's
 * calls (vsnprintf alone takes kilobytes), which the target does not have.
 * So every public runtime function first records how deep the partition's
 * own frames are (rt_stack_mark): the figure to compare with the manifest's
 * stack_size, logged beside the mark.
 */
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include "crash_report.h"
#include "debug.h"
#include "partix/load_info.h"
#include "runtime.h"
#include "tfm_sp_log.h"

#define RT_STACK_SCALE 4
#define RT_STACK_FLOOR (16u * 1024u)
#define PAINT 0xa5u

static uint8_t *stack_lo, *stack_hi; /* the usable stack, above the guard page */
static uint8_t *guard;
static size_t page;
static ucontext_t entry_ctx, main_ctx;
static void (*entry)(void);
static uint8_t altstack[16384];

static void on_fault(int sig, siginfo_t *si, void *uc)
{
    uint8_t *addr = si->si_addr;

    if (si->si_code > 0 && rt_probe_fault(uc))
        return; /* a vector being checked (probe.c): the touch reports the fault */
    if (sig == SIGSEGV && rt_mmio_fault(si, uc))
        return; /* a device register: single-stepped */
    if (sig == SIGSEGV && addr >= guard && addr < guard + page) {
        rt_crash_report(sig, si, uc, CRASH_STACK_OVERFLOW);
        rt_panic("stack overflow: the entry point used more than its %zu bytes (manifest "
                 "stack_size %u x %d)",
                 (size_t)(stack_hi - stack_lo), partix_load_info.stack_size, RT_STACK_SCALE);
    }
    rt_crash_report(sig, si, uc, CRASH_SIGNAL); /* for the monitor to symbolize (crash.c) */
    if (si->si_code <= 0)                       /* sent, not a fault: nothing to run again */
        rt_panic("the partition raised %s itself", sig == SIGSEGV ? "SIGSEGV" : "SIGBUS");
    /* The faulting instruction runs again with the signal blocked: the
     * kernel then kills with it (the SPM reports the signal).  No
     * rt_sigaction needed, which the sandbox forbids. */
    sigaddset(&((ucontext_t *)uc)->uc_sigmask, sig);
}

size_t rt_stack_high_water(void)
{
    const uint8_t *p = stack_lo;

    if (stack_lo == NULL || rt_debug_valgrind())
        return 0;
    while (p < stack_hi && *p == PAINT)
        p++;
    return (size_t)(stack_hi - p);
}

void rt_stack_bounds(uintptr_t *lo, uintptr_t *hi)
{
    *lo = (uintptr_t)stack_lo;
    *hi = (uintptr_t)stack_hi;
}

size_t rt_stack_partition_use(void)
{
    return rt.stack_peak;
}

size_t rt_stack_size(void)
{
    return (size_t)(stack_hi - stack_lo);
}

static void trampoline(void)
{
    entry();
    rt_panic("the entry point returned");
}

int rt_stack_prepare(uint32_t stack_size)
{
    size_t size = (size_t)stack_size * RT_STACK_SCALE;
    stack_t ss = {.ss_sp = altstack, .ss_size = sizeof(altstack)};
    struct sigaction sa;

    page = (size_t)sysconf(_SC_PAGESIZE);
    if (size < RT_STACK_FLOOR)
        size = RT_STACK_FLOOR;
    size = (size + page - 1) / page * page;
    guard = mmap(NULL, size + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (guard == MAP_FAILED || mprotect(guard, page, PROT_NONE) < 0)
        return -1;
    stack_lo = guard + page;
    stack_hi = stack_lo + size;
    memset(stack_lo, PAINT, size);
    rt.stack_base = (uintptr_t)stack_hi;
    /* the fault handler runs on its own stack: the overflowed one is full */
    if (sigaltstack(&ss, NULL) < 0)
        return -1;
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    if (sigaction(SIGSEGV, &sa, NULL) < 0 || sigaction(SIGBUS, &sa, NULL) < 0)
        return -1;
    rt_probe_ready();
    rt_debug_prepare(); /* psa-spm --debug-partition */
    return rt_crash_init();
}

void rt_stack_run(void (*fn)(void))
{
    entry = fn;
    rt_debug_wait(); /* psa-spm --debug-partition NAME:gdb-wait */
    getcontext(&entry_ctx);
    entry_ctx.uc_stack.ss_sp = stack_lo;
    entry_ctx.uc_stack.ss_size = (size_t)(stack_hi - stack_lo);
    entry_ctx.uc_link = NULL;
    makecontext(&entry_ctx, trampoline, 0);
    swapcontext(&main_ctx, &entry_ctx);
    rt_panic("the entry point returned");
}
