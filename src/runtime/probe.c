/*
 * probe.c - whether a partition's own psa_call may use its vectors, as
 * libpsa-client and TF-M's SPM check a caller's: every input readable,
 * every output writable, none wrapping around the address space.  TF-M
 * panics a secure caller for any of these (a programmer error); so does
 * the runtime, naming the vector, before anything is sent.
 *
 * The sandbox allows no process_vm_readv and no pipe, so each page is
 * touched: its first byte read (and, for an output, written back
 * unchanged) by instructions the fault handler (stack.c) knows, and moves
 * past to a landing that reports the fault.  A device's register pages (MMIO
 * regions that trap, mmio.c) are never touched, which would be a device
 * access: their region's permission decides.  Partitions are single-
 * threaded, so no other thread sees the byte rewritten.
 */
#include <signal.h>
#include <stdint.h>
#include <ucontext.h>
#include <unistd.h>

#include "runtime.h"

/* mmio.c's, absent from libpsa-partition-test (which never probes) */
int rt_mmio_trapped(uintptr_t a, uintptr_t end, bool *writable) __attribute__((weak));

static bool ready; /* the fault handler is there (not in libpsa-partition-test) */

void rt_probe_ready(void)
{
    ready = true;
}

#ifdef __x86_64__
/*
 * The touches, in assembly so the faulting instructions are known: the
 * fault handler moves a faulting one on to the landing, which returns -1.
 * No longjmp out of the handler (AddressSanitizer's would read
 * /proc/self/maps, which the sandbox forbids).
 */
int rt_probe_read(const volatile void *p);
int rt_probe_write(volatile void *p);
extern const char rt_probe_at_read[], rt_probe_at_load[], rt_probe_at_store[], rt_probe_landing[];
__asm__(".text\n"
        ".globl rt_probe_read\n"
        ".type rt_probe_read, @function\n"
        "rt_probe_read:\n"
        "    xorl %eax, %eax\n"
        ".globl rt_probe_at_read\n"
        "rt_probe_at_read:\n"
        "    movb (%rdi), %cl\n"
        "    ret\n"
        ".globl rt_probe_landing\n"
        "rt_probe_landing:\n"
        "    movl $-1, %eax\n"
        "    ret\n"
        ".globl rt_probe_write\n"
        ".type rt_probe_write, @function\n"
        "rt_probe_write:\n"
        "    xorl %eax, %eax\n"
        ".globl rt_probe_at_load\n"
        "rt_probe_at_load:\n"
        "    movb (%rdi), %cl\n"
        ".globl rt_probe_at_store\n"
        "rt_probe_at_store:\n"
        "    movb %cl, (%rdi)\n"
        "    ret\n");

bool rt_probe_fault(void *ucv)
{
    ucontext_t *uc = ucv;
    uintptr_t ip = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];

    if (ip != (uintptr_t)rt_probe_at_read && ip != (uintptr_t)rt_probe_at_load &&
        ip != (uintptr_t)rt_probe_at_store)
        return false;
    uc->uc_mcontext.gregs[REG_RIP] = (greg_t)(uintptr_t)rt_probe_landing;
    return true;
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
        return 0; /* no handler to land the touches: the SPM checks what it can */
    trapped = rt_mmio_trapped != NULL && rt_mmio_trapped(p, end, &writable);
    if (trapped)
        return write && !writable ? -1 : 0;
    while (p < end) {
        if ((write ? rt_probe_write((volatile void *)p) : rt_probe_read((const void *)p)) < 0)
            return -1;
        p = (p | (page - 1)) + 1;
    }
    return 0;
}
#else
bool rt_probe_fault(void *ucv)
{
    (void)ucv;
    return false;
}

int rt_probe(const void *base, size_t len, bool write)
{
    (void)write;
    return len > 0 && (base == NULL || (uintptr_t)base + len < (uintptr_t)base) ? -1 : 0;
}
#endif
