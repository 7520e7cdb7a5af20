/*
 * main.c - psa-spm: load the manifests, start every partition, serve
 * clients until SIGTERM/SIGINT, then stop everything and clean up.
 */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "paths.h"
#include "partix/control.h"
#include "spm.h"

#define START_TIMEOUT_MS 10000
#define STOP_TIMEOUT_MS 2000
#define MAX_CALL_TIMEOUT_S 2147483L /* INT32_MAX ms */

struct spm spm = {.next_handle = 1, .next_msg = 1, .max_conns = 32, .call_timeout_ms = 60000};

static void usage(FILE *f)
{
    fputs("usage: psa-spm irq raise|lower|pulse SOURCE [--socket PATH]\n", f);
    fputs("usage: psa-spm otp show|pubkey|provision [--state-dir DIR] [options]\n", f);
    fputs("usage: psa-spm --manifest-list FILE [options]\n"
          "  --socket PATH          client socket (default: $PSA_SPM_SOCKET, else\n"
          "                         $XDG_RUNTIME_DIR/partix/spm.sock)\n"
          "  --state-dir DIR        persistent state (default: $XDG_STATE_HOME/partix)\n"
          "  --partition-dir DIR    partition executables (default: ../libexec/partix\n"
          "                         next to psa-spm)\n"
          "  --log-level LEVEL      error, warn, info (default) or debug\n"
          "  --max-connections N    connections per client user (default 32)\n"
          "  --partition-user USER  identity of partitions when run as root (default nobody)\n"
          "  --ready-fd FD          write \"READY\\n\" to FD, then close it, once serving\n"
          "  --fault-policy POLICY  reset (default, as TF-M: a fault restarts every\n"
          "                         partition) or restart (only the faulty one)\n"
          "  --call-timeout SECONDS a partition silent this long on a message is hung:\n"
          "                         it is panicked (default 60; 0: never)\n"
          "  --platform FILE        the simulated board: its interrupt sources, MMIO\n"
          "                         regions and OTP (docs/platform.md; default: the\n"
          "                         shipped board, ../share/partix/manifests/\n"
          "                         platform.yaml next to psa-spm, if it is there)\n"
          "  --lifecycle STATE      what psa_rot_lifecycle_state() returns: unknown,\n"
          "                         assembly-and-test, psa-rot-provisioning, secured,\n"
          "                         non-psa-rot-debug, recoverable-psa-rot-debug,\n"
          "                         decommissioned or a number (default: the OTP's\n"
          "                         state, see psa-spm otp)\n"
          "  -D NAME=VALUE          a build option for the manifest list (as psa-manifest)\n",
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

long spm_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Binds the client socket; refuses to steal one a live SPM is serving. */
static int open_socket(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    char dir[PATH_MAX];
    int fd, probe;

    if (strlen(path) >= sizeof(sa.sun_path)) {
        spm_log(SPM_ERROR, "socket path too long: %s", path);
        return -1;
    }
    strcpy(sa.sun_path, path);
    snprintf(dir, sizeof(dir), "%s", path);
    if (partix_mkdir_p(dirname(dir), 0755) < 0) {
        spm_log(SPM_ERROR, "cannot create the folder of %s: %s", path, strerror(errno));
        return -1;
    }
    probe = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    if (probe >= 0 && connect(probe, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
        spm_log(SPM_ERROR, "another psa-spm is serving %s", path);
        close(probe);
        return -1;
    }
    if (probe >= 0)
        close(probe);
    unlink(path); /* a stale socket from a daemon that did not stop cleanly */
    fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 64) < 0) {
        spm_log(SPM_ERROR, "cannot listen on %s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    /* any local user may connect; identity comes from SO_PEERCRED, and the
     * folder's permissions decide who can reach the socket at all */
    chmod(path, 0666);
    return fd;
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

/* $XDG_STATE_HOME/partix, else ~/.local/state/partix (created when used). */
int spm_default_state_dir(char *out, size_t size)
{
    const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
    int n;

    if (xdg != NULL && xdg[0] == '/')
        n = snprintf(out, size, "%s/partix", xdg);
    else if (home != NULL && home[0] == '/')
        n = snprintf(out, size, "%s/.local/state/partix", home);
    else
        return -1;
    return n > 0 && (size_t)n < size ? 0 : -1;
}

static int start_partitions(void)
{
    long deadline = spm_now_ms() + START_TIMEOUT_MS;
    size_t i, ready;

    spm.parts = calloc(spm.sys->n_partitions, sizeof(*spm.parts));
    if (spm.parts == NULL)
        return -1;
    spm.n_parts = spm.sys->n_partitions;
    for (i = 0; i < spm.n_parts; i++) {
        struct spm_part *p = &spm.parts[i];

        p->mf = &spm.sys->partitions[i];
        p->peer.fd = -1;
        int n = snprintf(p->exe, sizeof(p->exe), "%s/%s", spm.partition_dir, p->mf->basename);

        if (n < 0 || (size_t)n >= sizeof(p->exe) || access(p->exe, X_OK) < 0) {
            spm_log(SPM_ERROR, "partition %s: no executable %s (%s)", p->mf->name, p->exe,
                    strerror(errno));
            return -1;
        }
    }
    spm_irq_init();
    for (i = 0; i < spm.n_parts; i++)
        if (spm_part_spawn(&spm.parts[i]) < 0)
            return -1;
    for (;;) {
        for (i = 0, ready = 0; i < spm.n_parts; i++) {
            if (spm.parts[i].state == PART_FAILED)
                return -1;
            ready += spm.parts[i].state == PART_READY;
        }
        if (ready == spm.n_parts)
            return 0;
        if (spm.stopping || spm_now_ms() > deadline) {
            spm_log(SPM_ERROR, "%s while partitions were starting",
                    spm.stopping ? "stopped" : "timed out");
            return -1;
        }
        if (spm_loop_once(100) < 0)
            return -1;
    }
}

static void stop_partitions(void)
{
    long deadline = spm_now_ms() + STOP_TIMEOUT_MS;
    size_t i, alive;

    spm.stopping = true;
    for (i = 0; i < spm.n_parts; i++) {
        struct wire_msg stop = {.type = WIRE_S_STOP};

        /* STOP lets a running partition log its stack use and exit; one that
         * is still starting gets the end of its channel */
        if (spm.parts[i].state != PART_READY || !spm_send(&spm.parts[i].peer, &stop, -1))
            spm_peer_close(&spm.parts[i].peer);
    }
    for (;;) {
        for (i = 0, alive = 0; i < spm.n_parts; i++)
            alive += spm.parts[i].pid > 0;
        if (alive == 0)
            return;
        if (spm_now_ms() > deadline) {
            for (i = 0; i < spm.n_parts; i++)
                if (spm.parts[i].pid > 0)
                    kill(spm.parts[i].pid, SIGKILL);
            deadline = spm_now_ms() + STOP_TIMEOUT_MS;
        }
        spm_loop_once(50);
    }
}

/* "psa-spm irq raise|lower|pulse SOURCE [--socket PATH]": drives a line of
 * the board of a running daemon, as a test harness or device would. */
static int irq_command(int argc, char **argv)
{
    static const char *const ops[] = {"raise", "lower", "pulse"};
    psa_status_t st = PSA_SUCCESS;
    int op = -1, i;

    if (argc == 6 && strcmp(argv[4], "--socket") == 0)
        setenv("PSA_SPM_SOCKET", argv[5], 1);
    else if (argc != 4)
        op = -2;
    for (i = 0; op == -1 && i < 3; i++)
        if (strcmp(argv[2], ops[i]) == 0)
            op = i;
    if (op < 0) {
        fputs("usage: psa-spm irq raise|lower|pulse SOURCE [--socket PATH]\n", stderr);
        return 2;
    }
    if (op != 1)
        st = partix_irq_raise(argv[3]);
    if (st == PSA_SUCCESS && op != 0)
        st = partix_irq_lower(argv[3]);
    if (st != PSA_SUCCESS) {
        fprintf(stderr, "psa-spm irq: %s: %s\n", argv[3],
                st == PSA_ERROR_DOES_NOT_EXIST  ? "no such interrupt source on the platform"
                : st == PSA_ERROR_NOT_PERMITTED ? "not permitted (run as the daemon's user)"
                                                : "no SPM answers on the socket");
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    enum {
        O_LIST = 256,
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
    };
    static const struct option opts[] = {
        {"manifest-list", required_argument, NULL, O_LIST},
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
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    static struct mf_define defines[64];
    struct mf_options mopt = {defines, 0};
    const char *list = NULL, *state_dir = NULL, *user = "nobody", *platform = NULL;
    const char *lifecycle = NULL;
    char state_buf[PATH_MAX], platform_buf[PATH_MAX];
    struct mf_platform *plat = NULL;
    struct mf_system *sys = NULL;
    struct mf_diags *diags;
    int ch, ready_fd = -1, rc = 1, sfd;
    char *end;
    sigset_t mask;

    if (argc > 1 && strcmp(argv[1], "irq") == 0)
        return irq_command(argc, argv);
    if (argc > 1 && strcmp(argv[1], "otp") == 0)
        return spm_otp_command(argc, argv,
                               spm_default_state_dir(state_buf, sizeof(state_buf)) == 0 ? state_buf
                                                                                        : NULL);
    while ((ch = getopt_long(argc, argv, "hD:", opts, NULL)) != -1) {
        switch (ch) {
        case O_LIST:
            list = optarg;
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
            spm.max_conns = (unsigned)strtoul(optarg, &end, 10);
            if (spm.max_conns == 0 || *end != '\0' || optarg[0] == '-') {
                fprintf(stderr, "psa-spm: --max-connections needs a positive number\n");
                return 2;
            }
            break;
        case O_USER:
            user = optarg;
            break;
        case O_READY:
            ready_fd = atoi(optarg);
            break;
        case O_POLICY:
            if (strcmp(optarg, "reset") == 0) {
                spm.policy = SPM_POLICY_RESET;
            } else if (strcmp(optarg, "restart") == 0) {
                spm.policy = SPM_POLICY_RESTART;
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
            if (parse_call_timeout(optarg, &spm.call_timeout_ms) < 0) {
                fprintf(stderr,
                        "psa-spm: --call-timeout needs a whole number of seconds, 0 to %ld "
                        "(0: no watchdog), not '%s'\n",
                        MAX_CALL_TIMEOUT_S, optarg);
                return 2;
            }
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
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (list == NULL || optind != argc) {
        usage(stderr);
        return 2;
    }
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
    if (mf_load(list, &mopt, &sys, diags) < 0 || mf_platform_bind(plat, sys, diags) < 0) {
        mf_diags_print(diags, stderr);
        fprintf(stderr, "psa-spm: %zu error(s) in the manifests; not starting\n",
                mf_diags_count(diags));
        mf_diags_free(diags);
        mf_system_free(sys);
        mf_platform_free(plat);
        return 1;
    }
    mf_diags_free(diags);
    spm.sys = sys;
    spm.plat = plat;
    /* the device: only once everything else is known to be right */
    if (spm_otp_init(state_dir) < 0)
        return 1;
    if (lifecycle == NULL)
        spm_lifecycle_from_otp(state_dir);
    if (geteuid() == 0) {
        struct passwd *pw = getpwnam(user);

        if (pw == NULL) {
            fprintf(stderr, "psa-spm: no user '%s' to run partitions as\n", user);
            return 1;
        }
        spm.drop_uid = true;
        spm.part_uid = pw->pw_uid;
        spm.part_gid = pw->pw_gid;
    }

    sigemptyset(&mask);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGCHLD);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    signal(SIGPIPE, SIG_IGN);
    spm.epfd = epoll_create1(EPOLL_CLOEXEC);
    sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
    if (spm.epfd < 0 || sfd < 0) {
        perror("psa-spm: epoll/signalfd");
        return 1;
    }
    spm_peer_add(&spm.signals, sfd, PEER_SIGNALS);
    spm.listen.fd = -1;
    spm_log(SPM_INFO, "starting %zu partition(s) from %s (fault policy %s, call timeout %ld s)",
            sys->n_partitions, list, spm.policy == SPM_POLICY_RESET ? "reset" : "restart",
            spm.call_timeout_ms / 1000);
    spm_log(SPM_INFO, "lifecycle state %s (0x%04x), from %s", spm_lifecycle_name(spm.lifecycle),
            (unsigned)spm.lifecycle, spm.lifecycle_from);
    if (plat != NULL)
        spm_log(SPM_INFO, "board %s, from %s%s", plat->name, platform,
                platform == platform_buf ? " (the default)" : "");

    int regions = spm_regions_init(state_dir);

    spm_otp_forget();
    if (regions < 0) {
        spm_log(SPM_ERROR, "cannot create the board's MMIO regions");
        goto out;
    }
    if (start_partitions() < 0)
        goto out;
    int lfd = open_socket(spm.socket_path);
    if (lfd < 0)
        goto out;
    spm_peer_add(&spm.listen, lfd, PEER_LISTEN);
    spm_log(SPM_INFO, "ready: serving %s", spm.socket_path);
    if (ready_fd >= 0) {
        if (write(ready_fd, "READY\n", 6) != 6)
            spm_log(SPM_WARN, "--ready-fd %d: %s", ready_fd, strerror(errno));
        close(ready_fd);
    }
    while (!spm.stopping) {
        long now = spm_now_ms(), wait = spm_next_deadline_ms(now),
             dev = spm_devices_next_deadline(now), rst = spm_reset_next_deadline(now);

        if (dev >= 0 && (wait < 0 || dev < wait))
            wait = dev;
        if (rst >= 0 && (wait < 0 || rst < wait))
            wait = rst;

        if (spm_loop_once(wait < 0 ? -1 : (int)(wait < 60000 ? wait + 1 : 60000)) < 0)
            goto out;
        spm_check_deadlines(spm_now_ms());
        spm_devices_tick(spm_now_ms());
        spm_reset_tick(spm_now_ms());
    }
    rc = 0;
out:
    spm.stopping = true;
    if (spm.listen.fd >= 0) {
        spm_peer_close(&spm.listen);
        unlink(spm.socket_path);
    }
    while (spm.clients != NULL)
        spm_client_drop(spm.clients, NULL);
    spm_free_dropped();
    stop_partitions();
    spm_log(SPM_INFO, "stopped");
    free(spm.parts);
    mf_system_free(sys);
    spm_regions_free();
    mf_platform_free(plat);
    free(spm.lines);
    return rc;
}
