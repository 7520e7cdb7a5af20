/*
 * spawn.c - a partition's process: fork, sandbox_setup() in the child (its
 * descriptors, identity -- a uid of its own when psa-spm runs as root
 * (ids.c) --, limits, parent death: src/sandbox), then execveat
 * of its own executable, so it holds no memory of the SPM or of another
 * partition.  The partition enters the rest of its sandbox itself, before
 * its entry point (sandbox_enter()).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "paths.h"
#include "sandbox.h"
#include "spm.h"

#define STACK_SCALE 64              /* 64-bit code and glibc need far more than an M33 */
#define STACK_FLOOR (1024u * 1024u) /* the dynamic loader's own needs */
#define STORAGE_FSIZE (16u << 20)   /* RLIMIT_FSIZE of the storage profile: one file's bound */
#define CORE_LIMIT (4ull << 30)     /* RLIMIT_CORE (and FSIZE) with --core-dir */

/* RLIMIT_AS (docs/architecture.md, "Identities and bounds"): what the
 * runtime maps whatever the manifest says -- the dynamic loader, libc,
 * libseccomp, the executable, the runtime's buffers; a shipped partition
 * peaks at 2.7-3.5 MiB (VmPeak) -- with a wide margin ... */
#define AS_RUNTIME (32ull << 20)
/* ... the entry point's stack (runtime/stack.c: stack_size times 4, at
 * least 16 KiB, and a guard page) ... */
#define AS_ENTRY_STACK(ss) ((ss)*4u + (16u << 10) + 4096u)
/* ... the heap twice over (the allocator's headers, its free lists) ... */
#define AS_HEAP(hs) ((hs)*2u)
/* ... and two vector memfds at their largest: a message it serves, a call
 * it makes. */
#define AS_PAYLOADS (2ull * WIRE_MAX_PAYLOAD)

/* In the child: report why it could not start on the channel (as the
 * partition's panic, which the SPM logs with its exit), then exit. */
static void __attribute__((noreturn)) child_fail(int chan, const char *what, int err)
{
    struct wire_msg m;
    struct wire_frame f;

    memset(&m, 0, sizeof(m));
    m.type = WIRE_P_PANIC;
    snprintf(m.u.text.text, sizeof(m.u.text.text), "could not start: %s: %s", what, strerror(err));
    if (wire_encode(&f, &m) == 0 && wire_send(SANDBOX_CHANNEL_FD, &f, -1) < 0)
        (void)wire_send(chan, &f, -1);
    _exit(127);
}

/* The uid partition @p mf runs as when psa-spm runs as root: its index
 * in the system names it (ids.c). */
static uid_t part_uid(const struct mf_partition *mf)
{
    return spm.drop_uid ? spm.ids.part_uid[mf - spm.sys->partitions] : getuid();
}

/*
 * The address space partition @p mf may map: AS_RUNTIME, its RLIMIT_STACK
 * (the stack the loader runs on), AS_ENTRY_STACK and AS_HEAP of its
 * manifest, the pages of its MMIO regions, AS_PAYLOADS.
 */
static uint64_t as_limit(const struct mf_partition *mf, uint64_t stack_limit)
{
    uint64_t n = AS_RUNTIME + stack_limit + AS_ENTRY_STACK(mf->stack_size) +
                 AS_HEAP(mf->heap_size) + AS_PAYLOADS;
    size_t k;

    for (k = 0; k < mf->n_mmio; k++) {
        const struct mf_mmio *r = &mf->mmio[k];
        uint64_t size = r->size;

        if (r->region >= 0 && spm.plat != NULL && (size_t)r->region < spm.plat->n_regions)
            size = spm.plat->regions[r->region].size;
        n += size + 2 * 4096u; /* mapped from a page's start to a page's end */
    }
    return n;
}

/*
 * Takes a storage directory over for @p uid when another uid owns it (from
 * an older psa-spm that ran partitions as nobody, or gave this partition
 * another place in the manifest list): the directory, and the regular files
 * in it that its old owner owned.  Never a link: each file is opened
 * O_PATH | O_NOFOLLOW and changed through that descriptor, and one with
 * other names (st_nlink > 1) is left alone, as is anything the partition
 * could not have made (Landlock lets it make regular files only).
 */
static int take_over(int dfd, const struct stat *st, uid_t uid, gid_t gid)
{
    struct dirent *e;
    DIR *d;
    int fd, dup_fd = fcntl(dfd, F_DUPFD_CLOEXEC, 0);

    if (dup_fd < 0 || (d = fdopendir(dup_fd)) == NULL) {
        if (dup_fd >= 0)
            close(dup_fd);
        return -1;
    }
    while ((e = readdir(d)) != NULL) {
        struct stat fs;

        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        fd = openat(dfd, e->d_name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
            continue;
        if (fstat(fd, &fs) == 0 && S_ISREG(fs.st_mode) && fs.st_nlink == 1 &&
            fs.st_uid == st->st_uid && fchownat(fd, "", uid, gid, AT_EMPTY_PATH) < 0) {
            close(fd);
            closedir(d);
            return -1;
        }
        close(fd);
    }
    closedir(d);
    return fchown(dfd, uid, gid);
}

/*
 * The storage profile: <state-dir>/<partition name>/, mode 0700, owned by
 * the partition's user, opened for reading (so the partition can list and
 * fsync it).  Opened after the channel and the executable, so its number is
 * above theirs and sandbox_setup()'s dup2 to fds 3, 4, 5 clobbers nothing.
 */
static int open_storage(const struct mf_partition *mf, char *why, size_t size)
{
    char path[PATH_MAX];
    struct stat st;
    uid_t uid = part_uid(mf);
    gid_t gid = spm.ids.part_gid;
    int fd;

    if (spm.state_dir[0] == '\0') {
        snprintf(why, size, "its storage needs a state directory (--state-dir)");
        return -1;
    }
    if ((size_t)snprintf(path, sizeof(path), "%s/%s", spm.state_dir, mf->name) >= sizeof(path)) {
        snprintf(why, size, "storage directory: path too long");
        return -1;
    }
    if (partix_mkdir_p(path, 0700) < 0) {
        snprintf(why, size, "storage directory %s: %s", path, strerror(errno));
        return -1;
    }
    fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) < 0 ||
        (spm.drop_uid && (st.st_uid != uid || st.st_gid != gid) &&
         take_over(fd, &st, uid, gid) < 0) ||
        fchmod(fd, 0700) < 0) {
        snprintf(why, size, "storage directory %s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    if (spm.drop_uid && st.st_uid != uid)
        spm_log(SPM_INFO, "partition %s: storage directory %s taken over from uid %u for uid %u",
                mf->name, path, (unsigned)st.st_uid, (unsigned)uid);
    return fd;
}

/* The partition under valgrind (--debug-partition NAME:valgrind): its
 * report on stderr, which stays psa-spm's (the log). */
static void exec_valgrind(const char *exe_path, char **envp)
{
    char *argv[] = {"valgrind", "--log-fd=2", (char *)(uintptr_t)exe_path, NULL};

    execve(spm_debug_valgrind(), argv, envp);
}

/* The loud warning of a partition run for a debugger, with what to type. */
static void debug_banner(const struct mf_partition *mf, enum spm_debug_mode mode, pid_t pid,
                         const char *exe_path)
{
    if (mode == SPM_DEBUG_VALGRIND) {
        spm_log(SPM_WARN,
                "DEBUGGING: partition %s (pid %d) runs under valgrind, without its seccomp "
                "allowlist or Landlock; valgrind reports on psa-spm's stderr",
                mf->name, (int)pid);
        return;
    }
    if (mode == SPM_DEBUG_GDB_WAIT)
        spm_log(SPM_WARN,
                "DEBUGGING: partition %s (pid %d) is dumpable (sandbox relaxed for ptrace) and "
                "waits before its entry point; attach with: gdb -p %d %s, set your breakpoints, "
                "then: set var partix_debug_hold = 0, continue",
                mf->name, (int)pid, (int)pid, exe_path);
    else
        spm_log(SPM_WARN,
                "DEBUGGING: partition %s (pid %d) is dumpable (sandbox relaxed for ptrace); "
                "attach with: gdb -p %d %s",
                mf->name, (int)pid, (int)pid, exe_path);
}

int spm_spawn(const struct mf_partition *mf, pid_t *pid_out, int *chan, int *crash_out, char *why,
              size_t size)
{
    static char asan[256], debug[32];
    char *argv[] = {(char *)(uintptr_t)mf->name, NULL};
    char *envp[] = {asan, NULL, NULL, NULL};
    const char *core_dir = spm_core_dir();
    struct sandbox_setup_conf conf;
    const char *opts = getenv("ASAN_OPTIONS");
    enum spm_debug_mode mode = spm_debug_mode_of(mf);
    char exe_path[PATH_MAX];
    pid_t self = getpid(), pid;
    int sv[2], exe, storage = -1, crash_child = -1, crash, tpm = -1;

    /* sanitizer builds: LeakSanitizer needs ptrace, which no partition may
     * use, and faults must stay signals so the SPM reports them as such;
     * the sanitizer's own RLIMIT_CORE 0 would undo --core-dir */
    snprintf(asan, sizeof(asan),
             "ASAN_OPTIONS=%s%sdetect_leaks=0:handle_segv=0:handle_sigbus=0:handle_sigfpe=0%s",
             opts ? opts : "", opts ? ":" : "", core_dir != NULL ? ":disable_coredump=0" : "");
    if ((size_t)snprintf(exe_path, sizeof(exe_path), "%s/%s", spm.partition_dir, mf->basename) >=
        sizeof(exe_path)) {
        snprintf(why, size, "its executable's path is too long");
        return -1;
    }
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
        snprintf(why, size, "socketpair: %s", strerror(errno));
        return -1;
    }
    exe = open(exe_path, O_PATH | O_CLOEXEC);
    if (exe < 0) {
        snprintf(why, size, "%s: %s", exe_path, strerror(errno));
        close(sv[0]);
        close(sv[1]);
        return -1;
    }
    if (mf->storage && (storage = open_storage(mf, why, size)) < 0) {
        close(exe);
        close(sv[0]);
        close(sv[1]);
        return -1;
    }
    /* no crash socket: the partition runs, without crash reports */
    crash = spm_crash_socket(&crash_child);
    if (mode != SPM_DEBUG_NONE) {
        snprintf(debug, sizeof(debug), "PARTIX_DEBUG=%s", spm_debug_mode_name(mode));
        envp[1] = debug;
    }
    if (core_dir != NULL)
        envp[mode != SPM_DEBUG_NONE ? 2 : 1] = "PARTIX_CORE=1";
    /* the board's TPM, last: its number is above every other's */
    if (mf->tpm && (tpm = spm_tpm_open(mf, part_uid(mf), spm.ids.part_gid, why, size)) == -2) {
        if (storage >= 0)
            close(storage);
        if (crash >= 0) {
            close(crash);
            close(crash_child);
        }
        close(exe);
        close(sv[0]);
        close(sv[1]);
        return -1;
    }
    memset(&conf, 0, sizeof(conf));
    conf.channel = sv[1];
    conf.exec_fd = exe;
    conf.storage_fd = storage;
    conf.crash_fd = crash_child;
    conf.keep_stderr = mode == SPM_DEBUG_VALGRIND;
    conf.core_limit = core_dir != NULL ? CORE_LIMIT : 0;
    conf.tpm_fd = tpm;
    conf.fsize_limit = STORAGE_FSIZE;
    conf.stack_limit = mf->stack_size * STACK_SCALE;
    if (conf.stack_limit < STACK_FLOOR)
        conf.stack_limit = STACK_FLOOR;
    errno = 0;
    conf.nice = getpriority(PRIO_PROCESS, 0); /* -1 may be a nice value: errno tells */
    conf.set_nice = errno == 0;
    conf.nice = spm_nice_of(mf->priority, conf.nice);
    conf.as_limit = mode == SPM_DEBUG_VALGRIND ? 0 : as_limit(mf, conf.stack_limit);
    conf.drop_uid = spm.drop_uid;
    conf.uid = part_uid(mf);
    conf.gid = spm.ids.part_gid;
    conf.parent = self;

    pid = fork();
    if (pid < 0) {
        snprintf(why, size, "fork: %s", strerror(errno));
        close(sv[0]);
        close(sv[1]);
        close(exe);
        if (storage >= 0)
            close(storage);
        if (crash >= 0) {
            close(crash);
            close(crash_child);
        }
        if (tpm >= 0)
            close(tpm);
        return -1;
    }
    if (pid == 0) {
        const char *step = NULL;
        sigset_t none;

        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        /* where the kernel writes a core (core_pattern "core"): --core-dir */
        if (core_dir != NULL && chdir(core_dir) < 0)
            child_fail(sv[1], core_dir, errno);
        if (sandbox_setup(&conf, &step) < 0)
            child_fail(sv[1], step, errno);
        if (mode == SPM_DEBUG_VALGRIND) {
            exec_valgrind(exe_path, envp);
            child_fail(sv[1], spm_debug_valgrind(), errno);
        }
        syscall(SYS_execveat, SANDBOX_EXEC_FD, "", argv, envp, AT_EMPTY_PATH);
        child_fail(sv[1], exe_path, errno);
    }
    close(exe);
    if (storage >= 0)
        close(storage);
    if (crash_child >= 0)
        close(crash_child);
    if (tpm >= 0)
        close(tpm);
    close(sv[1]);
    fcntl(sv[0], F_SETFL, O_NONBLOCK);
    if (SANDBOX_AS_BOUNDED)
        spm_log(SPM_INFO, "partition %s (pid %d) starting: %s, address space %llu bytes", mf->name,
                (int)pid, exe_path, (unsigned long long)conf.as_limit);
    else
        spm_log(SPM_INFO,
                "partition %s (pid %d) starting: %s, address space not bounded "
                "(AddressSanitizer)",
                mf->name, (int)pid, exe_path);
    if (mode != SPM_DEBUG_NONE)
        debug_banner(mf, mode, pid, exe_path);
    *pid_out = pid;
    *chan = sv[0];
    *crash_out = crash;
    return 0;
}
