/*
 * test_daemon.c - psa-spm as Linux runs daemons (issue 17 item 6):
 * "--daemon" returns only once psa-spm serves (a call made on the next
 * line succeeds, every time), detached, its pid on stdout, or fails with
 * the errors that stopped it; under systemd, the socket passed by socket
 * activation (LISTEN_PID, LISTEN_FDS, descriptor 3) is served and left in
 * place, READY=1 goes to $NOTIFY_SOCKET once it serves, and what is not
 * for this process (another LISTEN_PID) or not a socket psa-spm can serve
 * is ignored or refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture.h"
#include "psa/client.h"
#include "psa_manifest/sid.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    return fixture_dir_new(dir, sizeof(dir), "daemon");
}

static int teardown(void **state)
{
    (void)state;
    return fixture_dir_remove(dir);
}

/* psa-spm's arguments for the test system, after @p first, as one string. */
static void system_args(char *out, size_t size)
{
    const char *plat = getenv("PARTIX_TEST_PLATFORM");

    snprintf(out, size, "--manifest-list %s --manifest-list %s --partition-dir %s%s%s",
             getenv("PARTIX_TEST_LIST"), getenv("PARTIX_TEST_EXTRA_LIST"),
             getenv("PARTIX_TEST_PARTITIONS"), plat ? " --platform " : "", plat ? plat : "");
}

static void echo_call(void)
{
    char reply[16];
    psa_invec in = {"ping", 4};
    psa_outvec out = {reply, sizeof(reply)};
    psa_handle_t h = psa_connect(TFM_ECHO_SERVICE_SID, TFM_ECHO_SERVICE_VERSION);

    assert_true(h > 0);
    assert_int_equal(psa_call(h, PSA_IPC_CALL, &in, 1, &out, 1), PSA_SUCCESS);
    assert_int_equal(out.len, 4);
    assert_memory_equal(reply, "ping", 4);
    psa_close(h);
}

/* Waits up to 15 s for process @p pid (not our child) to be gone: no
 * such process, or a zombie its new parent has not reaped. */
static bool gone(pid_t pid)
{
    char path[64], buf[512], *p;

    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    for (int i = 0; i < 1500; i++) {
        FILE *f = fopen(path, "r");
        bool zombie = false;

        if (f == NULL)
            return true;
        if (fgets(buf, sizeof(buf), f) != NULL && (p = strrchr(buf, ')')) != NULL)
            zombie = p[2] == 'Z';
        fclose(f);
        if (zombie)
            return true;
        usleep(10000);
    }
    return false;
}

/* Field 4 (ppid) and 6 (session) of /proc/PID/stat. */
static void stat_of(pid_t pid, long *ppid, long *sid)
{
    char path[64], buf[1024], *p;
    FILE *f;

    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    f = fopen(path, "r");
    assert_non_null(f);
    assert_non_null(fgets(buf, sizeof(buf), f));
    fclose(f);
    p = strrchr(buf, ')');
    assert_non_null(p);
    assert_int_equal(sscanf(p + 2, "%*c %ld %*d %ld", ppid, sid), 2);
}

static void test_daemon_serves_at_once(void **state)
{
    char args[2048], out[4096], sock[128], log[128];
    int i;

    (void)state;
    system_args(args, sizeof(args));
    snprintf(sock, sizeof(sock), "%s/spm.sock", dir);
    setenv("PSA_SPM_SOCKET", sock, 1);
    /* the README's sequence, three times: start, call on the next line */
    for (i = 0; i < 3; i++) {
        long ppid, sid;
        pid_t pid;

        assert_int_equal(fixture_sh(out, sizeof(out),
                                    "%s --daemon %s --socket %s --state-dir %s/state",
                                    getenv("PARTIX_SPM"), args, sock, dir),
                         0);
        pid = (pid_t)atol(out);
        assert_true(pid > 1);
        echo_call();
        /* detached: a session of its own, not a child of the command's shell */
        stat_of(pid, &ppid, &sid);
        assert_int_equal(sid, pid);
        assert_int_not_equal(ppid, getpid());
        assert_int_equal(kill(pid, SIGTERM), 0);
        assert_true(gone(pid));
    }
    /* its log: the state directory's, appended to */
    snprintf(log, sizeof(log), "%s/state/psa-spm.log", dir);
    assert_int_equal(fixture_sh(out, sizeof(out), "grep -c 'ready: serving' %s", log), 0);
    assert_int_equal(atoi(out), 3);
}

static void test_daemon_fails_loudly(void **state)
{
    char out[4096];

    (void)state;
    /* a list that is not there: status 1, the error on the command's stderr */
    assert_int_equal(fixture_sh(out, sizeof(out),
                                "%s --daemon --manifest-list %s/none.yaml --socket %s/x.sock "
                                "--log-file %s/fail.log",
                                getenv("PARTIX_SPM"), dir, dir, dir),
                     1);
    assert_non_null(strstr(out, "none.yaml: error: manifest_list: cannot read"));
    assert_non_null(strstr(out, "psa-spm: did not start (its log: "));
    /* refused before anything */
    assert_int_equal(fixture_sh(out, sizeof(out), "%s --daemon --ready-fd 1 --manifest-list x",
                                getenv("PARTIX_SPM")),
                     2);
    assert_int_equal(
        fixture_sh(out, sizeof(out), "%s --log-file x --manifest-list x", getenv("PARTIX_SPM")), 2);
    assert_non_null(strstr(out, "--log-file is for --daemon"));
}

/* A socket of @p type bound at @p path (listening unless DGRAM). */
static int bound(int type, const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int fd = socket(AF_UNIX, type | SOCK_CLOEXEC, 0);

    assert_true(fd >= 0);
    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
    unlink(path);
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    if (type != SOCK_DGRAM)
        assert_int_equal(listen(fd, 16), 0);
    return fd;
}

/* Starts psa-spm as systemd would: @p fd3 as descriptor 3, LISTEN_PID
 * (its own pid if @p listen_pid is NULL), LISTEN_FDS, NOTIFY_SOCKET; the
 * log in @p log; @p more arguments (may be ""). */
static pid_t spawn_spm(int fd3, const char *listen_pid, const char *listen_fds, const char *notify,
                       const char *log, const char *more)
{
    char cmd[4096], args[2048];
    pid_t pid;

    system_args(args, sizeof(args));
    snprintf(cmd, sizeof(cmd), "exec %s %s --state-dir %s/state %s", getenv("PARTIX_SPM"), args,
             dir, more);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        char self[16];
        int keep = fcntl(fd3, F_DUPFD_CLOEXEC, 10);
        int lfd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

        dup2(lfd, 1);
        dup2(lfd, 2);
        dup2(keep, 3);
        fcntl(3, F_SETFD, 0);                              /* the one descriptor psa-spm inherits */
        snprintf(self, sizeof(self), "%d", (int)getpid()); /* sh execs: the same pid */
        setenv("LISTEN_PID", listen_pid ? listen_pid : self, 1);
        setenv("LISTEN_FDS", listen_fds, 1);
        setenv("NOTIFY_SOCKET", notify, 1);
        unsetenv("PSA_SPM_SOCKET");
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    return pid;
}

/* The next datagram on @p fd within 30 s, or "". */
static void notified(int fd, char *out, size_t size)
{
    struct pollfd p = {fd, POLLIN, 0};
    ssize_t n;

    out[0] = '\0';
    if (poll(&p, 1, 30000) != 1)
        return;
    n = recv(fd, out, size - 1, 0);
    out[n > 0 ? n : 0] = '\0';
}

static int wait_exit(pid_t pid)
{
    int status;

    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void test_socket_activation(void **state)
{
    char sock[128], notify[128], log[128], got[64], out[8192];
    struct stat st;
    int lfd, nfd;
    pid_t pid;

    (void)state;
    snprintf(sock, sizeof(sock), "%s/activated.sock", dir);
    snprintf(notify, sizeof(notify), "%s/notify", dir);
    snprintf(log, sizeof(log), "%s/activated.log", dir);
    lfd = bound(SOCK_SEQPACKET, sock);
    nfd = bound(SOCK_DGRAM, notify);
    pid = spawn_spm(lfd, NULL, "1", notify, log, "");
    close(lfd); /* psa-spm's copy serves alone */
    notified(nfd, got, sizeof(got));
    assert_string_equal(got, "READY=1");
    setenv("PSA_SPM_SOCKET", sock, 1);
    echo_call();
    assert_int_equal(fixture_sh(out, sizeof(out), "grep -c 'ready: serving %s' %s", sock, log), 0);
    assert_int_equal(kill(pid, SIGTERM), 0);
    assert_int_equal(wait_exit(pid), 0);
    /* systemd's socket: still there after psa-spm stopped */
    assert_int_equal(stat(sock, &st), 0);
    assert_true(S_ISSOCK(st.st_mode));
    close(nfd);
}

static void test_activation_not_ours(void **state)
{
    char sock[128], other[128], notify[128], log[128], got[64], more[256];
    struct stat st;
    int sfd, nfd;
    pid_t pid;

    (void)state;
    /* LISTEN_PID of another process: not ours; psa-spm binds --socket */
    snprintf(other, sizeof(other), "%s/stream.sock", dir);
    snprintf(sock, sizeof(sock), "%s/own.sock", dir);
    snprintf(notify, sizeof(notify), "%s/notify2", dir);
    snprintf(log, sizeof(log), "%s/own.log", dir);
    snprintf(more, sizeof(more), "--socket %s", sock);
    sfd = bound(SOCK_STREAM, other);
    nfd = bound(SOCK_DGRAM, notify);
    pid = spawn_spm(sfd, "1", "1", notify, log, more);
    notified(nfd, got, sizeof(got));
    assert_string_equal(got, "READY=1");
    setenv("PSA_SPM_SOCKET", sock, 1);
    echo_call();
    assert_int_equal(kill(pid, SIGTERM), 0);
    assert_int_equal(wait_exit(pid), 0);
    assert_int_equal(stat(sock, &st), -1); /* its own: removed */

    /* ours, but a stream socket: refused, named */
    pid = spawn_spm(sfd, NULL, "1", notify, log, "");
    assert_int_equal(wait_exit(pid), 1);
    assert_true(fixture_sh(got, sizeof(got), "grep -c 'not a listening AF_UNIX SOCK_SEQPACKET' %s",
                           log) == 0);
    /* two sockets: refused */
    pid = spawn_spm(sfd, NULL, "2", notify, log, "");
    assert_int_equal(wait_exit(pid), 1);
    assert_true(fixture_sh(got, sizeof(got), "grep -c 'exactly one socket' %s", log) == 0);
    close(sfd);
    close(nfd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_daemon_serves_at_once),
        cmocka_unit_test(test_daemon_fails_loudly),
        cmocka_unit_test(test_socket_activation),
        cmocka_unit_test(test_activation_not_ours),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
