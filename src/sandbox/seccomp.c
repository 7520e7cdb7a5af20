/*
 * seccomp.c - the system calls a partition may make once its entry point
 * runs.  This list is the whole kernel surface of a partition: its channel
 * (recvmsg/sendmsg), memory without PROT_EXEC (so no code can be added),
 * passed memfds (fstat, fcntl seals), time, futexes for libc's locks, and
 * getrandom.  Nothing opens a file, a socket or a process, and nothing names
 * a path or another process.  Any other call, or the x86-64 ABI's 32-bit
 * entry points, trap into the SIGSYS handler, which reports the call and
 * kills the process.
 *
 * Nothing here may tell a partition about something it does not own: the
 * arguments that could name another object are pinned (a clock of another
 * process, a signal to another process, an O_PATH descriptor).  Landlock
 * does not cover stat, and seccomp cannot read a path, so no stat call
 * takes one: glibc's fstat() is newfstatat(fd, "", buf, AT_EMPTY_PATH), and
 * AT_EMPTY_PATH does not stop a non-empty path from being looked up.
 * newfstatat fails with EACCES (libc's own fstat calls, such as stdio's
 * buffer sizing, then carry on); the raw fstat call, which takes only a
 * descriptor, is the partition's fstat.
 *
 * The storage profile adds the file calls of its one directory: openat
 * (but O_PATH, which Landlock does not check), unlinkat and renameat with
 * that directory's descriptor as the base (a path could still escape it:
 * the directory is the partition's root and Landlock keeps every access
 * beneath it), getdents64 and lseek to list it, fsync and fdatasync to make
 * writes durable.
 */
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sandbox.h"
#include "sandbox_int.h"

static const int allowed[] = {
    /* the channel and passed descriptors */
    SCMP_SYS(recvmsg),
    SCMP_SYS(sendmsg),
    SCMP_SYS(recvfrom),
    /* the direct path: one wait for the channel and each connection's doorbell */
    SCMP_SYS(epoll_wait),
    SCMP_SYS(epoll_pwait),
    SCMP_SYS(epoll_ctl),
    SCMP_SYS(sendto),
    SCMP_SYS(read),
    SCMP_SYS(write),
    SCMP_SYS(close),
    SCMP_SYS(fstat),
    SCMP_SYS(poll),
    SCMP_SYS(ppoll),
    /* memory (mmap and mprotect are below, without PROT_EXEC) */
    SCMP_SYS(munmap),
    SCMP_SYS(mremap),
    SCMP_SYS(madvise),
    SCMP_SYS(brk),
    /* threads of libc, time (clocks are below), randomness */
    SCMP_SYS(futex),
    SCMP_SYS(sched_yield),
    SCMP_SYS(gettimeofday),
    SCMP_SYS(nanosleep),
    SCMP_SYS(getrandom),
    /* signals to itself, and leaving */
    SCMP_SYS(rt_sigreturn),
    SCMP_SYS(rt_sigprocmask),
    SCMP_SYS(getpid),
    SCMP_SYS(gettid),
    SCMP_SYS(restart_syscall),
    SCMP_SYS(exit),
    SCMP_SYS(exit_group),
#if defined(__SANITIZE_ADDRESS__)
    /* AddressSanitizer's runtime, so `make asan` keeps the sandbox on */
    SCMP_SYS(sigaltstack),
#endif
};

/* The system-wide clocks (CLOCK_REALTIME 0 ... CLOCK_TAI 11), its own CPU
 * clocks (2, 3) among them.  A negative id names the CPU clock of any
 * process or thread by its pid, which the kernel reads, or sleeps on,
 * without a permission check; the unsigned 64-bit compare also refuses any
 * value whose low 32 bits are negative. */
#define LAST_CLOCK 11

/* The storage profile's calls, each pinned to the directory descriptor. */
static int allow_storage(scmp_filter_ctx ctx, int dir)
{
    static const int any_fd[] = {SCMP_SYS(getdents64), SCMP_SYS(lseek), SCMP_SYS(fsync),
                                 SCMP_SYS(fdatasync)};
    scmp_datum_t d = (scmp_datum_t)dir;
    size_t i;

    for (i = 0; i < sizeof(any_fd) / sizeof(any_fd[0]); i++)
        if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, any_fd[i], 0) < 0)
            return -1;
    /* O_PATH: Landlock does not check such an open, and fstat would read
     * what it names */
    if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(openat), 2, SCMP_A0(SCMP_CMP_EQ, d),
                         SCMP_A2(SCMP_CMP_MASKED_EQ, O_PATH, 0)) < 0 ||
        seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(unlinkat), 1, SCMP_A0(SCMP_CMP_EQ, d)) < 0 ||
        seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(renameat), 2, SCMP_A0(SCMP_CMP_EQ, d),
                         SCMP_A2(SCMP_CMP_EQ, d)) < 0 ||
        seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(renameat2), 2, SCMP_A0(SCMP_CMP_EQ, d),
                         SCMP_A2(SCMP_CMP_EQ, d)) < 0)
        return -1;
    return 0;
}

int sandbox_seccomp_load(int storage_fd)
{
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_TRAP);
    size_t i;
    int rc = -1;

    if (ctx == NULL)
        return -1;
    /* a foreign ABI (x32, i386 int 0x80) is killed outright */
    if (seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS) < 0)
        goto out;
    for (i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
        if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, allowed[i], 0) < 0)
            goto out;
    /* no executable memory: W^X holds for good */
    if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1,
                         SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0)) < 0 ||
        seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mprotect), 1,
                         SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0)) < 0)
        goto out;
    /* stat of a path: refused, not killed (see the top) */
    if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(newfstatat), 0) < 0)
        goto out;
    if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clock_gettime), 1,
                         SCMP_A0(SCMP_CMP_LE, LAST_CLOCK)) < 0 ||
        seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clock_nanosleep), 1,
                         SCMP_A0(SCMP_CMP_LE, LAST_CLOCK)) < 0)
        goto out;
#if defined(__SANITIZE_ADDRESS__)
    /* the sanitizer runtime: its own affinity (pid 0) */
    if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(sched_getaffinity), 1,
                         SCMP_A0(SCMP_CMP_EQ, 0)) < 0)
        goto out;
#endif
    /* signals only to itself (raise, abort) */
    if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(tgkill), 1,
                         SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)getpid())) < 0)
        goto out;
    /* the seals of a passed memfd, nothing else of fcntl */
    if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(fcntl), 1,
                         SCMP_A1(SCMP_CMP_EQ, F_GET_SEALS)) < 0)
        goto out;
    if (storage_fd >= 0 && allow_storage(ctx, storage_fd) < 0)
        goto out;
    rc = seccomp_load(ctx) < 0 ? -1 : 0;
out:
    seccomp_release(ctx);
    return rc;
}

const char *sandbox_syscall_name(int nr)
{
    static char name[64];
    char *s = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
    size_t i;

    if (s == NULL)
        return NULL;
    for (i = 0; s[i] != '\0' && i + 1 < sizeof(name); i++)
        name[i] = s[i];
    name[i] = '\0';
    free(s);
    return name;
}
