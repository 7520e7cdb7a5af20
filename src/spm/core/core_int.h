/*
 * core_int.h - the core's tables, between the files of src/spm/core/.
 *
 *   core.c     the event table, the outbox, reaping, queries
 *   clients.c  users, processes (owners), client sockets, requests in flight
 *   conns.c    connections and handles: version, connect, call, close
 *   msgs.c     messages into partitions (the window) and their replies
 *   parts.c    partitions: start, the channel protocol, deaths, restarts, the watchdog
 *   resets.c   system resets and the calls waiting for one to end
 *   irqs.c     the board's interrupt lines
 *   policy.c   FF-M's client rules, as pure functions
 *
 * Every object lives in a slot of a table and is named by (index,
 * generation).  Killing an object only marks it dead; spm_core_reap() frees
 * the slot after the batch, so a reference held anywhere during a step
 * stays valid, and a stale one (an old generation) simply fails to resolve.
 */
#ifndef PARTIX_SPM_CORE_INT_H
#define PARTIX_SPM_CORE_INT_H

#include "core.h"
#include "psa/client.h"
#include "psa/service.h"

#define NO_IDX UINT32_MAX

/* A table of objects of one kind, each allocated once and reused. */
struct slots {
    void **obj;     /* [cap]: the object, NULL if never used */
    uint32_t *gen;  /* [cap]: bumped when a slot is freed */
    uint8_t *state; /* [cap]: SLOT_FREE, SLOT_LIVE, SLOT_DEAD (until reaped) */
    uint32_t *free; /* stack of free indexes */
    uint32_t n_free;
    uint32_t cap, used, max;
    uint32_t n_dead; /* killed since the last reap */
    size_t size;     /* of one object */
};

enum { SLOT_FREE, SLOT_LIVE, SLOT_DEAD };

struct ref {
    uint32_t idx, gen;
};

/* A Linux user: what all its client processes share. */
struct user {
    uid_t uid;
    unsigned sockets;
    unsigned inflight;
    unsigned conns;
    bool saturated; /* its sockets were stopped for the user's bound */
};

/* A client process (or a partition as a client): the owner of handles. */
struct owner {
    pid_t pid;
    uid_t uid;
    int32_t client_id;
    unsigned sockets;
    uint32_t user;  /* NO_IDX for a partition */
    uint32_t part;  /* NO_IDX for a non-secure client */
    unsigned conns; /* a partition's connections (a user's are counted in its user) */
};

/* One client socket (libpsa-client opens one per thread). */
struct client {
    struct ref owner;
    uint32_t user;
    unsigned inflight;
    bool reading;
};

enum conn_state { CONN_CONNECTING, CONN_IDLE, CONN_CALLING, CONN_CLOSING, CONN_DEAD };

/* Who asked for the message a connection carries: the peer to answer, and
 * whose requests in flight it counts against. */
struct asker {
    struct spm_peer peer; /* kind NONE: nobody to answer */
    uint32_t seq;
    uint32_t user; /* NO_IDX: not counted against a user */
    bool charged;  /* still counted in flight (its socket's, user's or partition's) */
};

struct conn {
    enum conn_state state;
    struct ref owner; /* idx NO_IDX once its process is gone */
    int32_t client_id;
    bool ns;      /* a non-secure client's */
    bool counted; /* against its owner's connection limit */
    const struct mf_service *svc;
    uint32_t part;
    uint32_t part_gen; /* the partition's process it was made with */
    uint64_t rhandle;
    int32_t handle; /* what the client holds; 0 for a stateless call or once closed */
    bool disconnect_after;
    /* the service answered a call PSA_ERROR_PROGRAMMER_ERROR: the connection
     * is terminated, every later call gets that status at once (FF-M) */
    bool broken;
    /* CLOSING for a psa_close that waits (asker) until the service has
     * handled PSA_IPC_DISCONNECT, or the connection otherwise ends */
    bool close_waits;
    /* calls go straight to the partition through an area (chan.h) */
    bool direct;
    /* the message, if any: queued (pending) until its partition has room */
    bool has_msg, in_part;
    int32_t msg;
    int32_t msg_type;
    long sent_at;
    struct asker asker;
    struct wire_vecs vecs;
    uint8_t flags; /* WIRE_CALL_MEMFD */
    int fd;        /* a pending message's memfd, or -1 */
    uint8_t *buf;  /* a pending message's input bytes (a copy) */
    uint32_t inline_bytes;
};

/* A FIFO of connections (by reference) waiting for their partition. */
struct refq {
    struct ref *v;
    size_t head, len, cap;
};

struct part {
    const struct mf_partition *mf;
    enum spm_part_state state;
    uint32_t gen;
    pid_t pid;
    bool alive;    /* a process exists (until reaped) */
    bool killed;   /* SPM_FX_KILL sent for this process */
    bool spawning; /* SPM_FX_SPAWN sent, its process not yet reported */
    bool hello;
    bool panicked;
    char panic[WIRE_MAX_LOG];
    int violation;
    unsigned restarts;
    long window_start;
    bool resetting;
    struct ref owner; /* its handles as a secure client */
    unsigned inflight;
    unsigned win_msgs; /* messages sent and not answered: win[0 .. win_msgs - 1] */
    struct ref *win;   /* [cfg.window_msgs] */
    uint64_t win_bytes;
    long last_progress;
    struct refq pending;
    /* the direct path's watchdog: the answers counted at d_since, when
     * direct calls were last seen owed with no answer since (0: none) */
    uint32_t d_answered;
    long d_since;
};

struct line {
    const struct mf_irq_line *src;
    bool level;
    bool enabled;
    uint32_t owner; /* partition index, NO_IDX if none declares it */
    const struct mf_irq *irq;
};

struct waiter {
    struct asker asker;
    int32_t client_id;
};

struct spm_core {
    struct spm_core_config cfg;
    long now;
    bool stopping;
    bool resetting;
    long reset_window_start;
    unsigned resets;
    struct part *parts;
    size_t n_parts;
    struct line *lines;
    size_t n_lines;
    struct slots clients, owners, conns;
    struct user *users;
    size_t n_users, cap_users;
    uint32_t msg_serial;
    /* reset waiters (resets.c) */
    struct waiter *waiters;
    size_t n_waiters, cap_waiters;
    long waiters_deadline;
    /* the outbox */
    struct spm_effect *fx;
    size_t n_fx, cap_fx;
    char **texts;
    size_t n_texts, cap_texts;
    /* buffers freed at the next reap */
    void **garbage;
    size_t n_garbage, cap_garbage;
};

/* ---- core.c: tables, outbox ---- */
int slots_init(struct slots *s, size_t size, uint32_t max);
void slots_free(struct slots *s);
/* A fresh live object (zeroed) and its reference, or NULL if full / no memory. */
void *slot_new(struct slots *s, struct ref *out);
/* The live object named by @p r, or NULL. */
void *slot_get(const struct slots *s, struct ref r);
void *slot_at(const struct slots *s, uint32_t idx); /* live object at idx, any gen */
void slot_kill(struct slots *s, uint32_t idx);
/* Calls nothing: the caller walks live objects with slot_at(s, i), i < s->used. */

void fx_send(struct spm_core *c, struct spm_peer to, const struct wire_msg *m, int fd);
void fx_simple(struct spm_core *c, enum spm_effect_type type, struct spm_peer to);
void fx_close_fd(struct spm_core *c, int fd);
void fx_read(struct spm_core *c, struct spm_peer to, bool on);
void fx_log(struct spm_core *c, enum spm_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
struct spm_effect *fx_add(struct spm_core *c, enum spm_effect_type type);
void garbage_add(struct spm_core *c, void *p);

struct spm_peer part_peer(const struct spm_core *c, uint32_t part);
struct spm_peer client_peer(struct ref r);

/* ---- clients.c ---- */
void clients_msg(struct spm_core *c, const struct spm_event *ev);
void clients_gone(struct spm_core *c, struct spm_peer from, const char *why);
/* Sends @p m (its seq set here) to whoever asked, and frees the request's
 * place in flight; nothing is sent to a peer that is gone. */
void answer(struct spm_core *c, struct asker *a, struct wire_msg *m);
/* answer() of an R_CONNECT that hands over direct connection @p idx. */
void answer_chan(struct spm_core *c, struct asker *a, struct wire_msg *m, uint32_t idx);
/* Frees the request's place in flight without an answer. */
void uncharge(struct spm_core *c, struct asker *a);
void owner_gone(struct spm_core *c, struct ref o);
struct owner *owner_get(struct spm_core *c, struct ref r);
struct ref owner_new_part(struct spm_core *c, uint32_t part, pid_t pid);
void clients_stop(struct spm_core *c);

/* ---- conns.c: a request from a caller ---- */
struct caller {
    struct asker asker; /* the request: answer it through this */
    struct ref owner;
    uint32_t part; /* NO_IDX: a non-secure client */
};

void spm_version(struct spm_core *c, struct caller *k, const struct wire_version_req *r);
void spm_connect(struct spm_core *c, struct caller *k, const struct wire_connect_req *r);
void spm_call(struct spm_core *c, struct caller *k, const struct wire_call_req *r, int fd,
              bool fd_ok);
void spm_close(struct spm_core *c, struct caller *k, const struct wire_close_req *r);
/* C_GROW: a direct connection's big data area, to its partition. */
void spm_grow(struct spm_core *c, struct caller *k, const struct wire_grow_req *r, int fd,
              bool fd_ok);
/* C_STALL: whether the direct call on the handle may go on (PSA_SUCCESS). */
void spm_stall(struct spm_core *c, struct caller *k, const struct wire_stall_req *r);
struct conn *conn_get(struct spm_core *c, uint32_t idx);
void conn_die(struct spm_core *c, uint32_t idx);
void send_disconnect(struct spm_core *c, uint32_t idx);
/* A call is over: the connection is free for the next one (or ends). */
void call_done(struct spm_core *c, uint32_t idx);
void conns_part_gone(struct spm_core *c, uint32_t part);
void conns_owner_gone(struct spm_core *c, struct ref o);
void conns_stop(struct spm_core *c);

/* ---- msgs.c ---- */
/* Gives connection @p idx a message of @p type for its partition: sent at
 * once if the partition has room, else kept (copied) until it has. */
void msg_queue(struct spm_core *c, uint32_t idx, int32_t type, const void *const *in, int fd);
void msg_reply(struct spm_core *c, uint32_t part, const struct wire_reply *r);
/* Sends what waits for partition @p part while it has room. */
void msg_pump(struct spm_core *c, uint32_t part);
/* The message of connection @p idx leaves its partition (answered, taken). */
void msg_leave(struct spm_core *c, struct conn *k);
/* The connection whose call @p msg is in partition @p part, or NULL. */
struct conn *msg_call_in(struct spm_core *c, uint32_t part, int32_t msg, uint32_t *idx);

/* ---- parts.c ---- */
void parts_start(struct spm_core *c);
void parts_msg(struct spm_core *c, const struct spm_event *ev);
void parts_spawned(struct spm_core *c, uint32_t part, pid_t pid);
void parts_spawn_failed(struct spm_core *c, uint32_t part, const char *why);
void parts_eof(struct spm_core *c, struct spm_peer from);
void parts_exited(struct spm_core *c, pid_t pid, int status);
void parts_bad(struct spm_core *c, struct spm_peer from, const char *why);
void parts_tick(struct spm_core *c);
long parts_next_deadline(const struct spm_core *c, long now);
void parts_stop(struct spm_core *c);
/* PART_PROGRESS: the watchdog's rule for direct calls. */
void parts_progress(struct spm_core *c, const struct spm_event *ev);
/* The live partition a peer names (current generation, ready or starting), or NULL. */
struct part *part_of_peer(struct spm_core *c, struct spm_peer p, uint32_t *idx);
void part_kill(struct spm_core *c, uint32_t part, const char *why);
void part_panic(struct spm_core *c, uint32_t part, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void system_reset(struct spm_core *c, const char *why);

/* ---- resets.c ---- */
void reset_request(struct spm_core *c, uint32_t part, const struct wire_reset *r);
void resets_tick(struct spm_core *c);
long resets_next_deadline(const struct spm_core *c, long now);

/* ---- irqs.c ---- */
int irqs_init(struct spm_core *c);
void irqs_part_ready(struct spm_core *c, uint32_t part);
void irq_set_line(struct spm_core *c, int line, bool level);
psa_status_t irq_drive(struct spm_core *c, const char *source, bool level);
int irq_ctl(struct spm_core *c, uint32_t part, uint32_t signal, uint8_t op);

/* ---- policy.c: FF-M's client rules ---- */
psa_status_t spm_policy_connect(const struct mf_service *svc, bool ns_caller, uint32_t version);
uint32_t spm_policy_version(const struct mf_service *svc, bool ns_caller);
psa_status_t spm_policy_stateless(const struct mf_service *svc, bool ns_caller,
                                  uint32_t handle_version);
const struct mf_service *spm_stateless_service(const struct mf_system *sys, psa_handle_t h,
                                               const struct mf_partition **owner);
bool spm_type_valid(int32_t type);

#endif /* PARTIX_SPM_CORE_INT_H */
