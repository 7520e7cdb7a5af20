/*
 * debug.c - psa-spm --debug-partition NAME[:MODE]: one partition run for a
 * debugger, its sandbox relaxed only as far as the tool needs, and said so
 * loudly (docs/debugging.md).
 *
 *   gdb       the partition stays dumpable, so its own user may attach
 *             (gdb -p PID, gdbserver --attach): the one layer ptrace needs.
 *             Seccomp, Landlock, no new privileges, its uid and its limits
 *             stay.  A debugger outside the sandbox is not bound by it.
 *   gdb-wait  as gdb, and the partition waits just before its entry point
 *             until the debugger sets partix_debug_hold to 0 (runtime/debug.c).
 *   valgrind  the partition runs under valgrind (its log on psa-spm's
 *             stderr): valgrind's translated code needs executable memory,
 *             its own signal handling and files, so seccomp and Landlock are
 *             off, and so is the address-space bound.
 *
 * In every mode the call watchdog (--call-timeout) is off for the whole
 * system: a partition stopped at a breakpoint, or slowed fifty times by
 * valgrind, is not hung.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "paths.h"
#include "spm.h"

static struct {
    char core_dir[PATH_MAX]; /* --core-dir, absolute, or "" */
    char name[128];
    enum spm_debug_mode mode;
    const struct mf_partition *part;
    char valgrind[PATH_MAX];
} dbg;

static const char *const mode_names[] = {
    [SPM_DEBUG_NONE] = "",
    [SPM_DEBUG_GDB] = "gdb",
    [SPM_DEBUG_GDB_WAIT] = "gdb-wait",
    [SPM_DEBUG_VALGRIND] = "valgrind",
};

const char *spm_debug_mode_name(enum spm_debug_mode mode)
{
    return mode <= SPM_DEBUG_VALGRIND ? mode_names[mode] : "";
}

int spm_debug_option(const char *arg)
{
    const char *colon = strchr(arg, ':');
    size_t n = colon != NULL ? (size_t)(colon - arg) : strlen(arg);
    int m;

    if (dbg.name[0] != '\0') {
        fputs("psa-spm: --debug-partition is given once: one partition is debugged\n", stderr);
        return -1;
    }
    if (n == 0 || n >= sizeof(dbg.name)) {
        fprintf(stderr, "psa-spm: --debug-partition needs a partition name, not '%s'\n", arg);
        return -1;
    }
    memcpy(dbg.name, arg, n);
    dbg.name[n] = '\0';
    dbg.mode = SPM_DEBUG_GDB;
    if (colon == NULL)
        return 0;
    for (m = SPM_DEBUG_GDB; m <= SPM_DEBUG_VALGRIND; m++) {
        if (strcmp(colon + 1, mode_names[m]) == 0) {
            dbg.mode = (enum spm_debug_mode)m;
            return 0;
        }
    }
    fprintf(stderr,
            "psa-spm: --debug-partition NAME:MODE takes gdb, gdb-wait or valgrind, not '%s'\n",
            colon + 1);
    return -1;
}

/* valgrind on $PATH, as the monitor will exec it. */
static int find_valgrind(void)
{
    const char *path = getenv("PATH");
    char dir[PATH_MAX];

    if (path == NULL || path[0] == '\0')
        path = "/usr/bin:/bin";
    while (*path != '\0') {
        size_t n = strcspn(path, ":");

        if (n > 0 && n < sizeof(dir)) {
            memcpy(dir, path, n);
            dir[n] = '\0';
            if ((size_t)snprintf(dbg.valgrind, sizeof(dbg.valgrind), "%s/valgrind", dir) <
                    sizeof(dbg.valgrind) &&
                access(dbg.valgrind, X_OK) == 0)
                return 0;
        }
        path += n + (path[n] == ':');
    }
    return -1;
}

int spm_debug_resolve(const struct mf_system *sys, long *call_timeout_ms)
{
    size_t i;

    if (dbg.name[0] == '\0')
        return 0;
    for (i = 0; i < sys->n_partitions; i++)
        if (strcmp(sys->partitions[i].name, dbg.name) == 0)
            dbg.part = &sys->partitions[i];
    if (dbg.part == NULL) {
        fprintf(stderr, "psa-spm: --debug-partition: no partition named %s in the manifests\n",
                dbg.name);
        return -1;
    }
    if (dbg.mode == SPM_DEBUG_VALGRIND && find_valgrind() < 0) {
        fputs("psa-spm: --debug-partition ...:valgrind: no valgrind on $PATH (apt-get install "
              "valgrind)\n",
              stderr);
        return -1;
    }
    spm_log(SPM_WARN,
            "DEBUGGING: partition %s runs for %s with its sandbox relaxed (%s); "
            "not for production",
            dbg.name, mode_names[dbg.mode],
            dbg.mode == SPM_DEBUG_VALGRIND
                ? "no seccomp allowlist, no Landlock, no address-space bound"
                : "it is dumpable: its own user may ptrace it");
    if (*call_timeout_ms > 0)
        spm_log(SPM_WARN,
                "DEBUGGING: the call watchdog (--call-timeout %ld s) is off: a partition stopped "
                "in a debugger is not hung",
                *call_timeout_ms / 1000);
    *call_timeout_ms = 0;
    return 0;
}

enum spm_debug_mode spm_debug_mode_of(const struct mf_partition *mf)
{
    return mf == dbg.part ? dbg.mode : SPM_DEBUG_NONE;
}

const char *spm_debug_valgrind(void)
{
    return dbg.valgrind;
}

/* ---- core dumps (--core-dir) ---- */

int spm_core_dir_option(const char *arg)
{
    char abs[PATH_MAX];

    if (partix_mkdir_p(arg, 0700) < 0 || realpath(arg, abs) == NULL) {
        fprintf(stderr, "psa-spm: --core-dir %s: %s\n", arg, strerror(errno));
        return -1;
    }
    snprintf(dbg.core_dir, sizeof(dbg.core_dir), "%s", abs);
    return 0;
}

const char *spm_core_dir(void)
{
    return dbg.core_dir[0] != '\0' ? dbg.core_dir : NULL;
}

void spm_core_dir_prepare(void)
{
    if (dbg.core_dir[0] != '\0')
        spm_log(SPM_WARN,
                "DEBUGGING: --core-dir %s: every partition stays dumpable (its own user may "
                "ptrace it) and a crash's core dump, with the partition's memory, lands there",
                dbg.core_dir);
    /* partitions run as uids of their own, all of one group: the kernel
     * writes a core as the dumping process */
    if (dbg.core_dir[0] != '\0' && spm.drop_uid &&
        (chown(dbg.core_dir, 0, spm.ids.part_gid) < 0 || chmod(dbg.core_dir, 0770) < 0))
        spm_log(SPM_WARN, "--core-dir %s: %s: partitions cannot dump core there", dbg.core_dir,
                strerror(errno));
}

/* Moves @p from to @p to; 0, or -1. */
static int take_core(const char *from, const char *to)
{
    struct stat st;

    if (lstat(from, &st) < 0 || !S_ISREG(st.st_mode))
        return -1;
    return rename(from, to);
}

void spm_core_collect(const struct mf_partition *mf, pid_t pid, int status)
{
    char to[PATH_MAX + 160], from[PATH_MAX + 160], pattern[256] = "";
    const char *dirs[2] = {dbg.core_dir, NULL};
    char storage[PATH_MAX + 130];
    int fd;
    ssize_t n;

    if (dbg.core_dir[0] == '\0' || !WIFSIGNALED(status))
        return;
    if (!WCOREDUMP(status)) {
        spm_log(SPM_WARN, "partition %s (pid %d): no core dump (killed by %s)", mf->name, (int)pid,
                strsignal(WTERMSIG(status)));
        return;
    }
    /* a storage partition's working directory is its own directory */
    if (mf->storage && spm.state_dir[0] != '\0' &&
        (size_t)snprintf(storage, sizeof(storage), "%s/%s", spm.state_dir, mf->name) <
            sizeof(storage))
        dirs[1] = storage;
    snprintf(to, sizeof(to), "%s/%s-%d.core", dbg.core_dir, mf->name, (int)pid);
    for (int i = 0; i < 2 && dirs[i] != NULL; i++) {
        snprintf(from, sizeof(from), "%s/core.%d", dirs[i], (int)pid);
        if (take_core(from, to) == 0)
            goto found;
        snprintf(from, sizeof(from), "%s/core", dirs[i]);
        if (take_core(from, to) == 0)
            goto found;
    }
    fd = open("/proc/sys/kernel/core_pattern", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        n = read(fd, pattern, sizeof(pattern) - 1);
        pattern[n > 0 ? n : 0] = '\0';
        pattern[strcspn(pattern, "\n")] = '\0';
        close(fd);
    }
    spm_log(SPM_WARN,
            "partition %s (pid %d) dumped core, not into %s: the kernel's core_pattern is '%s'%s",
            mf->name, (int)pid, dbg.core_dir, pattern,
            pattern[0] == '|' ? " (a program: see its own tool, e.g. coredumpctl)" : "");
    return;
found:
    spm_log(SPM_ERROR, "partition %s (pid %d) core dump: %s (gdb %s/%s %s)", mf->name, (int)pid, to,
            spm.partition_dir, mf->basename, to);
}
