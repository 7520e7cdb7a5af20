/*
 * main.c - psa-spm: load the manifests, start every partition, serve
 * clients until SIGTERM/SIGINT, then stop everything and clean up.  What
 * happens in between is the core's to decide (core/) and the shell's to
 * carry out (shell/).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <getopt.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "paths.h"
#include "sandbox.h"
#include "spm.h"
#include "version.h"

#define START_TIMEOUT_MS 10000
#define STOP_TIMEOUT_MS 2000
#define MAX_CALL_TIMEOUT_S 2147483L /* INT32_MAX ms */

struct spm spm;

static void usage(FILE *f)
{
    fputs("usage: psa-spm --manifest-list FILE [--manifest-list FILE]... [options]\n"
          "  --manifest-list FILE   a TF-M manifest list; several are read as one system,\n"
          "                         in order (TF-M's extra manifest lists)\n"
          "  --backend ipc|sfn      the SPM backend (TF-M's CONFIG_TFM_SPM_BACKEND): the\n"
          "                         model of 'model: dual' partitions (default ipc)\n"
          "  --socket PATH          client socket (default: $PSA_SPM_SOCKET, else\n"
          "                         $XDG_RUNTIME_DIR/partix/spm.sock, else\n"
          "                         /tmp/partix-UID/spm.sock); under systemd's socket\n"
          "                         activation, the socket it passes (LISTEN_FDS)\n"
          "  --state-dir DIR        persistent state: the OTP, storage, the lock\n"
          "                         (default: $XDG_STATE_HOME/partix, else\n"
          "                         ~/.local/state/partix)\n"
          "  --daemon               run in the background: return once serving (status 0,\n"
          "                         the daemon's pid on stdout), or with the errors that\n"
          "                         stopped it (status 1); it logs to --log-file\n"
          "  --log-file FILE        with --daemon: where the log goes (appended; default\n"
          "                         STATE-DIR/psa-spm.log)\n"
          "  --partition-dir DIR    partition executables (default: ../libexec/partix\n"
          "                         next to psa-spm)\n"
          "  --log-level LEVEL      error, warn, info (default) or debug\n"
          "  --max-connections N    connections per client user (default 32)\n"
          "  --max-inflight N       requests in flight per client socket (default 8); past\n"
          "                         it, the socket is not read until replies free room\n"
          "  --max-inflight-user N  requests in flight per client user (default 256)\n"
          "  --max-sockets-user N   client sockets per client user (default 1024)\n"
          "  --queue-bytes N        bytes of replies a client socket leaves unread before\n"
          "                         psa-spm stops reading it, until half drain (default\n"
          "                         262144)\n"
          "  --queue-total N        bytes unread by every peer in all before psa-spm\n"
          "                         stops reading each client that leaves some, until\n"
          "                         half drain (default 67108864)\n"
          "  --partition-user USER  run as root, the account partitions run under (default\n"
          "                         partix, which sh mk/deps.sh creates): partition i\n"
          "                         runs as the i-th uid of its range in /etc/subuid,\n"
          "                         with its group\n"
          "  --ready-fd FD          write \"READY\\n\" to FD, then close it, once serving\n"
          "  --fault-policy POLICY  reset (default, as TF-M: a fault restarts every\n"
          "                         partition) or restart (only the faulty one)\n"
          "  --reset-limit N/SECONDS more than N system resets (reset policy), or restarts\n"
          "                         of one partition (restart), within SECONDS leave the\n"
          "                         partitions out of service (default 10/10; 0: no limit,\n"
          "                         e.g. for a test suite's long series of intended panics)\n"
          "  --call-timeout SECONDS a partition silent this long on a message is hung:\n"
          "                         it is panicked (default 60; 0: never)\n"
          "  --direct on|off        calls of non-secure clients on connections go straight\n"
          "                         to the partition through shared memory (default on;\n"
          "                         docs/performance.md)\n"
          "  --debug-partition NAME[:MODE] run partition NAME for a debugger, its sandbox\n"
          "                         relaxed for it and the call watchdog off: gdb (default;\n"
          "                         attach with gdb -p PID), gdb-wait (stopped before its\n"
          "                         entry point until gdb clears partix_debug_hold) or\n"
          "                         valgrind\n"
          "  --core-dir DIR         partitions stay dumpable; a crash's core dump is moved\n"
          "                         to DIR/NAME-PID.core (the kernel's core_pattern must be\n"
          "                         a plain file name such as core)\n"
          "                         (docs/debugging.md)\n"
          "  --platform FILE        the simulated board: its interrupt sources, MMIO\n"
          "                         regions and OTP (docs/platform.md; default: the\n"
          "                         shipped board, ../share/partix/manifests/\n"
          "                         platform.yaml next to psa-spm, if it is there)\n"
          "  --lifecycle STATE      what psa_rot_lifecycle_state() returns: unknown,\n"
          "                         assembly-and-test, psa-rot-provisioning, secured,\n"
          "                         non-psa-rot-debug, recoverable-psa-rot-debug,\n"
          "                         decommissioned or a number (default: the OTP's\n"
          "                         state, see partix-ctl otp)\n"
          "  -D NAME=VALUE          a build option for the manifest list (as psa-manifest)\n"
          "  --version              print psa-spm's version\n"
          "Under systemd (Type=notify), psa-spm says READY=1 once it serves.\n",
          f);
}

/* --call-timeout: whole seconds, 0 (no watchdog) up to MAX_CALL_TIMEOUT_S.
 * Anything else is refused, never read as 0, which would turn the watchdog off. */
static int parse_call_timeout(const char *arg, long *ms)
{
    char *end;
    long s;

    errno = 0;
    s = strtol(arg, &end, 10);
    if (arg[0] < '0' || arg[0] > '9' || *end != '\0' || errno != 0 || s > MAX_CALL_TIMEOUT_S)
        return -1;
    *ms = s * 1000L;
    return 0;
}

/* --reset-limit N/SECONDS (N > 0, 1 <= SECONDS <= 86400), or 0: no limit. */
static int parse_reset_limit(const char *arg, unsigned *n, long *seconds)
{
    unsigned long v, w;
    char *end;

    if (strcmp(arg, "0") == 0) {
        *n = 0;
        return 0;
    }
    errno = 0;
    v = strtoul(arg, &end, 10);
    if (arg[0] < '0' || arg[0] > '9' || *end != '/' || errno != 0 || v == 0 || v > UINT_MAX)
        return -1;
    arg = end + 1;
    w = strtoul(arg, &end, 10);
    if (arg[0] < '0' || arg[0] > '9' || *end != '\0' || errno != 0 || w == 0 || w > 86400)
        return -1;
    *n = (unsigned)v;
    *seconds = (long)w;
    return 0;
}

/* A bound's value: a positive whole number up to @p max; anything else is
 * refused (status 2), never read as 0 or wrapped. */
static int parse_bound(const char *name, const char *arg, unsigned long long max,
                       unsigned long long *out)
{
    unsigned long long v;
    char *end;

    errno = 0;
    v = strtoull(arg, &end, 10);
    if (arg[0] < '0' || arg[0] > '9' || *end != '\0' || errno != 0 || v == 0 || v > max) {
        fprintf(stderr, "psa-spm: --%s needs a positive number\n", name);
        return -1;
    }
    *out = v;
    return 0;
}

/* --ready-fd: a descriptor this process was started with, open for
 * writing.  Checked before psa-spm opens anything: a closed number would
 * otherwise be its own epoll or a partition's channel by the time READY
 * is written to it. */
static int parse_ready_fd(const char *arg, int *fd)
{
    long v;
    char *end;
    int fl;

    errno = 0;
    v = strtol(arg, &end, 10);
    if (arg[0] < '0' || arg[0] > '9' || *end != '\0' || errno != 0 || v > INT_MAX) {
        fprintf(stderr, "psa-spm: --ready-fd needs a descriptor number, not '%s'\n", arg);
        return -1;
    }
    fl = fcntl((int)v, F_GETFL);
    if (fl < 0) {
        fprintf(stderr, "psa-spm: --ready-fd %ld: not an open descriptor (%s)\n", v,
                strerror(errno));
        return -1;
    }
    if ((fl & O_ACCMODE) == O_RDONLY) {
        fprintf(stderr, "psa-spm: --ready-fd %ld: not open for writing\n", v);
        return -1;
    }
    fcntl((int)v, F_SETFD, FD_CLOEXEC); /* nobody else's to inherit */
    *fd = (int)v;
    return 0;
}

/* The shipped board, installed (and in the build tree) next to psa-spm:
 * 0 if it is there, else -1. */
static int default_platform(char *out, size_t size)
{
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

    if (n < 0)
        return -1;
    self[n] = '\0';
    n = snprintf(out, size, "%s/../share/partix/manifests/platform.yaml", dirname(self));
    return n < 0 || (size_t)n >= size || access(out, R_OK) < 0 ? -1 : 0;
}

static int default_partition_dir(char *out, size_t size)
{
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

    if (n < 0)
        return -1;
    self[n] = '\0';
    n = snprintf(out, size, "%s/../libexec/partix", dirname(self));
    return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* Every partition's executable is there before any starts. */
static int check_executables(void)
{
    char exe[PATH_MAX];
    size_t i;

    for (i = 0; i < spm.sys->n_partitions; i++) {
        const struct mf_partition *mf = &spm.sys->partitions[i];
        int n = snprintf(exe, sizeof(exe), "%s/%s", spm.partition_dir, mf->basename);

        if (n < 0 || (size_t)n >= sizeof(exe) || access(exe, X_OK) < 0) {
            spm_log(SPM_ERROR, "partition %s: no executable %s (%s)", mf->name, exe,
                    strerror(errno));
            return -1;
        }
    }
    return 0;
}

static int start_partitions(void)
{
    long deadline = spm_now_ms() + START_TIMEOUT_MS;
    struct spm_event ev = {.type = SPM_EV_START};
    int started;

    shell.now = spm_now_ms();
    shell_step(&ev);
    spm_core_reap(shell.core);
    while ((started = spm_core_started(shell.core)) == 0) {
        if (shell.stopping || spm_now_ms() > deadline) {
            spm_log(SPM_ERROR, "%s while partitions were starting",
                    shell.stopping ? "stopped" : "timed out");
            return -1;
        }
        if (shell_run_once(100) < 0)
            return -1;
    }
    return started > 0 ? 0 : -1;
}

/* STOP lets a running partition log its stack use and exit; one that does
 * not within STOP_TIMEOUT_MS is killed. */
static void stop_partitions(void)
{
    long deadline = spm_now_ms() + STOP_TIMEOUT_MS;
    struct spm_event ev = {.type = SPM_EV_STOP};
    size_t i, killed;

    shell.stopping = true;
    shell.now = spm_now_ms();
    shell_step(&ev);
    spm_core_reap(shell.core);
    while (spm_core_alive(shell.core) > 0) {
        if (spm_now_ms() > deadline) {
            for (i = 0, killed = 0; i < shell.n_parts; i++)
                if (shell.parts[i].pid > 0) {
                    shell_priv_kill((uint32_t)i, shell.parts[i].pid);
                    killed++;
                }
            if (killed == 0) {
                spm_log(SPM_ERROR, "internal: the core counts partitions no process is left of");
                return;
            }
            deadline = spm_now_ms() + STOP_TIMEOUT_MS;
        }
        if (shell_run_once(50) < 0)
            return;
    }
}

/* The router: the core and the shell, confined before they read anything
 * (priv/confine.c), asking the monitor for what they may not do. */
static int router_main(const struct spm_core_config *cfg, const char *list, const char *platform,
                       bool platform_default, int req, int rep, int ready_fd, pid_t monitor)
{
    struct spm_core *core = NULL;
    int rc = 1, lfd;

    if (spm_router_drop(spm.drop_uid, spm.ids.router_uid, spm.ids.router_gid, monitor) < 0)
        return 1;
    spm.direct = cfg->direct;
    core = spm_core_new(cfg);
    if (core == NULL || shell_init(core, spm.sys, req, rep) < 0) {
        spm_log(SPM_ERROR, "router: core/epoll/signalfd: %s", strerror(errno));
        spm_core_free(core);
        return 1;
    }
    if (spm_router_seccomp() < 0)
        goto out;
    spm_log(SPM_INFO, "starting %zu partition(s) from %s (fault policy %s, call timeout %ld s)",
            spm.sys->n_partitions, list, cfg->policy == SPM_POLICY_RESET ? "reset" : "restart",
            cfg->call_timeout_ms / 1000);
    spm_log(SPM_INFO, "lifecycle state %s (0x%04x), from %s", spm_lifecycle_name(spm.lifecycle),
            (unsigned)spm.lifecycle, spm.lifecycle_from);
    if (spm.plat != NULL)
        spm_log(SPM_INFO, "board %s, from %s%s", spm.plat->name, platform,
                platform_default ? " (the default)" : "");
    if (start_partitions() < 0)
        goto out;
    lfd = shell_priv_listen();
    if (lfd < 0)
        goto out;
    shell_listen(lfd);
    spm_log(SPM_INFO, "ready: serving %s", spm.socket_path);
    if (ready_fd >= 0) {
        if (write(ready_fd, "READY\n", 6) != 6)
            spm_log(SPM_WARN, "--ready-fd %d: %s", ready_fd, strerror(errno));
        close(ready_fd);
    }
    while (!shell.stopping)
        if (shell_run_once(-1) < 0)
            goto out;
    rc = 0;
out:
    if (shell.lfd >= 0) { /* the monitor removes the socket once this process is gone */
        epoll_ctl(shell.epfd, EPOLL_CTL_DEL, shell.lfd, NULL);
        close(shell.lfd);
        shell.lfd = -1;
    }
    stop_partitions();
    spm_log(SPM_INFO, "stopped");
    shell_free();
    spm_core_free(core);
    spm_board_free();
    return rc;
}

int main(int argc, char **argv)
{
    enum {
        O_LIST = 256,
        O_BACKEND,
        O_POLICY,
        O_TIMEOUT,
        O_SOCKET,
        O_STATE,
        O_PDIR,
        O_LEVEL,
        O_MAXC,
        O_USER,
        O_READY,
        O_PLATFORM,
        O_LIFECYCLE,
        O_INFLIGHT,
        O_INFLIGHT_USER,
        O_SOCKETS_USER,
        O_QUEUE,
        O_QUEUE_TOTAL,
        O_RESET_LIMIT,
        O_DIRECTPATH,
        O_DAEMON,
        O_LOG_FILE,
        O_VERSION,
        O_DEBUG_PART,
        O_CORE_DIR,
    };
    static const struct option opts[] = {
        {"manifest-list", required_argument, NULL, O_LIST},
        {"backend", required_argument, NULL, O_BACKEND},
        {"socket", required_argument, NULL, O_SOCKET},
        {"state-dir", required_argument, NULL, O_STATE},
        {"partition-dir", required_argument, NULL, O_PDIR},
        {"log-level", required_argument, NULL, O_LEVEL},
        {"max-connections", required_argument, NULL, O_MAXC},
        {"partition-user", required_argument, NULL, O_USER},
        {"ready-fd", required_argument, NULL, O_READY},
        {"fault-policy", required_argument, NULL, O_POLICY},
        {"call-timeout", required_argument, NULL, O_TIMEOUT},
        {"platform", required_argument, NULL, O_PLATFORM},
        {"lifecycle", required_argument, NULL, O_LIFECYCLE},
        {"max-inflight", required_argument, NULL, O_INFLIGHT},
        {"max-inflight-user", required_argument, NULL, O_INFLIGHT_USER},
        {"max-sockets-user", required_argument, NULL, O_SOCKETS_USER},
        {"queue-bytes", required_argument, NULL, O_QUEUE},
        {"queue-total", required_argument, NULL, O_QUEUE_TOTAL},
        {"reset-limit", required_argument, NULL, O_RESET_LIMIT},
        {"direct", required_argument, NULL, O_DIRECTPATH},
        {"daemon", no_argument, NULL, O_DAEMON},
        {"log-file", required_argument, NULL, O_LOG_FILE},
        {"version", no_argument, NULL, O_VERSION},
        {"debug-partition", required_argument, NULL, O_DEBUG_PART},
        {"core-dir", required_argument, NULL, O_CORE_DIR},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    static struct mf_define defines[64];
    struct mf_options mopt = {defines, 0, MF_BACKEND_IPC};
    static const char *lists[64];
    size_t n_lists = 0;
    const char *state_dir = NULL, *user = SPM_DEFAULT_ACCOUNT, *platform = NULL;
    const char *lifecycle = NULL, *log_file = NULL;
    char state_buf[PATH_MAX], platform_buf[PATH_MAX], log_buf[PATH_MAX];
    bool daemonize = false;
    struct mf_platform *plat = NULL;
    struct mf_system *sys = NULL;
    struct mf_diags *diags;
    struct spm_core_config cfg = {
        .policy = SPM_POLICY_RESET,
        .call_timeout_ms = 60000,
        .max_conns = SPM_DEF_MAX_CONNS,
        .max_inflight_socket = SPM_DEF_INFLIGHT_SOCKET,
        .max_inflight_user = SPM_DEF_INFLIGHT_USER,
        .max_sockets_user = SPM_DEF_SOCKETS_USER,
        .window_msgs = SPM_DEF_WINDOW_MSGS,
        .window_bytes = SPM_DEF_WINDOW_BYTES,
        .max_resets = SPM_DEF_MAX_RESETS,
        .reset_window_s = SPM_DEF_RESET_WINDOW_S,
        .syscall_name = sandbox_syscall_name,
        .direct = true,
    };
    unsigned long long v, queue_bytes = SPM_DEF_QUEUE_BYTES, queue_total = SPM_DEF_QUEUE_TOTAL;
    int ch, ready_fd = -1, rc = 1;

    if (argc > 1 && (strcmp(argv[1], "irq") == 0 || strcmp(argv[1], "otp") == 0)) {
        fprintf(stderr, "psa-spm: '%s' is partix-ctl's now: partix-ctl %s ...\n", argv[1], argv[1]);
        return 2;
    }
    while ((ch = getopt_long(argc, argv, "hD:", opts, NULL)) != -1) {
        switch (ch) {
        case O_LIST:
            if (n_lists == sizeof(lists) / sizeof(lists[0])) {
                fprintf(stderr, "psa-spm: more than %zu manifest lists\n", n_lists);
                return 2;
            }
            lists[n_lists++] = optarg;
            break;
        case O_BACKEND:
            if (strcmp(optarg, "ipc") == 0) {
                mopt.backend = MF_BACKEND_IPC;
            } else if (strcmp(optarg, "sfn") == 0) {
                mopt.backend = MF_BACKEND_SFN;
            } else {
                fprintf(stderr, "psa-spm: --backend is ipc or sfn, not '%s'\n", optarg);
                return 2;
            }
            break;
        case O_SOCKET:
            snprintf(spm.socket_path, sizeof(spm.socket_path), "%s", optarg);
            break;
        case O_STATE:
            state_dir = optarg;
            break;
        case O_PDIR:
            snprintf(spm.partition_dir, sizeof(spm.partition_dir), "%s", optarg);
            break;
        case O_LEVEL:
            if (spm_parse_level(optarg, &spm_log_level) < 0) {
                fprintf(stderr, "psa-spm: unknown log level '%s'\n", optarg);
                return 2;
            }
            break;
        case O_MAXC:
            if (parse_bound("max-connections", optarg, UINT_MAX, &v) < 0)
                return 2;
            cfg.max_conns = (unsigned)v;
            break;
        case O_INFLIGHT:
            if (parse_bound("max-inflight", optarg, UINT_MAX, &v) < 0)
                return 2;
            cfg.max_inflight_socket = (unsigned)v;
            break;
        case O_INFLIGHT_USER:
            if (parse_bound("max-inflight-user", optarg, UINT_MAX, &v) < 0)
                return 2;
            cfg.max_inflight_user = (unsigned)v;
            break;
        case O_SOCKETS_USER:
            if (parse_bound("max-sockets-user", optarg, UINT_MAX, &v) < 0)
                return 2;
            cfg.max_sockets_user = (unsigned)v;
            break;
        case O_QUEUE:
            if (parse_bound("queue-bytes", optarg, SIZE_MAX, &queue_bytes) < 0)
                return 2;
            break;
        case O_QUEUE_TOTAL:
            if (parse_bound("queue-total", optarg, SIZE_MAX, &queue_total) < 0)
                return 2;
            break;
        case O_DIRECTPATH:
            if (strcmp(optarg, "on") != 0 && strcmp(optarg, "off") != 0) {
                fprintf(stderr, "psa-spm: --direct is on or off, not '%s'\n", optarg);
                return 2;
            }
            cfg.direct = strcmp(optarg, "on") == 0;
            break;
        case O_RESET_LIMIT:
            if (parse_reset_limit(optarg, &cfg.max_resets, &cfg.reset_window_s) < 0) {
                fprintf(stderr,
                        "psa-spm: --reset-limit is N/SECONDS (N resets or restarts within "
                        "SECONDS, 1 to 86400), or 0 for no limit, not '%s'\n",
                        optarg);
                return 2;
            }
            break;
        case O_USER:
            user = optarg;
            break;
        case O_READY:
            if (parse_ready_fd(optarg, &ready_fd) < 0)
                return 2;
            break;
        case O_POLICY:
            if (strcmp(optarg, "reset") == 0) {
                cfg.policy = SPM_POLICY_RESET;
            } else if (strcmp(optarg, "restart") == 0) {
                cfg.policy = SPM_POLICY_RESTART;
            } else {
                fprintf(stderr, "psa-spm: --fault-policy is reset or restart\n");
                return 2;
            }
            break;
        case O_PLATFORM:
            platform = optarg;
            break;
        case O_LIFECYCLE:
            lifecycle = optarg;
            break;
        case O_TIMEOUT:
            if (parse_call_timeout(optarg, &cfg.call_timeout_ms) < 0) {
                fprintf(stderr,
                        "psa-spm: --call-timeout needs a whole number of seconds, 0 to %ld "
                        "(0: no watchdog), not '%s'\n",
                        MAX_CALL_TIMEOUT_S, optarg);
                return 2;
            }
            break;
        case O_DEBUG_PART:
            if (spm_debug_option(optarg) < 0)
                return 2;
            break;
        case O_CORE_DIR:
            if (spm_core_dir_option(optarg) < 0)
                return 2;
            break;
        case 'D':
            if (mopt.n_defines < 64) {
                char *eq = strchr(optarg, '=');

                if (eq != NULL)
                    *eq = '\0';
                defines[mopt.n_defines].name = optarg;
                defines[mopt.n_defines++].value = eq ? eq + 1 : "1";
            }
            break;
        case O_DAEMON:
            daemonize = true;
            break;
        case O_LOG_FILE:
            log_file = optarg;
            break;
        case O_VERSION:
            printf("psa-spm (partix) %s\n", PARTIX_VERSION);
            return 0;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (n_lists == 0 || optind != argc) {
        usage(stderr);
        return 2;
    }
    if (daemonize && ready_fd >= 0) {
        fputs("psa-spm: --daemon says when it serves by returning: not with --ready-fd\n", stderr);
        return 2;
    }
    if (log_file != NULL && !daemonize) {
        fputs("psa-spm: --log-file is for --daemon (else the log is stderr)\n", stderr);
        return 2;
    }
    rc = spm_activation_take(spm.socket_path, sizeof(spm.socket_path));
    if (rc < 0)
        return 1;
    rc = 1;
    if (spm.socket_path[0] == '\0' &&
        partix_default_socket(spm.socket_path, sizeof(spm.socket_path)) < 0) {
        fputs("psa-spm: no socket path: set --socket, PSA_SPM_SOCKET or XDG_RUNTIME_DIR\n", stderr);
        return 2;
    }
    if (spm.partition_dir[0] == '\0' &&
        default_partition_dir(spm.partition_dir, sizeof(spm.partition_dir)) < 0)
        return 2;
    if (state_dir == NULL && spm_default_state_dir(state_buf, sizeof(state_buf)) == 0)
        state_dir = state_buf;
    if (state_dir != NULL)
        snprintf(spm.state_dir, sizeof(spm.state_dir), "%s", state_dir);
    if (lifecycle != NULL && spm_lifecycle_option(lifecycle) < 0)
        return 2;
    if (daemonize) {
        if (log_file == NULL && state_dir != NULL &&
            snprintf(log_buf, sizeof(log_buf), "%s/psa-spm.log", state_dir) < (int)sizeof(log_buf))
            log_file = log_buf;
        if (log_file == NULL) {
            fputs("psa-spm: --daemon: no state directory for its log: give --log-file\n", stderr);
            return 2;
        }
        rc = spm_daemonize(log_file, &ready_fd);
        if (rc >= 0)
            return rc;
        rc = 1;
    }
    if (platform == NULL && default_platform(platform_buf, sizeof(platform_buf)) == 0)
        platform = platform_buf;

    diags = mf_diags_new();
    if (platform != NULL && mf_platform_load(platform, &plat, diags) < 0) {
        mf_diags_print(diags, stderr);
        fprintf(stderr, "psa-spm: %zu error(s) in the platform description; not starting\n",
                mf_diags_count(diags));
        mf_diags_free(diags);
        return 1;
    }
    if (mf_load_lists(lists, n_lists, &mopt, &sys, diags) < 0 ||
        mf_platform_bind(plat, sys, diags) < 0) {
        mf_diags_print(diags, stderr);
        fprintf(stderr, "psa-spm: %zu error(s) in the manifests; not starting\n",
                mf_diags_count(diags));
        mf_diags_free(diags);
        mf_system_free(sys);
        mf_platform_free(plat);
        return 1;
    }
    mf_diags_print(diags, stderr); /* the warnings: what would not port to TF-M */
    mf_diags_free(diags);
    spm.sys = sys;
    spm.plat = plat;
    if (spm_debug_resolve(sys, &cfg.call_timeout_ms) < 0)
        return 2;
    /* the device: only once everything else is known to be right, and
     * no other daemon uses it */
    if ((state_dir != NULL && spm_state_lock(state_dir, "psa-spm") < 0) ||
        spm_otp_init(state_dir) < 0)
        return 1;
    if (lifecycle == NULL)
        spm_lifecycle_from_otp(state_dir);
    if (geteuid() == 0) {
        char why[512];

        if (spm_ids_resolve(user, sys->n_partitions, &spm.ids, why, sizeof(why)) < 0) {
            fprintf(stderr, "psa-spm: %s\n", why);
            return 1;
        }
        spm.drop_uid = true;
        spm_log(SPM_INFO, "the router runs as %s (uid %u, gid %u)", user,
                (unsigned)spm.ids.router_uid, (unsigned)spm.ids.router_gid);
        if (sys->n_partitions > 0)
            spm_log(SPM_INFO, "partitions run as uids %u-%u (subordinate uids of %s), group %u",
                    (unsigned)spm.ids.part_uid[0],
                    (unsigned)spm.ids.part_uid[sys->n_partitions - 1], user,
                    (unsigned)spm.ids.part_gid);
    }

    spm_core_dir_prepare();
    cfg.sys = sys;
    cfg.plat = plat;
    cfg.lifecycle = spm.lifecycle;
    cfg.log_level = spm_log_level;
    cfg.daemon_uid = geteuid();
    cfg.state_dir = spm.state_dir;
    sendq_bounds((size_t)queue_bytes, (size_t)queue_total);
    if (check_executables() < 0)
        return 1;

    int regions = spm_board_init(state_dir, &shell_board_hooks);

    spm_otp_forget();
    if (regions < 0) {
        spm_log(SPM_ERROR, "cannot create the board's MMIO regions");
        return 1;
    }
    /* the monitor and the router (priv/monitor.c): signals blocked before
     * the fork, so none that comes meanwhile is lost to either */
    int req[2], rep[2];
    sigset_t mask;
    pid_t router;

    sigemptyset(&mask);
    sigaddset(&mask, SIGCHLD);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGHUP);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, req) < 0 ||
        socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, rep) < 0) {
        spm_log(SPM_ERROR, "socketpair: %s", strerror(errno));
        return 1;
    }
    pid_t monitor = getpid();

    router = fork();
    if (router < 0) {
        spm_log(SPM_ERROR, "fork: %s", strerror(errno));
        return 1;
    }
    if (router == 0) {
        close(req[0]);
        close(rep[0]);
        spm_state_lock_leave(); /* the monitor's: it ends with the monitor */
        spm_activation_leave(); /* the monitor hands it over */
        char names[8192];
        size_t i, n = 0;

        names[0] = '\0';
        for (i = 0; i < n_lists && n < sizeof(names); i++)
            n += (size_t)snprintf(names + n, sizeof(names) - n, "%s%s", i ? ", " : "", lists[i]);
        rc = router_main(&cfg, names, platform, platform == platform_buf, req[1], rep[1], ready_fd,
                         monitor);
        mf_system_free(sys);
        mf_platform_free(plat);
#if defined(__SANITIZE_ADDRESS__)
        /* LeakSanitizer's check at exit stops the process from a task of
         * its own that ptraces it, which the router's allowlist refuses (as
         * the partitions'): the sanitizer build's router leaves without
         * it; the core and the shell are leak-checked in-process (test_core,
         * test_shell, fuzz_core) */
        _exit(rc);
#endif
        exit(rc);
    }
    close(req[1]);
    close(rep[1]);
    if (ready_fd >= 0)
        close(ready_fd); /* the router's to write */
    spm_board_free();    /* the router's */
    rc = spm_monitor_run(router, req[0], rep[0]);
    mf_system_free(sys);
    mf_platform_free(plat);
    return rc;
}
