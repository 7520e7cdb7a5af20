/*
 * probe.c - whether a partition's own psa_call may use its vectors, as
 * libpsa-client and TF-M's SPM check a caller's: every input readable,
 * every output writable, none wrapping around the address space.  TF-M
 * panics a secure caller for any of these (a programmer error); so does
 * the runtime, naming the vector, before anything is sent.
 *
 * The sandbox allows no process_vm_readv and no pipe, so each page is
 * touched under a guard: its first byte read (and, for an output, written
 * back unchanged), with the fault handler (stack.c) jumping back here if
 * the page is not there or not writable.  A device's register pages (MMIO
 * regions that trap, mmio.c) are never touched, which would be a device
 * access: their region's permission decides.  Partitions are single-
 * threaded, so no other thread sees the byte rewritten.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <unistd.h>

#include "runtime.h"

/* mmio.c's, absent from libpsa-partition-test (which never probes) */
int rt_mmio_trapped(uintptr_t a, uintptr_t end, bool *writable) __attribute__((weak));

static sigjmp_buf probe_env;
static volatile sig_atomic_t probing;
static bool ready; /* the fault handler is there (not in libpsa-partition-test) */

void rt_probe_ready(void)
{
    ready = true;
}

void rt_probe_fault(void)
{
    if (probing) {
        probing = 0;
        siglongjmp(probe_env, 1);
    }
}

/* Touches one byte; 0, or -1 if it faulted. */
static int touch(volatile uint8_t *p, bool write)
{
    if (sigsetjmp(probe_env, 0) != 0)
        return -1; /* the handler came back: SIGSEGV or SIGBUS */
    probing = 1;
    uint8_t b = *p;
    if (write)
        *p = b;
    probing = 0;
    return 0;
}

int rt_probe(const void *base, size_t len, bool write)
{
    uintptr_t p = (uintptr_t)base, end = p + len;
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    int trapped;
    bool writable;

    if (len == 0)
        return 0;
    if (end < p || base == NULL)
        return -1;
    if (!ready)
        return 0; /* no guard to touch under: the SPM checks what it can */
    trapped = rt_mmio_trapped != NULL && rt_mmio_trapped(p, end, &writable);
    if (trapped)
        return write && !writable ? -1 : 0;
    while (p < end) {
        if (touch((volatile uint8_t *)p, write) < 0)
            return -1;
        p = (p | (page - 1)) + 1;
    }
    return 0;
}
