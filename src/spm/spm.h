/*
 * spm.h - psa-spm around its core: what the files outside src/spm/core/
 * share.  Every decision is the core's (core/core.h); these files do the
 * I/O it asks for and own what is privileged.
 *
 *   main.c           options, start-up, shutdown
 *   log.c            the log sink: one line per event, repeats rate-limited
 *   lifecycle.c      --lifecycle, and the state the OTP holds
 *   sched.c          priorities: nice values, the order a batch is served in
 *   shell/loop.c     the epoll loop: events in, core steps, timers
 *   shell/clients.c  the client socket: accept, identity, receive
 *   shell/parts.c    partition channels: receive, deaths
 *   shell/effects.c  carrying out the core's outbox
 *   shell/sendq.c    per-peer send queues and their bounds
 *   shell/memobj.c   the checks of a memory object a caller passes
 *   shell/chans.c    the direct path: status pages, connections' areas and doorbells
 *   priv/monitor.c   the privileged parent: spawns, kills and reaps for the router
 *   priv/privmsg.c   the requests between the router and the monitor
 *   priv/confine.c   the router's confinement: its uid, its seccomp allowlist
 *   priv/spawn.c     a partition's process: fork, sandbox, exec
 *   priv/ids.c       the uids the router and partitions run as when psa-spm runs as root
 *   priv/crash.c     a crashed partition's report: unwound, symbolized, logged, filed
 *   priv/debug.c     --debug-partition: one partition run for gdb or valgrind
 *   shell/privsep.c  the router's side of the monitor
 *   board/devices.c  MMIO regions and the simulated peripherals
 *   board/otp.c      the simulated OTP
 *   board/measure.c  the boot record: what psa-spm measured at start
 */
#ifndef PARTIX_SPM_H
#define PARTIX_SPM_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core.h"
#include "manifest.h"
#include "otp_layout.h"
#include "psa/client.h"
#include "wire.h"

/* ---- identities (priv/ids.c) ---- */

#define SPM_MAX_PARTITIONS 256 /* partitions that get a uid of their own */
#define SPM_SUBUID_PATH "/etc/subuid"
#define SPM_DEFAULT_ACCOUNT "partix" /* --partition-user's default (mk/deps.sh makes it) */

/* Who runs what when psa-spm runs as root. */
struct spm_ids {
    uid_t router_uid; /* the account itself: what runs unprivileged parts of psa-spm */
    gid_t router_gid; /* the account's group */
    uid_t part_uid[SPM_MAX_PARTITIONS]; /* partition i (manifest order): FIRST + i */
    gid_t part_gid;                     /* every partition's group: the account's */
    size_t n_parts;
};

/*
 * Resolves account @p user (by name) and a uid for each of @p n_parts
 * partitions: the first n_parts of the first range /etc/subuid gives the
 * account with room for them all.  0, or -1 with why psa-spm must not start
 * (naming the fix) in @p why: no such account, the account is root or
 * nobody, no range or one too short, a uid of the range that the passwd
 * database names or another user's range holds, or more than
 * SPM_MAX_PARTITIONS partitions.
 */
int spm_ids_resolve(const char *user, size_t n_parts, struct spm_ids *ids, char *why, size_t size);
/* spm_ids_resolve() with the subordinate uids read from @p subuid_path. */
int spm_ids_resolve_from(const char *subuid_path, const char *user, size_t n_parts,
                         struct spm_ids *ids, char *why, size_t size);

/*
 * In @p path (/etc/subuid's format: NAME:FIRST:COUNT lines, NAME a user
 * name or uid, '#' comments), the first range of @p user (or of its @p uid)
 * holding at least @p need ids: 0 with *first, whose ids FIRST to
 * FIRST + need - 1 no other line's range holds; else -1 with why in @p why
 * (no file, no range, ranges too short, a malformed line of the user, an
 * overlap naming the line).  Other users' malformed lines are skipped.
 */
int spm_subid_find(const char *path, const char *user, uid_t uid, uint32_t need, uint32_t *first,
                   char *why, size_t size);

/* ---- the daemon's configuration, as main.c sets it up ---- */

struct spm {
    const struct mf_system *sys;
    const struct mf_platform *plat; /* NULL: a board without interrupt lines */
    char socket_path[PATH_MAX];
    char partition_dir[PATH_MAX];
    char state_dir[PATH_MAX]; /* --state-dir, or "" when there is none */
    bool drop_uid;            /* running as root: the router runs as ids.router_uid,
                               * partition i as ids.part_uid[i] */
    struct spm_ids ids;
    struct partix_otp otp;              /* the device's OTP, as read at start */
    uint32_t lifecycle;                 /* what psa_rot_lifecycle_state() returns */
    char lifecycle_from[PATH_MAX + 16]; /* where it came from, for the log */
    bool direct;                        /* --direct: the direct data path (chan.h) */
};

extern struct spm spm;

/* ---- log (log.c) ---- */

extern enum spm_level spm_log_level;

/* One line on stderr: UTC time, "psa-spm", the level, the text.  More than
 * SPM_LOG_BURST lines of one format (spm_log) or of one text but for its
 * digits (spm_log_text) within a second are suppressed and counted in one
 * "(... N similar lines suppressed: KIND)" line; debug lines never are. */
#define SPM_LOG_BURST 100
void spm_log(enum spm_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void spm_log_text(enum spm_level level, const char *text);
/* ms until a suppression summary is due (-1: none), and writing it. */
long spm_log_next_deadline(long now);
void spm_log_flush(long now);

/* CLOCK_MONOTONIC in ms: the time every core event carries. */
long spm_now_ms(void);

/* ---- the shell (shell/) ---- */

struct spm_board_hooks;

/* What an epoll event names: a core peer (SPM_PEER_CLIENT, SPM_PEER_PART)
 * or one of the shell's own descriptors. */
enum { SHELL_LISTEN = 3, SHELL_SIGNALS = 4, SHELL_MONITOR = 5 };
#define SHELL_TAG(kind, idx, gen)                                                                  \
    ((uint64_t)(gen) << 32 | (uint64_t)(kind) << 28 | ((uint64_t)(idx)&0x0fffffffu))
#define SHELL_TAG_KIND(t) ((unsigned)((t) >> 28) & 0xfu)
#define SHELL_TAG_IDX(t) ((uint32_t)(t)&0x0fffffffu)
#define SHELL_TAG_GEN(t) ((uint32_t)((t) >> 32))

/* A send queue: encoded datagrams a full socket did not take yet. */
struct sendq_node;
struct sendq {
    struct sendq_node *head, *tail;
    size_t bytes; /* their real cost: allocations and node overhead */
    bool held;    /* the owner (a client) is not read until the queue drains */
};

/* A client socket, at the index the core gave it. */
struct shell_client {
    int fd; /* -1: closed */
    uint32_t gen;
    bool read_core;  /* the core's SPM_FX_READ */
    uint32_t events; /* what epoll watches now */
    struct sendq q;
};

struct chan_status;

/* A partition's channel and process, at its manifest index. */
struct shell_part {
    int fd;       /* -1: none */
    uint32_t gen; /* the core's generation of this channel */
    pid_t pid;    /* its process as spawned, 0 once reaped */
    uint32_t events;
    struct sendq q;
    struct chan_status *status; /* the direct path's status page (chans.c), or NULL */
};

struct shell {
    struct spm_core *core;
    const struct mf_system *sys;
    int epfd, sfd, lfd;
    int mon_req, mon_rep; /* the monitor's request and report sockets */
    int reserve_fd;       /* /dev/null, given up to refuse a connection at EMFILE */
    long emfile_logged;   /* when accept last logged EMFILE (ms) */
    struct shell_client *clients;
    size_t cap_clients;
    struct shell_part *parts;
    size_t n_parts;
    long now; /* the current batch's time */
    bool stopping;
    /* the one receive buffer and decoded message: an event's payload
     * pointers point here until its outbox is carried out */
    uint8_t rx[WIRE_MAX_MSG];
    struct wire_msg msg;
};

extern struct shell shell;

/* shell/loop.c */
/* The loop around @p core, with the monitor's request and report sockets. */
int shell_init(struct spm_core *core, const struct mf_system *sys, int mon_req, int mon_rep);
void shell_free(void);
void shell_listen(int lfd);
/* One batch: waits up to @p cap_ms (-1: until a deadline or an event),
 * serves what is ready, checks the timers.  -1 if the loop is broken. */
int shell_run_once(long cap_ms);
/* Steps the core with @p ev (now set), carries out its outbox, then the
 * events that deferred. */
void shell_step(struct spm_event *ev);
/* Carries out what the core put in its outbox outside a step
 * (spm_core_client_open() logs), then clears it. */
void shell_carry_outbox(void);
/* Queues an event for after the current outbox (copies @p ev and its why). */
void shell_defer(const struct spm_event *ev);
void shell_run_deferred(void);
void shell_epoll_add(int fd, uint64_t tag, uint32_t events);
/* Sets what epoll watches of @p fd to @p events if *cur differs. */
void shell_epoll_mod(int fd, uint64_t tag, uint32_t events, uint32_t *cur);

/* shell/clients.c */
int shell_clients_init(void);
void shell_accept(void);
void shell_client_input(uint32_t idx, uint32_t events);
struct shell_client *shell_client(struct spm_peer to);
void shell_client_close(struct shell_client *c);
/* Closes a peer's descriptor (off the epoll set) and frees its queue. */
void shell_chan_close(int *fd, uint32_t *events, struct sendq *q);
/* Watches the socket for what the core and the queue bounds allow. */
void shell_client_watch(struct shell_client *c, uint32_t idx);
/* After a queue changed: if the total bound flipped, every client's
 * interest again. */
void shell_queues_check(void);
/* Sends on a client socket (queueing if full); a failed socket is closed
 * and reported gone after the current outbox. */
void shell_client_send(struct shell_client *c, uint32_t idx, const struct wire_frame *f, int fd);
/* shell_client_send() with @p n_fds descriptors. */
void shell_client_send_fds(struct shell_client *c, uint32_t idx, const struct wire_frame *f,
                           const int *fds, int n_fds);
void shell_client_output(uint32_t idx);

/* shell/parts.c */
struct shell_part *shell_part(struct spm_peer to);
void shell_part_input(uint32_t idx, uint32_t budget);
void shell_part_output(uint32_t idx);
void shell_part_close(struct shell_part *p);
void shell_part_send(struct shell_part *p, uint32_t idx, const struct wire_frame *f, int fd);
void shell_part_send_fds(struct shell_part *p, uint32_t idx, const struct wire_frame *f,
                         const int *fds, int n_fds);
/* A new process and its channel (its generation follows PART_SPAWNED). */
void shell_part_spawned(uint32_t idx, pid_t pid, int chan);
/* The monitor reaped partition @p idx's process @p pid (wait status
 * @p status): drains what it said before it died, then PART_EXITED. */
void shell_part_exited(uint32_t idx, pid_t pid, int status);

/* shell/chans.c: the direct data path (chan.h) */
/* Makes partition @p idx's status page and sends it (S_FAST): 0, or -1
 * (logged). */
int shell_fast_setup(uint32_t idx);
/* Lets the partition's status page go (its process ended). */
void shell_fast_close(struct shell_part *p);
void shell_chan_open(const struct spm_effect *e);
void shell_chan_fail(const struct spm_effect *e);
void shell_chan_drop(const struct spm_effect *e);
/* Reads partition @p to's status page into a deferred PART_PROGRESS. */
void shell_chan_watch(struct spm_peer to);
/* For an R_CONNECT of direct connection @p conn (its gen): the
 * descriptors of its area and its doorbell (handed over); 2, or 0 if it has
 * none (the client calls through psa-spm then). */
int shell_chan_fds(uint32_t conn, uint32_t gen, int fds[2]);
/* Sends @p m to @p to with @p n_fds descriptors (consumed in every case). */
void shell_send_msg(struct spm_peer to, const struct wire_msg *m, const int *fds, int n_fds);

/* shell/effects.c */
void shell_carry_out(const struct spm_effect *fx, size_t n);
/* The board's devices' lines and resets, as deferred core events. */
extern const struct spm_board_hooks shell_board_hooks;

/* shell/memobj.c: whether a memory object passed with a call is fit for
 * @p v: a regular file opened read-write, sealed against shrinking and
 * growing but not against writing, holding the vectors' in + out (> 0). */
bool shell_memobj_ok(int fd, const struct wire_vecs *v);

/* shell/sendq.c.  Bounds: a client whose queue holds more than @p peer
 * bytes is not read until it drains to half that; while every queue holds
 * more than @p total bytes in all, no client with a queue is read, until
 * they drain to half that.  Partition queues count in the total but are
 * never bounded: the core's window bounds them. */
#define SPM_DEF_QUEUE_BYTES (256u << 10)
#define SPM_DEF_QUEUE_TOTAL (64u << 20)
void sendq_bounds(size_t peer, size_t total);
/* Sends @p f with @p fd (consumed: closed once sent, or kept with the
 * queued copy).  0 sent, 1 queued (the socket is full), -1 failed (errno). */
int sendq_send(struct sendq *q, int sock, const struct wire_frame *f, int fd);
/* sendq_send() with @p n_fds descriptors (each consumed). */
int sendq_send_fds(struct sendq *q, int sock, const struct wire_frame *f, const int *fds,
                   int n_fds);
/* Sends what is queued: 0 emptied, 1 still queued, -1 failed (errno). */
int sendq_flush(struct sendq *q, int sock);
void sendq_free(struct sendq *q);
/* Whether the owner of @p q must not be read (updates q->held). */
bool sendq_hold(struct sendq *q);
/* Whether the total bound flipped since the last call. */
bool sendq_total_flipped(void);

/* shell/privsep.c: the router's requests to the monitor (priv/monitor.c).
 * Spawning and listening wait for the answer; a kill is not answered. */
int shell_priv_spawn(uint32_t part, pid_t *pid, int *chan, char *why, size_t size);
void shell_priv_kill(uint32_t part, pid_t pid);
/* The client socket, bound by the monitor: its descriptor, or -1. */
int shell_priv_listen(void);
/* Reads the monitor's reports (partitions' ends): the loop's SHELL_MONITOR. */
void shell_priv_reports(void);

/* ---- priorities (sched.c) ---- */

/* Nice steps between HIGH, NORMAL and LOW. */
#define SPM_NICE_STEP 5

/* The nice value of a partition of priority @p prio under a daemon at
 * @p daemon_nice: HIGH one step below (more CPU), NORMAL the same, LOW one
 * step above, within -20..19. */
int spm_nice_of(enum mf_priority prio, int daemon_nice);

struct epoll_event;
/* Orders one batch of events (tagged SHELL_TAG): partitions' first, HIGH to
 * LOW, then the others (clients, the listening socket, signals); stable
 * within a rank. */
void spm_order_batch(struct epoll_event *ev, int n, const struct mf_system *sys);

/* ---- spawning partitions (priv/spawn.c) ---- */

/*
 * Starts partition @p mf in its sandbox: 0 with *pid and *chan (the SPM's
 * end of its channel, non-blocking), or -1 with why it could not in @p why
 * (for SPM_EV_SPAWN_FAILED: the core logs it).  *crash is the monitor's end
 * of its crash socket (priv/crash.c), or -1.
 */
int spm_spawn(const struct mf_partition *mf, pid_t *pid, int *chan, int *crash, char *why,
              size_t size);

/* ---- the board's TPM (board/tpm.c, in the monitor) ---- */

/*
 * The TPM channel for a start of partition @p mf (its manifest sets
 * partix_tpm): the platform's device opened, or a fresh swtpm (any earlier
 * one stopped) running as @p uid/@p gid when psa-spm is root, with the
 * other end returned.  -1: the board has no TPM (none, or no swtpm
 * installed; logged) and the partition starts without one; -2: an error,
 * why in @p why.
 */
int spm_tpm_open(const struct mf_partition *mf, uid_t uid, gid_t gid, char *why, size_t size);

/* Whether @p pid, just reaped by the monitor, was the simulator (logged). */
bool spm_tpm_reaped(pid_t pid, int status);

/* Stops the simulator, if one runs, and waits for it. */
void spm_tpm_stop(void);

/* ---- privilege separation (priv/) ---- */

/*
 * psa-spm is two processes, as OpenSSH's monitor and its unprivileged
 * child.  The router reads every client's and partition's datagram (the
 * core and the shell); it runs as the partix account when psa-spm runs as
 * root, with no new privileges, undumpable, under its own seccomp
 * allowlist.  The monitor, its parent, keeps psa-spm's identity and does
 * what only that identity may, on the router's request: it spawns a
 * partition of the manifests, kills one of its own children, binds the
 * client socket.  It reaps every child and reports each partition's end.
 */
enum spm_priv_op {
    SPM_PRIV_SPAWN = 1, /* router: part; answered SPAWNED (pid, with the channel) or FAILED */
    SPM_PRIV_KILL,      /* router: part, pid (a child of the monitor); not answered */
    SPM_PRIV_LISTEN,    /* router: answered LISTENING (with the socket) or FAILED */
    SPM_PRIV_SPAWNED,
    SPM_PRIV_LISTENING,
    SPM_PRIV_FAILED, /* why */
    SPM_PRIV_EXITED, /* monitor, on the report socket: part, pid, status (a wait status) */
};

struct spm_priv_msg {
    uint32_t op;
    uint32_t part;
    int32_t pid;
    int32_t status;
    char why[256];
};

/* priv/privmsg.c.  Sends @p m with descriptor @p fd (-1: none; not
 * consumed): 0, or -1 (errno).  Blocking. */
int spm_priv_send(int sock, const struct spm_priv_msg *m, int fd);
/* Receives one message into @p m, a passed descriptor in *fd (-1: none):
 * 1, 0 at end of stream, -1 (errno; EBADMSG for a malformed one, whose
 * descriptor is closed). */
int spm_priv_recv(int sock, struct spm_priv_msg *m, int *fd);

/* priv/monitor.c.  The monitor's life: serves the router @p router's
 * requests on @p req and reports on @p rep until the router ends, then
 * kills what is left, removes the client socket, and returns the exit
 * status psa-spm ends with (the router's). */
int spm_monitor_run(pid_t router, int req, int rep);

/* priv/confine.c.  In the router, before it reads anything: becomes
 * @p uid/@p gid if @p drop (psa-spm runs as root), dies with the monitor
 * @p monitor, no new privileges, no core dumps, no children.  0, or -1
 * (logged). */
int spm_router_drop(bool drop, uid_t uid, gid_t gid, pid_t monitor);
/* Loads the router's seccomp allowlist (a call outside it is logged by
 * number and kills the router).  0, or -1 (logged). */
int spm_router_seccomp(void);

/* ---- crash reports and debuggers (priv/crash.c, priv/debug.c) ---- */

/*
 * A partition's crash socket: the monitor's end (non-blocking), and in
 * *child_end the partition's (SANDBOX_CRASH_FD once it runs); -1 (errno).
 */
int spm_crash_socket(int *child_end);
/*
 * After partition @p mf's process @p pid ended with wait status @p status:
 * unless it exited 0, forks a symbolizer (the monitor reaps it as a
 * stranger) that reads the crash report it left on @p fd (the monitor's
 * end), unwinds and symbolizes it (libdw) without psa-spm's privileges,
 * logs it and writes it to <state-dir>/crashes/<name>-<pid>.txt.  Does not
 * close @p fd.
 */
void spm_crash_collect(const struct mf_partition *mf, pid_t pid, int status, int fd);

/* How --debug-partition runs its partition (docs/debugging.md). */
enum spm_debug_mode {
    SPM_DEBUG_NONE = 0,
    SPM_DEBUG_GDB,      /* attachable: dumpable, the watchdog off */
    SPM_DEBUG_GDB_WAIT, /* also held before its entry point (partix_debug_hold) */
    SPM_DEBUG_VALGRIND, /* under valgrind: no seccomp, no Landlock, the watchdog off */
};
/* --debug-partition NAME[:gdb|gdb-wait|valgrind]: 0, or -1 (said on stderr). */
int spm_debug_option(const char *arg);
/* After the manifests are read: finds the partition the option names and
 * turns the call watchdog off in @p call_timeout_ms (a partition stopped at
 * a breakpoint is not hung), logging a loud warning.  0, or -1 (said on
 * stderr): no such partition, no valgrind. */
int spm_debug_resolve(const struct mf_system *sys, long *call_timeout_ms);
/* The mode partition @p mf runs in. */
enum spm_debug_mode spm_debug_mode_of(const struct mf_partition *mf);
/* Its mode's name for the partition's PARTIX_DEBUG ("gdb", ...). */
const char *spm_debug_mode_name(enum spm_debug_mode mode);
/* The valgrind executable (SPM_DEBUG_VALGRIND). */
const char *spm_debug_valgrind(void);

/* --core-dir DIR: partitions stay dumpable, and a crash's core is moved to
 * DIR/<name>-<pid>.core.  The option (creates DIR): 0, or -1 (said on
 * stderr); the directory (absolute), or NULL without the option. */
int spm_core_dir_option(const char *arg);
const char *spm_core_dir(void);
/* Once the uids are known: a directory the partitions' group may write. */
void spm_core_dir_prepare(void);
/* After partition @p mf's process @p pid ended with @p status: moves the
 * core the kernel dumped into the core directory and logs where it is (or
 * where the kernel's core_pattern sent it). */
void spm_core_collect(const struct mf_partition *mf, pid_t pid, int status);

/* ---- the simulated board (board/) ---- */

/* What a device does to the outside: drives an interrupt line of the
 * platform, asks for a system reset. */
struct spm_board_hooks {
    void (*irq_line)(int line, bool level);
    void (*reset)(const char *why);
};

/* Creates the MMIO regions of the platform and of the manifests; -1 (logged). */
int spm_board_init(const char *state_dir, const struct spm_board_hooks *hooks);
void spm_board_free(void);
/* S_REGION @p k of partition @p mf in @p m, with the region's memory object
 * in *fd (the board's: pass a dup); -1 if the board has no such region. */
int spm_board_region(const struct mf_partition *mf, size_t k, struct wire_msg *m, int *fd);
/* A device register of @p mf's region @p index was written (P_MMIO),
 * leaving @p value: the model takes it, then acknowledges it to the
 * partition (which waits); -1 if that is no device register of its. */
int spm_board_mmio(const struct mf_partition *mf, uint8_t index, uint32_t offset, uint32_t value,
                   long now);
/* ms until a device's deadline (-1: none), and time passing for devices
 * (cheap: called at every wakeup, it keeps a watchdog's VALUE current). */
long spm_board_next_deadline(long now);
void spm_board_tick(long now);
/* A system reset: the UARTs and watchdogs return to their reset state
 * (registers, counters, interrupt lines low), as a real reset does;
 * memory, NVMEM and the OTP keep what they hold. */
void spm_board_reset(void);

/* ---- the simulated OTP (board/otp.c) ---- */

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
/* The boot record's CBOR (measure.c): psa-spm and each partition
 * executable measured, as the attestation token's software components, in
 * @p out (@p room bytes); its length and count.  -1 (logged) if a file
 * cannot be read or the record does not fit. */
int spm_boot_record(uint8_t *out, size_t room, size_t *len, uint32_t *count);
/* Takes STATE_DIR's lock (statelock.c) for this process's life: 0, or -1
 * when another psa-spm holds it or it cannot be taken (@p who says why on
 * stderr, naming the directory and the holder's pid). */
int spm_state_lock(const char *state_dir, const char *who);
/* In a child forked after spm_state_lock(): closes its copy of the lock's
 * descriptor, so the lock ends with the process that took it (the router
 * must not keep it past a killed monitor). */
void spm_state_lock_leave(void);
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

/* ---- daemon.c: --daemon, systemd's socket activation and readiness ---- */

/*
 * --daemon: forks.  In the child (the daemon, in a session of its own,
 * stdin /dev/null, stdout and stderr appended to @p log_path) returns -1
 * with *@p ready_fd the pipe to write "READY\n" to once serving.  In the
 * parent, returns the command's exit status: 0 once the child said READY
 * (its pid printed on stdout), else the child's status, after copying to
 * stderr what the child logged.
 */
int spm_daemonize(const char *log_path, int *ready_fd);

/*
 * Socket activation (sd_listen_fds()'s protocol): when LISTEN_PID is this
 * process and LISTEN_FDS 1, takes descriptor 3, which must be a listening
 * AF_UNIX SOCK_SEQPACKET socket, and writes its path into @p path (a
 * --socket there that differs gets a warning).  Unsets LISTEN_* in every
 * case.  Returns 1 (activated), 0 (not), or -1 after a message.
 */
int spm_activation_take(char *path, size_t size);

/* The activated socket, once (then -1): the monitor hands it to the router
 * instead of binding one, and never removes it (systemd's). */
int spm_activation_socket(void);

/* In the router: closes its copy of the activated socket. */
void spm_activation_leave(void);

/* READY=1 to $NOTIFY_SOCKET, if set (sd_notify()'s protocol), then unsets it. */
void spm_notify_ready(void);

#endif /* PARTIX_SPM_H */
