/*
 * monitor.c - the privileged half of psa-spm, as OpenSSH's monitor.  Once
 * psa-spm has read its manifests, taken its state directory and built its
 * board, it forks: the child, the router, gives up psa-spm's identity and
 * enters its seccomp allowlist before it reads any datagram (confine.c);
 * this parent stays, and does on the router's request, and for nothing
 * else:
 *
 *   SPAWN part  start a partition of the manifests (spawn.c) and hand the
 *               router its pid and the router's end of its channel;
 *   KILL part   SIGKILL that partition's process, if it is a child of ours
 *               not reaped yet (so never a pid reused by another process);
 *   LISTEN      bind the client socket (or take systemd's), once, and
 *               hand it over.
 *
 * It reaps every child and reports each partition's end on its own socket
 * (so a report never comes between a request and its answer); then it
 * reads a crashed partition's report on its crash socket, symbolizes it
 * and files it (crash.c), and moves its core dump (debug.c, --core-dir).  A request
 * outside this list, a malformed one, or an index outside the manifests
 * ends the router: what asks for something else is no longer psa-spm.
 * When the router ends, everything does: the partitions are killed, the
 * client socket removed, and psa-spm exits as the router did.
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "paths.h"
#include "spm.h"

/* A child process: a partition's (part < n) or the router's. */
struct child {
    pid_t pid;
    uint32_t part;
    int crash; /* its crash socket (crash.c), or -1 */
};

static struct {
    pid_t router;
    int req, rep, sfd;
    struct child *kids;
    size_t n_kids, cap_kids;
    bool listening; /* the client socket is ours to remove */
    bool handed;    /* the router has its client socket */
    bool router_done;
    int router_status;
} mon;

/* Binds the client socket; refuses to steal one a live SPM is serving. */
static int open_socket(const char *path, char *why, size_t size)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    char dir[PATH_MAX];
    int fd, probe;

    if (strlen(path) >= sizeof(sa.sun_path)) {
        snprintf(why, size, "socket path too long: %.180s", path);
        return -1;
    }
    strcpy(sa.sun_path, path);
    snprintf(dir, sizeof(dir), "%s", path);
    if (partix_mkdir_p(dirname(dir), 0755) < 0) {
        snprintf(why, size, "cannot create the folder of %.180s: %s", path, strerror(errno));
        return -1;
    }
    probe = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    if (probe >= 0 && connect(probe, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
        snprintf(why, size, "another psa-spm is serving %.180s", path);
        close(probe);
        return -1;
    }
    if (probe >= 0)
        close(probe);
    unlink(path); /* a stale socket from a daemon that did not stop cleanly */
    fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 64) < 0) {
        snprintf(why, size, "cannot listen on %.180s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    /* any local user may connect; identity comes from SO_PEERCRED, and the
     * folder's permissions decide who can reach the socket at all */
    chmod(path, 0666);
    return fd;
}

static struct child *kid_of(pid_t pid)
{
    size_t i;

    for (i = 0; i < mon.n_kids; i++)
        if (mon.kids[i].pid == pid)
            return &mon.kids[i];
    return NULL;
}

static int kid_add(pid_t pid, uint32_t part, int crash)
{
    if (mon.n_kids == mon.cap_kids) {
        size_t cap = mon.cap_kids ? mon.cap_kids * 2 : 16;
        struct child *grown = realloc(mon.kids, cap * sizeof(*grown));

        if (grown == NULL)
            return -1;
        mon.kids = grown;
        mon.cap_kids = cap;
    }
    mon.kids[mon.n_kids++] = (struct child){pid, part, crash};
    return 0;
}

/* The router broke the protocol: it ends, and psa-spm with it. */
static void end_router(const char *what, uint32_t op)
{
    spm_log(SPM_ERROR, "monitor: the router %s (request %u): ending it", what, (unsigned)op);
    kill(mon.router, SIGKILL);
}

static void answer(const struct spm_priv_msg *m, int fd)
{
    if (spm_priv_send(mon.req, m, fd) < 0 && errno != EPIPE)
        spm_log(SPM_ERROR, "monitor: answering the router: %s", strerror(errno));
    if (fd >= 0)
        close(fd);
}

static void do_spawn(uint32_t part)
{
    struct spm_priv_msg m;
    pid_t pid;
    int chan = -1, crash = -1;

    memset(&m, 0, sizeof(m));
    m.part = part;
    if (spm_spawn(&spm.sys->partitions[part], &pid, &chan, &crash, m.why, sizeof(m.why)) < 0) {
        m.op = SPM_PRIV_FAILED;
    } else if (kid_add(pid, part, crash) < 0) {
        kill(pid, SIGKILL); /* reaped as a stranger */
        close(chan);
        if (crash >= 0)
            close(crash);
        chan = -1;
        m.op = SPM_PRIV_FAILED;
        snprintf(m.why, sizeof(m.why), "out of memory");
    } else {
        m.op = SPM_PRIV_SPAWNED;
        m.pid = pid;
    }
    answer(&m, chan);
}

static void do_listen(void)
{
    struct spm_priv_msg m;
    int fd = -1;

    memset(&m, 0, sizeof(m));
    if (mon.handed) {
        end_router("asked for the client socket twice", SPM_PRIV_LISTEN);
        return;
    }
    fd = spm_activation_socket(); /* systemd's, not ours to remove */
    if (fd < 0) {
        fd = open_socket(spm.socket_path, m.why, sizeof(m.why));
        mon.listening = fd >= 0;
    }
    m.op = fd >= 0 ? SPM_PRIV_LISTENING : SPM_PRIV_FAILED;
    mon.handed = fd >= 0;
    answer(&m, fd);
    if (m.op == SPM_PRIV_LISTENING)
        spm_notify_ready();
}

/* One request; false once the router's socket ended. */
static bool on_request(void)
{
    struct spm_priv_msg m;
    struct child *k;
    int fd, rc;

    rc = spm_priv_recv(mon.req, &m, &fd);
    if (rc < 0 && (errno == EAGAIN || errno == EINTR))
        return true;
    if (rc <= 0) {
        if (rc < 0 && errno == EBADMSG) {
            end_router("sent a malformed request", 0);
            return true;
        }
        return false;
    }
    if (fd >= 0) {
        close(fd);
        end_router("passed a descriptor", m.op);
        return true;
    }
    switch (m.op) {
    case SPM_PRIV_SPAWN:
        if (m.part >= spm.sys->n_partitions)
            end_router("asked to spawn no partition of the manifests", m.op);
        else
            do_spawn(m.part);
        break;
    case SPM_PRIV_KILL:
        k = m.pid > 0 ? kid_of(m.pid) : NULL;
        if (k != NULL && k->part == m.part && k->pid != mon.router)
            kill(k->pid, SIGKILL);
        else if (k == NULL && m.pid > 0)
            ; /* reaped already: its report is on its way */
        else
            end_router("asked to kill no partition of its own", m.op);
        break;
    case SPM_PRIV_LISTEN:
        do_listen();
        break;
    default:
        end_router("asked for what it may not", m.op);
        break;
    }
    return true;
}

static void report_exit(const struct child *k, int status)
{
    struct spm_priv_msg m;

    memset(&m, 0, sizeof(m));
    m.op = SPM_PRIV_EXITED;
    m.part = k->part;
    m.pid = k->pid;
    m.status = status;
    if (spm_priv_send(mon.rep, &m, -1) < 0 && errno != EPIPE)
        spm_log(SPM_ERROR, "monitor: reporting pid %d's end: %s", (int)k->pid, strerror(errno));
}

static void reap(void)
{
    pid_t pid;
    int status;

    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        struct child *k = kid_of(pid);

        if (pid == mon.router) {
            mon.router_done = true;
            mon.router_status = status;
            continue;
        }
        if (k == NULL) {
            spm_tpm_reaped(pid, status);
            continue;
        }
        if (!mon.router_done)
            report_exit(k, status); /* its callers' answers first, then its crash report */
        if (k->crash >= 0) {
            if (!mon.router_done)
                spm_crash_collect(&spm.sys->partitions[k->part], k->pid, status, k->crash);
            close(k->crash);
        }
        spm_core_collect(&spm.sys->partitions[k->part], k->pid, status);
        *k = mon.kids[--mon.n_kids];
    }
}

static void on_signals(void)
{
    struct signalfd_siginfo si;
    bool child = false;

    while (read(mon.sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
        if (si.ssi_signo == SIGCHLD)
            child = true;
        else if (!mon.router_done)
            kill(mon.router, SIGTERM); /* it stops everything */
    }
    if (child)
        reap();
}

/* After the router: no partition outlives it. */
static void end_all(void)
{
    size_t i;

    spm_tpm_stop();
    for (i = 0; i < mon.n_kids; i++)
        kill(mon.kids[i].pid, SIGKILL);
    while (mon.n_kids > 0) {
        pid_t pid = waitpid(-1, NULL, 0);
        struct child *k = pid > 0 ? kid_of(pid) : NULL;

        if (pid < 0 && errno != EINTR)
            break;
        if (k != NULL) {
            if (k->crash >= 0)
                close(k->crash);
            *k = mon.kids[--mon.n_kids];
        }
    }
    if (mon.listening)
        unlink(spm.socket_path);
}

int spm_monitor_run(pid_t router, int req, int rep)
{
    sigset_t mask;
    bool requests = true;

    mon.router = router;
    mon.req = req;
    mon.rep = rep;
    sigemptyset(&mask);
    sigaddset(&mask, SIGCHLD);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGHUP);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    mon.sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
    if (mon.sfd < 0) {
        spm_log(SPM_ERROR, "monitor: signalfd: %s", strerror(errno));
        kill(router, SIGKILL);
    }
    reap(); /* a child that ended before the signalfd */
    while (!mon.router_done) {
        struct pollfd p[2] = {{mon.sfd, POLLIN, 0}, {requests ? req : -1, POLLIN, 0}};

        if (poll(p, 2, mon.sfd < 0 ? 100 : -1) < 0 && errno != EINTR) {
            spm_log(SPM_ERROR, "monitor: poll: %s", strerror(errno));
            kill(router, SIGKILL);
        }
        if (mon.sfd < 0)
            reap();
        if (p[0].revents & POLLIN)
            on_signals();
        if (requests && (p[1].revents & (POLLIN | POLLHUP | POLLERR)))
            requests = on_request();
    }
    end_all();
    free(mon.kids);
    close(req);
    close(rep);
    if (mon.sfd >= 0)
        close(mon.sfd);
    if (WIFEXITED(mon.router_status))
        return WEXITSTATUS(mon.router_status);
    spm_log(SPM_ERROR, "the router was killed by signal %s%s",
            strsignal(WTERMSIG(mon.router_status)),
            WTERMSIG(mon.router_status) == SIGSYS ? " (a system call outside its allowlist)" : "");
    return 1;
}
