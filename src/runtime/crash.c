/*
 * crash.c - a partition's crash report (crash_report.h): when it faults
 * (SIGSEGV, SIGBUS, SIGILL, SIGFPE, a stack overflow) or aborts, its fault
 * handler collects the signal, the faulting address, the registers, a copy
 * of the top of its stack, where its modules are loaded and the messages
 * it holds, and sends that in one datagram on its crash socket to psa-spm's
 * monitor, which unwinds and symbolizes it (src/spm/priv/crash.c).  No
 * unwinding and no symbol lookup happen here: the handler runs on a broken
 * process inside the sandbox, so it reads only memory it knows is mapped
 * (its own stack's bounds) and makes one system call, a send.
 *
 * The module table is built once before the sandbox (dl_iterate_phdr reads
 * the loader's list, which a fault may have left half-updated).
 */
#include <link.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <ucontext.h>
#include <unistd.h>

#include "crash_report.h"
#include "debug.h"
#include "runtime.h"
#include "sandbox.h"

static struct crash_report report; /* kept off the (alternate) stack */
static int crash_fd = -1;
static volatile sig_atomic_t sent;

static int add_module(struct dl_phdr_info *info, size_t size, void *arg)
{
    struct crash_module *m;
    uint64_t lo = UINT64_MAX, hi = 0;
    int first = report.n_modules == 0;

    (void)size;
    (void)arg;
    if (report.n_modules == CRASH_MAX_MODULES)
        return 1;
    /* the executable comes first, with no name; the vDSO has no file */
    if (!first && (info->dlpi_name == NULL || info->dlpi_name[0] != '/'))
        return 0;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];

        if (ph->p_type != PT_LOAD)
            continue;
        if (info->dlpi_addr + ph->p_vaddr < lo)
            lo = info->dlpi_addr + ph->p_vaddr;
        if (info->dlpi_addr + ph->p_vaddr + ph->p_memsz > hi)
            hi = info->dlpi_addr + ph->p_vaddr + ph->p_memsz;
    }
    if (hi == 0)
        return 0;
    m = &report.modules[report.n_modules++];
    m->bias = info->dlpi_addr;
    m->lo = lo;
    m->hi = hi;
    if (!first) {
        strncpy(m->path, info->dlpi_name, sizeof(m->path) - 1);
        m->path[sizeof(m->path) - 1] = '\0';
    }
    return 0;
}

static void collect_msgs(void)
{
    const struct rt_msg *m;

    for (m = rt.queue; m != NULL && report.n_msgs < CRASH_MAX_MSGS; m = m->next) {
        struct crash_msg *c = &report.msgs[report.n_msgs];
        uint32_t i;

        if (!m->gotten)
            continue;
        memset(c, 0, sizeof(*c));
        c->handle = m->handle;
        c->type = m->type;
        c->client_id = m->client_id;
        c->sid = m->svc != NULL ? m->svc->sid : 0;
        c->n_in = m->v.n_in;
        c->n_out = m->v.n_out;
        for (i = 0; i < 4; i++) {
            c->in_size[i] = i < m->v.n_in ? m->v.in_len[i] : 0;
            c->out_size[i] = i < m->v.n_out ? m->v.out_len[i] : 0;
            c->in_read[i] = m->in_off[i];
            c->written[i] = m->written[i];
        }
        report.n_msgs++;
    }
}

/* The stack copy, word by word: AddressSanitizer's memcpy would call the
 * redzones between a frame's locals an overflow; a sanitized build must
 * not read them through it. */
__attribute__((no_sanitize("address"))) static void copy_stack(uint8_t *to, uintptr_t from,
                                                               size_t len)
{
    const volatile uint64_t *w = (const volatile uint64_t *)from;
    size_t i;

    for (i = 0; i + 8 <= len; i += 8) {
        uint64_t v = w[i / 8];

        __builtin_memcpy(to + i, &v, 8);
    }
}

void rt_crash_report(int sig, const siginfo_t *si, const void *ucv, int kind)
{
    uintptr_t lo = 0, hi = 0, from;
    size_t len;

    if (crash_fd < 0 || sent)
        return;
    sent = 1;
    report.magic = CRASH_MAGIC;
    report.version = CRASH_VERSION;
    report.kind = (uint32_t)kind;
    report.signo = sig;
    report.code = si != NULL ? si->si_code : 0;
    report.addr = si != NULL ? (uint64_t)(uintptr_t)si->si_addr : 0;
#ifdef __x86_64__
    if (ucv != NULL) {
        const ucontext_t *uc = ucv;

        for (int i = 0; i < CRASH_NREGS && i < NGREG; i++)
            report.regs[i] = (uint64_t)uc->uc_mcontext.gregs[i];
        report.n_regs = CRASH_NREGS;
        report.pc = (uint64_t)uc->uc_mcontext.gregs[REG_RIP];
        report.sp = (uint64_t)uc->uc_mcontext.gregs[REG_RSP];
    }
#else
    (void)ucv;
#endif
    /* the stack copy: only from the entry point's own stack, whose bounds
     * are known; an overflow's stack pointer is in the guard page below */
    rt_stack_bounds(&lo, &hi);
    from = (uintptr_t)report.sp;
    if (lo != 0 && from < lo && lo - from <= 65536)
        from = lo;
    if (lo != 0 && from >= lo && from < hi) {
        len = hi - from < CRASH_MAX_STACK ? hi - from : CRASH_MAX_STACK;
        len &= ~(size_t)7;
        copy_stack(report.stack, from, len);
        report.stack_len = (uint32_t)len;
    }
    report.stack_lo = (uint64_t)from;
    report.stack_hi = (uint64_t)hi;
    collect_msgs();
    if (rt_api_entered != NULL)
        strncpy(report.api, rt_api_entered, sizeof(report.api) - 1);
    (void)send(crash_fd, &report, offsetof(struct crash_report, stack) + report.stack_len,
               MSG_DONTWAIT | MSG_NOSIGNAL);
}

/* SIGILL, SIGFPE, SIGABRT (SIGTRAP is mmio.c's single step): reset to the default on entry, so
 * the fault that runs again, or the signal raised again, ends the process
 * with it (the SPM then reports the signal).  No rt_sigaction needed,
 * which the sandbox forbids. */
static void on_crash(int sig, siginfo_t *si, void *uc)
{
    rt_crash_report(sig, si, uc, CRASH_SIGNAL);
    if (si->si_code <= 0) { /* sent (abort, raise): nothing runs again */
        raise(sig);
        return;
    }
    sigaddset(&((ucontext_t *)uc)->uc_sigmask, sig);
}

int rt_crash_init(void)
{
    static const int sigs[] = {SIGILL, SIGFPE, SIGABRT};
    struct sigaction sa;
    int type = 0;
    socklen_t tlen = sizeof(type);

    /* psa-spm passes the crash socket; a partition started otherwise has none */
    if (getsockopt(SANDBOX_CRASH_FD, SOL_SOCKET, SO_TYPE, &type, &tlen) < 0 ||
        type != SOCK_SEQPACKET)
        return 0;
    crash_fd = SANDBOX_CRASH_FD;
    dl_iterate_phdr(add_module, NULL);
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_crash;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER | SA_RESETHAND;
    for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
        if (sigaction(sigs[i], &sa, NULL) < 0)
            return -1;
    return 0;
}
