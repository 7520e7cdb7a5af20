/*
 * setup.c - the half of the sandbox that runs between fork and exec.
 *
 * The order matters: the nice value is set before the uid is dropped (root
 * may raise a partition's priority, nobody may not); the uid is dropped
 * before PR_SET_PDEATHSIG (a uid change clears it) and before the resource
 * limits (with RLIMIT_NPROC at 0, a later setuid would make execve fail).
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sandbox.h"

#define FAIL(name)                                                                                 \
    do {                                                                                           \
        *step = name;                                                                              \
        return -1;                                                                                 \
    } while (0)

static int set_limit(int resource, rlim_t v)
{
    struct rlimit r = {v, v};

    return setrlimit(resource, &r);
}

int sandbox_setup(const struct sandbox_setup_conf *c, const char **step)
{
    int null, crash = -1, tpm = -1;

    /* 1. its own session: no controlling terminal, no signals from ours */
    if (setsid() < 0)
        FAIL("setsid");

    /* 2. stdin, stdout and stderr from /dev/null, the channel at fd 3 (the
     *    crash socket first out of the way of the dup2s to 3, 4, 5) */
    null = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null < 0)
        FAIL("open /dev/null");
    if (c->crash_fd > 0 && (crash = fcntl(c->crash_fd, F_DUPFD_CLOEXEC, SANDBOX_TPM_FD + 1)) < 0)
        FAIL("dup crash socket");
    if (c->tpm_fd >= 0 && (tpm = fcntl(c->tpm_fd, F_DUPFD_CLOEXEC, SANDBOX_TPM_FD + 1)) < 0)
        FAIL("dup tpm");
    if (c->channel != SANDBOX_CHANNEL_FD) {
        if (dup2(c->channel, SANDBOX_CHANNEL_FD) < 0)
            FAIL("dup2 channel");
    } else if (fcntl(SANDBOX_CHANNEL_FD, F_SETFD, 0) < 0) {
        FAIL("fcntl channel");
    }
    if (dup2(null, 0) < 0 || dup2(null, 1) < 0 || (!c->keep_stderr && dup2(null, 2) < 0))
        FAIL("dup2 /dev/null");
    if (c->exec_fd >= 0 && c->exec_fd != SANDBOX_EXEC_FD &&
        dup3(c->exec_fd, SANDBOX_EXEC_FD, O_CLOEXEC) < 0)
        FAIL("dup3 executable");
    /* the storage profile's directory survives exec at fd 5 */
    if (c->storage_fd >= 0 && c->storage_fd != SANDBOX_STORAGE_FD &&
        dup2(c->storage_fd, SANDBOX_STORAGE_FD) < 0)
        FAIL("dup2 storage directory");
    if (c->storage_fd == SANDBOX_STORAGE_FD && fcntl(SANDBOX_STORAGE_FD, F_SETFD, 0) < 0)
        FAIL("fcntl storage directory");
    /* the crash socket at fd 6, the TPM's channel at fd 7 (both moved above
     * 7 first), the holes below them closed */
    if (crash >= 0) {
        if (dup2(crash, SANDBOX_CRASH_FD) < 0)
            FAIL("dup2 crash socket");
        if (c->storage_fd < 0)
            close(SANDBOX_STORAGE_FD);
    }
    if (tpm >= 0) {
        if (dup2(tpm, SANDBOX_TPM_FD) < 0)
            FAIL("dup2 tpm");
        if (crash < 0)
            close(SANDBOX_CRASH_FD);
        if (c->storage_fd < 0)
            close(SANDBOX_STORAGE_FD);
    }

    /* 3. close every other descriptor */
    int first = tpm >= 0             ? SANDBOX_TPM_FD + 1
                : crash >= 0         ? SANDBOX_CRASH_FD + 1
                : c->storage_fd >= 0 ? SANDBOX_STORAGE_FD + 1
                : c->exec_fd >= 0    ? SANDBOX_EXEC_FD + 1
                                     : SANDBOX_CHANNEL_FD + 1;

    if (syscall(SYS_close_range, first, ~0u, 0) < 0) {
        long fd, max = sysconf(_SC_OPEN_MAX);

        for (fd = first; fd < max; fd++)
            close((int)fd);
    }

    /* 4. the manifest's priority; without the privilege to raise it, the
     *    SPM's own, which the SPM reports (not a confinement: no failure) */
    if (c->set_nice && setpriority(PRIO_PROCESS, 0, c->nice) < 0 && errno != EACCES &&
        errno != EPERM)
        FAIL("setpriority");

    /* 5. an unprivileged identity when the SPM runs as root */
    if (c->drop_uid) {
        if (setgroups(0, NULL) < 0)
            FAIL("setgroups");
        if (setresgid(c->gid, c->gid, c->gid) < 0)
            FAIL("setresgid");
        if (setresuid(c->uid, c->uid, c->uid) < 0)
            FAIL("setresuid");
    }

    /* 6. resource limits: no core, no file writes (the storage profile: files
     *    of a bounded size), no new processes, the manifest's stack, few
     *    descriptors (room for Landlock's ruleset and passed memfds), and a
     *    bounded address space (the caller's sum of what the process maps) */
    if (set_limit(RLIMIT_CORE, (rlim_t)c->core_limit) < 0)
        FAIL("RLIMIT_CORE");
    /* (a core dump is bounded by RLIMIT_FSIZE too) */
    if (set_limit(RLIMIT_FSIZE, c->keep_stderr       ? RLIM_INFINITY /* stderr may be a file */
                                : c->storage_fd >= 0 ? (rlim_t)c->fsize_limit
                                                     : (rlim_t)c->core_limit) < 0)
        FAIL("RLIMIT_FSIZE");
    if (set_limit(RLIMIT_NPROC, 0) < 0)
        FAIL("RLIMIT_NPROC");
    if (set_limit(RLIMIT_STACK, (rlim_t)c->stack_limit) < 0)
        FAIL("RLIMIT_STACK");
    /* its own few, and the doorbells of its direct connections as a client
     * (SPM_DIRECT_PART_CONNS) */
    if (set_limit(RLIMIT_NOFILE, 96) < 0)
        FAIL("RLIMIT_NOFILE");
    if (SANDBOX_AS_BOUNDED && c->as_limit > 0 && set_limit(RLIMIT_AS, (rlim_t)c->as_limit) < 0)
        FAIL("RLIMIT_AS");

    /* 7. die with the SPM; if it is already gone, do not start */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
        FAIL("PR_SET_PDEATHSIG");
    if (getppid() != c->parent) {
        errno = ESRCH;
        FAIL("parent check");
    }
    return 0;
}
