/*
 * core.h - the SPM's routing core: every decision psa-spm makes, as a pure
 * state machine.
 *
 * The core takes one event at a time (a decoded client request, a decoded
 * partition message, a timer tick, a peer gone, a child exited) and only
 * changes its own tables and appends effects (send this message, pass that
 * descriptor, kill, spawn, drop, log) to its outbox.  It never does I/O,
 * never calls out while walking a list, and never frees an object during a
 * step: objects are named by (index, generation), effects name peers the
 * same way, and what died is freed by spm_core_reap() once the batch's
 * effects have been carried out.  The epoll shell (src/spm/shell/) decodes
 * events with the codec, steps the core, and carries out the outbox.
 *
 * Flow control, as TF-M's SPM: a message stays with its connection until
 * its partition has room (a window of messages and bytes sent and not yet
 * answered), so a partition's channel never holds more than the window;
 * each client socket and each Linux user has a bounded number of requests
 * in flight (stateless calls included), past which the core stops reading
 * that socket (SPM_FX_READ off) until replies free room.  A partition is
 * killed only for its own faults.
 */
#ifndef PARTIX_SPM_CORE_H
#define PARTIX_SPM_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "manifest.h"
#include "wire.h"

/* Log levels of the daemon. */
enum spm_level { SPM_ERROR, SPM_WARN, SPM_INFO, SPM_DEBUG };

enum spm_fault_policy { SPM_POLICY_RESET, SPM_POLICY_RESTART };

/* Linux uid -> FF-M client id: negative, as FF-M requires of non-secure callers. */
#define SPM_CLIENT_ID(uid) (-1 - (int32_t)(uid))

/* Defaults of the bounds (each an option of psa-spm; docs/faults.md). */
#define SPM_DEF_MAX_CONNS 32            /* connections per user, or per partition */
#define SPM_DEF_INFLIGHT_SOCKET 8       /* requests in flight per client socket */
#define SPM_DEF_INFLIGHT_USER 256       /* requests in flight per Linux user */
#define SPM_DEF_SOCKETS_USER 1024       /* client sockets per Linux user */
#define SPM_DEF_WINDOW_MSGS 64          /* messages in one partition not yet answered */
#define SPM_DEF_WINDOW_BYTES (1u << 20) /* their inline bytes */
#define SPM_MAX_CONNS_TOTAL 65535       /* connections in all (16-bit index) */
#define SPM_DIRECT_PART_CONNS 63  /* a partition's connections that go direct, at most (chan.h) */
#define SPM_DEF_MAX_RESETS 10     /* system resets, or one partition's restarts, */
#define SPM_DEF_RESET_WINDOW_S 10 /* within this many seconds (then: out of service) */

struct spm_core_config {
    const struct mf_system *sys;
    const struct mf_platform *plat; /* NULL: a board without interrupt lines */
    enum spm_fault_policy policy;
    long call_timeout_ms; /* a partition silent this long on a message is hung; 0: never */
    unsigned max_conns;   /* per user (non-secure) or per partition (secure) */
    unsigned max_inflight_socket;
    unsigned max_inflight_user;
    unsigned max_sockets_user;
    unsigned window_msgs;
    uint64_t window_bytes;
    /* more system resets (the reset policy) or restarts of one partition
     * (the restart policy) than this within reset_window_s seconds leave
     * the partitions out of service; 0: no limit */
    unsigned max_resets;
    long reset_window_s;
    uint32_t lifecycle; /* what psa_rot_lifecycle_state() returns */
    bool direct;        /* non-secure clients call connection-based services directly (chan.h) */
    enum spm_level log_level; /* the daemon's: debug lines are not even formatted above it */
    uid_t daemon_uid;         /* who may drive interrupt lines: this uid and root */
    const char *state_dir;    /* "" if none: for the ready log line only */
    /* The name of a system call number, for the log (src/sandbox's
     * sandbox_syscall_name); NULL: numbers only. */
    const char *(*syscall_name)(int nr);
};

/* A peer: a client socket or a partition's channel.  For a partition, idx
 * is its index in the manifest list and gen counts its spawns. */
enum spm_peer_kind { SPM_PEER_NONE, SPM_PEER_CLIENT, SPM_PEER_PART };

struct spm_peer {
    uint8_t kind;
    uint32_t idx;
    uint32_t gen;
};

enum spm_event_type {
    SPM_EV_START,         /* spawn every partition */
    SPM_EV_CLIENT_MSG,    /* from, msg (decoded), fd (+ fd_ok) */
    SPM_EV_CLIENT_BAD,    /* from, why: a malformed datagram; the socket is dropped */
    SPM_EV_CLIENT_GONE,   /* from: end of stream or a failed socket */
    SPM_EV_PART_SPAWNED,  /* part, pid: its process runs (a new gen) */
    SPM_EV_SPAWN_FAILED,  /* part, why */
    SPM_EV_PART_MSG,      /* from, msg, fd (+ fd_ok) */
    SPM_EV_PART_BAD,      /* from, why: a malformed datagram; the partition is killed */
    SPM_EV_PART_EOF,      /* from: its channel closed or failed */
    SPM_EV_PART_EXITED,   /* pid, status (a wait status): a child was reaped */
    SPM_EV_TICK,          /* time passes: deadlines are checked */
    SPM_EV_IRQ_LINE,      /* line, level: a board device drove one of the platform's lines */
    SPM_EV_SYSTEM_RESET,  /* why: a board device asks for a system reset (a watchdog) */
    SPM_EV_STOP,          /* the daemon is stopping */
    SPM_EV_PART_PROGRESS, /* from: a partition's direct-path counters (taken, answered, calling),
                           * read after an SPM_FX_WATCH */
};

struct spm_event {
    enum spm_event_type type;
    long now;                   /* ms, CLOCK_MONOTONIC: every event carries the time */
    struct spm_peer from;       /* CLIENT_*, PART_MSG/BAD/EOF */
    uint32_t part;              /* PART_SPAWNED, SPAWN_FAILED: the partition's index */
    const struct wire_msg *msg; /* *_MSG: payload pointers valid until the outbox is carried out */
    int fd;                     /* *_MSG: a passed descriptor (the core owns it from here), or -1 */
    bool fd_ok;                 /* *_MSG with a C_CALL memfd (C_GROW's: for its size): the shell
                                 * found it fit for the call
                                 * (read-write, sealed against resizing, never against writing,
                                 * as big as the call's vectors) */
    pid_t pid;                  /* PART_SPAWNED, PART_EXITED */
    int status;                 /* PART_EXITED */
    int line;                   /* IRQ_LINE: an index of the platform's irqs */
    bool level;                 /* IRQ_LINE */
    const char *why;            /* *_BAD, SPAWN_FAILED, SYSTEM_RESET */
    /* PART_MSG of a P_READY: the partition's nice value as the shell read it
     * (getpriority), and the one its priority asks for (spm_nice_of) */
    bool nice_known;
    int nice, nice_want;
    /* PART_PROGRESS: its status page (chan.h) */
    uint32_t taken, answered;
    bool calling;
};

enum spm_effect_type {
    SPM_FX_SEND,     /* to, msg, fd (owned by the effect: closed once sent or if undeliverable) */
    SPM_FX_DROP,     /* to: a client socket the core has forgotten: close it */
    SPM_FX_KILL,     /* to: a partition: SIGKILL its process, close its channel */
    SPM_FX_SPAWN,    /* part: start its process (SPM_EV_PART_SPAWNED or _SPAWN_FAILED follows) */
    SPM_FX_CLOSE_FD, /* fd: a descriptor the core no longer needs */
    SPM_FX_LOG,      /* level, text */
    SPM_FX_READ,     /* to: a client socket: read it (on) or not (off: backpressure) */
    SPM_FX_BUFFER,   /* to: a partition: make a sealed memfd of size bytes, answer R_BUFFER seq */
    SPM_FX_REGIONS,  /* to: a partition: send it its S_REGIONs (after S_CONFIG) */
    SPM_FX_MMIO,     /* part: its MMIO region (index), offset, value: a device register write */
    SPM_FX_BOARD_RESET, /* a system reset begins: the board's devices return to their reset state */
    /* the direct data path (chan.h): connection conn (index, conn_gen) */
    SPM_FX_CHAN_OPEN,  /* to: its partition: make its area, send it msg (S_CHAN) with it */
    SPM_FX_CHAN_FAIL,  /* its partition is gone: calls on it fail with status, the caller woken */
    SPM_FX_CHAN_CLOSE, /* the connection is over: psa-spm lets its area go */
    SPM_FX_WATCH,      /* to: a partition a direct call waits on: read its status page
                        * (SPM_EV_PART_PROGRESS follows) */
};

struct spm_effect {
    enum spm_effect_type type;
    struct spm_peer to;
    uint32_t part;
    int fd;
    bool on;
    enum spm_level level;
    const char *text; /* LOG: valid until the outbox is cleared */
    uint64_t size;
    uint32_t seq;
    uint8_t region;
    uint32_t offset, value;
    /* CHAN_*: the connection; SEND of an R_CONNECT: conn + 1 when the
     * client gets the connection's area and doorbell with it (0: none) */
    uint32_t conn, conn_gen;
    int32_t status; /* CHAN_FAIL */
    struct wire_msg msg;
};

/* A partition's state, as the shell and status queries see it. */
enum spm_part_state { SPM_PART_STARTING, SPM_PART_READY, SPM_PART_DEAD, SPM_PART_FAILED };

struct spm_core;

/* A core for @p cfg (copied; the manifests must outlive it), or NULL. */
struct spm_core *spm_core_new(const struct spm_core_config *cfg);
/* Frees the core and what it holds; descriptors it owns are closed through
 * effects only, so call spm_core_step(SPM_EV_STOP) and carry out the
 * outbox first. */
void spm_core_free(struct spm_core *c);

/*
 * A new client socket of process @p pid, Linux user @p uid (SO_PEERCRED).
 * 0 with *out naming it, or -1 if it is refused (a uid with no client id,
 * too many sockets for the user, no memory): the shell closes it.  May log.
 */
int spm_core_client_open(struct spm_core *c, long now, pid_t pid, uid_t uid, struct spm_peer *out);

/* Takes one event; its effects are appended to the outbox. */
void spm_core_step(struct spm_core *c, const struct spm_event *ev);

/* The outbox: effects in the order they must be carried out. */
const struct spm_effect *spm_core_effects(const struct spm_core *c, size_t *n);
/* Empties the outbox (after carrying it out). */
void spm_core_clear(struct spm_core *c);
/* Frees the objects that died since the last reap: after the outbox of
 * every event of a batch has been carried out and cleared. */
void spm_core_reap(struct spm_core *c);

/* ms until the next deadline (the watchdog, answering reset callers), 0 if
 * one is due, -1 if none: the shell sends SPM_EV_TICK by then. */
long spm_core_next_deadline(const struct spm_core *c, long now);

/* Queries for the shell and the tests. */
size_t spm_core_n_parts(const struct spm_core *c);
enum spm_part_state spm_core_part_state(const struct spm_core *c, uint32_t part);
/* The partition's process (0: none) and the generation of its channel. */
pid_t spm_core_part_pid(const struct spm_core *c, uint32_t part);
uint32_t spm_core_part_gen(const struct spm_core *c, uint32_t part);
/* Partitions with a live process. */
size_t spm_core_alive(const struct spm_core *c);
/* Whether every partition is READY (-1: one FAILED, so the start failed). */
int spm_core_started(const struct spm_core *c);
/* Live connections, client sockets, and requests in flight in all. */
size_t spm_core_n_conns(const struct spm_core *c);
size_t spm_core_n_clients(const struct spm_core *c);
size_t spm_core_n_inflight(const struct spm_core *c);

/* The name of a log level ("error", ...), and back: 0, or -1 if unknown. */
const char *spm_level_name(enum spm_level level);
int spm_parse_level(const char *s, enum spm_level *out);

#endif /* PARTIX_SPM_CORE_H */
