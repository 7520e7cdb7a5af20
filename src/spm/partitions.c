/*
 * partitions.c - partition processes: fork, sandbox, exec; the channel
 * protocol (HELLO, CONFIG, READY, replies, logs, panics, violations); and
 * what happens when one dies: every caller gets an answer, and a partition
 * that had started is restarted.
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "psa/service.h"
#include "paths.h"
#include "sandbox.h"
#include "spm.h"

#define MAX_RESTARTS 10             /* within RESTART_WINDOW: more is a crash loop */
#define RESTART_WINDOW 10           /* seconds */
#define STACK_SCALE 64              /* 64-bit code and glibc need far more than an M33 */
#define STACK_FLOOR (1024u * 1024u) /* the dynamic loader's own needs */
#define STORAGE_FSIZE (16u << 20)   /* RLIMIT_FSIZE of the storage profile: one file's bound */

struct spm_part *spm_part_of(const struct mf_partition *mf)
{
    return &spm.parts[mf - spm.sys->partitions];
}

static struct spm_part *by_pid(pid_t pid)
{
    size_t i;

    for (i = 0; i < spm.n_parts; i++)
        if (spm.parts[i].pid == pid)
            return &spm.parts[i];
    return NULL;
}

/* In the child: report why it could not start on the channel, then exit. */
static void __attribute__((noreturn)) child_fail(int chan, const char *what, int err)
{
    struct wire_msg m;
    struct wire_frame f;

    m.type = WIRE_P_PANIC;
    m.seq = 0;
    m.u.text.level = 0;
    snprintf(m.u.text.text, sizeof(m.u.text.text), "could not start: %s: %s", what, strerror(err));
    if (wire_encode(&f, &m) == 0 && wire_send(SANDBOX_CHANNEL_FD, &f, -1) < 0)
        (void)wire_send(chan, &f, -1);
    _exit(127);
}

/*
 * The storage profile: <state-dir>/<partition name>/, mode 0700, owned by
 * the partition's user, opened for reading (so the partition can list and
 * fsync it).  Opened after the channel and the executable, so its number is
 * above theirs and sandbox_setup()'s dup2 to fds 3, 4, 5 clobbers nothing.
 */
static int open_storage(const struct spm_part *p)
{
    char path[PATH_MAX];
    struct stat st;
    int fd;

    if (spm.state_dir[0] == '\0') {
        spm_log(SPM_ERROR, "partition %s: its storage needs a state directory (--state-dir)",
                p->mf->name);
        return -1;
    }
    if ((size_t)snprintf(path, sizeof(path), "%s/%s", spm.state_dir, p->mf->name) >= sizeof(path)) {
        spm_log(SPM_ERROR, "partition %s: storage directory: path too long", p->mf->name);
        return -1;
    }
    if (partix_mkdir_p(path, 0700) < 0) {
        spm_log(SPM_ERROR, "partition %s: storage directory %s: %s", p->mf->name, path,
                strerror(errno));
        return -1;
    }
    fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) < 0 ||
        (spm.drop_uid && fchown(fd, spm.part_uid, spm.part_gid) < 0) || fchmod(fd, 0700) < 0) {
        spm_log(SPM_ERROR, "partition %s: storage directory %s: %s", p->mf->name, path,
                strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

int spm_part_spawn(struct spm_part *p)
{
    static char asan[256];
    char *argv[] = {(char *)(uintptr_t)p->mf->name, NULL};
    char *envp[] = {asan, NULL};
    struct sandbox_setup_conf conf;
    const char *opts = getenv("ASAN_OPTIONS");
    pid_t self = getpid(), pid;
    int sv[2], exe, storage = -1;

    /* sanitizer builds: LeakSanitizer needs ptrace, which no partition may
     * use, and faults must stay signals so the SPM reports them as such */
    snprintf(asan, sizeof(asan),
             "ASAN_OPTIONS=%s%sdetect_leaks=0:handle_segv=0:handle_sigbus=0:handle_sigfpe=0",
             opts ? opts : "", opts ? ":" : "");
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
        spm_log(SPM_ERROR, "partition %s: socketpair: %s", p->mf->name, strerror(errno));
        return -1;
    }
    exe = open(p->exe, O_PATH | O_CLOEXEC);
    if (exe < 0) {
        spm_log(SPM_ERROR, "partition %s: %s: %s", p->mf->name, p->exe, strerror(errno));
        close(sv[0]);
        close(sv[1]);
        return -1;
    }
    if (p->mf->storage && (storage = open_storage(p)) < 0) {
        close(exe);
        close(sv[0]);
        close(sv[1]);
        return -1;
    }
    memset(&conf, 0, sizeof(conf));
    conf.channel = sv[1];
    conf.exec_fd = exe;
    conf.storage_fd = storage;
    conf.fsize_limit = STORAGE_FSIZE;
    conf.stack_limit = p->mf->stack_size * STACK_SCALE;
    if (conf.stack_limit < STACK_FLOOR)
        conf.stack_limit = STACK_FLOOR;
    errno = 0;
    conf.nice = getpriority(PRIO_PROCESS, 0); /* -1 may be a nice value: errno tells */
    conf.set_nice = errno == 0;
    conf.nice = spm_nice_of(p->mf->priority, conf.nice);
    conf.drop_uid = spm.drop_uid;
    conf.uid = spm.part_uid;
    conf.gid = spm.part_gid;
    conf.parent = self;

    pid = fork();
    if (pid < 0) {
        spm_log(SPM_ERROR, "partition %s: fork: %s", p->mf->name, strerror(errno));
        close(sv[0]);
        close(sv[1]);
        close(exe);
        if (storage >= 0)
            close(storage);
        return -1;
    }
    if (pid == 0) {
        const char *step = NULL;
        sigset_t none;

        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        if (sandbox_setup(&conf, &step) < 0)
            child_fail(sv[1], step, errno);
        syscall(SYS_execveat, SANDBOX_EXEC_FD, "", argv, envp, AT_EMPTY_PATH);
        child_fail(sv[1], p->exe, errno);
    }
    close(exe);
    if (storage >= 0)
        close(storage);
    close(sv[1]);
    fcntl(sv[0], F_SETFL, O_NONBLOCK);
    spm_peer_add(&p->peer, sv[0], PEER_PARTITION);
    p->pid = pid;
    memset(&p->owner, 0, sizeof(p->owner));
    p->owner.pid = pid;
    p->owner.client_id = p->mf->pid;
    p->owner.secure = true;
    p->state = PART_STARTING;
    p->hello = false;
    p->panicked = false;
    p->violation = -1;
    spm_log(SPM_INFO, "partition %s (pid %d) starting: %s", p->mf->name, (int)pid, p->exe);
    return 0;
}

void spm_part_panic(struct spm_part *p, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(p->panic, sizeof(p->panic), fmt, ap);
    va_end(ap);
    p->panicked = true; /* reported with its exit */
    if (p->pid > 0)
        kill(p->pid, SIGKILL);
    spm_peer_close(&p->peer);
}

void spm_part_kill(struct spm_part *p, const char *why)
{
    if (p->pid > 0 && p->peer.fd >= 0)
        spm_log(SPM_WARN, "killing partition %s (pid %d): %s", p->mf->name, (int)p->pid, why);
    if (p->pid > 0)
        kill(p->pid, SIGKILL);
    spm_peer_close(&p->peer);
}

static void send_config(struct spm_part *p)
{
    const struct mf_partition *mf = p->mf;
    struct wire_msg m;
    struct wire_config *c = &m.u.config;
    size_t i;

    if (mf->n_services > WIRE_MAX_SERVICES || spm.sys->n_partitions > WIRE_MAX_PARTITIONS) {
        spm_part_kill(p, "cannot send its configuration");
        return;
    }
    m.type = WIRE_S_CONFIG;
    m.seq = 0;
    c->pid = mf->pid;
    c->log_level = spm_log_level >= SPM_DEBUG  ? WIRE_LOG_DEBUG
                   : spm_log_level >= SPM_INFO ? WIRE_LOG_INFO
                                               : WIRE_LOG_ERROR;
    c->lifecycle = spm.lifecycle;
    c->n_services = (uint8_t)mf->n_services;
    for (i = 0; i < mf->n_services; i++) {
        const struct mf_service *s = &mf->services[i];

        c->services[i].sid = s->sid;
        c->services[i].signal = s->signal;
        c->services[i].version = s->version;
        c->services[i].flags = (uint8_t)((s->connection_based ? WIRE_SVC_CONNECTION_BASED : 0) |
                                         (s->mm_iovec ? WIRE_SVC_MM_IOVEC : 0));
    }
    c->n_partitions = (uint16_t)spm.sys->n_partitions;
    for (i = 0; i < spm.sys->n_partitions; i++)
        c->partition_ids[i] = spm.sys->partitions[i].pid;
    c->n_regions = (uint8_t)mf->n_mmio;
    c->storage = mf->storage ? 1 : 0;
    if (!spm_send(&p->peer, &m, -1) || !spm_send_regions(p))
        spm_part_kill(p, "cannot send its configuration");
}

/* The executable must come from the manifest the SPM loaded. */
static int on_hello(struct spm_part *p, const struct wire_msg *m)
{
    const struct wire_hello *h = &m->u.hello;
    size_t i;

    if (p->hello || p->state != PART_STARTING)
        return -1;
    if (strcmp(h->name, p->mf->name) != 0 || h->n_services != p->mf->n_services) {
        spm_part_kill(p, "its executable was built for another partition or manifest");
        return 0;
    }
    for (i = 0; i < h->n_services; i++) {
        if (h->services[i].sid != p->mf->services[i].sid ||
            h->services[i].signal != p->mf->services[i].signal) {
            spm_part_kill(p, "its executable was built from a different manifest "
                             "(service IDs or signals differ): rebuild it");
            return 0;
        }
    }
    if (h->n_irqs != p->mf->n_irqs) {
        spm_part_kill(p, "its executable was built from a different manifest (interrupts "
                         "differ): rebuild it");
        return 0;
    }
    for (i = 0; i < h->n_irqs; i++) {
        if (h->irqs[i].signal != p->mf->irqs[i].signal ||
            (h->irqs[i].flih != 0) != (p->mf->irqs[i].handling == MF_IRQ_FLIH)) {
            spm_part_kill(p, "its executable was built from a different manifest "
                             "(interrupt signals or handling differ): rebuild it");
            return 0;
        }
    }
    p->hello = true;
    send_config(p);
    return 0;
}

static int on_ready(struct spm_part *p, const struct wire_msg *m)
{
    int32_t abi = m->u.ready.landlock_abi;
    int nice, want;
    bool known;

    if (!p->hello || p->state != PART_STARTING)
        return -1;
    p->state = PART_READY;
    p->landlock_abi = abi;
    errno = 0;
    nice = getpriority(PRIO_PROCESS, (id_t)p->pid);
    spm_log(SPM_INFO,
            "partition %s (pid %d) ready: sandboxed (seccomp, Landlock ABI %d%s%s%s%s), "
            "priority %s (nice %d)",
            p->mf->name, (int)p->pid, abi, p->mf->storage ? ", storage " : "",
            p->mf->storage ? spm.state_dir : "", p->mf->storage ? "/" : "",
            p->mf->storage ? p->mf->name : "", mf_priority_name(p->mf->priority), nice);
    known = errno == 0;
    errno = 0;
    want = spm_nice_of(p->mf->priority, getpriority(PRIO_PROCESS, 0));
    if (known && errno == 0 && nice != want)
        spm_log(SPM_WARN,
                "partition %s: priority %s runs at nice %d, not %d: raising a partition "
                "above psa-spm needs CAP_SYS_NICE",
                p->mf->name, mf_priority_name(p->mf->priority), nice, want);
    if (abi == 0)
        spm_log(SPM_WARN, "partition %s: the kernel has no Landlock; seccomp alone denies files",
                p->mf->name);
    spm_irq_part_ready(p);
    return 0;
}

static int on_mmio(struct spm_part *p, const struct wire_msg *m)
{
    if (p->state != PART_READY)
        return -1;
    return spm_mmio_write(p, m->u.mmio.region, m->u.mmio.offset, m->u.mmio.value);
}

static int on_irq(struct spm_part *p, const struct wire_msg *m)
{
    if (p->state != PART_READY)
        return -1;
    return spm_irq_ctl(p, m->u.irq_ctl.signal, m->u.irq_ctl.op);
}

static int on_panic(struct spm_part *p, const struct wire_msg *m)
{
    snprintf(p->panic, sizeof(p->panic), "%s", m->u.text.text);
    p->panicked = true; /* reported with its exit, in spm_part_reaped() */
    spm_log(SPM_DEBUG, "partition %s (pid %d) reports a panic: %s", p->mf->name, (int)p->pid,
            p->panic);
    return 0;
}

static int on_log(struct spm_part *p, const struct wire_msg *m)
{
    uint8_t level = m->u.text.level;

    spm_log(level <= WIRE_LOG_ERROR  ? SPM_ERROR
            : level == WIRE_LOG_INFO ? SPM_INFO
                                     : SPM_DEBUG,
            "[%s] %s", p->mf->name, m->u.text.text);
    return 0;
}

static int on_violation(struct spm_part *p, const struct wire_msg *m)
{
    int32_t nr = m->u.violation.nr;
    uint32_t arch = m->u.violation.arch;
    const char *name;

    p->violation = nr;
    name = sandbox_syscall_name(nr);
    spm_log(SPM_DEBUG,
            "partition %s (pid %d) made a forbidden system call: %s (nr %d, arch 0x%x); the "
            "sandbox kills it",
            p->mf->name, (int)p->pid, name ? name : "unknown", (int)nr, arch);
    return 0;
}

static int on_notify(struct spm_part *p, const struct wire_msg *m)
{
    struct wire_msg bell = {.type = WIRE_S_DOORBELL};
    const struct mf_partition *target;

    if (p->state != PART_READY)
        return -1;
    target = mf_find_pid(spm.sys, m->u.notify.partition_id);
    if (target == NULL)
        return -1; /* the runtime panics first; reaching here is a forgery */
    if (spm_part_of(target)->state == PART_READY &&
        !spm_send(&spm_part_of(target)->peer, &bell, -1))
        spm_part_kill(spm_part_of(target), "its channel is full or broken");
    return 0;
}

static int on_reply(struct spm_part *p, const struct wire_msg *m)
{
    if (p->state != PART_READY)
        return -1;
    spm_reply_from(p, m);
    return 0;
}

/* A partition as a client of the services in its dependencies. */
static struct spm_caller caller_of(struct spm_part *p)
{
    struct spm_caller k = {&p->peer, &p->owner, p};

    return k;
}

static int on_version(struct spm_part *p, const struct wire_msg *m)
{
    struct spm_caller k = caller_of(p);

    if (p->state != PART_READY)
        return -1;
    spm_version(&k, m->seq, m->u.version_req.sid);
    return 0;
}

static int on_connect(struct spm_part *p, const struct wire_msg *m)
{
    struct spm_caller k = caller_of(p);

    if (p->state != PART_READY)
        return -1;
    spm_connect(&k, m->seq, m->u.connect_req.sid, m->u.connect_req.version);
    return 0;
}

/* A large call from a partition travels in a memfd, as a client's does; the
 * sandbox lets a partition create none (RLIMIT_FSIZE 0, no memfd_create),
 * so the SPM makes a fresh one for each call, already sealed. */
static int on_buffer(struct spm_part *p, const struct wire_msg *m)
{
    uint64_t size = m->u.buffer_req.size;
    struct wire_msg r;
    int fd = -1;

    if (p->state != PART_READY)
        return -1;
    if (size > 0 && size <= WIRE_MAX_PAYLOAD) {
        fd = memfd_create("psa-call", MFD_CLOEXEC | MFD_ALLOW_SEALING);
        if (fd >= 0 && (ftruncate(fd, (off_t)size) < 0 ||
                        fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) < 0)) {
            close(fd);
            fd = -1;
        }
    }
    r.type = WIRE_R_BUFFER;
    r.seq = m->seq;
    r.u.status_rep.status = fd >= 0 ? PSA_SUCCESS : PSA_ERROR_INSUFFICIENT_MEMORY;
    if (!spm_send(&p->peer, &r, fd))
        spm_part_kill(p, "its channel is full or broken");
    return 0;
}

static int on_close(struct spm_part *p, const struct wire_msg *m)
{
    struct spm_caller k = caller_of(p);

    if (p->state != PART_READY)
        return -1;
    spm_close(&k, m->seq, m->u.close_req.handle);
    return 0;
}

/* tfm_hal_system_reset(): sysreset.c */
static int on_reset(struct spm_part *p, const struct wire_msg *m)
{
    return spm_reset_request(p, m);
}

static const struct {
    uint16_t type;
    int (*fn)(struct spm_part *p, const struct wire_msg *m);
} handlers[] = {
    {WIRE_C_VERSION, on_version}, {WIRE_C_CONNECT, on_connect}, {WIRE_C_CLOSE, on_close},
    {WIRE_P_HELLO, on_hello},     {WIRE_P_READY, on_ready},     {WIRE_P_REPLY, on_reply},
    {WIRE_P_PANIC, on_panic},     {WIRE_P_LOG, on_log},         {WIRE_P_VIOLATION, on_violation},
    {WIRE_P_NOTIFY, on_notify},   {WIRE_P_IRQ, on_irq},         {WIRE_P_MMIO, on_mmio},
    {WIRE_C_BUFFER, on_buffer},   {WIRE_P_RESET, on_reset},
};

void spm_part_input(struct spm_part *p)
{
    static uint8_t buf[WIRE_MAX_MSG];
    int budget = 64; /* then let the other peers run */

    while (budget-- > 0 && p->peer.fd >= 0) {
        struct wire_msg m;
        long len;
        size_t i;
        int fd;

        len = wire_recv(p->peer.fd, buf, sizeof(buf), &fd);
        if (len < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        if (len <= 0) {
            /* it exited or closed its channel: make sure, and let the reaper report */
            if (p->pid > 0)
                kill(p->pid, SIGKILL);
            spm_peer_close(&p->peer);
            return;
        }
        if (wire_decode(buf, (size_t)len, &m) < 0 || (fd >= 0 && m.type != WIRE_C_CALL)) {
            if (fd >= 0)
                close(fd); /* only a large call passes a descriptor: its memfd */
            spm_part_kill(p, "malformed datagram");
            return;
        }
        if (m.type == WIRE_C_CALL) { /* a call to a dependency, maybe with its memfd */
            struct spm_caller k = caller_of(p);

            if (p->state != PART_READY) {
                if (fd >= 0)
                    close(fd);
                spm_part_kill(p, "malformed or unexpected datagram");
                return;
            }
            spm_call(&k, &m, fd); /* closes fd on every path */
            continue;
        }
        for (i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++)
            if (handlers[i].type == m.type)
                break;
        if (i == sizeof(handlers) / sizeof(handlers[0]) || handlers[i].fn(p, &m) < 0) {
            spm_part_kill(p, "malformed or unexpected datagram");
            return;
        }
    }
}

static void describe_death(const struct spm_part *p, int status, char *buf, size_t size)
{
    if (p->violation >= 0) {
        const char *name = sandbox_syscall_name(p->violation);

        snprintf(buf, size, "killed by the sandbox: forbidden system call %s (nr %d)",
                 name ? name : "unknown", p->violation);
    } else if (p->panicked) {
        snprintf(buf, size, "panicked: %s", p->panic);
    } else if (WIFSIGNALED(status)) {
        snprintf(buf, size, "killed by signal %s", strsignal(WTERMSIG(status)));
    } else {
        snprintf(buf, size, "exited with status %d", WEXITSTATUS(status));
    }
}

/* The reset policy: a fault of one partition restarts them all, as TF-M
 * resets the system.  The others are killed; when the last one is reaped
 * every partition starts again. */
static void reset_step(struct spm_part *failed, bool was_ready)
{
    static long window_start;
    static unsigned resets;
    size_t i, alive = 0;

    if (!spm.resetting) {
        if (!was_ready) {
            failed->state = PART_FAILED; /* it never started: no reset would help */
            spm_log(SPM_ERROR, "partition %s is out of service: it did not start",
                    failed->mf->name);
            return;
        }
        if (time(NULL) - window_start > RESTART_WINDOW) {
            window_start = time(NULL);
            resets = 0;
        }
        if (resets >= MAX_RESTARTS) {
            spm_log(SPM_ERROR,
                    "too many system resets (%d in %d s): partitions are out of "
                    "service",
                    MAX_RESTARTS, RESTART_WINDOW);
            for (i = 0; i < spm.n_parts; i++)
                spm.parts[i].state = PART_FAILED;
            failed->state = PART_FAILED;
            return;
        }
        resets++;
        spm.resetting = true;
        spm_log(SPM_ERROR, "system reset after the fault of partition %s (reset %u of %d in %d s)",
                failed->mf->name, resets, MAX_RESTARTS, RESTART_WINDOW);
        for (i = 0; i < spm.n_parts; i++) {
            struct spm_part *q = &spm.parts[i];

            if (q != failed && q->pid > 0) {
                q->resetting = true;
                kill(q->pid, SIGKILL);
                spm_peer_close(&q->peer);
            }
        }
    }
    failed->state = PART_DEAD;
    for (i = 0; i < spm.n_parts; i++)
        alive += spm.parts[i].pid > 0;
    if (alive > 0)
        return;
    spm.resetting = false;
    spm_log(SPM_INFO, "restarting all %zu partitions", spm.n_parts);
    for (i = 0; i < spm.n_parts; i++)
        if (spm_part_spawn(&spm.parts[i]) < 0)
            spm.parts[i].state = PART_FAILED;
}

void spm_part_reaped(pid_t pid, int status)
{
    struct spm_part *p = by_pid(pid);
    char why[WIRE_MAX_LOG + 64];
    bool was_ready, reset_victim;

    if (p == NULL)
        return;
    /* what it said before it died (its panic, its last log lines) is still
     * queued on the channel: read it before closing, or the reason is lost */
    for (int rounds = 0; p->peer.fd >= 0 && rounds < 1024; rounds++)
        spm_part_input(p); /* until end of stream, which closes it */
    describe_death(p, status, why, sizeof(why));
    was_ready = p->state == PART_READY;
    reset_victim = p->resetting;
    p->resetting = false;
    spm_peer_close(&p->peer);
    p->pid = 0;
    spm_peer_gone(&p->peer);   /* replies for its own calls go nowhere */
    spm_owner_gone(&p->owner); /* its connections to other partitions close */
    spm_part_gone(p);          /* its callers get an answer */
    if (spm.stopping) {
        spm_log(SPM_INFO, "partition %s (pid %d) stopped: %s", p->mf->name, (int)pid, why);
        p->state = PART_DEAD;
        return;
    }
    if (reset_victim) {
        spm_log(SPM_INFO, "partition %s (pid %d) stopped for the reset", p->mf->name, (int)pid);
    } else {
        spm_log(SPM_ERROR, "partition %s (pid %d) %s", p->mf->name, (int)pid, why);
    }
    if (spm.policy == SPM_POLICY_RESET || spm.resetting) {
        reset_step(p, was_ready || reset_victim);
        return;
    }
    if (time(NULL) - p->window_start > RESTART_WINDOW) {
        p->window_start = time(NULL);
        p->restarts = 0;
    }
    if (!was_ready || p->restarts >= MAX_RESTARTS) {
        p->state = PART_FAILED;
        spm_log(SPM_ERROR, "partition %s is out of service%s", p->mf->name,
                was_ready ? ": too many restarts" : ": it did not start");
        return;
    }
    p->restarts++;
    p->state = PART_DEAD;
    spm_log(SPM_INFO, "restarting partition %s (restart %u of %d in %d s)", p->mf->name,
            p->restarts, MAX_RESTARTS, RESTART_WINDOW);
    if (spm_part_spawn(p) < 0)
        p->state = PART_FAILED;
}

void spm_system_reset(const char *why)
{
    size_t i;

    if (spm.resetting || spm.stopping)
        return;
    spm.resetting = true;
    spm_log(SPM_ERROR, "system reset (%s): every partition restarts", why);
    for (i = 0; i < spm.n_parts; i++) {
        struct spm_part *q = &spm.parts[i];

        if (q->pid > 0) {
            q->resetting = true;
            kill(q->pid, SIGKILL);
            spm_peer_close(&q->peer);
        }
    }
}

/* The watchdog: a partition that leaves a message unanswered too long hangs. */
long spm_next_deadline_ms(long now)
{
    const struct spm_conn *c;
    long next = -1;

    if (spm.call_timeout_ms <= 0)
        return -1;
    for (c = spm.conns; c != NULL; c = c->next)
        if (c->msg != 0 && (next < 0 || c->deadline_ms < next))
            next = c->deadline_ms;
    return next < 0 ? -1 : (next > now ? next - now : 0);
}

void spm_check_deadlines(long now)
{
    struct spm_conn *c;

    if (spm.call_timeout_ms <= 0)
        return;
    for (c = spm.conns; c != NULL; c = c->next) {
        if (c->msg == 0 || c->deadline_ms > now || c->part->pid <= 0 || c->part->peer.fd < 0)
            continue;
        spm_part_panic(c->part, "hung: no reply to a %s message for %ld ms",
                       c->msg_type == PSA_IPC_CONNECT      ? "CONNECT"
                       : c->msg_type == PSA_IPC_DISCONNECT ? "DISCONNECT"
                                                           : "call",
                       spm.call_timeout_ms);
        return; /* the reaper answers its callers; the list may change */
    }
}
