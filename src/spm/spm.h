/*
 * spm.h - the daemon's state, shared by the files of src/spm/.
 *
 *   main.c       options, start-up, shutdown
 *   loop.c       the epoll loop, peers and their send queues
 *   clients.c    the client socket: identity, the request table
 *   conns.c      connections and messages between clients and partitions
 *   partitions.c spawning, the channel protocol, deaths and restarts
 *   policy.c     the FF-M client rules, as pure functions
 *   irqs.c       the board's interrupt lines and their delivery
 *   devices.c    MMIO regions and the simulated peripherals
 *   lifecycle.c  the PSA RoT lifecycle state partitions are told
 *   otp.c        the simulated OTP: device secrets, identities, lifecycle
 *   sysreset.c   system resets PSA-ROT partitions ask for
 *   measure.c    the boot record: what psa-spm measured at start, for attestation
 *   sched.c      partition priority: niceness, and the order events are served
 *   log.c        one line per event
 */
#ifndef PARTIX_SPM_H
#define PARTIX_SPM_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "manifest.h"
#include "otp_layout.h"
#include "psa/client.h"
#include "wire.h"

/* ---- log ---- */

enum spm_level { SPM_ERROR, SPM_WARN, SPM_INFO, SPM_DEBUG };
extern enum spm_level spm_log_level;
void spm_log(enum spm_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int spm_parse_level(const char *s, enum spm_level *out);

/* ---- peers: anything on the epoll set ---- */

enum peer_kind { PEER_LISTEN, PEER_SIGNALS, PEER_CLIENT, PEER_PARTITION };

struct outmsg {
    struct outmsg *next;
    int fd; /* passed with the datagram, closed once sent */
    size_t len;
    uint8_t data[];
};

struct peer {
    enum peer_kind kind;
    int fd;
    struct outmsg *q_head, *q_tail;
    size_t q_len;
    bool watching_out;
};

/* Encodes and sends (or queues) a message; false if the peer is beyond saving. */
bool spm_send(struct peer *p, const struct wire_msg *m, int fd);
/* Waits up to timeout_ms and handles the events; -1 if the loop is broken. */
int spm_loop_once(int timeout_ms);
void spm_peer_add(struct peer *p, int fd, enum peer_kind kind);
void spm_peer_close(struct peer *p);

/* ---- clients ---- */

/* A client process (or a partition as a client): the owner of handles,
 * whatever socket (thread) it uses. */
struct spm_owner {
    struct spm_owner *next;
    pid_t pid;
    uid_t uid;
    int32_t client_id;
    unsigned n_sockets;
    bool secure; /* a partition: connection limits count per partition, not per user */
};

/* One client socket (libpsa-client opens one per thread). */
struct spm_client {
    struct peer peer;
    struct spm_client *next;
    struct spm_owner *owner;
};

/* Linux uid -> FF-M client id: negative, as FF-M requires of non-secure callers. */
#define SPM_CLIENT_ID(uid) (-1 - (int32_t)(uid))

void spm_accept(void);
void spm_client_input(struct spm_client *c);
void spm_client_drop(struct spm_client *c, const char *why);
/* Frees dropped clients; called between event batches, never during one. */
void spm_free_dropped(void);

/* ---- partitions ---- */

enum part_state { PART_STARTING, PART_READY, PART_DEAD, PART_FAILED };

struct spm_part {
    struct peer peer;
    struct spm_owner owner; /* the handles it holds as a secure client */
    const struct mf_partition *mf;
    char exe[PATH_MAX];
    pid_t pid;
    enum part_state state;
    bool hello;
    bool panicked;
    char panic[WIRE_MAX_LOG];
    int violation;     /* forbidden system call number, or -1 */
    unsigned restarts; /* within the window that started at window_start */
    long window_start;
    int landlock_abi;
    bool resetting; /* killed for a system reset */
};

int spm_part_spawn(struct spm_part *p);
void spm_part_input(struct spm_part *p);
void spm_part_reaped(pid_t pid, int status);
/* The watchdog: ms until the next reply is due (-1: none), and the check. */
long spm_next_deadline_ms(long now);
void spm_check_deadlines(long now);
long spm_now_ms(void);
void spm_part_kill(struct spm_part *p, const char *why);
/* Panics a partition for an FF-M programmer error it made as a client. */
void spm_part_panic(struct spm_part *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
struct spm_part *spm_part_of(const struct mf_partition *mf);

/* ---- connections ---- */

enum conn_state { CONN_CONNECTING, CONN_IDLE, CONN_CALLING, CONN_CLOSING, CONN_DEAD };

struct spm_conn {
    struct spm_conn *next;
    psa_handle_t handle;     /* what the client holds; 0 for a stateless call */
    struct spm_owner *owner; /* NULL once the client process is gone */
    int32_t client_id;       /* the owner's, kept for the DISCONNECT after it is gone */
    const struct mf_service *svc;
    struct spm_part *part;
    uint64_t rhandle;
    enum conn_state state;
    bool disconnect_after; /* the owner left during a message: close after the reply */
    /* the message in the partition, if any */
    long deadline_ms; /* the watchdog's: a reply is due by then */
    int32_t msg;
    int32_t msg_type;
    struct peer *reply_to; /* the client socket or partition channel that asked */
    uint32_t reply_seq;
    struct wire_vecs vecs;
    bool memfd;
};

/* Who makes a client request: a non-secure client socket, or a partition
 * (a secure caller, panicked instead of answered for its programmer errors). */
struct spm_caller {
    struct peer *peer;
    struct spm_owner *owner;
    struct spm_part *part; /* NULL for a non-secure caller */
};

void spm_version(const struct spm_caller *c, uint32_t seq, uint32_t sid);
void spm_connect(const struct spm_caller *c, uint32_t seq, uint32_t sid, uint32_t version);
void spm_call(const struct spm_caller *c, const struct wire_msg *m, int fd);
void spm_close(const struct spm_caller *c, uint32_t seq, psa_handle_t handle);
void spm_peer_gone(struct peer *p);
void spm_reply_from(struct spm_part *p, const struct wire_msg *m);
void spm_owner_gone(struct spm_owner *o);

void spm_part_gone(struct spm_part *p);
unsigned spm_conns_of(const struct spm_owner *o);

/* A call's caller, kept to answer it later. */
struct spm_pending {
    struct peer *to; /* NULL: its caller is gone */
    uint32_t seq;
    int32_t client_id;
};

/* The connection whose call @p msg is in @p p, or NULL. */
struct spm_conn *spm_call_in(const struct spm_part *p, int32_t msg);
/* Takes the call from its partition, which will not answer it: its caller
 * is left in @p out for whoever does (spm_answer_call). */
void spm_call_take(struct spm_conn *c, struct spm_pending *out);
/* Answers a psa_call with @p st and no output. */
void spm_answer_call(struct peer *to, uint32_t seq, psa_status_t st);

/* ---- interrupts (irqs.c) ---- */

/* One interrupt line of the board: its level is the board's, the enable
 * bit the owner partition's (reset when the owner restarts). */
struct spm_line {
    const struct mf_irq_line *src;
    bool level;
    bool enabled;
    struct spm_part *owner; /* NULL: no partition declares it */
    const struct mf_irq *irq;
};

/* Builds the lines once partitions exist. */
void spm_irq_init(void);
/* The owner is ready: its interrupts start enabled (FF-M 1.0) or disabled (1.1). */
void spm_irq_part_ready(struct spm_part *p);
/* Drives a line from outside (control request); a PSA status. */
psa_status_t spm_irq_drive(const char *source, bool level);
/* Drives line @p line (an index of the platform's irqs) from a device. */
void spm_irq_set_line(int line, bool level);
/* psa_irq_enable/psa_irq_disable/psa_eoi of a partition; -1 if forged. */
int spm_irq_ctl(struct spm_part *p, uint32_t signal, uint8_t op);

/* ---- MMIO regions and devices (devices.c) ---- */

/* One region's memory, shared by the SPM and the partitions that map it. */
struct spm_region {
    uint64_t base, size;         /* as declared */
    uint64_t map_base, map_len;  /* the pages that hold it */
    int fd;                      /* memfd, or the NVMEM file */
    uint8_t *mem;                /* the SPM's own mapping of the pages */
    const struct mf_region *dev; /* the board's region, NULL for a numbered one */
    char uart_line[128];         /* uart: the line being transmitted */
    size_t uart_len;
    long wdog_deadline; /* watchdog: when it expires (0: stopped) */
};

int spm_regions_init(const char *state_dir);
void spm_regions_free(void);
/* Sends the partition its regions (S_REGION + fd each); false if it cannot. */
bool spm_send_regions(struct spm_part *p);
/* A device register was written (P_MMIO), leaving @p value; -1 if forged. */
int spm_mmio_write(struct spm_part *p, uint8_t index, uint32_t offset, uint32_t value);
long spm_devices_next_deadline(long now);
void spm_devices_tick(long now);
/* Resets the whole system, whatever the fault policy (a watchdog's reset,
 * or one a partition asks for: sysreset.c). */
void spm_system_reset(const char *why);

/* ---- system resets partitions ask for (sysreset.c) ---- */

/* P_RESET of a partition (tfm_hal_system_reset()); -1 if malformed. */
int spm_reset_request(struct spm_part *p, const struct wire_msg *m);
/* ms until the calls that asked for a reset are answered regardless (-1: none). */
long spm_reset_next_deadline(long now);
/* Answers those calls once every partition is ready (or out of service). */
void spm_reset_tick(long now);
/* A client socket or partition channel is gone: nothing more is sent to it. */
void spm_reset_peer_gone(const struct peer *p);

/* ---- policy (policy.c): FF-M's client rules ---- */

psa_status_t spm_policy_connect(const struct mf_service *svc, bool ns_caller, uint32_t version);
uint32_t spm_policy_version(const struct mf_service *svc, bool ns_caller);
psa_status_t spm_policy_stateless(const struct mf_service *svc, bool ns_caller,
                                  uint32_t handle_version);
bool spm_is_stateless_handle(psa_handle_t h);
const struct mf_service *spm_stateless_service(const struct mf_system *sys, psa_handle_t h,
                                               const struct mf_partition **owner);
bool spm_type_valid(int32_t type);

/* ---- priorities (sched.c) ---- */

/* Nice steps between HIGH, NORMAL and LOW. */
#define SPM_NICE_STEP 5

/* The nice value of a partition of priority @p prio under a daemon at
 * @p daemon_nice: HIGH one step below (more CPU), NORMAL the same, LOW one
 * step above, within -20..19. */
int spm_nice_of(enum mf_priority prio, int daemon_nice);

struct epoll_event;
/* Orders one batch of events: partitions' first, HIGH to LOW, then the
 * others (clients, the listening socket, signals); stable within a rank. */
void spm_order_batch(struct epoll_event *ev, int n);

/* ---- the simulated OTP (otp.c) ---- */

/* Loads STATE_DIR/otp into spm.otp, or provisions a new device there when
 * there is none (a new HUK and attestation key); with no state directory,
 * a new OTP lives only in memory.  -1 (reported on stderr) if the file is
 * damaged or cannot be read or written: the daemon must not start. */
int spm_otp_init(const char *state_dir);
/* A sealed, read-only memory object of @p len bytes for the board's otp
 * region, which starts @p at bytes into it (its base's offset in its
 * page: the object is mapped from the page's start) and is @p size bytes
 * long: spm.otp with a new boot seed there, then the boot record if the
 * region has room; -1 (logged) on failure. */
int spm_otp_memfd(uint64_t len, uint64_t at, uint64_t size);
/* Wipes the secrets (HUK, attestation key) from spm.otp: once the OTP
 * region exists, the daemon that every client talks to holds none. */
void spm_otp_forget(void);
/* The PSA lifecycle value (psa/lifecycle.h) of the OTP's state. */
uint32_t spm_otp_psa_lifecycle(const struct partix_otp *o);
/* The boot record's CBOR (measure.c): psa-spm and each partition
 * executable measured, as the attestation token's software components, in
 * @p out (@p room bytes); its length and count.  -1 (logged) if a file
 * cannot be read or the record does not fit. */
int spm_boot_record(uint8_t *out, size_t room, size_t *len, uint32_t *count);
/* "psa-spm otp show|pubkey|provision [options]": the exit status. */
int spm_otp_command(int argc, char **argv, const char *default_state_dir);
/* $XDG_STATE_HOME/partix, else ~/.local/state/partix: 0, or -1 if neither. */
int spm_default_state_dir(char *out, size_t size);

/* ---- the lifecycle state (lifecycle.c) ---- */

/* A state name (include/psa/lifecycle.h's, lower case, '-' for '_') or a
 * number up to 0xffff; -1 if neither. */
int spm_lifecycle_parse(const char *s, uint32_t *out);
/* The PSA state's name of a value. */
const char *spm_lifecycle_name(uint32_t v);
/* Sets spm.lifecycle from --lifecycle's @p option: 0, or -1 (reported on
 * stderr) if it is not a state. */
int spm_lifecycle_option(const char *option);
/* Without --lifecycle: sets spm.lifecycle from the OTP (after
 * spm_otp_init; @p state_dir only names it in the log). */
void spm_lifecycle_from_otp(const char *state_dir);

/* ---- the daemon ---- */

enum spm_policy { SPM_POLICY_RESET, SPM_POLICY_RESTART };

struct spm {
    const struct mf_system *sys;
    const struct mf_platform *plat; /* NULL: a board without interrupt lines */
    struct spm_line *lines;
    struct spm_region *regions;
    size_t n_regions;
    enum spm_policy policy;
    bool resetting;
    long call_timeout_ms; /* 0: no watchdog */
    struct spm_part *parts;
    size_t n_parts;
    struct spm_client *clients;
    struct spm_owner *owners;
    struct spm_conn *conns;
    int epfd;
    struct peer listen;
    struct peer signals;
    char socket_path[PATH_MAX];
    char partition_dir[PATH_MAX];
    char state_dir[PATH_MAX]; /* --state-dir, or "" when there is none */
    unsigned max_conns;       /* per client (Linux user) */
    bool drop_uid;
    uid_t part_uid;
    gid_t part_gid;
    bool stopping;
    struct partix_otp otp;              /* the device's OTP, as read at start */
    uint32_t lifecycle;                 /* what psa_rot_lifecycle_state() returns */
    char lifecycle_from[PATH_MAX + 16]; /* where it came from, for the log */
    int32_t next_handle;
    int32_t next_msg;
};

extern struct spm spm;

#endif /* PARTIX_SPM_H */
