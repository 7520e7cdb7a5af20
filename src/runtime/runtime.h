/*
 * runtime.h - the partix partition runtime: the state behind the FF-M
 * partition API in one partition process.
 *
 * The SPM pushes every message (S_MSG) down the channel as it arrives; the
 * runtime queues them and asserts the service's signal while one is queued.
 * psa_get() hands out the oldest message of a signal, and psa_reply() sends
 * P_REPLY with the bytes psa_write() collected.  Every message is a struct
 * of wire.h, handed to rt_send(): the runtime never sees their bytes.  Every
 * FF-M PROGRAMMER ERROR of the partition ends in rt_panic(), which reports
 * the reason to the SPM.
 */
#ifndef PARTIX_RUNTIME_H
#define PARTIX_RUNTIME_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chan.h"
#include "partix/load_info.h"
#include "psa/service.h"
#include "wire.h"

struct partix_otp;

#define RT_MAX_SERVICES 32

struct rt_service {
    uint32_t sid;
    psa_signal_t signal;
    uint32_t version;
    bool connection_based;
    bool mm_iovec;
};

/* A message from the SPM, queued until psa_get() and kept until psa_reply(). */
struct rt_msg {
    struct rt_msg *next;
    psa_handle_t handle;
    int32_t type;
    int32_t client_id;
    uint64_t rhandle;
    psa_signal_t signal;
    const struct rt_service *svc;
    bool gotten;
    bool set_rhandle;
    uint64_t new_rhandle;
    struct wire_vecs v;
    uint8_t *in;  /* the input vectors, back to back */
    uint8_t *out; /* the output vectors, back to back */
    void *map;    /* the memfd mapping holding both, or NULL */
    size_t map_len;
    uint32_t in_off[WIRE_MAX_IOVEC];  /* bytes read or skipped */
    uint32_t written[WIRE_MAX_IOVEC]; /* bytes written */
    uint8_t in_state[WIRE_MAX_IOVEC]; /* read/mapped, for the MM-IOVEC rules */
    uint8_t out_state[WIRE_MAX_IOVEC];
    struct rt_chan *direct; /* the direct connection whose message this is (kept by it), or NULL */
    uint32_t direct_seq;    /* its request's req_seq */
};

struct rt_state {
    int chan;
    const char *name;
    int32_t pid;
    int log_level;
    uint32_t lifecycle;
    struct rt_service services[RT_MAX_SERVICES];
    size_t n_services;
    psa_signal_t service_mask;
    bool doorbell;
    /* interrupts, from the load info */
    const struct partix_irq_info *irqs;
    size_t n_irqs;
    psa_signal_t irq_mask;     /* every interrupt signal */
    psa_signal_t irq_asserted; /* asserted, until psa_eoi() or psa_reset_signal() */
    struct rt_msg *queue;      /* arrival order */
    int32_t *partition_ids;    /* every partition's id, for psa_notify() */
    bool storage;              /* the storage profile: its directory at SANDBOX_STORAGE_FD */
    size_t n_partition_ids;
    /* the reply to the partition's own client request (client.c), decoded:
     * its payload points into the runtime's receive buffer, valid until the
     * next rt_receive() */
    struct wire_msg reply;
    bool have_reply;
    int reply_fd;  /* the memfd of an R_BUFFER, the area of a direct R_CONNECT */
    int reply_fd2; /* the doorbell of a direct R_CONNECT */
    bool stdio;    /* stdout and stderr are log streams (stdio.c) */
    /* the partition code's own stack use (stack.c): the top of its frames
     * (0: not measured), and the most it held below that when it called
     * the runtime */
    uintptr_t stack_base;
    size_t stack_peak;
};

extern struct rt_state rt;

/* The FF-M function the partition last called (a crash report names it
 * when the fault is inside the runtime: crash.c). */
extern const char *rt_api_entered;

/* Records how deep the partition code is on its stack as it calls into
 * the runtime, and which function it called: called first thing by every
 * public function of the runtime, it compares one address. */
#define rt_stack_mark() (rt_api_entered = __func__, rt_stack_mark_depth())
__attribute__((always_inline)) static inline void rt_stack_mark_depth(void)
{
    uintptr_t sp = (uintptr_t)__builtin_frame_address(0);

    /* not on the partition's stack (the harness, a signal handler): no
     * figure; the bound keeps a foreign stack out */
    if (sp < rt.stack_base && rt.stack_base - sp > rt.stack_peak && rt.stack_base - sp < (1u << 24))
        rt.stack_peak = rt.stack_base - sp;
}

/* A log line being assembled from pieces (log.c): LOG_MARKER_RAW messages
 * and the partition's stdout and stderr; sent at each newline. */
struct rt_line {
    char buf[WIRE_MAX_LOG];
    size_t len;
    uint8_t level;
};
extern struct rt_line rt_unpriv_line, rt_stdout_line, rt_stderr_line;
void rt_line_put(struct rt_line *l, const char *s, size_t n);
void rt_line_flush(struct rt_line *l);
/* Sends every line begun (before the partition blocks in psa_wait). */
void rt_log_flush(void);

/* Makes stdout and stderr log streams (stdio.c), before the heap bound. */
void rt_stdio_init(void);

/* The transport (channel.c in a partition process, the testkit in a unit
 * test): */

/* Reports @p fmt to the SPM as this partition's panic and ends the process. */
__attribute__((noreturn, format(printf, 1, 2))) void rt_panic(const char *fmt, ...);

/* Waits, handling nothing, for the SPM to end the process (after P_RESET):
 * exits when the channel closes or the system stops. */
__attribute__((noreturn)) void rt_halt(void);

/* Sends message @p m (with @p fd, or -1) to the SPM; its payload goes
 * straight from the buffers it points at.  A failure means the SPM is gone
 * (or an input vector of the partition's own call is unreadable): exit. */
void rt_send(const struct wire_msg *m, int fd);

/* Takes the next datagram from the SPM into rt (waiting for one if
 * @p block).  Returns false, at once, when not blocking and nothing is
 * there; true when it took one. */
bool rt_receive(bool block);

/* An interrupt fired (S_IRQ): SLIH asserts its signal, FLIH runs the
 * handler, whose result decides. */
void rt_irq_fired(psa_signal_t signal);

/* Frees a message's buffers and unlinks it. */
void rt_msg_free(struct rt_msg *m);

/* The service whose signal is @p sig, or NULL. */
const struct rt_service *rt_service_of(psa_signal_t sig);

/* The entry point's own stack (stack.c): sized from the manifest, guarded,
 * painted.  prepare before the sandbox, then run (never returns). */
int rt_stack_prepare(uint32_t stack_size);
__attribute__((noreturn)) void rt_stack_run(void (*fn)(void));
size_t rt_stack_high_water(void);
/* The most the partition code's own frames held when it called the runtime. */
size_t rt_stack_partition_use(void);
size_t rt_stack_size(void);

/* MMIO regions (mmio.c): maps one S_REGION before the sandbox; the fault
 * handler's hook for device registers; the single-step handler. */
int rt_mmio_map(const struct wire_region *r, int fd);
/* Whether [@p a, @p end) touches a region whose registers trap (1, with
 * *writable its permission), or not (0). */
int rt_mmio_trapped(uintptr_t a, uintptr_t end, bool *writable);

/* probe.c: whether the partition may use @p len bytes at @p base, read
 * (and written, if @p write): 0, or -1 (unmapped, read-only, or wrapping
 * around the address space).  rt_probe_ready() once the fault handler is
 * in place (stack.c); until then nothing is touched and 0 is returned for
 * what does not wrap.  rt_probe_fault() is the fault handler's first step:
 * true if the fault was a probe's (its context now returns -1 from it). */
int rt_probe(const void *base, size_t len, bool write);
void rt_probe_ready(void);
bool rt_probe_fault(void *uc);
bool rt_mmio_fault(siginfo_t *si, void *uc);
int rt_mmio_arm(void);

/* The OTP region's copy in this process (otp.c), or NULL if the manifest
 * does not name it; set by rt_mmio_map. */
extern const struct partix_otp *rt_otp;
extern size_t rt_otp_size; /* the region's bytes: the OTP, then the boot record */

/* The heap (heap.c): the runtime's own buffers, outside the partition's
 * heap_size; and the bound on malloc() & co, from the entry point on. */
void *rt_alloc(size_t n); /* zeroed */
void rt_free(void *p);
void rt_heap_arm(uint32_t heap_size);

/* The direct data path (direct.c, chan.h).  Whether the SPM set it up. */
bool rt_direct_enabled(void);
/* Takes an S_FAST's descriptor (before the sandbox): 0, or -1 if it is not
 * what @p kind says. */
int rt_direct_setup(uint8_t kind, int fd);
/* S_CHAN: a direct connection, its area and its doorbell (both consumed). */
void rt_direct_open(const struct wire_chan *w, int fd, int doorbell);
/* S_GROW: a direct connection's big data area (fd, consumed). */
void rt_direct_grow(const struct wire_grow *w, int fd);
/* The connection of @p token ends (its DISCONNECT was answered). */
void rt_direct_close(uint32_t token);
/* A DISCONNECT for the connection of @p token arrived: a request its client
 * posted before is queued first; *rhandle is the connection's.  Whether it
 * is a direct connection. */
bool rt_direct_disconnect(uint32_t token, uint64_t *rhandle);
/* The partition as a client of a direct connection (a dependency's):
 * takes over its area @p fd and doorbell @p bell (0, or -1: the caller
 * closes them and calls through psa-spm); lets them go; and psa_call on it
 * for vectors already checked: *done false if @p h is not direct or the
 * vectors do not fit its area. */
int rt_direct_client_add(psa_handle_t h, int fd, int bell);
void rt_direct_client_remove(psa_handle_t h);
psa_status_t rt_direct_client_call(psa_handle_t h, int32_t type, const psa_invec *in_vec,
                                   size_t in_len, psa_outvec *out_vec, size_t out_len, bool *done);
/* C_STALL (client.c): PSA_SUCCESS while psa-spm lets the direct call on
 * @p h go on. */
psa_status_t rt_stall(psa_handle_t h);
/* The partition waits on a call of its own (the watchdog's exception). */
void rt_direct_calling(bool on);
/* Answers direct message @p m in its area (psa_reply). */
void rt_direct_reply(struct rt_msg *m, psa_status_t st);
/* Waits (if @p block) until the channel or a doorbell is ready; takes what
 * the doorbells rang for.  1 if a message was queued, 0 if not, -1 if the
 * wait failed; *channel: whether the channel has datagrams. */
int rt_direct_wait(bool block, bool *channel);

struct partix_load_info;
/* The SFN model's dispatch loop; never returns. */
__attribute__((noreturn)) void rt_sfn_loop(const struct partix_load_info *li);

#endif /* PARTIX_RUNTIME_H */
