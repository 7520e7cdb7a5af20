/*
 * test_privsep.c - psa-spm is two processes (issue 12 item 6): the router,
 * which reads every client's and partition's datagram, runs as an
 * unprivileged user under its own seccomp allowlist with no new
 * privileges, even when psa-spm starts as root; the monitor, which keeps
 * psa-spm's identity, only spawns, kills and reaps.  When the router dies,
 * no partition outlives it and psa-spm ends.
 */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture.h"
#include "psa/client.h"
#include "psa_manifest/sid.h"

static struct fixture fx;

/* The line of /proc/<pid>/status that starts with @p key, after it. */
static bool status_line(pid_t pid, const char *key, char *out, size_t size)
{
    char path[64], line[512];
    bool found = false;
    FILE *f;

    snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
    f = fopen(path, "r");
    if (f == NULL)
        return false;
    while (!found && fgets(line, sizeof(line), f) != NULL)
        if (strncmp(line, key, strlen(key)) == 0) {
            snprintf(out, size, "%s", line + strlen(key));
            found = true;
        }
    fclose(f);
    return found;
}

/* The four ids of a Uid: or Gid: line, none of them 0. */
static void assert_ids_not_root(pid_t pid, const char *key)
{
    unsigned long id[4];
    char line[128];

    assert_true(status_line(pid, key, line, sizeof(line)));
    assert_int_equal(sscanf(line, "%lu %lu %lu %lu", &id[0], &id[1], &id[2], &id[3]), 4);
    for (int i = 0; i < 4; i++)
        if (id[i] == 0)
            fail_msg("router pid %d: %s%s", (int)pid, key, line);
}

static void assert_status(pid_t pid, const char *key, const char *want)
{
    char line[128];

    assert_true(status_line(pid, key, line, sizeof(line)));
    line[strcspn(line, "\n")] = '\0';
    if (strcmp(line + strspn(line, " \t"), want) != 0)
        fail_msg("router pid %d: %s '%s', not '%s'", (int)pid, key, line, want);
}

/* Started as root, the router is no root: another uid and gid, no
 * capabilities, seccomp filter mode, no new privileges; and it serves. */
static void test_router_is_confined(void **state)
{
    (void)state;
    if (geteuid() != 0)
        skip(); /* the identity part needs root; CI runs as root */
    assert_int_equal(fixture_start(&fx, NULL), 0);
    assert_true(fx.router > 0 && fx.router != fx.pid);
    assert_ids_not_root(fx.router, "Uid:");
    assert_ids_not_root(fx.router, "Gid:");
    assert_status(fx.router, "CapEff:", "0000000000000000");
    assert_status(fx.router, "CapPrm:", "0000000000000000");
    assert_status(fx.router, "Seccomp:", "2");
    assert_status(fx.router, "NoNewPrivs:", "1");
    assert_status(fx.pid, "Seccomp:", "0"); /* the monitor: psa-spm's own identity */
    assert_int_equal(psa_version(TFM_ECHO_SERVICE_SID), 1);
    assert_int_equal(fixture_stop(&fx), 0);
}

static bool gone(pid_t pid)
{
    return kill(pid, 0) < 0 && errno == ESRCH;
}

/* A router that dies (here: SIGKILL) takes every partition and the client
 * socket with it, and psa-spm exits with an error that says so. */
static void test_router_death_ends_everything(void **state)
{
    pid_t echo, its;
    struct stat st;
    int status = 0, i;

    (void)state;
    assert_int_equal(fixture_start(&fx, NULL), 0);
    echo = fixture_partition_pid(&fx, "TFM_SP_ECHO_SERVICE");
    its = fixture_partition_pid(&fx, "TFM_SP_ITS");
    assert_true(echo > 0 && its > 0);
    assert_int_equal(kill(fx.router, SIGKILL), 0);
    for (i = 0; i < 500 && waitpid(fx.pid, &status, WNOHANG) == 0; i++)
        nanosleep(&(struct timespec){0, 10 * 1000000L}, NULL);
    assert_true(i < 500);
    fx.pid = 0;
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 1);
    assert_true(gone(echo) && gone(its));
    assert_int_equal(stat(fx.socket, &st), -1);
    assert_true(fixture_log_has(&fx, "the router was killed by signal", "Killed"));
}

/* The state directory's lock is the monitor's alone: a router holding a
 * copy kept it past a kill -9 of psa-spm, and the next psa-spm on the
 * directory was refused while the router was still dying. */
static void test_router_holds_no_lock(void **state)
{
    char path[64], link[512];
    struct dirent *e;
    DIR *d;
    int locks = 0;

    (void)state;
    assert_int_equal(fixture_start(&fx, NULL), 0);
    snprintf(path, sizeof(path), "/proc/%d/fd", (int)fx.router);
    d = opendir(path);
    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        char fdpath[384];
        ssize_t n;

        if (e->d_name[0] == '.')
            continue;
        snprintf(fdpath, sizeof(fdpath), "%s/%s", path, e->d_name);
        n = readlink(fdpath, link, sizeof(link) - 1);
        if (n > 0) {
            link[n] = '\0';
            locks += strstr(link, "/spm.lock") != NULL;
        }
    }
    closedir(d);
    assert_int_equal(locks, 0);
    assert_int_equal(fixture_stop(&fx), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_router_is_confined, fixture_teardown),
        cmocka_unit_test_teardown(test_router_death_ends_everything, fixture_teardown),
        cmocka_unit_test_teardown(test_router_holds_no_lock, fixture_teardown),
    };

    return cmocka_run_group_tests_name("e2e_privsep", tests, NULL, NULL);
}
