/*
 * enter.c - the half of the sandbox a partition applies to itself after
 * exec, before its entry point: no dumps, no new privileges, the storage
 * directory as root, Landlock, and the seccomp allowlist, in that order.
 */
#include <errno.h>
#include <linux/landlock.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sandbox.h"
#include "sandbox_int.h"

#define FAIL(name)                                                                                 \
    do {                                                                                           \
        *step = name;                                                                              \
        return -1;                                                                                 \
    } while (0)

/* Rights newer than Debian 12's <linux/landlock.h>. */
#define LL_FS_REFER (1ull << 13)     /* ABI 2 */
#define LL_FS_TRUNCATE (1ull << 14)  /* ABI 3 */
#define LL_FS_IOCTL_DEV (1ull << 15) /* ABI 5 */
#define LL_NET_BIND_TCP (1ull << 0)  /* ABI 4 */
#define LL_NET_CONNECT_TCP (1ull << 1)
#define LL_SCOPE_ABSTRACT_UNIX (1ull << 0) /* ABI 6 */
#define LL_SCOPE_SIGNAL (1ull << 1)

struct ll_ruleset_attr {
    uint64_t handled_access_fs;
    uint64_t handled_access_net;
    uint64_t scoped;
};

/* What the storage profile may do beneath its directory: regular files
 * only (no directories, links, devices, sockets or fifos). */
#define LL_STORAGE_RIGHTS                                                                          \
    (LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_READ_DIR |  \
     LANDLOCK_ACCESS_FS_REMOVE_FILE | LANDLOCK_ACCESS_FS_MAKE_REG)

static int core_dir = -1; /* sandbox_allow_core() */

void sandbox_allow_core(int dirfd)
{
    core_dir = dirfd;
}

/*
 * Handles every right the running kernel knows and grants none: no file,
 * no TCP, no abstract sockets or signals outside the partition.  A kernel
 * without Landlock leaves the job to seccomp, which allows no open() at all.
 * The storage profile (@p storage_fd >= 0) gets LL_STORAGE_RIGHTS beneath
 * its directory, and needs Landlock: without it, nothing would keep a path
 * such as "../x" or "/etc/x" inside the directory.
 */
static int landlock_restrict(int storage_fd, int *abi_out, const char **step)
{
    struct ll_ruleset_attr attr = {0};
    size_t size = sizeof(uint64_t);
    long abi, fd;

    abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
    if (abi < 0) {
        if ((errno == ENOSYS || errno == EOPNOTSUPP) && storage_fd < 0) {
            *abi_out = 0;
            return 0;
        }
        FAIL("landlock ABI");
    }
    *abi_out = (int)abi;
    attr.handled_access_fs = (1ull << 13) - 1;
    if (abi >= 2)
        attr.handled_access_fs |= LL_FS_REFER;
    if (abi >= 3)
        attr.handled_access_fs |= LL_FS_TRUNCATE;
    if (abi >= 5)
        attr.handled_access_fs |= LL_FS_IOCTL_DEV;
    if (abi >= 4) {
        attr.handled_access_net = LL_NET_BIND_TCP | LL_NET_CONNECT_TCP;
        size = 2 * sizeof(uint64_t);
    }
    if (abi >= 6) {
        attr.scoped = LL_SCOPE_ABSTRACT_UNIX | LL_SCOPE_SIGNAL;
        size = 3 * sizeof(uint64_t);
    }
    fd = syscall(SYS_landlock_create_ruleset, &attr, size, 0);
    if (fd < 0)
        FAIL("landlock_create_ruleset");
    if (core_dir >= 0) {
        struct landlock_path_beneath_attr core = {
            .allowed_access = LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_WRITE_FILE |
                              (abi >= 3 ? LL_FS_TRUNCATE : 0),
            .parent_fd = core_dir,
        };

        if (syscall(SYS_landlock_add_rule, fd, LANDLOCK_RULE_PATH_BENEATH, &core, 0) < 0) {
            close((int)fd);
            FAIL("landlock_add_rule core directory");
        }
    }
    if (storage_fd >= 0) {
        struct landlock_path_beneath_attr beneath = {
            .allowed_access = LL_STORAGE_RIGHTS | (abi >= 3 ? LL_FS_TRUNCATE : 0),
            .parent_fd = storage_fd,
        };

        if (syscall(SYS_landlock_add_rule, fd, LANDLOCK_RULE_PATH_BENEATH, &beneath, 0) < 0) {
            close((int)fd);
            FAIL("landlock_add_rule storage directory");
        }
    }
    if (syscall(SYS_landlock_restrict_self, fd, 0) < 0) {
        close((int)fd);
        FAIL("landlock_restrict_self");
    }
    close((int)fd);
    return 0;
}

/*
 * The storage profile's directory becomes the process's root.  Landlock
 * refuses every access outside it but not the path walk: "/etc/shadow" or
 * "../x" would fail with EACCES where they exist and ENOENT where they do
 * not.  With the directory as root, "/" and ".." end at it, and every path
 * names a file of its own.  chroot needs CAP_SYS_CHROOT, which a new user
 * namespace gives over itself only (no uid map: files are still created
 * as the partition user, and nothing else changes outside).
 */
static int root_in_storage(int storage_fd, const char **step)
{
    if (unshare(CLONE_NEWUSER) < 0)
        FAIL("unshare CLONE_NEWUSER");
    if (fchdir(storage_fd) < 0)
        FAIL("fchdir storage directory");
    if (chroot(".") < 0)
        FAIL("chroot storage directory");
    return 0;
}

static sandbox_violation_fn violation_report;

/*
 * A forbidden system call lands here (SECCOMP_RET_TRAP).  The handler was
 * installed with SA_RESETHAND | SA_NODEFER: it reports the call, then raises
 * SIGSYS again, which now has its default action and ends the process.  A
 * partition cannot install its own handler (rt_sigaction is not allowed),
 * and blocking SIGSYS does not help: the kernel forces it.
 */
static void on_sigsys(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    if (violation_report != NULL)
        violation_report(si->si_syscall, si->si_arch);
    raise(sig);
    _exit(128 + sig); /* not reached */
}

int sandbox_enter(unsigned layers, int storage_fd, sandbox_violation_fn report, int *landlock_abi,
                  const char **step)
{
    *landlock_abi = -1;
    if ((layers & SANDBOX_DUMPABLE) && prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
        FAIL("PR_SET_DUMPABLE");
    if ((layers & SANDBOX_NNP) && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
        FAIL("PR_SET_NO_NEW_PRIVS");
    if ((layers & SANDBOX_ROOT) && storage_fd >= 0 && root_in_storage(storage_fd, step) < 0)
        return -1;
    if ((layers & SANDBOX_LANDLOCK) && landlock_restrict(storage_fd, landlock_abi, step) < 0)
        return -1;
    if (core_dir >= 0) { /* the rule holds it: no descriptor left for the partition */
        close(core_dir);
        core_dir = -1;
    }
    if (layers & SANDBOX_SECCOMP) {
        struct sigaction sa;

        memset(&sa, 0, sizeof(sa));
        sa.sa_sigaction = on_sigsys;
        sa.sa_flags = SA_SIGINFO | SA_RESETHAND | SA_NODEFER;
        violation_report = report;
        if (sigaction(SIGSYS, &sa, NULL) < 0)
            FAIL("sigaction SIGSYS");
        if (sandbox_seccomp_load(storage_fd) < 0)
            FAIL("seccomp");
    }
    return 0;
}
