/*
 * privsep.c - the router's side of the monitor (priv/monitor.c): what the
 * router may not do itself, asked for.  A spawn or the client socket is
 * waited for (the monitor answers at once: a fork, a bind); a kill is not
 * answered, its effect is the partition's end, which the monitor reports
 * on its own socket like any other end.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "spm.h"

/* Sends @p m and waits for the answer: 0 with *m and *fd, or -1. */
static int ask(struct spm_priv_msg *m, int *fd)
{
    *fd = -1;
    if (spm_priv_send(shell.mon_req, m, -1) < 0 || spm_priv_recv(shell.mon_req, m, fd) <= 0) {
        spm_log(SPM_ERROR, "router: the monitor does not answer: %s", strerror(errno));
        return -1;
    }
    return 0;
}

int shell_priv_spawn(uint32_t part, pid_t *pid, int *chan, char *why, size_t size)
{
    struct spm_priv_msg m = {.op = SPM_PRIV_SPAWN, .part = part};
    int fd;

    if (ask(&m, &fd) < 0) {
        snprintf(why, size, "the monitor does not answer");
        return -1;
    }
    if (m.op != SPM_PRIV_SPAWNED || m.part != part || m.pid <= 0 || fd < 0) {
        if (fd >= 0)
            close(fd);
        snprintf(why, size, "%s",
                 m.op == SPM_PRIV_FAILED ? m.why : "the monitor's answer is wrong");
        return -1;
    }
    if (fcntl(fd, F_SETFL, O_NONBLOCK) < 0) {
        close(fd);
        snprintf(why, size, "its channel: %s", strerror(errno));
        return -1;
    }
    *pid = m.pid;
    *chan = fd;
    return 0;
}

void shell_priv_kill(uint32_t part, pid_t pid)
{
    struct spm_priv_msg m = {.op = SPM_PRIV_KILL, .part = part, .pid = pid};

    if (spm_priv_send(shell.mon_req, &m, -1) < 0)
        spm_log(SPM_ERROR, "router: the monitor does not take a kill: %s", strerror(errno));
}

int shell_priv_listen(void)
{
    struct spm_priv_msg m = {.op = SPM_PRIV_LISTEN};
    int fd;

    if (ask(&m, &fd) < 0)
        return -1;
    if (m.op != SPM_PRIV_LISTENING || fd < 0) {
        if (fd >= 0)
            close(fd);
        spm_log(SPM_ERROR, "%s", m.op == SPM_PRIV_FAILED ? m.why : "the monitor's answer is wrong");
        return -1;
    }
    return fd;
}

void shell_priv_reports(void)
{
    struct spm_priv_msg m;
    int fd, rc;

    while ((rc = spm_priv_recv(shell.mon_rep, &m, &fd)) > 0) {
        if (fd >= 0)
            close(fd);
        if (m.op == SPM_PRIV_EXITED && m.part < shell.n_parts && m.pid > 0)
            shell_part_exited(m.part, m.pid, m.status);
    }
    if (rc == 0 || (rc < 0 && errno != EAGAIN && errno != EINTR)) {
        spm_log(SPM_ERROR, "router: the monitor is gone: stopping");
        shell.stopping = true;
        epoll_ctl(shell.epfd, EPOLL_CTL_DEL, shell.mon_rep, NULL);
    }
}
