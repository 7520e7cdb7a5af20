/*
 * chans.c - psa-spm's part in the direct data path (chan.h): each
 * partition's status page, and each direct connection's area and doorbell.
 *
 * A connection's area and doorbell (an eventfd) are made here, the area
 * sealed against resizing; the partition gets both (S_CHAN) before the
 * client does (R_CONNECT), and psa-spm keeps only the area's header page
 * mapped: when the partition dies, the call in progress is answered from
 * here and later ones fail at once.  Nothing here is on a call's path.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "chan.h"
#include "spm.h"

struct shell_chan {
    struct chan_area *area; /* the header page; NULL: none */
    uint32_t gen;
    int fd, doorbell; /* until the client has them, or -1 */
};

static struct shell_chan *chans; /* by connection index */
static size_t cap_chans;

static int memobj(const char *name, size_t size)
{
    int fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);

    if (fd >= 0 && (ftruncate(fd, (off_t)size) < 0 ||
                    fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) < 0)) {
        close(fd);
        fd = -1;
    }
    return fd;
}

void shell_fast_close(struct shell_part *p)
{
    if (p->status != NULL)
        munmap(p->status, CHAN_STATUS_SIZE);
    p->status = NULL;
}

int shell_fast_setup(uint32_t idx)
{
    struct shell_part *p = &shell.parts[idx];
    struct spm_peer to = {SPM_PEER_PART, idx, p->gen};
    struct wire_msg m;
    void *map = MAP_FAILED;
    int st;

    shell_fast_close(p);
    st = memobj("partix-status", CHAN_STATUS_SIZE);
    if (st < 0 || (map = mmap(NULL, CHAN_STATUS_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, st, 0)) ==
                      MAP_FAILED) {
        spm_log(SPM_ERROR, "partition %s: direct path: %s", shell.sys->partitions[idx].name,
                strerror(errno));
        if (st >= 0)
            close(st);
        return -1;
    }
    p->status = map;
    wire_msg_init(&m, WIRE_S_FAST);
    m.u.fast.kind = WIRE_FAST_STATUS;
    shell_send_msg(to, &m, &st, 1);
    return 0;
}

static struct shell_chan *chan_at(uint32_t conn, uint32_t gen)
{
    if (conn >= cap_chans || chans[conn].area == NULL || chans[conn].gen != gen)
        return NULL;
    return &chans[conn];
}

static void close_fds(struct shell_chan *c)
{
    if (c->fd >= 0)
        close(c->fd);
    if (c->doorbell >= 0)
        close(c->doorbell);
    c->fd = c->doorbell = -1;
}

static void drop(struct shell_chan *c)
{
    munmap(c->area, CHAN_HEAD);
    c->area = NULL;
    close_fds(c);
}

void shell_chan_open(const struct spm_effect *e)
{
    struct shell_part *p = shell_part(e->to);
    struct shell_chan *c;
    void *map = MAP_FAILED;
    int fd, bell, fds[2];

    if (p == NULL || p->status == NULL)
        return; /* gone meanwhile, or no direct path: the client calls through psa-spm */
    if (e->conn >= cap_chans) {
        size_t cap = cap_chans ? cap_chans : 64, i;
        struct shell_chan *grown;

        while (cap <= e->conn)
            cap *= 2;
        grown = realloc(chans, cap * sizeof(*grown));
        if (grown == NULL)
            return;
        for (i = cap_chans; i < cap; i++) {
            grown[i].area = NULL;
            grown[i].fd = grown[i].doorbell = -1;
        }
        chans = grown;
        cap_chans = cap;
    }
    c = &chans[e->conn];
    if (c->area != NULL)
        drop(c); /* an earlier connection of this index */
    fd = memobj("partix-area", CHAN_SIZE);
    bell = eventfd(0, EFD_CLOEXEC);
    if (fd >= 0 && bell >= 0)
        map = mmap(NULL, CHAN_HEAD, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (map != MAP_FAILED) {
        fds[0] = fcntl(fd, F_DUPFD_CLOEXEC, 0);
        fds[1] = fcntl(bell, F_DUPFD_CLOEXEC, 0);
    }
    if (map == MAP_FAILED || fds[0] < 0 || fds[1] < 0) {
        spm_log(SPM_WARN, "connection %u: no area (%s): its calls go through psa-spm",
                (unsigned)e->conn, strerror(errno));
        if (map != MAP_FAILED) {
            munmap(map, CHAN_HEAD);
            if (fds[0] >= 0)
                close(fds[0]);
            if (fds[1] >= 0)
                close(fds[1]);
        }
        if (fd >= 0)
            close(fd);
        if (bell >= 0)
            close(bell);
        return;
    }
    c->area = map;
    c->gen = e->conn_gen;
    c->fd = fd;
    c->doorbell = bell;
    shell_send_msg(e->to, &e->msg, fds, 2);
}

int shell_chan_fds(uint32_t conn, uint32_t gen, int fds[2])
{
    struct shell_chan *c = chan_at(conn, gen);

    if (c == NULL || c->fd < 0)
        return 0;
    fds[0] = c->fd; /* the client's now: psa-spm needs only the header page */
    fds[1] = c->doorbell;
    c->fd = c->doorbell = -1;
    return 2;
}

void shell_chan_fail(const struct spm_effect *e)
{
    struct shell_chan *c = chan_at(e->conn, e->conn_gen);
    struct chan_area *a;
    uint32_t seq;

    if (c == NULL)
        return;
    close_fds(c); /* a client that has not got them yet never will */
    a = c->area;
    a->gone_status = e->status;
    __atomic_or_fetch(&a->flags, CHAN_GONE, __ATOMIC_SEQ_CST);
    /* the call in progress, if any: answered as its partition would have */
    seq = __atomic_load_n(&a->req_seq, __ATOMIC_SEQ_CST);
    if (__atomic_load_n(&a->done_seq, __ATOMIC_SEQ_CST) != seq) {
        a->status = e->status;
        memset(a->written, 0, sizeof(a->written));
        __atomic_store_n(&a->done_seq, seq, __ATOMIC_SEQ_CST);
    }
    syscall(SYS_futex, &a->done_seq, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}

void shell_chan_drop(const struct spm_effect *e)
{
    struct shell_chan *c = chan_at(e->conn, e->conn_gen);

    if (c != NULL)
        drop(c);
}

void shell_chan_watch(struct spm_peer to)
{
    struct shell_part *p = shell_part(to);
    struct spm_event ev = {.type = SPM_EV_PART_PROGRESS, .from = to};

    if (p == NULL || p->status == NULL)
        return;
    ev.taken = __atomic_load_n(&p->status->taken, __ATOMIC_ACQUIRE);
    ev.answered = __atomic_load_n(&p->status->answered, __ATOMIC_ACQUIRE);
    ev.calling = __atomic_load_n(&p->status->calling, __ATOMIC_ACQUIRE) != 0;
    shell_defer(&ev);
}
