/*
 * tpm.c - the board's TPM 2.0 (docs/hrot.md).  The monitor opens it for the
 * one partition whose manifest sets partix_tpm and nobody else: spm_spawn()
 * asks for it last and the partition finds it at SANDBOX_TPM_FD.  What the
 * platform description's "tpm" says it is:
 *
 *   swtpm (or nothing)  a TPM simulator started for each start of that
 *                       partition: "swtpm chardev --tpm2 --fd 3" on one end
 *                       of a SOCK_SEQPACKET pair (one command or response a
 *                       datagram, as a TPM character device reads and
 *                       writes), its state in <state-dir>/tpm/; the
 *                       partition gets the other end.  A new partition
 *                       process gets a new simulator on the same state, so
 *                       half a command of the one before never reaches it;
 *                       the simulator ends when the partition's end closes.
 *   /dev/...            the host's TPM (the kernel's resource manager,
 *                       /dev/tpmrm0), opened read-write (not tested here);
 *   none                no TPM: the partition starts without one.
 *
 * When psa-spm runs as root the simulator runs as the partition's own uid,
 * with its PR_SET_PDEATHSIG: it ends with the monitor.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "partix/tpm.h"
#include "paths.h"
#include "sandbox.h"
#include "spm.h"

_Static_assert(SANDBOX_TPM_FD == PARTIX_TPM_FD,
               "the partition finds the TPM where the sandbox puts it");

#define SWTPM_STOP_MS 2000 /* the simulator's time to end before SIGKILL */

static struct {
    pid_t pid; /* the running simulator, 0: none */
} tpm;

static const char *tpm_kind(void)
{
    return spm.plat != NULL && spm.plat->tpm != NULL ? spm.plat->tpm : "swtpm";
}

/* The simulator's path from $PATH, as execvp() would find it. */
static int find_swtpm(char *out, size_t size)
{
    const char *path = getenv("PATH");
    char dirs[PATH_MAX], *save = NULL, *d;

    snprintf(dirs, sizeof(dirs), "%s", path ? path : "/usr/local/bin:/usr/bin:/bin");
    for (d = strtok_r(dirs, ":", &save); d != NULL; d = strtok_r(NULL, ":", &save))
        if ((size_t)snprintf(out, size, "%s/swtpm", d) < size && access(out, X_OK) == 0)
            return 0;
    return -1;
}

/* Ends the simulator a previous partition process used, and waits for it:
 * its state directory is locked while it runs. */
static void stop_swtpm(void)
{
    int waited = 0, status;
    pid_t r;

    if (tpm.pid <= 0)
        return;
    kill(tpm.pid, SIGTERM);
    while ((r = waitpid(tpm.pid, &status, WNOHANG)) == 0 && waited < SWTPM_STOP_MS) {
        struct timespec ts = {0, 10 * 1000 * 1000};

        nanosleep(&ts, NULL);
        waited += 10;
    }
    if (r == 0) {
        kill(tpm.pid, SIGKILL);
        r = waitpid(tpm.pid, &status, 0);
    }
    (void)r; /* ECHILD: the monitor reaped it first */
    tpm.pid = 0;
}

/* In the child: the simulator on fd 3, its state directory open at fd 4
 * (named through /proc/self/fd: the uid it runs as may not search the
 * state directory's parents), as @p uid when psa-spm is root. */
static void __attribute__((noreturn))
exec_swtpm(const char *exe, int dir, int fd, uid_t uid, gid_t gid, pid_t parent)
{
    char state[PATH_MAX + 16], pidf[PATH_MAX + 32];
    char *argv[] = {"swtpm",         "chardev",    "--tpm2", "--fd",  "3",  "--flags",
                    "not-need-init", "--tpmstate", state,    "--pid", pidf, NULL};
    sigset_t none;
    int null;

    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    snprintf(state, sizeof(state), "dir=/proc/self/fd/4");
    snprintf(pidf, sizeof(pidf), "file=/proc/self/fd/4/swtpm.pid");
    null = open("/dev/null", O_RDWR);
    /* moved up first, so that neither lands on the other's new number */
    fd = fcntl(fd, F_DUPFD, 10);
    dir = fcntl(dir, F_DUPFD, 10);
    if (fd < 0 || dir < 0 || dup2(fd, 3) < 0 || dup2(dir, 4) < 0)
        _exit(126);
    if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0)
        _exit(126);
    /* stderr stays psa-spm's log: the simulator's own complaints */
    syscall(SYS_close_range, 5, ~0u, 0);
    setsid();
    if (spm.drop_uid &&
        (setgroups(0, NULL) < 0 || setresgid(gid, gid, gid) < 0 || setresuid(uid, uid, uid) < 0))
        _exit(126);
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
        _exit(126);
    execv(exe, argv);
    _exit(127);
}

/* The simulator's state directory, made for @p uid. */
static int state_dir(char *dir, size_t size, uid_t uid, gid_t gid, char *why, size_t wsize)
{
    struct stat st;

    if (spm.state_dir[0] == '\0') {
        snprintf(why, wsize,
                 "the TPM simulator keeps its state in the state directory "
                 "(--state-dir)");
        return -1;
    }
    if ((size_t)snprintf(dir, size, "%s/tpm", spm.state_dir) >= size) {
        snprintf(why, wsize, "tpm state directory: path too long");
        return -1;
    }
    if (partix_mkdir_p(dir, 0700) < 0 || lstat(dir, &st) < 0 ||
        (!S_ISDIR(st.st_mode) && (errno = ENOTDIR))) {
        snprintf(why, wsize, "tpm state directory %s: %s", dir, strerror(errno));
        return -1;
    }
    if (spm.drop_uid && (st.st_uid != uid || st.st_gid != gid)) {
        char f[PATH_MAX + 16];
        static const char *const files[] = {"tpm2-00.permall", "tpm2-00.volatilestate", "swtpm.pid",
                                            ".lock"};
        size_t i;

        /* the simulator's own files follow the partition's uid */
        for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
            snprintf(f, sizeof(f), "%s/%s", dir, files[i]);
            if (lchown(f, uid, gid) < 0 && errno != ENOENT)
                break;
        }
        if (chown(dir, uid, gid) < 0) {
            snprintf(why, wsize, "tpm state directory %s: %s", dir, strerror(errno));
            return -1;
        }
    }
    chmod(dir, 0700);
    return 0;
}

int spm_tpm_open(const struct mf_partition *mf, uid_t uid, gid_t gid, char *why, size_t size)
{
    const char *kind = tpm_kind();
    char exe[PATH_MAX], dir[PATH_MAX];
    pid_t self = getpid(), pid;
    int sv[2], fd, dfd;

    if (strcmp(kind, "none") == 0) {
        spm_log(SPM_INFO, "partition %s: the board has no TPM (platform: tpm: none)", mf->name);
        return -1;
    }
    if (kind[0] == '/') {
        fd = open(kind, O_RDWR | O_CLOEXEC | O_NOCTTY);
        if (fd < 0) {
            snprintf(why, size, "TPM device %s: %s", kind, strerror(errno));
            return -2;
        }
        spm_log(SPM_INFO, "partition %s: the host's TPM %s", mf->name, kind);
        return fd;
    }
    stop_swtpm();
    if (find_swtpm(exe, sizeof(exe)) < 0) {
        /* the partition starts and reports its device absent */
        spm_log(SPM_WARN,
                "partition %s: no swtpm in PATH: the board has no TPM (install the Debian "
                "package swtpm: sh mk/deps.sh, as root)",
                mf->name);
        return -1;
    }
    if (state_dir(dir, sizeof(dir), uid, gid, why, size) < 0)
        return -2;
    dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dfd < 0) {
        snprintf(why, size, "tpm state directory %s: %s", dir, strerror(errno));
        return -2;
    }
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
        snprintf(why, size, "tpm socketpair: %s", strerror(errno));
        close(dfd);
        return -2;
    }
    pid = fork();
    if (pid < 0) {
        snprintf(why, size, "tpm fork: %s", strerror(errno));
        close(sv[0]);
        close(sv[1]);
        close(dfd);
        return -2;
    }
    if (pid == 0)
        exec_swtpm(exe, dfd, sv[1], uid, gid, self);
    close(sv[1]);
    close(dfd);
    tpm.pid = pid;
    spm_log(SPM_INFO, "partition %s: TPM swtpm (pid %d), state in %s", mf->name, (int)pid, dir);
    return sv[0];
}

bool spm_tpm_reaped(pid_t pid, int status)
{
    if (tpm.pid <= 0 || pid != tpm.pid)
        return false;
    tpm.pid = 0;
    if (WIFSIGNALED(status))
        spm_log(SPM_INFO, "TPM swtpm (pid %d) ended: signal %s", (int)pid,
                strsignal(WTERMSIG(status)));
    else
        spm_log(SPM_INFO, "TPM swtpm (pid %d) ended: status %d", (int)pid, WEXITSTATUS(status));
    return true;
}

void spm_tpm_stop(void)
{
    stop_swtpm();
}
