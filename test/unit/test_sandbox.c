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
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
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
    char buf[4];
    int fd = openat(SANDBOX_STORAGE_FD, "a.tmp", O_WRONLY | O_CREAT | O_TRUNC, 0600);

    if (fd < 0 || write(fd, "abc", 3) != 3 || fsync(fd) < 0 || close(fd) < 0)
        return 10;
    if (renameat(SANDBOX_STORAGE_FD, "a.tmp", SANDBOX_STORAGE_FD, "a") < 0 ||
        fsync(SANDBOX_STORAGE_FD) < 0)
        return 11;
    fd = openat(SANDBOX_STORAGE_FD, "a", O_RDONLY);
    if (fd < 0 || read(fd, buf, sizeof(buf)) != 3 || close(fd) < 0)
        return 12;
    fd = openat(SANDBOX_STORAGE_FD, ".", O_RDONLY | O_DIRECTORY);
    if (fd < 0 || syscall(SYS_getdents64, fd, buf, 0) != -1 || close(fd) < 0)
        return 13; /* a 0-byte buffer: EINVAL, but the call is allowed */
    if (unlinkat(SANDBOX_STORAGE_FD, "a", 0) < 0)
        return 14;
    return 0;
}

/* A path out of the directory, relative to it: Landlock refuses it. */
static int storage_escape_relative(void)
{
    int fd = openat(SANDBOX_STORAGE_FD, "../escaped", O_WRONLY | O_CREAT, 0600);

    return fd >= 0 ? 0 : errno == EACCES ? 10 : 11;
}

/* An absolute path with the directory as base: Landlock refuses it. */
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
    /* the whole profile: its own files work, every way out is refused */
    assert_int_equal(exited(in_storage_child(SANDBOX_ALL, storage_own_files)), 0);
    assert_int_equal(exited(in_storage_child(SANDBOX_ALL, storage_escape_relative)), 10);
    assert_int_equal(exited(in_storage_child(SANDBOX_ALL, storage_escape_absolute)), 10);
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
    snprintf(path, sizeof(path), "%s/escaped", dir);
    unlink(path);
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
        cmocka_unit_test(test_storage_profile),
    };

    return cmocka_run_group_tests_name("sandbox", tests, NULL, NULL);
}
