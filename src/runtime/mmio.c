/*
 * mmio.c - the partition's MMIO regions.  Each is mapped at its own address
 * (what the manifest or the platform says), READ-ONLY or READ-WRITE as the
 * manifest declares, before the sandbox closes; anything else faults.
 *
 * A device's registers are mapped with no access at all.  An access faults;
 * the handler opens that page as the manifest allows, sets the trap flag and
 * returns, so the one instruction runs and traps again; the second handler
 * closes the page and, for a write, tells the SPM which register was written
 * (P_MMIO) and the 32-bit value the write left in it, then waits until the
 * device has taken it (its counter in the device's acknowledgement page
 * moves), so the next access sees the registers as the device left them.
 * That is how a byte written twice to a UART's data register is two bytes.
 * Memory regions that share a page with another region (of this partition
 * or another) are trapped the same way, to check each access against the
 * region's bytes, but their writes are not reported.  Regions sharing a
 * page come in one memory object over the same pages: the first of them
 * maps it, the others use that mapping (and its acknowledgement counter).
 * The trap needs x86-64 (its page-fault error code and trap flag); elsewhere
 * device regions behave as plain memory and their writes go unseen.
 */
#include <errno.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "otp_layout.h"
#include "runtime.h"

#define MAX_REGIONS 32

struct rt_region {
    uintptr_t base, end;         /* the region */
    uintptr_t map_base, map_end; /* its pages */
    bool writable;
    bool trap;
    bool sharable;                /* the SPM asked for a trap: its pages may hold others */
    bool report;                  /* its writes go to the SPM (a device's registers) */
    uint8_t index;                /* in the manifest's mmio_regions */
    struct rt_region *pages;      /* the region that mapped its pages (itself or earlier) */
    const volatile uint32_t *ack; /* pages: the device's count of our writes it took, or NULL */
    uint32_t sent;                /* pages: the writes we reported */
};

static struct rt_region regions[MAX_REGIONS];
static size_t n_regions;
static struct rt_region *stepping; /* the access being single-stepped */
static uintptr_t step_page, step_addr;
static bool step_write;

/* An earlier region whose memory object holds this one's pages, or NULL. */
static struct rt_region *mapped(const struct wire_region *rg)
{
    size_t i;

    for (i = 0; i < n_regions; i++)
        if (regions[i].sharable && rg->trap && regions[i].map_base == (uintptr_t)rg->map_base &&
            regions[i].map_end == (uintptr_t)(rg->map_base + rg->map_len))
            return &regions[i];
    return NULL;
}

int rt_mmio_map(const struct wire_region *rg, int fd)
{
    struct rt_region *r;
    bool trap = rg->trap;
    void *at = (void *)(uintptr_t)rg->map_base;

    if (fd < 0 || n_regions == MAX_REGIONS)
        return -1;
#ifndef __x86_64__
    trap = false;
#endif
    r = &regions[n_regions];
    r->ack = NULL;
    r->pages = mapped(rg);
    if (r->pages == NULL) {
        r->pages = r;
        at = mmap(at, (size_t)rg->map_len,
                  trap ? PROT_NONE : PROT_READ | (rg->writable ? PROT_WRITE : 0),
                  MAP_SHARED | MAP_FIXED_NOREPLACE, fd, 0);
    }
    if (at != MAP_FAILED && trap && rg->report && rg->ack_off != 0 && r->pages->ack == NULL) {
        void *page = mmap(NULL, sizeof(uint32_t) * WIRE_ACK_SLOTS, PROT_READ, MAP_SHARED, fd,
                          (off_t)rg->ack_off);

        if (page == MAP_FAILED)
            rt_panic("MMIO region %s: its acknowledgement page: %s", rg->name, strerror(errno));
        r->pages->ack = (const volatile uint32_t *)page + rg->ack_slot;
        r->pages->sent = *r->pages->ack;
    }
    close(fd);
    if (at == MAP_FAILED || at != (void *)(uintptr_t)rg->map_base)
        rt_panic("MMIO region %s at 0x%llx: its address is taken in this process (%s)",
                 rg->name[0] ? rg->name : "(numbered)", (unsigned long long)rg->base,
                 at == MAP_FAILED ? strerror(errno) : "mapped elsewhere");
    n_regions++;
    r->base = (uintptr_t)rg->base;
    r->end = (uintptr_t)(rg->base + rg->size);
    r->map_base = (uintptr_t)rg->map_base;
    r->map_end = (uintptr_t)(rg->map_base + rg->map_len);
    r->writable = rg->writable;
    r->trap = trap;
    r->sharable = rg->trap;
    r->report = trap && rg->report;
    r->index = rg->index;
    if (rg->otp && !rg->writable && !trap && rg->size >= sizeof(struct partix_otp)) {
        rt_otp = (const struct partix_otp *)(uintptr_t)rg->base;
        rt_otp_size = (size_t)rg->size;
    }
    return 0;
}

#ifdef __x86_64__
#define TRAP_FLAG 0x100
#define PAGE 4096u /* x86-64 */

bool rt_mmio_fault(siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    uintptr_t a = (uintptr_t)si->si_addr;
    bool write = (uc->uc_mcontext.gregs[REG_ERR] & 2) != 0;
    struct rt_region *r = NULL;
    size_t i;

    /* the region whose bytes hold the address: on a page of several
     * regions, none but the one the access is in */
    for (i = 0; i < n_regions && r == NULL; i++)
        if (regions[i].trap && a >= regions[i].base && a < regions[i].end)
            r = &regions[i];
    if (r == NULL || (write && !r->writable) || stepping != NULL)
        return false; /* outside every region, or a write to a read-only one: a fault */
    stepping = r;
    step_addr = a;
    step_write = write;
    step_page = a & ~(uintptr_t)(PAGE - 1);
    if (mprotect((void *)step_page, PAGE, PROT_READ | (r->writable ? PROT_WRITE : 0)) < 0)
        return false;
    uc->uc_mcontext.gregs[REG_EFL] |= TRAP_FLAG;
    return true;
}

/* Until the device has taken every write reported (or 2 s have passed:
 * a device that never answers must not hang the partition forever). */
static void await_ack(const struct rt_region *r)
{
    struct timespec t = {0, 100 * 1000 * 1000};
    uint32_t seen;
    int tries;

    for (tries = 0; tries < 20 && (seen = __atomic_load_n(r->ack, __ATOMIC_ACQUIRE)) != r->sent;
         tries++)
        syscall(SYS_futex, r->ack, FUTEX_WAIT, seen, &t, NULL, 0);
}

static void on_step(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    struct rt_region *r = stepping;

    (void)sig;
    (void)si;
    uc->uc_mcontext.gregs[REG_EFL] &= ~TRAP_FLAG;
    if (r == NULL)
        return;
    stepping = NULL;
    if (step_write && r->report) {
        /* the register as the write left it, before the device sees it */
        uintptr_t reg = step_addr & ~(uintptr_t)3;
        struct wire_msg m;
        struct wire_frame f; /* on the alternate signal stack */

        m.type = WIRE_P_MMIO;
        m.seq = 0;
        m.u.mmio.region = r->index;
        m.u.mmio.offset = (uint32_t)(reg - r->base);
        m.u.mmio.value = reg + 4 <= r->end ? *(volatile uint32_t *)reg : 0;
        mprotect((void *)step_page, PAGE, PROT_NONE);
        if (wire_encode(&f, &m) == 0 && wire_send(rt.chan, &f, -1) == 0 && r->pages->ack != NULL) {
            r->pages->sent++;
            await_ack(r->pages);
        }
        return;
    }
    mprotect((void *)step_page, PAGE, PROT_NONE);
}

int rt_mmio_arm(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_step;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    return sigaction(SIGTRAP, &sa, NULL);
}
#endif

int rt_mmio_trapped(uintptr_t a, uintptr_t end, bool *writable)
{
    size_t i;

    for (i = 0; i < n_regions; i++) {
        const struct rt_region *r = &regions[i];

        if (r->trap && a < r->map_end && r->map_base < end) {
            *writable = r->writable;
            return 1;
        }
    }
    return 0;
}

#ifndef __x86_64__
bool rt_mmio_fault(siginfo_t *si, void *ucv)
{
    (void)si;
    (void)ucv;
    return false;
}

int rt_mmio_arm(void)
{
    return 0;
}
#endif
