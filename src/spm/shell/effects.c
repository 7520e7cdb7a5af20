/*
 * effects.c - carrying out the core's outbox, in order.  Nothing here
 * decides: a peer the core names that is gone by now (a stale generation)
 * just has the descriptor meant for it closed; what fails is reported back
 * to the core as a new event after this outbox (shell_defer()).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "spm.h"

static void close_fd(int fd)
{
    if (fd >= 0)
        close(fd);
}

static void close_fds(const int *fds, int n_fds)
{
    for (int i = 0; i < n_fds; i++)
        close_fd(fds[i]);
}

void shell_send_msg(struct spm_peer to, const struct wire_msg *m, const int *fds, int n_fds)
{
    static struct wire_frame f; /* 2 KiB kept off the stack; one thread */
    struct shell_client *c = shell_client(to);
    struct shell_part *p = c == NULL ? shell_part(to) : NULL;

    if (c == NULL && p == NULL) {
        close_fds(fds, n_fds); /* gone meanwhile */
        return;
    }
    if (wire_encode(&f, m) < 0) {
        spm_log(SPM_ERROR, "internal: the core made a %s message the codec refuses",
                wire_type_name(m->type));
        close_fds(fds, n_fds);
        return;
    }
    if (c != NULL)
        shell_client_send_fds(c, to.idx, &f, fds, n_fds);
    else
        shell_part_send_fds(p, to.idx, &f, fds, n_fds);
}

/* Sends @p m to @p to with @p fd (consumed in every case). */
static void send_msg(struct spm_peer to, const struct wire_msg *m, int fd)
{
    shell_send_msg(to, m, &fd, fd >= 0 ? 1 : 0);
}

/* SEND: an R_CONNECT of a direct connection takes its area and doorbell. */
static void fx_send(const struct spm_effect *e)
{
    int fds[2];

    if (e->conn > 0 && e->msg.type == WIRE_R_CONNECT && e->fd < 0 &&
        shell_chan_fds(e->conn - 1, e->conn_gen, fds) == 2) {
        shell_send_msg(e->to, &e->msg, fds, 2);
        return;
    }
    send_msg(e->to, &e->msg, e->fd);
}

static void part_bad(uint32_t part, const char *why)
{
    struct spm_event ev = {.type = SPM_EV_PART_BAD,
                           .from = {SPM_PEER_PART, part, spm_core_part_gen(shell.core, part)},
                           .why = why};

    shell_defer(&ev);
}

static void fx_kill(struct spm_peer to)
{
    struct shell_part *p;
    pid_t pid;

    if (to.idx >= shell.n_parts)
        return;
    p = &shell.parts[to.idx];
    pid = spm_core_part_pid(shell.core, to.idx);
    /* only a process not reported gone yet: the monitor kills it if it is
     * still its child, so never a pid reused by another process */
    if (pid > 0 && pid == p->pid)
        shell_priv_kill(to.idx, pid);
    if (p->gen == to.gen)
        shell_part_close(p);
}

static void fx_spawn(uint32_t part)
{
    struct spm_event ev = {.part = part};
    char why[128];
    pid_t pid;
    int chan;

    if (part >= shell.n_parts)
        return;
    if (shell_priv_spawn(part, &pid, &chan, why, sizeof(why)) < 0) {
        ev.type = SPM_EV_SPAWN_FAILED;
        ev.why = why; /* copied by shell_defer() */
    } else {
        shell_part_spawned(part, pid, chan);
        ev.type = SPM_EV_PART_SPAWNED;
        ev.pid = pid;
    }
    shell_defer(&ev);
}

/* A large call's memory object for a partition, which may create none
 * (the sandbox allows no memfd_create): sized, and sealed against resizing
 * so neither side can pull it from under the other's mapping. */
static void fx_buffer(const struct spm_effect *e)
{
    struct wire_msg m;
    int fd;

    fd = memfd_create("psa-call", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (fd >= 0 && (ftruncate(fd, (off_t)e->size) < 0 ||
                    fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) < 0)) {
        close(fd);
        fd = -1;
    }
    memset(&m, 0, sizeof(m));
    m.type = WIRE_R_BUFFER;
    m.seq = e->seq;
    m.u.status_rep.status = fd >= 0 ? PSA_SUCCESS : PSA_ERROR_INSUFFICIENT_MEMORY;
    send_msg(e->to, &m, fd);
}

/* S_REGION for each MMIO region of the partition, each with its own
 * descriptor of the region's memory object; then, with the direct path,
 * S_FAST. */
static void fx_regions(struct spm_peer to)
{
    const struct mf_partition *mf;
    struct wire_msg m;
    size_t k;
    int fd;

    if (to.idx >= shell.n_parts)
        return;
    mf = &shell.sys->partitions[to.idx];
    for (k = 0; k < mf->n_mmio && shell_part(to) != NULL; k++) {
        errno = 0;
        if (spm_board_region(mf, k, &m, &fd) < 0 || (fd = fcntl(fd, F_DUPFD_CLOEXEC, 0)) < 0) {
            spm_log(SPM_ERROR, "partition %s: MMIO region %zu: %s", mf->name, k,
                    errno ? strerror(errno) : "not on the board");
            part_bad(to.idx, "cannot send its configuration");
            return;
        }
        send_msg(to, &m, fd);
    }
    if (spm.direct && shell_part(to) != NULL && shell_fast_setup(to.idx) < 0)
        part_bad(to.idx, "cannot send its configuration");
}

static void fx_mmio(const struct spm_effect *e)
{
    if (e->part >= shell.n_parts)
        return;
    if (spm_board_mmio(&shell.sys->partitions[e->part], e->region, e->offset, e->value, shell.now) <
        0)
        part_bad(e->part, "a write to a register of no device of its");
}

static void fx_read(struct spm_peer to, bool on)
{
    struct shell_client *c = shell_client(to);

    if (c != NULL) {
        c->read_core = on;
        shell_client_watch(c, to.idx);
    }
}

static void fx_drop(struct spm_peer to)
{
    struct shell_client *c = shell_client(to);

    if (c != NULL)
        shell_client_close(c);
}

void shell_carry_out(const struct spm_effect *fx, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        const struct spm_effect *e = &fx[i];

        switch (e->type) {
        case SPM_FX_SEND:
            fx_send(e);
            break;
        case SPM_FX_CHAN_OPEN:
            shell_chan_open(e);
            break;
        case SPM_FX_CHAN_FAIL:
            shell_chan_fail(e);
            break;
        case SPM_FX_CHAN_CLOSE:
            shell_chan_drop(e);
            break;
        case SPM_FX_WATCH:
            shell_chan_watch(e->to);
            break;
        case SPM_FX_DROP:
            fx_drop(e->to);
            break;
        case SPM_FX_KILL:
            fx_kill(e->to);
            break;
        case SPM_FX_SPAWN:
            fx_spawn(e->part);
            break;
        case SPM_FX_CLOSE_FD:
            close_fd(e->fd);
            break;
        case SPM_FX_LOG:
            spm_log_text(e->level, e->text);
            break;
        case SPM_FX_READ:
            fx_read(e->to, e->on);
            break;
        case SPM_FX_BUFFER:
            fx_buffer(e);
            break;
        case SPM_FX_REGIONS:
            fx_regions(e->to);
            break;
        case SPM_FX_MMIO:
            fx_mmio(e);
            break;
        case SPM_FX_BOARD_RESET:
            spm_board_reset(); /* lines it lowers come back as deferred events */
            break;
        default:
            spm_log(SPM_ERROR, "internal: unknown effect %d", (int)e->type);
            close_fd(e->fd);
            break;
        }
    }
}

/* ---- the board's devices, as events ---- */

static void board_irq_line(int line, bool level)
{
    struct spm_event ev = {.type = SPM_EV_IRQ_LINE, .line = line, .level = level};

    shell_defer(&ev);
}

static void board_reset(const char *why)
{
    struct spm_event ev = {.type = SPM_EV_SYSTEM_RESET, .why = why};

    shell_defer(&ev);
}

const struct spm_board_hooks shell_board_hooks = {board_irq_line, board_reset};
