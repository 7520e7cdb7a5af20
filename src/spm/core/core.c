/*
 * core.c - the core's frame: the event table, the object tables, the outbox
 * and reaping, and the queries the shell makes.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_int.h"

/* ---- object tables ---- */

int slots_init(struct slots *s, size_t size, uint32_t max)
{
    memset(s, 0, sizeof(*s));
    s->size = size;
    s->max = max;
    return 0;
}

void slots_free(struct slots *s)
{
    uint32_t i;

    for (i = 0; i < s->cap; i++)
        free(s->obj[i]);
    free(s->obj);
    free(s->gen);
    free(s->state);
    free(s->free);
    memset(s, 0, sizeof(*s));
}

static int slots_grow(struct slots *s)
{
    uint32_t cap = s->cap ? s->cap * 2 : 16, i;
    void **obj;
    uint32_t *gen, *fr;
    uint8_t *st;

    if (cap > s->max)
        cap = s->max;
    if (cap <= s->cap)
        return -1;
    obj = realloc(s->obj, cap * sizeof(*obj));
    if (obj == NULL)
        return -1;
    s->obj = obj;
    gen = realloc(s->gen, cap * sizeof(*gen));
    if (gen == NULL)
        return -1;
    s->gen = gen;
    st = realloc(s->state, cap * sizeof(*st));
    if (st == NULL)
        return -1;
    s->state = st;
    fr = realloc(s->free, cap * sizeof(*fr));
    if (fr == NULL)
        return -1;
    s->free = fr;
    for (i = s->cap; i < cap; i++) {
        s->obj[i] = NULL;
        s->gen[i] = 1;
        s->state[i] = SLOT_FREE;
    }
    s->cap = cap;
    return 0;
}

void *slot_new(struct slots *s, struct ref *out)
{
    uint32_t idx;

    if (s->n_free > 0) {
        idx = s->free[--s->n_free];
    } else {
        if (s->used == s->cap && slots_grow(s) < 0)
            return NULL;
        idx = s->used++;
    }
    if (s->obj[idx] == NULL && (s->obj[idx] = malloc(s->size)) == NULL) {
        s->free[s->n_free++] = idx;
        return NULL;
    }
    memset(s->obj[idx], 0, s->size);
    s->state[idx] = SLOT_LIVE;
    out->idx = idx;
    out->gen = s->gen[idx];
    return s->obj[idx];
}

void *slot_get(const struct slots *s, struct ref r)
{
    if (r.idx >= s->used || s->state[r.idx] != SLOT_LIVE || s->gen[r.idx] != r.gen)
        return NULL;
    return s->obj[r.idx];
}

void *slot_at(const struct slots *s, uint32_t idx)
{
    return idx < s->used && s->state[idx] == SLOT_LIVE ? s->obj[idx] : NULL;
}

void slot_kill(struct slots *s, uint32_t idx)
{
    if (idx < s->used && s->state[idx] == SLOT_LIVE) {
        s->state[idx] = SLOT_DEAD;
        s->n_dead++;
    }
}

/* Dead slots become free, with a new generation: after the batch only. */
static void slots_reap(struct slots *s)
{
    uint32_t i;

    for (i = 0; s->n_dead > 0 && i < s->used; i++) {
        if (s->state[i] != SLOT_DEAD)
            continue;
        s->n_dead--;
        s->state[i] = SLOT_FREE;
        s->gen[i]++;
        s->free[s->n_free++] = i;
    }
}

/* ---- the outbox ---- */

struct spm_effect *fx_add(struct spm_core *c, enum spm_effect_type type)
{
    struct spm_effect *e;

    if (c->n_fx == c->cap_fx) {
        size_t cap = c->cap_fx ? c->cap_fx * 2 : 32;
        struct spm_effect *fx = realloc(c->fx, cap * sizeof(*fx));

        if (fx == NULL)
            abort(); /* the core cannot lose an effect: its own invariant */
        c->fx = fx;
        c->cap_fx = cap;
    }
    e = &c->fx[c->n_fx++];
    memset(e, 0, offsetof(struct spm_effect, msg));
    e->type = type;
    e->fd = -1;
    return e;
}

void fx_send(struct spm_core *c, struct spm_peer to, const struct wire_msg *m, int fd)
{
    struct spm_effect *e = fx_add(c, SPM_FX_SEND);

    e->to = to;
    e->fd = fd;
    memcpy(&e->msg, m, wire_msg_size(m->type)); /* a reply's few bytes, not the whole union */
}

void fx_simple(struct spm_core *c, enum spm_effect_type type, struct spm_peer to)
{
    fx_add(c, type)->to = to;
}

void fx_close_fd(struct spm_core *c, int fd)
{
    if (fd >= 0)
        fx_add(c, SPM_FX_CLOSE_FD)->fd = fd;
}

void fx_read(struct spm_core *c, struct spm_peer to, bool on)
{
    struct spm_effect *e = fx_add(c, SPM_FX_READ);

    e->to = to;
    e->on = on;
}

void fx_log(struct spm_core *c, enum spm_level level, const char *fmt, ...)
{
    struct spm_effect *e;
    va_list ap;
    char *text;
    int n;

    if (level > c->cfg.log_level)
        return;
    va_start(ap, fmt);
    n = vasprintf(&text, fmt, ap);
    va_end(ap);
    if (n < 0)
        return; /* a log line is the one thing the core may lose */
    if (c->n_texts == c->cap_texts) {
        size_t cap = c->cap_texts ? c->cap_texts * 2 : 16;
        char **t = realloc(c->texts, cap * sizeof(*t));

        if (t == NULL) {
            free(text);
            return;
        }
        c->texts = t;
        c->cap_texts = cap;
    }
    c->texts[c->n_texts++] = text;
    e = fx_add(c, SPM_FX_LOG);
    e->level = level;
    e->text = text;
}

void garbage_add(struct spm_core *c, void *p)
{
    if (p == NULL)
        return;
    if (c->n_garbage == c->cap_garbage) {
        size_t cap = c->cap_garbage ? c->cap_garbage * 2 : 16;
        void **g = realloc(c->garbage, cap * sizeof(*g));

        if (g == NULL)
            abort();
        c->garbage = g;
        c->cap_garbage = cap;
    }
    c->garbage[c->n_garbage++] = p;
}

const struct spm_effect *spm_core_effects(const struct spm_core *c, size_t *n)
{
    *n = c->n_fx;
    return c->fx;
}

void spm_core_clear(struct spm_core *c)
{
    size_t i;

    for (i = 0; i < c->n_texts; i++)
        free(c->texts[i]);
    c->n_texts = 0;
    c->n_fx = 0;
}

void spm_core_reap(struct spm_core *c)
{
    size_t i;

    for (i = 0; i < c->n_garbage; i++)
        free(c->garbage[i]);
    c->n_garbage = 0;
    slots_reap(&c->clients);
    slots_reap(&c->owners);
    slots_reap(&c->conns);
}

struct spm_peer part_peer(const struct spm_core *c, uint32_t part)
{
    struct spm_peer p = {SPM_PEER_PART, part, c->parts[part].gen};

    return p;
}

struct spm_peer client_peer(struct ref r)
{
    struct spm_peer p = {SPM_PEER_CLIENT, r.idx, r.gen};

    return p;
}

/* ---- life of the core ---- */

struct spm_core *spm_core_new(const struct spm_core_config *cfg)
{
    struct spm_core *c = calloc(1, sizeof(*c));
    size_t i;

    if (c == NULL)
        return NULL;
    c->cfg = *cfg;
    if (c->cfg.max_conns == 0)
        c->cfg.max_conns = SPM_DEF_MAX_CONNS;
    if (c->cfg.max_inflight_socket == 0)
        c->cfg.max_inflight_socket = SPM_DEF_INFLIGHT_SOCKET;
    if (c->cfg.max_inflight_user == 0)
        c->cfg.max_inflight_user = SPM_DEF_INFLIGHT_USER;
    if (c->cfg.max_sockets_user == 0)
        c->cfg.max_sockets_user = SPM_DEF_SOCKETS_USER;
    if (c->cfg.window_msgs == 0)
        c->cfg.window_msgs = SPM_DEF_WINDOW_MSGS;
    if (c->cfg.window_bytes == 0)
        c->cfg.window_bytes = SPM_DEF_WINDOW_BYTES;
    c->n_parts = cfg->sys->n_partitions;
    c->parts = calloc(c->n_parts + 1, sizeof(*c->parts));
    if (c->parts == NULL)
        goto fail;
    for (i = 0; i < c->n_parts; i++) {
        c->parts[i].mf = &cfg->sys->partitions[i];
        c->parts[i].state = SPM_PART_DEAD;
        c->parts[i].violation = -1;
        c->parts[i].owner.idx = NO_IDX;
        c->parts[i].win = calloc(c->cfg.window_msgs, sizeof(*c->parts[i].win));
        if (c->parts[i].win == NULL)
            goto fail;
    }
    slots_init(&c->clients, sizeof(struct client), UINT32_MAX / 2);
    slots_init(&c->owners, sizeof(struct owner), UINT32_MAX / 2);
    slots_init(&c->conns, sizeof(struct conn), SPM_MAX_CONNS_TOTAL);
    if (irqs_init(c) < 0)
        goto fail;
    return c;
fail:
    spm_core_free(c);
    return NULL;
}

void spm_core_free(struct spm_core *c)
{
    size_t i;

    if (c == NULL)
        return;
    spm_core_clear(c);
    spm_core_reap(c);
    for (i = 0; i < c->conns.used; i++) {
        struct conn *k = slot_at(&c->conns, (uint32_t)i);

        if (k != NULL)
            free(k->buf);
    }
    for (i = 0; c->parts != NULL && i < c->n_parts; i++) {
        free(c->parts[i].pending.v);
        free(c->parts[i].win);
    }
    slots_free(&c->clients);
    slots_free(&c->owners);
    slots_free(&c->conns);
    free(c->parts);
    free(c->lines);
    free(c->users);
    free(c->waiters);
    free(c->fx);
    free(c->texts);
    free(c->garbage);
    free(c);
}

void spm_core_step(struct spm_core *c, const struct spm_event *ev)
{
    if (ev->now > c->now)
        c->now = ev->now; /* time never runs backwards in the core */
    switch (ev->type) {
    case SPM_EV_START:
        parts_start(c);
        break;
    case SPM_EV_CLIENT_MSG:
        clients_msg(c, ev);
        break;
    case SPM_EV_CLIENT_BAD:
        clients_gone(c, ev->from, ev->why ? ev->why : "malformed datagram");
        break;
    case SPM_EV_CLIENT_GONE:
        clients_gone(c, ev->from, NULL);
        break;
    case SPM_EV_PART_SPAWNED:
        if (ev->part < c->n_parts)
            parts_spawned(c, ev->part, ev->pid);
        break;
    case SPM_EV_SPAWN_FAILED:
        if (ev->part < c->n_parts)
            parts_spawn_failed(c, ev->part, ev->why ? ev->why : "cannot start it");
        break;
    case SPM_EV_PART_MSG:
        parts_msg(c, ev);
        break;
    case SPM_EV_PART_BAD:
        parts_bad(c, ev->from, ev->why ? ev->why : "malformed datagram");
        break;
    case SPM_EV_PART_EOF:
        parts_eof(c, ev->from);
        break;
    case SPM_EV_PART_EXITED:
        parts_exited(c, ev->pid, ev->status);
        break;
    case SPM_EV_TICK:
        parts_tick(c);
        resets_tick(c);
        break;
    case SPM_EV_PART_PROGRESS:
        parts_progress(c, ev);
        break;
    case SPM_EV_IRQ_LINE:
        if (ev->line >= 0 && (size_t)ev->line < c->n_lines)
            irq_set_line(c, ev->line, ev->level);
        break;
    case SPM_EV_SYSTEM_RESET:
        system_reset(c, ev->why ? ev->why : "board");
        break;
    case SPM_EV_STOP:
        if (!c->stopping) {
            c->stopping = true;
            clients_stop(c);
            conns_stop(c);
            parts_stop(c);
        }
        break;
    }
}

long spm_core_next_deadline(const struct spm_core *c, long now)
{
    long a = parts_next_deadline(c, now), b = resets_next_deadline(c, now);

    if (a < 0)
        return b;
    if (b < 0)
        return a;
    return a < b ? a : b;
}

/* ---- queries ---- */

size_t spm_core_n_parts(const struct spm_core *c)
{
    return c->n_parts;
}

enum spm_part_state spm_core_part_state(const struct spm_core *c, uint32_t part)
{
    return part < c->n_parts ? c->parts[part].state : SPM_PART_FAILED;
}

pid_t spm_core_part_pid(const struct spm_core *c, uint32_t part)
{
    return part < c->n_parts && c->parts[part].alive ? c->parts[part].pid : 0;
}

uint32_t spm_core_part_gen(const struct spm_core *c, uint32_t part)
{
    return part < c->n_parts ? c->parts[part].gen : 0;
}

size_t spm_core_alive(const struct spm_core *c)
{
    size_t i, n = 0;

    for (i = 0; i < c->n_parts; i++)
        n += c->parts[i].alive;
    return n;
}

int spm_core_started(const struct spm_core *c)
{
    size_t i, ready = 0;

    for (i = 0; i < c->n_parts; i++) {
        if (c->parts[i].state == SPM_PART_FAILED)
            return -1;
        ready += c->parts[i].state == SPM_PART_READY;
    }
    return ready == c->n_parts;
}

static size_t count_live(const struct slots *s)
{
    size_t i, n = 0;

    for (i = 0; i < s->used; i++)
        n += s->state[i] == SLOT_LIVE;
    return n;
}

size_t spm_core_n_conns(const struct spm_core *c)
{
    return count_live(&c->conns);
}

size_t spm_core_n_clients(const struct spm_core *c)
{
    return count_live(&c->clients);
}

size_t spm_core_n_inflight(const struct spm_core *c)
{
    size_t i, n = 0;

    for (i = 0; i < c->n_users; i++)
        n += c->users[i].inflight;
    for (i = 0; i < c->n_parts; i++)
        n += c->parts[i].inflight;
    return n;
}

static const char *const level_names[] = {"error", "warn", "info", "debug"};

const char *spm_level_name(enum spm_level level)
{
    return (unsigned)level < 4 ? level_names[level] : "?";
}

int spm_parse_level(const char *s, enum spm_level *out)
{
    int i;

    for (i = 0; i < 4; i++) {
        if (strcmp(s, level_names[i]) == 0) {
            *out = (enum spm_level)i;
            return 0;
        }
    }
    return -1;
}
