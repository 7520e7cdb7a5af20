/*
 * test_sandbox.c - each layer of the partition sandbox, in its own child,
 * next to a control child without it: the layer must be what makes the
 * difference.
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "sandbox.h"

static int report_fd = -1;

static void report(int nr, uint32_t arch)
{
    (void)arch;
    if (write(report_fd, &nr, sizeof(nr)) != sizeof(nr))
        _exit(3);
}

/* Runs fn in a child after sandbox_enter(layers); returns its wait status. */
static int in_child(unsigned layers, int (*fn)(void))
{
    const char *step;
    int status, abi;
    pid_t pid = fork();

    assert_true(pid >= 0);
    if (pid == 0) {
        if (layers != 0 && sandbox_enter(layers, -1, report, &abi, &step) < 0)
            _exit(2);
        _exit(fn());
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return status;
}

/* The storage profile: a child sandboxed with a directory at fd 5. */
static int storage_dir_fd = -1;

static int in_storage_child(unsigned layers, int (*fn)(void))
{
    const char *step;
    int status, abi;
    pid_t pid = fork();

    assert_true(pid >= 0);
    if (pid == 0) {
        if (dup2(storage_dir_fd, SANDBOX_STORAGE_FD) < 0)
            _exit(2);
        if (sandbox_enter(layers, SANDBOX_STORAGE_FD, report, &abi, &step) < 0)
            _exit(2);
        _exit(fn());
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return status;
}

static int exited(int status)
{
    return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

static int open_file(void)
{
    int fd = open("/etc/hostname", O_RDONLY);

    return fd >= 0 ? 0 : errno == EACCES ? 10 : 11;
}

static int exec_memory(void)
{
    void *p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    return p == MAP_FAILED ? 11 : 0;
}

static void test_seccomp(void **state)
{
    int fds[2], nr = -1;

    (void)state;
    assert_int_equal(pipe(fds), 0);
    report_fd = fds[1];
    /* control: both work */
    assert_int_equal(exited(in_child(0, open_file)), 0);
    assert_int_equal(exited(in_child(0, exec_memory)), 0);
    /* with the filter: killed by SIGSYS, after naming the call */
    assert_int_equal(exited(in_child(SANDBOX_SECCOMP, open_file)), -SIGSYS);
    assert_int_equal(read(fds[0], &nr, sizeof(nr)), sizeof(nr));
    assert_string_equal(sandbox_syscall_name(nr), "openat");
    assert_int_equal(exited(in_child(SANDBOX_SECCOMP, exec_memory)), -SIGSYS);
    assert_int_equal(read(fds[0], &nr, sizeof(nr)), sizeof(nr));
    assert_string_equal(sandbox_syscall_name(nr), "mmap");
    close(fds[0]);
    close(fds[1]);
}

/*
 * What a partition must not learn about a path.  Each probe returns 0 when
 * it learned something (the control), 10 when refused with nothing written
 * to its buffer; a call outside the allowlist kills the child with SIGSYS.
 */
#define STAT_FILL 0xa5

static int untouched(const struct stat *st)
{
    const unsigned char *b = (const unsigned char *)st;
    size_t i;

    for (i = 0; i < sizeof(*st); i++)
        if (b[i] != STAT_FILL)
            return 0;
    return 1;
}

static int stat_probe(int dir, const char *path, int flags)
{
    struct stat st;

    memset(&st, STAT_FILL, sizeof(st));
    if (fstatat(dir, path, &st, flags) == 0)
        return 0;
    return untouched(&st) ? 10 : 11;
}

/* stat("/etc/passwd"): newfstatat(AT_FDCWD, path, buf, 0) */
static int stat_etc(void)
{
    return stat_probe(AT_FDCWD, "/etc/passwd", 0);
}

/* AT_EMPTY_PATH does not restrict a non-empty path: it is used as usual */
static int stat_empty_path_flag(void)
{
    return stat_probe(SANDBOX_CHANNEL_FD, "/etc/passwd", AT_EMPTY_PATH);
}

/* the raw stat and lstat system calls, and statx */
static int stat_raw(void)
{
    struct stat st;

    memset(&st, STAT_FILL, sizeof(st));
    if (syscall(SYS_stat, "/etc/passwd", &st) == 0)
        return 0;
    return untouched(&st) ? 10 : 11;
}

static int statx_etc(void)
{
    unsigned char buf[256];

    memset(buf, STAT_FILL, sizeof(buf));
    return syscall(SYS_statx, AT_FDCWD, "/etc/passwd", 0, 0xfff, buf) == 0 ? 0 : 10;
}

/* fstat of a descriptor the partition owns still works (the raw call) */
static int fstat_own(void)
{
    struct stat st;

    return syscall(SYS_fstat, report_fd, &st) == 0 && S_ISFIFO(st.st_mode) ? 0 : 10;
}

/* The CPU clock of another process (the test's): its CPU time, and whether
 * it exists. */
static pid_t other_pid;

static clockid_t parent_cpu_clock(void)
{
    return (clockid_t)((~(unsigned)other_pid << 3) | 2); /* CPUCLOCK_SCHED */
}

static int clock_of_parent(void)
{
    struct timespec ts = {0, 0};

    return syscall(SYS_clock_gettime, parent_cpu_clock(), &ts) == 0 ? 0 : 10;
}

static int sleep_on_parent(void)
{
    struct timespec ts = {0, 0}; /* a time past: returns at once */

    return syscall(SYS_clock_nanosleep, parent_cpu_clock(), TIMER_ABSTIME, &ts, NULL) == 0 ? 0 : 10;
}

/* Allowed under `make asan` for the sanitizer runtime: its own affinity
 * only, and no prctl (PR_SET_DUMPABLE 1 would undo a layer). */
static int affinity_of_other(void)
{
    unsigned long mask[16];

    return syscall(SYS_sched_getaffinity, other_pid, sizeof(mask), mask) > 0 ? 0 : 10;
}

static int dumpable_again(void)
{
    return prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) == 0 ? 0 : 10;
}

/* the clocks every partition reads still work */
static int own_clocks(void)
{
    struct timespec ts;

    if (clock_gettime(CLOCK_MONOTONIC, &ts) < 0 || clock_gettime(CLOCK_REALTIME, &ts) < 0 ||
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) < 0 ||
        syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts) < 0)
        return 10;
    ts.tv_sec = 0;
    ts.tv_nsec = 1;
    return clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL) == 0 ? 0 : 11;
}

/* A child's outcome: its exit code, or the name of the call that killed it. */
static const char *outcome(int status, int report_rd, char *buf, size_t size)
{
    int nr = -1;

    if (exited(status) == -SIGSYS && read(report_rd, &nr, sizeof(nr)) == sizeof(nr)) {
        snprintf(buf, size, "killed: %s", sandbox_syscall_name(nr));
        return buf;
    }
    snprintf(buf, size, "exit %d", exited(status));
    return buf;
}

static void test_seccomp_leaks(void **state)
{
    static const struct {
        int (*probe)(void);
        const char *sandboxed;
    } cases[] = {
        {stat_etc, "exit 10"},
        {stat_empty_path_flag, "exit 10"},
        {stat_raw, "killed: stat"},
        {statx_etc, "killed: statx"},
        {clock_of_parent, "killed: clock_gettime"},
        {sleep_on_parent, "killed: clock_nanosleep"},
        {affinity_of_other, "killed: sched_getaffinity"},
        {dumpable_again, "killed: prctl"},
    };
    char buf[64];
    int fds[2];
    size_t i;

    (void)state;
    other_pid = getpid();
    assert_int_equal(pipe(fds), 0);
    report_fd = fcntl(fds[1], F_DUPFD, 10);
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        /* control: each probe learns something without the sandbox */
        assert_string_equal(outcome(in_child(0, cases[i].probe), fds[0], buf, sizeof(buf)),
                            "exit 0");
        assert_string_equal(
            outcome(in_child(SANDBOX_ALL, cases[i].probe), fds[0], buf, sizeof(buf)),
            cases[i].sandboxed);
    }
    /* what a partition needs still works */
    assert_string_equal(outcome(in_child(SANDBOX_ALL, fstat_own), fds[0], buf, sizeof(buf)),
                        "exit 0");
    assert_string_equal(outcome(in_child(SANDBOX_ALL, own_clocks), fds[0], buf, sizeof(buf)),
                        "exit 0");
    close(fds[0]);
    close(fds[1]);
    close(report_fd);
}

static void test_landlock(void **state)
{
    (void)state;
    assert_int_equal(exited(in_child(0, open_file)), 0);
    int st = exited(in_child(SANDBOX_LANDLOCK, open_file));
    if (st == 0)
        skip(); /* a kernel without Landlock: seccomp alone denies files (test_seccomp) */
    assert_int_equal(st, 10); /* EACCES */
}

/* What the storage profile may do: create, write, sync, rename, list,
 * read and remove files of its own directory. */
static int storage_own_files(void)
{
    struct stat st;
    char buf[4];
    int fd = openat(SANDBOX_STORAGE_FD, "a.tmp", O_WRONLY | O_CREAT | O_TRUNC, 0600);

    if (fd < 0 || write(fd, "abc", 3) != 3 || fsync(fd) < 0 || close(fd) < 0)
        return 10;
    if (renameat(SANDBOX_STORAGE_FD, "a.tmp", SANDBOX_STORAGE_FD, "a") < 0 ||
        fsync(SANDBOX_STORAGE_FD) < 0)
        return 11;
    fd = openat(SANDBOX_STORAGE_FD, "a", O_RDONLY);
    if (fd < 0 || syscall(SYS_fstat, fd, &st) < 0 || st.st_size != 3 ||
        read(fd, buf, sizeof(buf)) != 3 || close(fd) < 0)
        return 12;
    fd = openat(SANDBOX_STORAGE_FD, ".", O_RDONLY | O_DIRECTORY);
    if (fd < 0 || syscall(SYS_getdents64, fd, buf, 0) != -1 || close(fd) < 0)
        return 13; /* a 0-byte buffer: EINVAL, but the call is allowed */
    if (unlinkat(SANDBOX_STORAGE_FD, "a", 0) < 0)
        return 14;
    return 0;
}

/* A path out of the directory, relative to it: it ends in the directory,
 * the partition's root (Landlock alone refuses it). */
static int storage_escape_relative(void)
{
    int fd = openat(SANDBOX_STORAGE_FD, "../escaped", O_WRONLY | O_CREAT, 0600);

    return fd >= 0 ? 0 : errno == EACCES ? 10 : 11;
}

/* An absolute path with the directory as base: it names a file of the
 * directory, the partition's root (Landlock alone refuses it). */
static int storage_escape_absolute(void)
{
    int fd = openat(SANDBOX_STORAGE_FD, "/etc/hostname", O_RDONLY);

    return fd >= 0 ? 0 : errno == EACCES ? 10 : 11;
}

/* No subdirectory (only regular files are granted). */
static int storage_mkdir(void)
{
    return mkdirat(SANDBOX_STORAGE_FD, "sub", 0700) == 0 ? 0 : errno == EACCES ? 10 : 11;
}

static void test_storage_profile(void **state)
{
    char dir[] = "/tmp/partix-sandbox-XXXXXX", path[64];
    int fds[2], nr = -1;

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/inner", dir);
    assert_int_equal(mkdir(path, 0700), 0);
    storage_dir_fd = open(path, O_RDONLY | O_DIRECTORY);
    assert_true(storage_dir_fd >= 0);
    assert_int_equal(pipe(fds), 0);
    report_fd = fcntl(fds[1], F_DUPFD, 10); /* clear of fd 5 */
    assert_true(report_fd >= 10);
    /* control: without the sandbox, every escape works */
    assert_int_equal(exited(in_storage_child(0, storage_own_files)), 0);
    assert_int_equal(exited(in_storage_child(0, storage_escape_relative)), 0);
    assert_int_equal(exited(in_storage_child(0, storage_escape_absolute)), 0);
    /* Landlock alone refuses both ways out */
    assert_int_equal(exited(in_storage_child(SANDBOX_LANDLOCK, storage_escape_relative)), 10);
    assert_int_equal(exited(in_storage_child(SANDBOX_LANDLOCK, storage_escape_absolute)), 10);
    /* the whole profile: its own files work, every way out stays inside */
    snprintf(path, sizeof(path), "%s/escaped", dir);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(exited(in_storage_child(SANDBOX_ALL, storage_own_files)), 0);
    assert_int_equal(exited(in_storage_child(SANDBOX_ALL, storage_escape_relative)), 0);
    assert_int_equal(access(path, F_OK), -1); /* not next to the directory */
    snprintf(path, sizeof(path), "%s/inner/escaped", dir);
    assert_int_equal(unlink(path), 0); /* but in it */
    assert_int_equal(exited(in_storage_child(SANDBOX_ALL, storage_escape_absolute)), 11);
    /* open() of any path (base AT_FDCWD) and mkdirat are not in the allowlist */
    assert_int_equal(exited(in_storage_child(SANDBOX_ALL, open_file)), -SIGSYS);
    assert_int_equal(read(fds[0], &nr, sizeof(nr)), sizeof(nr));
    assert_string_equal(sandbox_syscall_name(nr), "openat");
    assert_int_equal(exited(in_storage_child(SANDBOX_ALL, storage_mkdir)), -SIGSYS);
    assert_int_equal(read(fds[0], &nr, sizeof(nr)), sizeof(nr));
    assert_string_equal(sandbox_syscall_name(nr), "mkdirat");
    /* Landlock alone: no subdirectory either */
    assert_int_equal(exited(in_storage_child(SANDBOX_LANDLOCK, storage_mkdir)), 10);
    close(fds[0]);
    close(fds[1]);
    close(report_fd);
    close(storage_dir_fd);
    snprintf(path, sizeof(path), "%s/inner", dir);
    assert_int_equal(rmdir(path), 0);
    assert_int_equal(rmdir(dir), 0);
}

/* stat of a file next to the directory, and of one elsewhere */
static int storage_stat_relative(void)
{
    return stat_probe(SANDBOX_STORAGE_FD, "../outside", 0);
}

static int storage_stat_absolute(void)
{
    return stat_probe(SANDBOX_STORAGE_FD, "/etc/passwd", 0);
}

/* An O_PATH descriptor is not checked by Landlock: fstat would read it. */
static int storage_opath(void)
{
    struct stat st;
    int fd = openat(SANDBOX_STORAGE_FD, "../outside", O_PATH);

    if (fd < 0)
        return 10;
    return syscall(SYS_fstat, fd, &st) == 0 && st.st_size == 3 ? 0 : 11;
}

/* Whether a path exists outside: the errno of an existing and of a missing
 * name must be the same (0: they differ, the partition learned something). */
static int storage_exists_open(void)
{
    int e1, e2;

    if (openat(SANDBOX_STORAGE_FD, "../outside", O_RDONLY) >= 0)
        return 0;
    e1 = errno;
    if (openat(SANDBOX_STORAGE_FD, "../missing", O_RDONLY) >= 0)
        return 11;
    e2 = errno;
    return e1 != e2 ? 0 : 10;
}

static int storage_exists_unlink(void)
{
    int e1, e2;

    /* AT_REMOVEDIR on a file: ENOTDIR without the sandbox, nothing removed */
    if (unlinkat(SANDBOX_STORAGE_FD, "../outside", AT_REMOVEDIR) == 0)
        return 11;
    e1 = errno;
    if (unlinkat(SANDBOX_STORAGE_FD, "/etc/missing", AT_REMOVEDIR) == 0)
        return 11;
    e2 = errno;
    return e1 != e2 ? 0 : 10;
}

static int storage_exists_absolute(void)
{
    int e1, e2;

    if (openat(SANDBOX_STORAGE_FD, "/etc/passwd", O_RDONLY) >= 0)
        return 0;
    e1 = errno;
    if (openat(SANDBOX_STORAGE_FD, "/etc/missing", O_RDONLY) >= 0)
        return 11;
    e2 = errno;
    return e1 != e2 ? 0 : 10;
}

static void test_storage_leaks(void **state)
{
    static const struct {
        int (*probe)(void);
        const char *sandboxed;
    } cases[] = {
        {storage_stat_relative, "exit 10"}, {storage_stat_absolute, "exit 10"},
        {storage_opath, "killed: openat"},  {storage_exists_open, "exit 10"},
        {storage_exists_unlink, "exit 10"}, {storage_exists_absolute, "exit 10"},
    };
    char dir[] = "/tmp/partix-sandbox-XXXXXX", path[64], buf[64];
    int fds[2], fd;
    size_t i;

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/inner", dir);
    assert_int_equal(mkdir(path, 0700), 0);
    storage_dir_fd = open(path, O_RDONLY | O_DIRECTORY);
    assert_true(storage_dir_fd >= 0);
    snprintf(path, sizeof(path), "%s/outside", dir);
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "abc", 3), 3);
    close(fd);
    assert_int_equal(pipe(fds), 0);
    report_fd = fcntl(fds[1], F_DUPFD, 10); /* clear of fd 5 */
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_string_equal(outcome(in_storage_child(0, cases[i].probe), fds[0], buf, sizeof(buf)),
                            "exit 0");
        assert_string_equal(
            outcome(in_storage_child(SANDBOX_ALL, cases[i].probe), fds[0], buf, sizeof(buf)),
            cases[i].sandboxed);
    }
    close(fds[0]);
    close(fds[1]);
    close(report_fd);
    close(storage_dir_fd);
    assert_int_equal(unlink(path), 0);
    snprintf(path, sizeof(path), "%s/inner", dir);
    assert_int_equal(rmdir(path), 0);
    assert_int_equal(rmdir(dir), 0);
}

static int no_new_privs(void)
{
    return prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1 ? 0 : 1;
}

static int not_dumpable(void)
{
    return prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 0 ? 0 : 1;
}

static void test_nnp_and_dumpable(void **state)
{
    (void)state;
    assert_int_equal(exited(in_child(0, no_new_privs)), 1);
    assert_int_equal(exited(in_child(SANDBOX_NNP, no_new_privs)), 0);
    assert_int_equal(exited(in_child(0, not_dumpable)), 1);
    assert_int_equal(exited(in_child(SANDBOX_DUMPABLE, not_dumpable)), 0);
}

/* The pre-exec half: run sandbox_setup() in a child and inspect the result. */
static int setup_child(bool apply, bool drop)
{
    struct sandbox_setup_conf c = {0};
    struct rlimit r;
    const char *step;
    int sv[2], extra, status, sig = 0;
    pid_t pid;

    assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
    extra = open("/dev/null", O_RDONLY);
    pid = fork();
    if (pid == 0) {
        c.channel = sv[1];
        c.exec_fd = -1;
        c.storage_fd = -1;
        c.tpm_fd = -1;
        c.stack_limit = 1 << 20;
        c.parent = getppid();
        if (drop) {
            struct passwd *pw = getpwnam("nobody");

            c.drop_uid = pw != NULL;
            c.uid = pw ? pw->pw_uid : 0;
            c.gid = pw ? pw->pw_gid : 0;
        }
        if (apply && sandbox_setup(&c, &step) < 0)
            _exit(2);
        /* each failed expectation is its own exit code */
        if (getsid(0) != getpid())
            _exit(10);
        if (fcntl(extra, F_GETFD) >= 0)
            _exit(11); /* every other descriptor is closed */
        if (fcntl(SANDBOX_CHANNEL_FD, F_GETFD) < 0)
            _exit(12);
        if (getrlimit(RLIMIT_CORE, &r) < 0 || r.rlim_max != 0)
            _exit(13);
        if (getrlimit(RLIMIT_NPROC, &r) < 0 || r.rlim_max != 0)
            _exit(14);
        if (getrlimit(RLIMIT_FSIZE, &r) < 0 || r.rlim_max != 0)
            _exit(15);
        if (prctl(PR_GET_PDEATHSIG, &sig) < 0 || sig != SIGKILL)
            _exit(16);
        if (drop && getuid() == 0)
            _exit(17);
        _exit(0);
    }
    close(sv[1]);
    close(extra);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    close(sv[0]);
    return exited(status);
}

static void test_setup(void **state)
{
    (void)state;
    /* control: the first expectation that only the setup makes true fails */
    assert_int_equal(setup_child(false, false), 10);
    assert_int_equal(setup_child(true, false), 0);
    if (geteuid() == 0)
        assert_int_equal(setup_child(true, true), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seccomp),          cmocka_unit_test(test_landlock),
        cmocka_unit_test(test_nnp_and_dumpable), cmocka_unit_test(test_setup),
        cmocka_unit_test(test_storage_profile),  cmocka_unit_test(test_seccomp_leaks),
        cmocka_unit_test(test_storage_leaks),
    };

    return cmocka_run_group_tests_name("sandbox", tests, NULL, NULL);
}
