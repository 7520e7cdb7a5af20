/*
 * daemon.c - psa-spm as Linux runs daemons: "--daemon" (the command
 * returns once psa-spm serves, or fails with its errors), and under
 * systemd, socket activation (the client socket passed as LISTEN_FDS
 * describes, as sd_listen_fds() reads it) and readiness (READY=1 to
 * $NOTIFY_SOCKET, as sd_notify() sends it).  Written here rather than
 * linked from libsystemd: each is a few system calls, and the daemon's
 * allowlists and its dependencies stay as they are.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "paths.h"
#include "spm.h"

#define LISTEN_FDS_START 3 /* systemd's SD_LISTEN_FDS_START */

static int activated_fd = -1;

/* A whole decimal number, or -1. */
static long whole(const char *s)
{
    char *end;
    long v;

    if (s == NULL || s[0] < '0' || s[0] > '9')
        return -1;
    errno = 0;
    v = strtol(s, &end, 10);
    return errno != 0 || *end != '\0' ? -1 : v;
}

int spm_activation_take(char *path, size_t size)
{
    const char *pid_s = getenv("LISTEN_PID"), *fds_s = getenv("LISTEN_FDS");
    long pid = whole(pid_s), n = whole(fds_s);
    struct sockaddr_un sa;
    socklen_t len = sizeof(sa);
    int fd = LISTEN_FDS_START, v, fl;
    socklen_t vl = sizeof(v);

    /* never handed on: they describe this process only */
    unsetenv("LISTEN_PID");
    unsetenv("LISTEN_FDS");
    unsetenv("LISTEN_FDNAMES");
    if (pid_s == NULL || fds_s == NULL || pid != (long)getpid())
        return 0;
    if (n != 1) {
        fprintf(stderr,
                "psa-spm: LISTEN_FDS=%s: psa-spm takes exactly one socket from systemd (one "
                "ListenSequentialPacket= in its .socket unit)\n",
                fds_s);
        return -1;
    }
    if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &v, &vl) < 0 || v != AF_UNIX ||
        getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &vl) < 0 || v != SOCK_SEQPACKET ||
        getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &v, &vl) < 0 || v != 1) {
        fprintf(stderr,
                "psa-spm: the socket systemd passed (descriptor %d) is not a listening "
                "AF_UNIX SOCK_SEQPACKET socket (ListenSequentialPacket=PATH)\n",
                fd);
        return -1;
    }
    fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0 || fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
        fprintf(stderr, "psa-spm: the socket systemd passed: %s\n", strerror(errno));
        return -1;
    }
    memset(&sa, 0, sizeof(sa));
    if (getsockname(fd, (struct sockaddr *)&sa, &len) == 0 && len > sizeof(sa.sun_family) &&
        sa.sun_path[0] != '\0') {
        if (path[0] != '\0' && strncmp(path, sa.sun_path, sizeof(sa.sun_path)) != 0)
            fprintf(stderr, "psa-spm: warning: serving %.*s, systemd's socket, not --socket %s\n",
                    (int)sizeof(sa.sun_path), sa.sun_path, path);
        snprintf(path, size, "%.*s", (int)sizeof(sa.sun_path), sa.sun_path);
    } else {
        snprintf(path, size, "(systemd's socket)");
    }
    activated_fd = fd;
    return 1;
}

int spm_activation_socket(void)
{
    int fd = activated_fd;

    activated_fd = -1;
    return fd;
}

void spm_activation_leave(void)
{
    if (activated_fd >= 0)
        close(activated_fd);
    activated_fd = -1;
}

void spm_notify_ready(void)
{
    const char *path = getenv("NOTIFY_SOCKET");
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    size_t n;
    int fd;

    if (path == NULL || (path[0] != '/' && path[0] != '@') ||
        (n = strlen(path)) >= sizeof(sa.sun_path))
        return;
    memcpy(sa.sun_path, path, n);
    if (path[0] == '@')
        sa.sun_path[0] = '\0'; /* the abstract namespace */
    fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || sendto(fd, "READY=1", 7, MSG_NOSIGNAL, (struct sockaddr *)&sa,
                         (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n)) != 7)
        spm_log(SPM_WARN, "NOTIFY_SOCKET %s: %s", path, strerror(errno));
    if (fd >= 0)
        close(fd);
    unsetenv("NOTIFY_SOCKET");
}

/* Copies @p path from byte @p from to stderr: what the daemon logged
 * while it failed to start. */
static void copy_log(const char *path, off_t from)
{
    char buf[4096];
    ssize_t n;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0 || lseek(fd, from, SEEK_SET) < 0) {
        if (fd >= 0)
            close(fd);
        return;
    }
    while ((n = read(fd, buf, sizeof(buf))) > 0)
        if (write(STDERR_FILENO, buf, (size_t)n) != n)
            break;
    close(fd);
}

int spm_daemonize(const char *log_path, int *ready_fd)
{
    char dir[PATH_MAX], buf[8];
    size_t got = 0;
    ssize_t n;
    int p[2], logfd, nul, status;
    off_t start;
    pid_t pid;

    snprintf(dir, sizeof(dir), "%s", log_path);
    if (partix_mkdir_p(dirname(dir), 0700) < 0 ||
        (logfd = open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600)) < 0) {
        fprintf(stderr, "psa-spm: the log %s: %s\n", log_path, strerror(errno));
        return 1;
    }
    start = lseek(logfd, 0, SEEK_END);
    nul = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (nul < 0 || pipe2(p, O_CLOEXEC) < 0) {
        fprintf(stderr, "psa-spm: --daemon: %s\n", strerror(errno));
        return 1;
    }
    fflush(NULL);
    pid = fork();
    if (pid < 0) {
        fprintf(stderr, "psa-spm: --daemon: fork: %s\n", strerror(errno));
        return 1;
    }
    if (pid == 0) {
        /* the daemon: a session of its own, no terminal, its log */
        close(p[0]);
        if (setsid() < 0 || dup2(nul, STDIN_FILENO) < 0 || dup2(logfd, STDOUT_FILENO) < 0 ||
            dup2(logfd, STDERR_FILENO) < 0)
            _exit(1);
        close(nul);
        close(logfd);
        *ready_fd = p[1];
        return -1;
    }
    /* the command: returns once the daemon serves, or with its errors */
    close(p[1]);
    close(nul);
    close(logfd);
    while (got < 6 && (n = read(p[0], buf + got, sizeof(buf) - got)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            break;
        got += (size_t)n;
    }
    close(p[0]);
    if (got == 6 && memcmp(buf, "READY\n", 6) == 0) {
        printf("%d\n", (int)pid);
        return 0;
    }
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) {
            status = 1 << 8;
            break;
        }
    copy_log(log_path, start);
    fprintf(stderr, "psa-spm: did not start (its log: %s)\n", log_path);
    return WIFEXITED(status) && WEXITSTATUS(status) != 0 ? WEXITSTATUS(status) : 1;
}
