/*
 * parts.c - partitions: their start (HELLO, CONFIG, READY), the channel
 * protocol, what happens when one dies (every caller gets an answer, and
 * the fault policy restarts it or resets them all), and the watchdog.
 *
 * A partition is killed only for what it did itself: a malformed or
 * forged message, a programmer error as a client, a reply it owes for
 * longer than the call timeout while making no progress, or a reset.
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "core_int.h"

struct part *part_of_peer(struct spm_core *c, struct spm_peer p, uint32_t *idx)
{
    struct part *pt;

    if (p.kind != SPM_PEER_PART || p.idx >= c->n_parts)
        return NULL;
    pt = &c->parts[p.idx];
    if (pt->gen != p.gen || !pt->alive || pt->killed)
        return NULL;
    *idx = p.idx;
    return pt;
}

static void spawn(struct spm_core *c, uint32_t part)
{
    struct spm_effect *e;

    c->parts[part].state = SPM_PART_STARTING;
    if (c->parts[part].spawning || c->parts[part].alive)
        return; /* the process on its way (or still dying) is the one */
    e = fx_add(c, SPM_FX_SPAWN);
    e->part = part;
    c->parts[part].spawning = true;
}

void parts_start(struct spm_core *c)
{
    uint32_t i;

    for (i = 0; i < c->n_parts; i++)
        spawn(c, i);
}

void part_kill(struct spm_core *c, uint32_t part, const char *why)
{
    struct part *p = &c->parts[part];

    if (!p->alive || p->killed)
        return;
    if (why != NULL)
        fx_log(c, SPM_WARN, "killing partition %s (pid %d): %s", p->mf->name, (int)p->pid, why);
    p->killed = true;
    fx_simple(c, SPM_FX_KILL, part_peer(c, part));
}

void part_panic(struct spm_core *c, uint32_t part, const char *fmt, ...)
{
    struct part *p = &c->parts[part];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(p->panic, sizeof(p->panic), fmt, ap);
    va_end(ap);
    p->panicked = true; /* reported with its exit */
    part_kill(c, part, NULL);
}

void parts_spawned(struct spm_core *c, uint32_t part, pid_t pid)
{
    struct part *p = &c->parts[part];

    p->gen++;
    p->pid = pid;
    p->alive = true;
    p->killed = false;
    p->state = SPM_PART_STARTING;
    p->hello = false;
    p->panicked = false;
    p->panic[0] = '\0';
    p->violation = -1;
    p->inflight = 0;
    p->win_msgs = 0;
    p->win_bytes = 0;
    p->pending.len = 0;
    p->spawning = false;
    p->d_answered = 0;
    p->d_since = 0;
    p->owner = owner_new_part(c, part, pid);
    if (p->owner.idx == NO_IDX) {
        part_kill(c, part, "no memory for its connections");
    } else if (c->stopping) {
        part_kill(c, part, NULL); /* started too late: the system is stopping */
    } else if (c->resetting) {
        p->resetting = true; /* started during a reset: it starts again with the rest */
        part_kill(c, part, NULL);
    }
}

void parts_spawn_failed(struct spm_core *c, uint32_t part, const char *why)
{
    fx_log(c, SPM_ERROR, "partition %s: %s", c->parts[part].mf->name, why);
    c->parts[part].spawning = false;
    c->parts[part].state = SPM_PART_FAILED;
}

static void send_config(struct spm_core *c, uint32_t part)
{
    const struct mf_partition *mf = c->parts[part].mf;
    struct wire_msg m;
    wire_msg_init(&m, WIRE_S_CONFIG);
    struct wire_config *w = &m.u.config;
    size_t i;

    w->pid = mf->pid;
    w->log_level = c->cfg.log_level >= SPM_DEBUG  ? WIRE_LOG_DEBUG
                   : c->cfg.log_level >= SPM_INFO ? WIRE_LOG_INFO
                                                  : WIRE_LOG_ERROR;
    w->lifecycle = c->cfg.lifecycle;
    w->n_services = (uint8_t)mf->n_services;
    for (i = 0; i < mf->n_services && i < WIRE_MAX_SERVICES; i++) {
        const struct mf_service *s = &mf->services[i];

        w->services[i].sid = s->sid;
        w->services[i].signal = s->signal;
        w->services[i].version = s->version;
        w->services[i].flags = (uint8_t)((s->connection_based ? WIRE_SVC_CONNECTION_BASED : 0) |
                                         (s->mm_iovec ? WIRE_SVC_MM_IOVEC : 0));
    }
    w->n_partitions = (uint16_t)c->n_parts;
    for (i = 0; i < c->n_parts && i < WIRE_MAX_PARTITIONS; i++)
        w->partition_ids[i] = c->cfg.sys->partitions[i].pid;
    w->n_regions = (uint8_t)mf->n_mmio;
    w->storage = mf->storage ? 1 : 0;
    w->fast = c->cfg.direct;
    fx_send(c, part_peer(c, part), &m, -1);
    /* its S_REGIONs, then its S_FASTs */
    if (mf->n_mmio > 0 || c->cfg.direct)
        fx_simple(c, SPM_FX_REGIONS, part_peer(c, part));
}

/* The executable must come from the manifest the SPM loaded. */
static int on_hello(struct spm_core *c, uint32_t part, const struct spm_event *ev)
{
    const struct wire_hello *h = &ev->msg->u.hello;
    struct part *p = &c->parts[part];
    size_t i;

    if (p->hello || p->state != SPM_PART_STARTING)
        return -1;
    if (strcmp(h->name, p->mf->name) != 0 || h->n_services != p->mf->n_services) {
        part_kill(c, part, "its executable was built for another partition or manifest");
        return 0;
    }
    for (i = 0; i < h->n_services; i++) {
        if (h->services[i].sid != p->mf->services[i].sid ||
            h->services[i].signal != p->mf->services[i].signal) {
            part_kill(c, part,
                      "its executable was built from a different manifest "
                      "(service IDs or signals differ): rebuild it");
            return 0;
        }
    }
    if (h->n_irqs != p->mf->n_irqs) {
        part_kill(c, part,
                  "its executable was built from a different manifest (interrupts "
                  "differ): rebuild it");
        return 0;
    }
    for (i = 0; i < h->n_irqs; i++) {
        if (h->irqs[i].signal != p->mf->irqs[i].signal ||
            (h->irqs[i].flih != 0) != (p->mf->irqs[i].handling == MF_IRQ_FLIH)) {
            part_kill(c, part,
                      "its executable was built from a different manifest "
                      "(interrupt signals or handling differ): rebuild it");
            return 0;
        }
    }
    p->hello = true;
    send_config(c, part);
    return 0;
}

static int on_ready(struct spm_core *c, uint32_t part, const struct spm_event *ev)
{
    struct part *p = &c->parts[part];
    int32_t abi = ev->msg->u.ready.landlock_abi;
    const char *dir = c->cfg.state_dir ? c->cfg.state_dir : "";

    if (!p->hello || p->state != SPM_PART_STARTING)
        return -1;
    p->state = SPM_PART_READY;
    p->last_progress = c->now;
    fx_log(c, SPM_INFO,
           "partition %s (pid %d) ready: sandboxed (seccomp, Landlock ABI %d%s%s%s%s), "
           "priority %s (nice %d)",
           p->mf->name, (int)p->pid, (int)abi, p->mf->storage ? ", storage " : "",
           p->mf->storage ? dir : "", p->mf->storage ? "/" : "", p->mf->storage ? p->mf->name : "",
           mf_priority_name(p->mf->priority), ev->nice);
    if (ev->nice_known && ev->nice != ev->nice_want)
        fx_log(c, SPM_WARN,
               "partition %s: priority %s runs at nice %d, not %d: raising a partition "
               "above psa-spm needs CAP_SYS_NICE",
               p->mf->name, mf_priority_name(p->mf->priority), ev->nice, ev->nice_want);
    if (abi == 0)
        fx_log(c, SPM_WARN, "partition %s: the kernel has no Landlock; seccomp alone denies files",
               p->mf->name);
    irqs_part_ready(c, part);
    return 0;
}

static int on_panic(struct spm_core *c, uint32_t part, const struct spm_event *ev)
{
    struct part *p = &c->parts[part];

    snprintf(p->panic, sizeof(p->panic), "%s", ev->msg->u.text.text);
    p->panicked = true; /* reported with its exit */
    fx_log(c, SPM_DEBUG, "partition %s (pid %d) reports a panic: %s", p->mf->name, (int)p->pid,
           p->panic);
    return 0;
}

static int on_log(struct spm_core *c, uint32_t part, const struct spm_event *ev)
{
    const struct wire_text *t = &ev->msg->u.text;

    fx_log(c,
           t->level <= WIRE_LOG_ERROR  ? SPM_ERROR
           : t->level == WIRE_LOG_INFO ? SPM_INFO
                                       : SPM_DEBUG,
           "[%s] %s", c->parts[part].mf->name, t->text);
    return 0;
}

static const char *syscall_name(const struct spm_core *c, int nr)
{
    const char *s = c->cfg.syscall_name ? c->cfg.syscall_name(nr) : NULL;

    return s ? s : "unknown";
}

static int on_violation(struct spm_core *c, uint32_t part, const struct spm_event *ev)
{
    struct part *p = &c->parts[part];
    const struct wire_violation *v = &ev->msg->u.violation;

    p->violation = v->nr;
    fx_log(c, SPM_DEBUG,
           "partition %s (pid %d) made a forbidden system call: %s (nr %d, arch 0x%x); the "
           "sandbox kills it",
           p->mf->name, (int)p->pid, syscall_name(c, v->nr), (int)v->nr, v->arch);
    return 0;
}

static int on_notify(struct spm_core *c, uint32_t part, const struct spm_event *ev)
{
    const struct mf_partition *target = mf_find_pid(c->cfg.sys, ev->msg->u.notify.partition_id);
    struct wire_msg m;
    wire_msg_init(&m, WIRE_S_DOORBELL);
    uint32_t t;

    (void)part;
    if (target == NULL)
        return -1; /* the runtime panics first; reaching here is a forgery */
    t = (uint32_t)(target - c->cfg.sys->partitions);
    if (c->parts[t].state == SPM_PART_READY && c->parts[t].alive && !c->parts[t].killed)
        fx_send(c, part_peer(c, t), &m, -1);
    return 0;
}

static int on_irq(struct spm_core *c, uint32_t part, const struct spm_event *ev)
{
    return irq_ctl(c, part, ev->msg->u.irq_ctl.signal, ev->msg->u.irq_ctl.op);
}

static int on_mmio(struct spm_core *c, uint32_t part, const struct spm_event *ev)
{
    const struct wire_mmio *w = &ev->msg->u.mmio;
    const struct mf_partition *mf = c->parts[part].mf;
    const struct mf_region *dev;
    struct spm_effect *e;

    /* only a write the runtime can report: to a register of a device it was granted */
    if (w->region >= mf->n_mmio || mf->mmio[w->region].name == NULL || c->cfg.plat == NULL)
        return -1;
    dev = &c->cfg.plat->regions[mf->mmio[w->region].region];
    if (dev->device == MF_DEV_MEMORY || dev->device == MF_DEV_NVMEM || dev->device == MF_DEV_OTP ||
        w->offset >= dev->size)
        return -1;
    e = fx_add(c, SPM_FX_MMIO);
    e->part = part;
    e->to = part_peer(c, part);
    e->region = w->region;
    e->offset = w->offset;
    e->value = w->value;
    return 0;
}

static int on_reply(struct spm_core *c, uint32_t part, const struct spm_event *ev)
{
    msg_reply(c, part, &ev->msg->u.reply);
    return 0;
}

static int on_reset(struct spm_core *c, uint32_t part, const struct spm_event *ev)
{
    reset_request(c, part, &ev->msg->u.reset);
    return 0;
}

/* A large call from a partition travels in a memfd, as a client's does; the
 * sandbox lets a partition create none, so the SPM makes a fresh one. */
static int on_buffer(struct spm_core *c, uint32_t part, const struct spm_event *ev)
{
    struct spm_effect *e = fx_add(c, SPM_FX_BUFFER);

    e->to = part_peer(c, part);
    e->part = part;
    e->size = ev->msg->u.buffer_req.size;
    e->seq = ev->msg->seq;
    return 0;
}

/* A partition as a client of the services in its dependencies. */
static int as_client(struct spm_core *c, uint32_t part, const struct spm_event *ev)
{
    struct part *p = &c->parts[part];
    const struct wire_msg *m = ev->msg;
    struct caller k;

    if (p->inflight >= c->cfg.max_inflight_socket)
        return -1; /* the runtime waits for each answer: this is not it */
    p->inflight++;
    memset(&k, 0, sizeof(k));
    k.asker.peer = part_peer(c, part);
    k.asker.seq = m->seq;
    k.asker.user = NO_IDX;
    k.asker.charged = true;
    k.owner = p->owner;
    k.part = part;
    switch (m->type) {
    case WIRE_C_VERSION:
        spm_version(c, &k, &m->u.version_req);
        break;
    case WIRE_C_CONNECT:
        spm_connect(c, &k, &m->u.connect_req);
        break;
    case WIRE_C_CALL:
        spm_call(c, &k, &m->u.call_req, ev->fd, ev->fd_ok);
        break;
    default:
        spm_close(c, &k, &m->u.close_req);
        break;
    }
    return 0;
}

#define ANY 0   /* starting or ready */
#define READY 1 /* ready only */
#define STARTING 2
#define SERVING 3 /* ready, or out of service but running: its own requests are answered */

static const struct {
    uint16_t type;
    uint8_t when;
    int (*fn)(struct spm_core *c, uint32_t part, const struct spm_event *ev);
} handlers[] = {
    {WIRE_P_HELLO, STARTING, on_hello},
    {WIRE_P_READY, STARTING, on_ready},
    {WIRE_P_REPLY, READY, on_reply},
    {WIRE_P_PANIC, ANY, on_panic},
    {WIRE_P_LOG, ANY, on_log},
    {WIRE_P_VIOLATION, ANY, on_violation},
    {WIRE_P_NOTIFY, READY, on_notify},
    {WIRE_P_IRQ, READY, on_irq},
    {WIRE_P_MMIO, READY, on_mmio},
    {WIRE_P_RESET, READY, on_reset},
    {WIRE_C_BUFFER, SERVING, on_buffer},
    {WIRE_C_VERSION, SERVING, as_client},
    {WIRE_C_CONNECT, SERVING, as_client},
    {WIRE_C_CALL, SERVING, as_client},
    {WIRE_C_CLOSE, SERVING, as_client},
};

void parts_msg(struct spm_core *c, const struct spm_event *ev)
{
    const struct wire_msg *m = ev->msg;
    struct part *p;
    uint32_t part;
    size_t i;

    p = part_of_peer(c, ev->from, &part);
    if (p == NULL || m == NULL ||
        (c->stopping && m->type != WIRE_P_LOG && m->type != WIRE_P_PANIC &&
         m->type != WIRE_P_VIOLATION)) {
        /* said after it was killed, or while the system stops (the calls it
         * answers and makes were dropped with their clients): ignored */
        fx_close_fd(c, ev->fd);
        return;
    }
    for (i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++)
        if (handlers[i].type == m->type)
            break;
    if (p->state == SPM_PART_FAILED && i < sizeof(handlers) / sizeof(handlers[0]) &&
        handlers[i].when != ANY && handlers[i].when != SERVING) {
        /* out of service, left idle: what it answers or signals goes
         * nowhere; its log is heard and its own requests answered */
        fx_close_fd(c, ev->fd);
        return;
    }
    if (i == sizeof(handlers) / sizeof(handlers[0]) ||
        (ev->fd >= 0 && !(m->type == WIRE_C_CALL && (m->u.call_req.flags & WIRE_CALL_MEMFD))) ||
        (handlers[i].when == READY && p->state != SPM_PART_READY) ||
        (handlers[i].when == SERVING && p->state != SPM_PART_READY &&
         p->state != SPM_PART_FAILED) ||
        (handlers[i].when == STARTING && p->state != SPM_PART_STARTING)) {
        fx_close_fd(c, ev->fd); /* only a large call passes a descriptor: its memfd */
        part_kill(c, part, "malformed or unexpected datagram");
        return;
    }
    if (handlers[i].fn(c, part, ev) < 0) {
        fx_close_fd(c, ev->fd); /* a handler that refuses has not taken it */
        part_kill(c, part, "malformed or unexpected datagram");
    }
}

void parts_bad(struct spm_core *c, struct spm_peer from, const char *why)
{
    uint32_t part;

    if (part_of_peer(c, from, &part) != NULL)
        part_kill(c, part, why);
}

void parts_eof(struct spm_core *c, struct spm_peer from)
{
    uint32_t part;

    /* it exited or closed its channel: make sure, and let the reaper report */
    if (part_of_peer(c, from, &part) != NULL)
        part_kill(c, part, NULL);
}

static void describe_death(const struct spm_core *c, const struct part *p, int status, char *buf,
                           size_t size)
{
    if (p->violation >= 0)
        snprintf(buf, size, "killed by the sandbox: forbidden system call %s (nr %d)",
                 syscall_name(c, p->violation), p->violation);
    else if (p->panicked)
        snprintf(buf, size, "panicked: %s", p->panic);
    else if (WIFSIGNALED(status))
        snprintf(buf, size, "killed by signal %s", strsignal(WTERMSIG(status)));
    else
        snprintf(buf, size, "exited with status %d", WEXITSTATUS(status));
}

static void respawn_all(struct spm_core *c)
{
    uint32_t i;

    c->resetting = false;
    fx_log(c, SPM_INFO, "restarting all %zu partitions", c->n_parts);
    for (i = 0; i < c->n_parts; i++)
        spawn(c, i);
}

/* Past the reset limit: a partition is out of service for good.  A live
 * process is left idle until psa-spm stops (its callers are answered, its
 * connections dead, and what it sends but its log is ignored); a dead one
 * is not started again. */
static void out_of_service(struct spm_core *c, uint32_t part)
{
    struct part *p = &c->parts[part];

    p->state = SPM_PART_FAILED;
    if (!p->alive)
        return;
    conns_part_gone(c, part);
    p->pending.len = 0;
    p->win_msgs = 0;
    p->win_bytes = 0;
}

/* The reset policy: a fault of one partition restarts them all, as TF-M
 * resets the system.  The others are killed; when the last one is reaped
 * every partition starts again. */
static void reset_step(struct spm_core *c, uint32_t failed, bool was_ready)
{
    struct part *f = &c->parts[failed];
    long now_s = c->now / 1000;
    size_t i, alive = 0;

    if (!c->resetting) {
        if (!was_ready) {
            f->state = SPM_PART_FAILED; /* it never started: no reset would help */
            fx_log(c, SPM_ERROR, "partition %s is out of service: it did not start", f->mf->name);
            return;
        }
        if (now_s - c->reset_window_start > c->cfg.reset_window_s) {
            c->reset_window_start = now_s;
            c->resets = 0;
        }
        if (c->cfg.max_resets > 0 && c->resets >= c->cfg.max_resets) {
            fx_log(c, SPM_ERROR,
                   "too many system resets (%u in %ld s): partitions are out of service",
                   c->cfg.max_resets, c->cfg.reset_window_s);
            f->state = SPM_PART_FAILED;
            for (i = 0; i < c->n_parts; i++)
                if (i != failed)
                    out_of_service(c, (uint32_t)i);
            return;
        }
        c->resets++;
        c->resetting = true;
        fx_simple(c, SPM_FX_BOARD_RESET, (struct spm_peer){0});
        if (c->cfg.max_resets > 0)
            fx_log(c, SPM_ERROR,
                   "system reset after the fault of partition %s (reset %u of %u in %ld s)",
                   f->mf->name, c->resets, c->cfg.max_resets, c->cfg.reset_window_s);
        else
            fx_log(c, SPM_ERROR, "system reset after the fault of partition %s (reset %u)",
                   f->mf->name, c->resets);
        for (i = 0; i < c->n_parts; i++) {
            if (i != failed && c->parts[i].alive) {
                c->parts[i].resetting = true;
                part_kill(c, (uint32_t)i, NULL);
            }
        }
    }
    f->state = SPM_PART_DEAD;
    for (i = 0; i < c->n_parts; i++)
        alive += c->parts[i].alive;
    if (alive == 0)
        respawn_all(c);
}

void parts_exited(struct spm_core *c, pid_t pid, int status)
{
    struct part *p = NULL;
    char why[WIRE_MAX_LOG + 64];
    bool was_ready, victim, idle;
    long now_s = c->now / 1000;
    uint32_t part;

    for (part = 0; part < c->n_parts; part++) {
        if (c->parts[part].alive && c->parts[part].pid == pid) {
            p = &c->parts[part];
            break;
        }
    }
    if (p == NULL)
        return;
    describe_death(c, p, status, why, sizeof(why));
    idle = p->state == SPM_PART_FAILED; /* out of service, left idle */
    was_ready = p->state == SPM_PART_READY;
    victim = p->resetting;
    p->resetting = false;
    p->alive = false;
    p->killed = false;
    p->pid = 0;
    p->gen++;                /* replies meant for the dead process go nowhere */
    owner_gone(c, p->owner); /* its connections to other partitions close */
    p->owner.idx = NO_IDX;
    conns_part_gone(c, part); /* its callers get an answer */
    p->pending.len = 0;
    p->win_msgs = 0;
    p->win_bytes = 0;
    p->inflight = 0;
    if (c->stopping) {
        fx_log(c, SPM_INFO, "partition %s (pid %d) stopped: %s", p->mf->name, (int)pid, why);
        p->state = SPM_PART_DEAD;
        return;
    }
    if (idle && !victim) { /* out of service already: nothing to restart */
        fx_log(c, SPM_ERROR, "partition %s (pid %d) %s (out of service)", p->mf->name, (int)pid,
               why);
        return;
    }
    if (victim)
        fx_log(c, SPM_INFO, "partition %s (pid %d) stopped for the reset", p->mf->name, (int)pid);
    else
        fx_log(c, SPM_ERROR, "partition %s (pid %d) %s", p->mf->name, (int)pid, why);
    if (c->cfg.policy == SPM_POLICY_RESET || c->resetting) {
        reset_step(c, part, was_ready || victim);
        return;
    }
    if (now_s - p->window_start > c->cfg.reset_window_s) {
        p->window_start = now_s;
        p->restarts = 0;
    }
    if (!was_ready || (c->cfg.max_resets > 0 && p->restarts >= c->cfg.max_resets)) {
        p->state = SPM_PART_FAILED;
        fx_log(c, SPM_ERROR, "partition %s is out of service%s", p->mf->name,
               was_ready ? ": too many restarts" : ": it did not start");
        return;
    }
    p->restarts++;
    p->state = SPM_PART_DEAD;
    if (c->cfg.max_resets > 0)
        fx_log(c, SPM_INFO, "restarting partition %s (restart %u of %u in %ld s)", p->mf->name,
               p->restarts, c->cfg.max_resets, c->cfg.reset_window_s);
    else
        fx_log(c, SPM_INFO, "restarting partition %s (restart %u)", p->mf->name, p->restarts);
    spawn(c, part);
}

void system_reset(struct spm_core *c, const char *why)
{
    uint32_t i;

    if (c->resetting || c->stopping)
        return;
    c->resetting = true;
    fx_simple(c, SPM_FX_BOARD_RESET, (struct spm_peer){0});
    fx_log(c, SPM_ERROR, "system reset (%s): every partition restarts", why);
    for (i = 0; i < c->n_parts; i++) {
        if (c->parts[i].alive) {
            c->parts[i].resetting = true;
            part_kill(c, i, NULL);
        }
    }
    if (spm_core_alive(c) == 0)
        respawn_all(c);
}

/* The watchdog: a partition that owes a reply and answers nothing for the
 * call timeout is hung.  Time counts from its last answer or from when it
 * was given work while idle: a partition busy with a queue is not hung. */
static long overdue_at(const struct spm_core *c, const struct part *p)
{
    long oldest = -1;
    unsigned i;

    if (c->cfg.call_timeout_ms <= 0 || p->win_msgs == 0 || !p->alive || p->killed ||
        p->state != SPM_PART_READY)
        return -1;
    for (i = 0; i < p->win_msgs; i++) {
        const struct conn *k = slot_get(&c->conns, p->win[i]);

        if (k != NULL && (oldest < 0 || k->sent_at < oldest))
            oldest = k->sent_at;
    }
    if (oldest < 0)
        return -1;
    return (oldest > p->last_progress ? oldest : p->last_progress) + c->cfg.call_timeout_ms;
}

static const char *oldest_kind(struct spm_core *c, uint32_t part)
{
    const struct part *p = &c->parts[part];
    const struct conn *best = NULL;
    unsigned i;

    for (i = 0; i < p->win_msgs; i++) {
        const struct conn *k = slot_get(&c->conns, p->win[i]);

        if (k != NULL && (best == NULL || k->sent_at < best->sent_at))
            best = k;
    }
    if (best == NULL || best->msg_type >= PSA_IPC_CALL)
        return "call";
    return best->msg_type == PSA_IPC_CONNECT ? "CONNECT" : "DISCONNECT";
}

void parts_tick(struct spm_core *c)
{
    uint32_t i;

    for (i = 0; i < c->n_parts; i++) {
        long at = overdue_at(c, &c->parts[i]);

        if (at >= 0 && at <= c->now)
            part_panic(c, i, "hung: no reply to a %s message for %ld ms", oldest_kind(c, i),
                       c->cfg.call_timeout_ms);
    }
}

long parts_next_deadline(const struct spm_core *c, long now)
{
    long next = -1;
    size_t i;

    for (i = 0; i < c->n_parts; i++) {
        long at = overdue_at(c, &c->parts[i]);

        if (at >= 0 && (next < 0 || at < next))
            next = at;
    }
    return next < 0 ? -1 : (next > now ? next - now : 0);
}

/*
 * The call-timeout rule for direct calls, which psa-spm does not see: a
 * caller that has waited STALL_MS asks (C_STALL), psa-spm reads the
 * partition's counters, and a partition that owes direct answers, waits on
 * no call of its own and has answered none for --call-timeout since it was
 * first seen owing is hung, as for a routed message.
 */
void parts_progress(struct spm_core *c, const struct spm_event *ev)
{
    uint32_t part;
    struct part *p = part_of_peer(c, ev->from, &part);

    if (p == NULL || p->state != SPM_PART_READY || p->killed)
        return;
    if (ev->taken == ev->answered || ev->calling) {
        p->d_since = 0; /* nothing owed, or it waits on a call of its own */
        return;
    }
    if (p->d_since == 0 || ev->answered != p->d_answered) {
        if (p->d_since != 0)
            p->last_progress = c->now; /* it answered: routed messages wait behind */
        p->d_answered = ev->answered;
        p->d_since = c->now;
        return;
    }
    if (c->cfg.call_timeout_ms > 0 && c->now - p->d_since >= c->cfg.call_timeout_ms)
        part_panic(c, part, "hung: no reply to a call message for %ld ms", c->cfg.call_timeout_ms);
}

void parts_stop(struct spm_core *c)
{
    struct wire_msg m;
    wire_msg_init(&m, WIRE_S_STOP);
    uint32_t i;

    /* STOP lets a running partition log its stack use and exit; one that
     * is still starting is killed */
    for (i = 0; i < c->n_parts; i++) {
        struct part *p = &c->parts[i];

        if (!p->alive || p->killed)
            continue;
        if (p->state == SPM_PART_READY)
            fx_send(c, part_peer(c, i), &m, -1);
        else
            part_kill(c, i, NULL);
    }
}
