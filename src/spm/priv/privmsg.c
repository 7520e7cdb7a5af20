/*
 * privmsg.c - one request or report between the router and the monitor:
 * a fixed struct in one datagram, with at most one descriptor.  Both ends
 * are psa-spm, but the monitor reads what a compromised router might
 * write, so a datagram of any other size, or with anything but one
 * descriptor, is malformed.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "spm.h"

int spm_priv_send(int sock, const struct spm_priv_msg *m, int fd)
{
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } ctl;
    struct iovec iov = {(void *)(uintptr_t)m, sizeof(*m)};
    struct msghdr h = {.msg_iov = &iov, .msg_iovlen = 1};
    ssize_t n;

    if (fd >= 0) {
        struct cmsghdr *c;

        memset(&ctl, 0, sizeof(ctl));
        h.msg_control = ctl.buf;
        h.msg_controllen = sizeof(ctl.buf);
        c = CMSG_FIRSTHDR(&h);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(c), &fd, sizeof(int));
    }
    do
        n = sendmsg(sock, &h, MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return -1;
    return 0;
}

/* Every descriptor a message carried: the first in *fd, the others closed.
 * Whether there was exactly one well-formed SCM_RIGHTS or none. */
static bool take_fds(struct msghdr *h, int *fd)
{
    struct cmsghdr *c;
    bool ok = true;

    for (c = CMSG_FIRSTHDR(h); c != NULL; c = CMSG_NXTHDR(h, c)) {
        size_t i, n;

        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) {
            ok = false;
            continue;
        }
        n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (i = 0; i < n; i++) {
            int got;

            memcpy(&got, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
            if (*fd < 0) {
                *fd = got;
            } else {
                close(got);
                ok = false;
            }
        }
    }
    return ok && !(h->msg_flags & MSG_CTRUNC);
}

int spm_priv_recv(int sock, struct spm_priv_msg *m, int *fd)
{
    union {
        char buf[CMSG_SPACE(2 * sizeof(int))];
        struct cmsghdr align;
    } ctl;
    struct iovec iov = {m, sizeof(*m)};
    struct msghdr h = {.msg_iov = &iov, .msg_iovlen = 1};
    ssize_t n;

    *fd = -1;
    h.msg_control = ctl.buf;
    h.msg_controllen = sizeof(ctl.buf);
    do
        n = recvmsg(sock, &h, MSG_CMSG_CLOEXEC);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return -1;
    if (n == 0) { /* the end; a descriptor sent with it is not kept */
        take_fds(&h, fd);
        if (*fd >= 0)
            close(*fd);
        *fd = -1;
        return 0;
    }
    if (!take_fds(&h, fd) || (size_t)n != sizeof(*m) || (h.msg_flags & MSG_TRUNC)) {
        if (*fd >= 0)
            close(*fd);
        *fd = -1;
        errno = EBADMSG;
        return -1;
    }
    m->why[sizeof(m->why) - 1] = '\0';
    return 1;
}
