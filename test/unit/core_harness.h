/*
 * core_harness.h - drives the SPM's pure core (src/spm/core/core.h) as the
 * epoll shell would, with fake clients and fake partitions, and checks the
 * core's promises on every effect it emits.  Shared by test/unit/test_core.c
 * (cmocka) and fuzz/fuzz_core.c (libFuzzer): what one checks, the other does.
 *
 * Every event's message goes through the codec (wire_encode, then
 * wire_decode of a heap copy freed once the outbox is carried out), so the
 * core sees exactly what the shell would give it and AddressSanitizer sees
 * any payload pointer it keeps too long.  Every descriptor given to the core
 * is a real one and must come back exactly once, in a SEND or a CLOSE_FD.
 */
#ifndef PARTIX_CORE_HARNESS_H
#define PARTIX_CORE_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core.h"
#include "manifest.h"
#include "wire.h"

#define H_MAX_CLIENTS 64
#define H_MAX_REQ 64      /* outstanding requests of one requester */
#define H_MAX_PENDING 64  /* messages a fake partition holds unanswered */
#define H_MAX_HANDLES 128 /* handles remembered (the fuzzer draws from them) */
#define H_MAX_FDS 1024
#define H_MAX_PARTS 16

/* A request waiting for its reply. */
struct h_req {
    uint32_t seq;
    uint16_t type; /* WIRE_C_* */
};

struct h_requester {
    struct h_req req[H_MAX_REQ];
    size_t n_req;
    uint32_t next_seq;
};

struct h_client {
    struct spm_peer peer;
    pid_t pid;
    uid_t uid;
    bool open;    /* the shell still has it: not gone, not dropped */
    bool dropped; /* the core said SPM_FX_DROP */
    bool reading; /* the last SPM_FX_READ (on at open) */
    unsigned read_offs;
    struct h_requester r;
};

/* A message a fake partition has received and not answered. */
struct h_msg {
    int32_t id;
    int32_t type;
    int32_t client_id;
    uint32_t signal;
    uint8_t flags;
    struct wire_vecs vecs;
    uint64_t rhandle;
    long at;         /* when it was delivered */
    uint32_t in_sum; /* a checksum of its inline input (the tests compare) */
    uint64_t inline_bytes;
};

struct h_part {
    const struct mf_partition *mf;
    pid_t pid;         /* its process, 0: none */
    uint32_t gen;      /* of its channel */
    uint32_t prev_gen; /* of the one before */
    bool chan;         /* the channel is open: it may send */
    bool spawn_wanted; /* an SPM_FX_SPAWN not answered yet */
    bool killed;       /* SPM_FX_KILL: its process exits with SIGKILL */
    int stage;         /* 0 spawned, 1 HELLO sent, 2 READY sent */
    unsigned configs;  /* S_CONFIGs received on this channel */
    bool stop_told;    /* S_STOP received on this channel */
    unsigned kills, spawns, doorbells, irqs, stops;
    long last_reply; /* when it last answered a message (the watchdog counts from it) */
    struct h_msg pending[H_MAX_PENDING];
    size_t n_pending;
    struct h_requester r; /* as a secure client */
};

struct h_handle {
    int32_t handle;
    pid_t pid;     /* the owner process, or 0 for a partition */
    uint32_t part; /* the owner partition, if pid == 0 */
};

/* A copy of one effect, kept for the unit tests' queries. */
struct h_fx {
    struct spm_effect fx; /* payload pointers point into data */
    size_t event;         /* which step emitted it */
    char *text;
    uint8_t *data;
};

#define H_CALLERS 4096

struct h {
    struct mf_system *sys;
    struct mf_platform *plat;
    struct spm_core_config cfg;
    struct spm_core *c;
    long now;
    pid_t next_pid;
    size_t n_steps;
    bool stopping;
    bool strict_gone;      /* no effect names a client after it is gone or dropped */
    bool keep_log;         /* record effects in fx (unit tests) */
    bool sysreset_pending; /* a system reset (any policy) is not over yet */
    bool lenient;          /* a message the codec refuses becomes *_BAD, as in the shell */
    bool trace;            /* print every event and effect on stderr (repro reports) */
    struct h_client cl[H_MAX_CLIENTS];
    size_t n_cl;
    struct h_part part[H_MAX_PARTS];
    size_t n_parts;
    struct h_handle handles[H_MAX_HANDLES];
    size_t n_handles; /* a ring: the latest H_MAX_HANDLES */
    size_t handles_seen;
    int fds[H_MAX_FDS]; /* given to the core, not yet returned */
    size_t n_fds;
    size_t fds_given, fds_back;
    struct h_fx *fx;
    size_t n_fx, cap_fx;
    /* what step() found: */
    bool kill_ok[H_MAX_PARTS]; /* for the event being stepped */
    unsigned board_resets;     /* SPM_FX_BOARD_RESET effects */
    /* the caller of each delivered message, by the low bits of its id (a
     * connection carries one message at a time): a service that answers a
     * secure caller's call PROGRAMMER_ERROR gets that caller panicked */
    struct {
        int32_t id, client_id;
    } callers[H_CALLERS];
};

/* Reports a broken promise: the unit tests make it a cmocka failure, the
 * fuzzer an abort().  Never returns. */
extern void (*h_fail_hook)(const char *msg);
void h_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
#define H_CHECK(cond, ...)                                                                         \
    do {                                                                                           \
        if (!(cond))                                                                               \
            h_fail(__VA_ARGS__);                                                                   \
    } while (0)

/* Loads the test system (test/manifests/) once per process. */
int h_load(struct mf_system **sys, struct mf_platform **plat);
/* The same with manifest list @p list (the test board's platform). */
int h_load_list(const char *list, struct mf_system **sys, struct mf_platform **plat);
/* A config with the defaults of core.h for @p sys. */
struct spm_core_config h_default_config(const struct mf_system *sys,
                                        const struct mf_platform *plat);

/* A harness around a new core; false if the core cannot be made. */
bool h_init(struct h *h, struct mf_system *sys, struct mf_platform *plat,
            const struct spm_core_config *cfg);
/* STOP, every process exits, reap; then every descriptor must be back. */
void h_finish(struct h *h);
/* Frees the core and the log (after h_finish). */
void h_free(struct h *h);

/* Steps one event (its message through the codec), carries out the outbox,
 * clears it; @p msg may be NULL.  With @p reap, reaps after.  A message the
 * codec refuses is a harness bug, unless lenient: then the shell's answer
 * (it closes the descriptor, the event becomes CLIENT_BAD or PART_BAD). */
void h_step(struct h *h, struct spm_event *ev, const struct wire_msg *msg, bool reap);
/* A real descriptor (a memfd) the harness tracks until the core gives it back. */
int h_fd(struct h *h);

/* START, then boot every partition; 0 once all are ready. */
int h_start(struct h *h);
/* Until nothing moves: answers spawns, boots partitions, lets killed
 * processes exit; then reaps. */
void h_settle(struct h *h);

/* The index of partition @p name, or -1. */
int h_part_index(const struct h *h, const char *name);
/* Its peer (current generation). */
struct spm_peer h_part_peer(const struct h *h, uint32_t part);
/* The HELLO an executable built from @p mf sends. */
void h_hello_msg(const struct mf_partition *mf, struct wire_msg *m);
/* The fake partition's part of the start: SPAWNED, HELLO, READY. */
void h_part_spawned(struct h *h, uint32_t part);
void h_part_hello(struct h *h, uint32_t part);
void h_part_ready(struct h *h, uint32_t part);
/* A partition message (PART_MSG) with an optional descriptor. */
void h_part_send(struct h *h, uint32_t part, struct wire_msg *m, int fd, bool fd_ok);
/* A partition request as a secure client: its seq, registered for the reply. */
uint32_t h_part_request(struct h *h, uint32_t part, struct wire_msg *m, int fd, bool fd_ok);
/* Replies to pending message @p k (an index of pending) with @p status,
 * writing @p written[i] bytes of each output (NULL: none). */
void h_part_reply(struct h *h, uint32_t part, size_t k, int32_t status, const uint32_t *written);
/* Byte @p i of what the fake partitions write into outputs. */
static inline uint8_t h_out_byte(size_t i)
{
    return (uint8_t)(i * 7 + 1);
}
/* Its pending message with @p type (first), or -1. */
int h_part_find(const struct h *h, uint32_t part, int32_t type);
/* Its channel ends and its process exits with @p status (a wait status). */
void h_part_die(struct h *h, uint32_t part, int status);

/* A new client socket; its index in cl, or -1 if refused. */
int h_client_open(struct h *h, pid_t pid, uid_t uid);
/* CLIENT_GONE: the socket ends. */
void h_client_gone(struct h *h, int cl);
/* CLIENT_BAD: a malformed datagram; the socket is dropped. */
void h_client_bad(struct h *h, int cl);
/* A client request; its seq. */
uint32_t h_client_request(struct h *h, int cl, struct wire_msg *m, int fd, bool fd_ok);

/* Queries of the effect log (keep_log): the first effect at or after @p mark
 * of @p type to @p to (to.kind NONE: any), and how many there are. */
const struct h_fx *h_find(const struct h *h, size_t mark, enum spm_effect_type type,
                          struct spm_peer to);
size_t h_count(const struct h *h, size_t mark, enum spm_effect_type type, struct spm_peer to);
/* The first SEND of message @p wtype to @p to at or after @p mark (with
 * @p seq unless it is 0), or NULL. */
const struct wire_msg *h_sent(const struct h *h, size_t mark, struct spm_peer to, uint16_t wtype,
                              uint32_t seq);
size_t h_count_sent(const struct h *h, size_t mark, struct spm_peer to, uint16_t wtype);

/* Whether the requester still waits for the reply to @p seq. */
bool h_client_waits(const struct h *h, int cl, uint32_t seq);

/* A client peer by index. */
static inline struct spm_peer h_client_peer(const struct h *h, int cl)
{
    return h->cl[cl].peer;
}

static inline struct spm_peer h_any(void)
{
    struct spm_peer p = {SPM_PEER_NONE, 0, 0};

    return p;
}

#endif /* PARTIX_CORE_HARNESS_H */
