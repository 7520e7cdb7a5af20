/* fixture.c - see fixture.h. */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fixture.h"

static long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static struct fixture *running; /* the last one started and not yet stopped */

/* The router of the daemon @p pid: its child named spm-router. */
static pid_t router_of(pid_t pid)
{
    char path[96], comm[32];
    FILE *f;
    int child;
    pid_t found = -1;

    snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)pid, (int)pid);
    f = fopen(path, "r");
    if (f == NULL)
        return -1;
    while (found < 0 && fscanf(f, "%d", &child) == 1) {
        FILE *c;

        snprintf(path, sizeof(path), "/proc/%d/comm", child);
        c = fopen(path, "r");
        if (c != NULL && fgets(comm, sizeof(comm), c) != NULL && strcmp(comm, "spm-router\n") == 0)
            found = child;
        if (c != NULL)
            fclose(c);
    }
    fclose(f);
    return found;
}

int fixture_start(struct fixture *f, const char *const *extra)
{
    const char *spm = getenv("PARTIX_SPM"), *list = getenv("PARTIX_TEST_LIST");
    const char *pdir = getenv("PARTIX_TEST_PARTITIONS");
    char *argv[32], fdarg[16], buf[16];
    struct pollfd pfd;
    int pipefd[2], n = 0, logfd;
    ssize_t r;

    if (spm == NULL || list == NULL || pdir == NULL) {
        fprintf(stderr, "fixture: set PARTIX_SPM, PARTIX_TEST_LIST, PARTIX_TEST_PARTITIONS\n");
        return -1;
    }
    snprintf(f->dir, sizeof(f->dir), "/tmp/partix-e2e-XXXXXX");
    if (mkdtemp(f->dir) == NULL)
        return -1;
    snprintf(f->socket, sizeof(f->socket), "%s/spm.sock", f->dir);
    snprintf(f->log, sizeof(f->log), "%s/spm.log", f->dir);
    setenv("PSA_SPM_SOCKET", f->socket, 1);
    if (pipe2(pipefd, O_CLOEXEC) < 0)
        return -1;
    snprintf(fdarg, sizeof(fdarg), "3"); /* where the child puts it */
    argv[n++] = (char *)(uintptr_t)spm;
    argv[n++] = "--manifest-list";
    argv[n++] = (char *)(uintptr_t)list;
    if (getenv("PARTIX_TEST_EXTRA_LIST") != NULL) { /* TF-M's extra manifest lists */
        argv[n++] = "--manifest-list";
        argv[n++] = getenv("PARTIX_TEST_EXTRA_LIST");
    }
    argv[n++] = "--partition-dir";
    argv[n++] = (char *)(uintptr_t)pdir;
    argv[n++] = "--socket";
    argv[n++] = f->socket;
    snprintf(f->state, sizeof(f->state), "%s/state", f->dir);
    argv[n++] = "--state-dir";
    argv[n++] = f->state;
    argv[n++] = "--log-level";
    argv[n++] = "debug";
    argv[n++] = "--ready-fd";
    argv[n++] = fdarg;
    if (getenv("PARTIX_TEST_PLATFORM") != NULL) {
        argv[n++] = "--platform";
        argv[n++] = getenv("PARTIX_TEST_PLATFORM");
    }
    while (extra != NULL && *extra != NULL && n < 30)
        argv[n++] = (char *)(uintptr_t)*extra++;
    argv[n] = NULL;
    f->pid = fork();
    if (f->pid > 0)
        running = f;
    if (f->pid == 0) {
        /* a test that fails an assertion never reaches fixture_stop(): the
         * daemon must not outlive it (nor hold its stdout open) */
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        logfd = open(f->log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(logfd, 1);
        dup2(logfd, 2);
        /* the ready pipe at 3 and nothing else: the daemon inherits none
         * of the test's (or its harness's) descriptors */
        if (pipefd[1] != 3)
            dup2(pipefd[1], 3);
        fcntl(3, F_SETFD, 0);
        close_range(4, ~0u, 0);
        execv(spm, argv);
        _exit(127);
    }
    close(pipefd[1]);
    pfd.fd = pipefd[0];
    pfd.events = POLLIN;
    r = poll(&pfd, 1, 15000) == 1 ? read(pipefd[0], buf, sizeof(buf)) : -1;
    close(pipefd[0]);
    if (r != 6 || memcmp(buf, "READY\n", 6) != 0) {
        fprintf(stderr, "fixture: psa-spm did not become ready; its log:\n");
        snprintf(buf, sizeof(buf), "x");
        FILE *lf = fopen(f->log, "r");
        int c;
        while (lf != NULL && (c = fgetc(lf)) != EOF)
            fputc(c, stderr);
        if (lf != NULL)
            fclose(lf);
        fixture_stop(f);
        return -1;
    }
    f->router = router_of(f->pid);
    if (f->router <= 0) {
        fprintf(stderr, "fixture: psa-spm (pid %d) is ready but has no router\n", (int)f->pid);
        fixture_stop(f);
        return -1;
    }
    return 0;
}

/* Reaps @p pid within @p ms: true with its status, false if it still runs. */
static bool reap_within(pid_t pid, int *status, long ms)
{
    long deadline = now_ms() + ms;
    pid_t r;

    while ((r = waitpid(pid, status, WNOHANG)) == 0 || (r < 0 && errno == EINTR)) {
        struct timespec ts = {0, 10 * 1000000L};

        if (now_ms() > deadline)
            return false;
        nanosleep(&ts, NULL);
    }
    return r == pid;
}

int fixture_stop(struct fixture *f)
{
    char cmd[128];
    int status = 0, rc;

    if (f->pid <= 0)
        return -1;
    kill(f->pid, SIGTERM);
    /* a daemon that loops on a corrupted heap never reads its SIGTERM */
    if (reap_within(f->pid, &status, 15000)) {
        rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    } else {
        fprintf(stderr, "fixture: psa-spm (pid %d) ignored SIGTERM: killed\n", (int)f->pid);
        kill(f->pid, SIGKILL);
        while (waitpid(f->pid, &status, 0) < 0 && errno == EINTR)
            ;
        rc = -1;
    }
    f->pid = 0;
    if (running == f)
        running = NULL;
    if (getenv("PARTIX_KEEP_LOGS") == NULL) {
        snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
        if (system(cmd) != 0)
            return -1;
    }
    return rc;
}

/* The last @p max bytes of the log, from a line's start, to stderr. */
static void log_tail(const char *path, long max)
{
    FILE *lf = fopen(path, "r");
    int c;

    if (lf == NULL)
        return;
    if (fseek(lf, 0, SEEK_END) == 0 && ftell(lf) > max) {
        fseek(lf, -max, SEEK_END);
        while ((c = fgetc(lf)) != EOF && c != '\n')
            ;
    } else {
        rewind(lf);
    }
    while ((c = fgetc(lf)) != EOF)
        fputc(c, stderr);
    fclose(lf);
}

bool fixture_alive(struct fixture *f)
{
    int status;
    pid_t r;

    if (f->pid <= 0)
        return false;
    while ((r = waitpid(f->pid, &status, WNOHANG)) < 0 && errno == EINTR)
        ;
    if (r == 0)
        return true;
    if (r == f->pid && WIFSIGNALED(status))
        fprintf(stderr, "fixture: psa-spm (pid %d) died of signal %s; its log ends:\n", (int)f->pid,
                strsignal(WTERMSIG(status)));
    else if (r == f->pid)
        fprintf(stderr, "fixture: psa-spm (pid %d) exited with status %d; its log ends:\n",
                (int)f->pid, WEXITSTATUS(status));
    log_tail(f->log, 16384); /* a sanitizer's report is there */
    f->pid = 0;
    if (running == f)
        running = NULL;
    fixture_dir_remove(f->dir);
    return false;
}

pid_t fixture_spawn_as(struct fixture *f, uid_t uid, int (*fn)(void *), void *arg)
{
    pid_t pid;

    if (geteuid() != 0)
        return -2;
    if (chmod(f->dir, 0711) < 0) /* the socket is 0666: its folder must be searchable */
        return -1;
    pid = fork();
    if (pid == 0) {
        /* before the first psa_* call: the SPM takes the identity at connect */
        if (setgroups(0, NULL) < 0 || setresgid(uid, uid, uid) < 0 || setresuid(uid, uid, uid) < 0)
            _exit(125);
        _exit(fn(arg) & 0x7f);
    }
    return pid < 0 ? -1 : pid;
}

int fixture_run_as(struct fixture *f, uid_t uid, int (*fn)(void *), void *arg)
{
    pid_t pid = fixture_spawn_as(f, uid, fn, arg);
    int status;

    if (pid < 0)
        return pid;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int fixture_teardown(void **state)
{
    (void)state;
    if (running != NULL)
        fixture_stop(running);
    return 0;
}

static bool scan(const char *path, const char *a, const char *b, char *out, size_t size)
{
    FILE *lf = fopen(path, "r");
    char line[2048];
    bool found = false;

    if (lf == NULL)
        return false;
    while (fgets(line, sizeof(line), lf) != NULL) { /* the last match wins */
        if (strstr(line, a) != NULL && (b == NULL || strstr(line, b) != NULL)) {
            found = true;
            if (out != NULL)
                snprintf(out, size, "%s", line);
        }
    }
    fclose(lf);
    return found;
}

bool fixture_log_has(struct fixture *f, const char *a, const char *b)
{
    long deadline = now_ms() + 10000;

    while (!scan(f->log, a, b, NULL, 0)) {
        struct timespec ts = {0, 10 * 1000000L};

        if (now_ms() > deadline || (f->pid > 0 && !fixture_alive(f)))
            return false;
        nanosleep(&ts, NULL);
    }
    return true;
}

int fixture_log_count(struct fixture *f, const char *a, const char *b)
{
    FILE *lf = fopen(f->log, "r");
    char line[2048];
    int n = 0;

    if (lf == NULL)
        return -1;
    while (fgets(line, sizeof(line), lf) != NULL)
        if (strstr(line, a) != NULL && (b == NULL || strstr(line, b) != NULL))
            n++;
    fclose(lf);
    return n;
}

/* The pid in the last "partition NAME (pid N) ready" line, or -1. */
static pid_t last_ready(struct fixture *f, const char *name)
{
    char line[2048], key[160];
    const char *p;

    snprintf(key, sizeof(key), "partition %s (pid ", name);
    if (!scan(f->log, key, "ready", line, sizeof(line)))
        return -1;
    p = strstr(line, key);
    return p ? (pid_t)atoi(p + strlen(key)) : -1;
}

pid_t fixture_partition_pid(struct fixture *f, const char *name)
{
    char key[160];

    snprintf(key, sizeof(key), "partition %s (pid ", name);
    if (!fixture_log_has(f, key, "ready"))
        return -1;
    return last_ready(f, name);
}

pid_t fixture_restarted(struct fixture *f, const char *name, pid_t old)
{
    long deadline = now_ms() + 10000;
    pid_t pid;

    while ((pid = last_ready(f, name)) < 0 || pid == old) {
        struct timespec ts = {0, 10 * 1000000L};

        if (now_ms() > deadline || (f->pid > 0 && !fixture_alive(f)))
            return -1;
        nanosleep(&ts, NULL);
    }
    return pid;
}

int fixture_crash(struct fixture *f)
{
    int status;

    if (f->pid <= 0 || kill(f->pid, SIGKILL) < 0 || waitpid(f->pid, &status, 0) != f->pid)
        return -1;
    f->pid = 0;
    if (running == f)
        running = NULL;
    return fixture_dir_remove(f->dir);
}

int fixture_dir_new(char *dir, size_t size, const char *tag)
{
    if ((size_t)snprintf(dir, size, "/tmp/partix-e2e-%s-XXXXXX", tag) >= size)
        return -1;
    return mkdtemp(dir) != NULL ? 0 : -1;
}

int fixture_dir_remove(char *dir)
{
    char cmd[128];

    if (dir[0] != '\0' && getenv("PARTIX_KEEP_LOGS") == NULL) {
        snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
        if (system(cmd) != 0)
            return -1;
    }
    dir[0] = '\0';
    return 0;
}

int fixture_sh(char *out, size_t size, const char *fmt, ...)
{
    char cmd[1024];
    va_list ap;
    size_t n;
    FILE *p;
    int status;

    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    strncat(cmd, " 2>&1", sizeof(cmd) - strlen(cmd) - 1);
    p = popen(cmd, "r");
    if (p == NULL)
        return -1;
    n = fread(out, 1, size - 1, p);
    out[n] = '\0';
    status = pclose(p);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void fixture_beside_spm(char *out, size_t size, const char *name)
{
    const char *spm = getenv("PARTIX_SPM"), *slash = strrchr(spm, '/');

    snprintf(out, size, "%.*s%s", slash ? (int)(slash - spm + 1) : 0, spm, name);
}

const char *fixture_ctl(void)
{
    static char path[4096];

    if (path[0] == '\0')
        fixture_beside_spm(path, sizeof(path), "partix-ctl");
    return path;
}

bool fixture_stat_field(pid_t pid, int field, char *out, size_t size)
{
    char path[64], buf[1024], *p, *end;
    size_t n;
    FILE *f;
    int i;

    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    f = fopen(path, "r");
    if (f == NULL)
        return false;
    n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    p = strrchr(buf, ')'); /* the command name may hold anything */
    if (p == NULL || field < 3)
        return false;
    for (p += 2, i = 3; i < field && p != NULL; i++) {
        p = strchr(p, ' ');
        if (p != NULL)
            p++;
    }
    if (p == NULL)
        return false;
    end = strchr(p, ' ');
    n = end != NULL ? (size_t)(end - p) : strlen(p);
    if (n >= size)
        return false;
    memcpy(out, p, n);
    out[n] = '\0';
    return true;
}

/* Field @p key ("Uid:", "Gid:") of /proc/<pid>/status: its first number. */
static long status_id(pid_t pid, const char *key)
{
    char path[64], line[256];
    long v = -1;
    FILE *f;

    snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
    f = fopen(path, "r");
    if (f == NULL)
        return -1;
    while (v < 0 && fgets(line, sizeof(line), f) != NULL)
        if (strncmp(line, key, strlen(key)) == 0)
            v = strtol(line + strlen(key), NULL, 10);
    fclose(f);
    return v;
}

int fixture_router_nofile(struct fixture *f, unsigned long soft)
{
    long uid = status_id(f->router, "Uid:"), gid = status_id(f->router, "Gid:");
    pid_t pid;
    int status;

    if (uid < 0 || gid < 0)
        return -1;
    pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        struct rlimit rl;

        /* as its own user: root here may lack CAP_SYS_RESOURCE */
        if (setgroups(0, NULL) < 0 || setresgid((gid_t)gid, (gid_t)gid, (gid_t)gid) < 0 ||
            setresuid((uid_t)uid, (uid_t)uid, (uid_t)uid) < 0 ||
            prlimit(f->router, RLIMIT_NOFILE, NULL, &rl) < 0)
            _exit(1);
        rl.rlim_cur = (rlim_t)soft;
        _exit(prlimit(f->router, RLIMIT_NOFILE, &rl, NULL) < 0 ? 1 : 0);
    }
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}
