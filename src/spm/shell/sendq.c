/*
 * sendq.c - per-peer send queues.  A datagram goes straight to the socket
 * when nothing waits before it; only when the socket is full is it copied,
 * head and payload, into one allocation of its own size and queued, to be
 * flushed when epoll says the socket drains.  So the hot path allocates
 * nothing, and what a slow reader costs is its queue's real size (the
 * allocations and their bookkeeping), counted per peer and in all.
 *
 * The bounds are backpressure, never punishment (STYLE.md rule 15): a
 * client past its bound, or any client with a queue while all queues are
 * past the total bound, is simply not read until its queue drains to half
 * the bound (half: so reading does not flap on and off with every reply).
 * A partition is never held nor killed for its queue: the core's window
 * bounds what is sent to it.
 */
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spm.h"

struct sendq_node {
    struct sendq_node *next;
    int fds[WIRE_MAX_FDS]; /* passed with the datagram, closed once sent */
    int n_fds;
    size_t len;  /* of the datagram */
    size_t cost; /* what it holds of memory: counted until it is freed */
    uint8_t data[];
};

static size_t bound_peer = SPM_DEF_QUEUE_BYTES, bound_total = SPM_DEF_QUEUE_TOTAL;
static size_t total; /* the cost of every queue */
static bool total_over, flipped;

void sendq_bounds(size_t peer, size_t total_bound)
{
    bound_peer = peer;
    bound_total = total_bound;
}

static void account(size_t add, size_t sub)
{
    total = total + add - sub;
    if (!total_over && total > bound_total) {
        total_over = flipped = true;
    } else if (total_over && total <= bound_total / 2) {
        total_over = false;
        flipped = true;
    }
}

bool sendq_total_flipped(void)
{
    bool f = flipped;

    flipped = false;
    return f;
}

bool sendq_hold(struct sendq *q)
{
    bool crowded = total_over && q->bytes > 0;

    if (q->bytes > bound_peer || crowded)
        q->held = true;
    else if (q->bytes <= bound_peer / 2)
        q->held = false;
    return q->held;
}

/* Queues a copy of @p f: 1, or -1 (ENOMEM). */
static int enqueue(struct sendq *q, const struct wire_frame *f, const int *fds, int n_fds)
{
    struct sendq_node *n = malloc(sizeof(*n) + f->len);
    size_t at = 0;
    int i;

    if (n == NULL) {
        errno = ENOMEM;
        return -1;
    }
    for (i = 0; i < f->n_iov; i++) {
        memcpy(n->data + at, f->iov[i].iov_base, f->iov[i].iov_len);
        at += f->iov[i].iov_len;
    }
    n->next = NULL;
    for (i = 0; i < n_fds; i++)
        n->fds[i] = fds[i];
    n->n_fds = n_fds;
    n->len = at;
    /* the allocation as malloc made it, and its chunk header */
    n->cost = malloc_usable_size(n) + sizeof(size_t);
    if (q->tail != NULL)
        q->tail->next = n;
    else
        q->head = n;
    q->tail = n;
    q->bytes += n->cost;
    account(n->cost, 0);
    return 1;
}

static void close_fds(const int *fds, int n_fds)
{
    for (int i = 0; i < n_fds; i++)
        close(fds[i]);
}

int sendq_send(struct sendq *q, int sock, const struct wire_frame *f, int fd)
{
    return sendq_send_fds(q, sock, f, &fd, fd >= 0 ? 1 : 0);
}

int sendq_send_fds(struct sendq *q, int sock, const struct wire_frame *f, const int *fds, int n_fds)
{
    if (q->head == NULL) {
        if (wire_send_fds(sock, f, fds, n_fds) == 0) {
            close_fds(fds, n_fds);
            return 0;
        }
        if (errno != EAGAIN && errno != EWOULDBLOCK) {
            close_fds(fds, n_fds);
            return -1;
        }
    }
    if (enqueue(q, f, fds, n_fds) < 0) {
        close_fds(fds, n_fds);
        return -1;
    }
    return 1;
}

static void pop(struct sendq *q)
{
    struct sendq_node *n = q->head;

    q->head = n->next;
    if (q->head == NULL)
        q->tail = NULL;
    q->bytes -= n->cost;
    account(0, n->cost);
    close_fds(n->fds, n->n_fds);
    free(n);
}

int sendq_flush(struct sendq *q, int sock)
{
    /* a queued datagram is one contiguous copy: a frame of one vector */
    static struct wire_frame f;

    while (q->head != NULL) {
        f.iov[0].iov_base = q->head->data;
        f.iov[0].iov_len = q->head->len;
        f.n_iov = 1;
        f.len = q->head->len;
        if (wire_send_fds(sock, &f, q->head->fds, q->head->n_fds) < 0)
            return errno == EAGAIN || errno == EWOULDBLOCK ? 1 : -1;
        pop(q);
    }
    return 0;
}

void sendq_free(struct sendq *q)
{
    while (q->head != NULL)
        pop(q);
    q->held = false;
}
