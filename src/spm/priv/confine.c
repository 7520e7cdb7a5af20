/*
 * confine.c - the router's confinement.  The router is the process every
 * client and partition writes to, so it holds the least it can: no root
 * (the partix account when psa-spm runs as root), no way to regain it (no
 * new privileges), no core dumps and no ptrace by its own uid (not
 * dumpable), no children, death with the monitor, and a seccomp allowlist
 * of the calls its loop makes.  Everything that opens a file or a socket,
 * or touches another process, is the monitor's (monitor.c).
 *
 * The allowlist, and why each call is there:
 *   epoll_wait/epoll_pwait/epoll_ctl  the loop
 *   accept4                            clients connect (SOCK_CLOEXEC)
 *   recvmsg/sendmsg                    every datagram, with its descriptor
 *   getsockopt (SOL_SOCKET)            a client's SO_PEERCRED
 *   read                               the signalfd
 *   write, writev                      the log on stderr
 *   close, dup                         descriptors it was passed or made; the
 *                                      EMFILE reserve is a dup
 *   fcntl (GETFL/SETFL/GETFD/SETFD/    non-blocking sockets; a memory
 *     GET_SEALS/ADD_SEALS/DUPFD_CLOEXEC)  object's seals
 *   fstat, newfstatat (AT_EMPTY_PATH)  a memory object's size and type
 *   memfd_create, ftruncate            a large call's buffer for a partition
 *   mmap/mprotect (never PROT_EXEC),   memory; the board's MMIO regions
 *     munmap, mremap, madvise, brk,
 *     msync
 *   pread64, pwrite64, fsync,          the board's NVMEM files, opened before
 *     fdatasync                        the drop
 *   getpriority                        a partition's nice value, for the log
 *   clock_gettime, clock_nanosleep,    time (the system-wide clocks only)
 *     nanosleep, gettimeofday
 *   futex, sched_yield, getrandom      libc
 *   rt_sigprocmask, rt_sigreturn,      signals: its own (abort), leaving
 *     tgkill (itself), getpid, gettid,
 *     restart_syscall, exit, exit_group
 * Nothing opens a path, a socket or a process, or signals another process.
 * A foreign ABI kills outright; any other call is logged by number by the
 * SIGSYS handler, and the router dies of SIGSYS, which the monitor logs.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <seccomp.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "spm.h"

#define LAST_CLOCK 11
/* CLOCK_TAI: a negative id would name another process's clock */

int spm_router_drop(bool drop, uid_t uid, gid_t gid, pid_t monitor)
{
    struct rlimit none = {0, 0};

    if (drop &&
        (setgroups(0, NULL) < 0 || setresgid(gid, gid, gid) < 0 || setresuid(uid, uid, uid) < 0)) {
        spm_log(SPM_ERROR, "router: cannot become uid %u: %s", (unsigned)uid, strerror(errno));
        return -1;
    }
    /* after the uid change, which clears it */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != monitor ||
        prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || prctl(PR_SET_DUMPABLE, 0) < 0 ||
        setrlimit(RLIMIT_CORE, &none) < 0) {
        spm_log(SPM_ERROR, "router: cannot confine itself: %s", strerror(errno));
        return -1;
    }
    prctl(PR_SET_NAME, "spm-router");
    return 0;
}

static void put_num(char *p, size_t *at, long v)
{
    char d[24];
    int n = 0;

    if (v < 0) {
        p[(*at)++] = '-';
        v = -v;
    }
    do
        d[n++] = (char)('0' + v % 10);
    while ((v /= 10) > 0 && n < (int)sizeof(d));
    while (n > 0)
        p[(*at)++] = d[--n];
}

/* Async-signal-safe: the number, then the default action (SA_RESETHAND)
 * of the SIGSYS raised again, once this returns. */
static void on_sigsys(int sig, siginfo_t *si, void *uc)
{
    static const char head[] = "psa-spm: router: system call ";
    static const char tail[] = " is outside its allowlist\n";
    char line[96];
    size_t at = 0;

    (void)uc;
    memcpy(line, head, sizeof(head) - 1);
    at = sizeof(head) - 1;
    put_num(line, &at, si->si_syscall);
    memcpy(line + at, tail, sizeof(tail) - 1);
    at += sizeof(tail) - 1;
    if (write(STDERR_FILENO, line, at) < 0) {
        /* nothing to do: the process dies next */
    }
    syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), sig);
}

static const int allowed[] = {
    SCMP_SYS(epoll_wait),
    SCMP_SYS(epoll_pwait),
    SCMP_SYS(epoll_ctl),
    SCMP_SYS(accept4),
    SCMP_SYS(recvmsg),
    SCMP_SYS(sendmsg),
    SCMP_SYS(read),
    SCMP_SYS(write),
    SCMP_SYS(writev),
    SCMP_SYS(close),
    SCMP_SYS(dup),
    SCMP_SYS(fstat),
    SCMP_SYS(memfd_create),
    SCMP_SYS(eventfd2), /* a direct connection's doorbell */
    SCMP_SYS(ftruncate),
    SCMP_SYS(munmap),
    SCMP_SYS(mremap),
    SCMP_SYS(madvise),
    SCMP_SYS(brk),
    SCMP_SYS(msync),
    SCMP_SYS(pread64),
    SCMP_SYS(pwrite64),
    SCMP_SYS(fsync),
    SCMP_SYS(fdatasync),
    SCMP_SYS(getpriority),
    SCMP_SYS(nanosleep),
    SCMP_SYS(gettimeofday),
    SCMP_SYS(futex),
    SCMP_SYS(sched_yield),
    SCMP_SYS(getrandom),
    SCMP_SYS(rt_sigprocmask),
    SCMP_SYS(rt_sigreturn),
    SCMP_SYS(getpid),
    SCMP_SYS(gettid),
    SCMP_SYS(restart_syscall),
    SCMP_SYS(exit),
    SCMP_SYS(exit_group),
#if defined(__SANITIZE_ADDRESS__)
    /* AddressSanitizer's runtime, so `make asan` keeps the allowlist on */
    SCMP_SYS(sigaltstack),
#endif
};

static const int fcntl_cmds[] = {F_GETFL,     F_SETFL,     F_GETFD,        F_SETFD,
                                 F_GET_SEALS, F_ADD_SEALS, F_DUPFD_CLOEXEC};

static int rules(scmp_filter_ctx ctx)
{
    size_t i;

    for (i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
        if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, allowed[i], 0) < 0)
            return -1;
    for (i = 0; i < sizeof(fcntl_cmds) / sizeof(fcntl_cmds[0]); i++)
        if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(fcntl), 1,
                             SCMP_A1(SCMP_CMP_EQ, (scmp_datum_t)fcntl_cmds[i])) < 0)
            return -1;
    if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1,
                         SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0)) < 0 ||
        seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mprotect), 1,
                         SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0)) < 0 ||
        seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(newfstatat), 1,
                         SCMP_A3(SCMP_CMP_MASKED_EQ, AT_EMPTY_PATH, AT_EMPTY_PATH)) < 0 ||
        seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(getsockopt), 1,
                         SCMP_A1(SCMP_CMP_EQ, SOL_SOCKET)) < 0 ||
        seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clock_gettime), 1,
                         SCMP_A0(SCMP_CMP_LE, LAST_CLOCK)) < 0 ||
        seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clock_nanosleep), 1,
                         SCMP_A0(SCMP_CMP_LE, LAST_CLOCK)) < 0 ||
        seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(tgkill), 1,
                         SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)getpid())) < 0)
        return -1;
#if defined(__SANITIZE_ADDRESS__)
    if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(sched_getaffinity), 1,
                         SCMP_A0(SCMP_CMP_EQ, 0)) < 0)
        return -1;
#endif
    return 0;
}

int spm_router_seccomp(void)
{
    struct sigaction sa;
    scmp_filter_ctx ctx;
    int rc = -1;

    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_sigsys;
    sa.sa_flags = SA_SIGINFO | SA_RESETHAND;
    ctx = seccomp_init(SCMP_ACT_TRAP);
    if (ctx == NULL || sigaction(SIGSYS, &sa, NULL) < 0)
        goto out;
    if (seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS) < 0 ||
        rules(ctx) < 0 || seccomp_load(ctx) < 0)
        goto out;
    rc = 0;
out:
    if (rc < 0)
        spm_log(SPM_ERROR, "router: cannot load its seccomp allowlist");
    if (ctx != NULL)
        seccomp_release(ctx);
    return rc;
}
