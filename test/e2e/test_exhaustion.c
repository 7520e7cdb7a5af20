/*
 * test_exhaustion.c - clients that try to wear psa-spm's own resources
 * down, against the real daemon: descriptors passed with datagrams it
 * reads as the end of a stream, its descriptor table filled with sockets,
 * more sockets than a user may hold, and its log flooded with malformed
 * requests.  Whatever they do, psa-spm keeps no descriptor it was not
 * meant to, does not spin, writes a bounded log, and serves the next
 * client (docs/architecture.md, "Flow control and bounds").  The raw
 * datagrams are raw.h's.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture.h"
#include "psa_manifest/sid.h"
#include "raw.h"
#include "tfm_echo_api.h"

#define OTHER_UID 65534 /* a second client user, when the tests run as root */

#define EMPTY_DATAGRAMS 100
#define FD_SLACK 4 /* descriptors psa-spm may still be closing when counted */

#define HEADROOM 16 /* descriptors psa-spm may open past its own at start */
#define HELD (HEADROOM + 24)

#define SPAM 2000
#define LOG_BURST 100 /* lines of one kind a second (docs/architecture.md) */

static struct fixture fx;

static long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void pause_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    nanosleep(&ts, NULL);
}

/* The descriptors @p pid holds; with @p top, the highest one's number. */
static int fds_of(pid_t pid, int *top)
{
    char path[64];
    struct dirent *e;
    int n = 0;
    DIR *d;

    snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
    d = opendir(path);
    assert_non_null(d);
    if (top != NULL)
        *top = -1;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        n++;
        if (top != NULL && atoi(e->d_name) > *top)
            *top = atoi(e->d_name);
    }
    closedir(d);
    return n;
}

/* The count once it has not changed for 200 ms (sockets are closed as
 * their end is read), or, with @p at_most >= 0, as soon as it is that low;
 * whatever it is after 10 s. */
static int fds_settled(pid_t pid, int at_most)
{
    long deadline = now_ms() + 10000;
    int n = fds_of(pid, NULL), same = 0, m;

    while (now_ms() < deadline && (at_most < 0 || n > at_most) && same < 4) {
        pause_ms(50);
        m = fds_of(pid, NULL);
        same = m == n ? same + 1 : 0;
        if (at_most >= 0)
            same = 0; /* waiting for the bound, not for a plateau */
        n = m;
    }
    return n;
}

/* utime + stime of @p pid, in clock ticks (/proc/<pid>/stat fields 14, 15). */
static long cpu_ticks(pid_t pid)
{
    char ut[32], st[32];

    assert_true(fixture_stat_field(pid, 14, ut, sizeof(ut)));
    assert_true(fixture_stat_field(pid, 15, st, sizeof(st)));
    return atol(ut) + atol(st);
}

/* Whether the daemon has closed socket @p fd (waiting up to @p ms). */
static bool closed_by_daemon(int fd, int ms)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    char c;

    if (poll(&p, 1, ms) != 1)
        return false;
    return (p.revents & POLLHUP) || recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT) == 0;
}

/* One version request on a new socket: 0 when answered, 1 when the daemon
 * closed the socket instead, -1 on anything else. */
static int version_on_new_socket(const char *path)
{
    struct raw_reply r;
    int fd = raw_open(path), got;

    if (fd < 0)
        return -1;
    if (raw_send_version(fd, 1, TFM_ECHO_SERVICE_SID) < 0) {
        got = errno == EPIPE || errno == ECONNRESET ? 1 : -1;
        close(fd);
        return got;
    }
    got = raw_recv(fd, &r);
    close(fd);
    if (got == 1)
        return r.kind == RAW_VERSION && r.value == TFM_ECHO_SERVICE_VERSION ? 0 : -1;
    return got == 0 || errno == ECONNRESET ? 1 : -1;
}

/* A new client is served, once the daemon has caught up (up to 10 s). */
static void served(void)
{
    long deadline = now_ms() + 10000;
    int r;

    while ((r = version_on_new_socket(fx.socket)) == 1 && now_ms() < deadline)
        pause_ms(50);
    assert_int_equal(r, 0);
}

/* A datagram of no bytes is the end of its stream; the descriptor it
 * carried is closed with it, never kept (psa-spm kept one each). */
static void test_empty_datagrams_keep_no_descriptor(void **state)
{
    int base, n, i, s, pass;

    (void)state;
    assert_int_equal(fixture_start(&fx, NULL), 0);
    base = fds_settled(fx.router, -1);
    pass = open("/dev/null", O_RDONLY | O_CLOEXEC);
    assert_true(pass >= 0);
    /* the first one ends its socket's stream: a socket each */
    for (i = 0; i < EMPTY_DATAGRAMS; i++) {
        s = raw_open(fx.socket);
        assert_true(s >= 0);
        assert_int_equal(raw_send_empty_fd(s, pass), 0);
        close(s);
    }
    close(pass);
    n = fds_settled(fx.router, base + FD_SLACK);
    if (n > base + FD_SLACK)
        fail_msg("psa-spm holds %d descriptors after %d empty datagrams, %d before", n,
                 EMPTY_DATAGRAMS, base);
    served();
    assert_int_equal(fixture_stop(&fx), 0);
}

/* Out of descriptors: the connections it cannot take are closed, the
 * daemon idles (a level-triggered listening socket made it spin, logging
 * each turn), and once descriptors are free again it serves. */
static void test_out_of_descriptors(void **state)
{
    int held[HELD], top, i, refused = 0, emfile;
    long before, used, tck = sysconf(_SC_CLK_TCK);

    (void)state;
    assert_int_equal(fixture_start(&fx, NULL), 0);
    fds_of(fx.router, &top);
    assert_int_equal(fixture_router_nofile(&fx, (unsigned long)top + 1 + HEADROOM), 0);

    for (i = 0; i < HELD; i++) {
        held[i] = raw_open(fx.socket);
        assert_true(held[i] >= 0);
    }
    assert_true(fixture_log_has(&fx, "accept: ", "Too many open files"));

    /* a spin burns a whole CPU: a resource bound, not a latency one */
    before = cpu_ticks(fx.router);
    pause_ms(1000);
    used = cpu_ticks(fx.router) - before;
    if (used > tck / 4)
        fail_msg("psa-spm used %ld ms of CPU in 1 s while out of descriptors", used * 1000 / tck);
    emfile = fixture_log_count(&fx, "accept: ", "Too many open files");
    if (emfile > 4)
        fail_msg("%d EMFILE lines in the log", emfile);

    for (i = 0; i < HELD; i++)
        if (closed_by_daemon(held[i], 0))
            refused++;
    /* fewer if some numbers below the daemon's highest were free */
    if (refused < HELD - HEADROOM - FD_SLACK)
        fail_msg("%d of %d sockets closed by psa-spm, %d descriptors spare", refused, HELD,
                 HEADROOM);
    assert_true(fixture_alive(&fx));
    for (i = 0; i < HELD; i++)
        close(held[i]);
    served();
    assert_int_equal(fixture_stop(&fx), 0);
}

static int other_user_served(void *arg)
{
    (void)arg;
    return version_on_new_socket(fx.socket) == 0 ? 0 : 1;
}

/* --max-sockets-user: a user's socket past it is closed at once; another
 * user is served. */
static void test_sockets_per_user(void **state)
{
    static const char *const four[] = {"--max-sockets-user", "4", NULL};
    struct raw_reply r;
    int s[4], fifth, i, rc;

    (void)state;
    assert_int_equal(fixture_start(&fx, four), 0);
    for (i = 0; i < 4; i++) {
        s[i] = raw_open(fx.socket);
        assert_true(s[i] >= 0);
        assert_int_equal(raw_send_version(s[i], 1, TFM_ECHO_SERVICE_SID), 0);
        assert_int_equal(raw_recv(s[i], &r), 1);
        assert_int_equal(r.kind, RAW_VERSION);
    }
    fifth = raw_open(fx.socket);
    assert_true(fifth >= 0);
    assert_int_equal(raw_recv(fifth, &r), 0); /* closed, not left waiting */
    close(fifth);
    assert_true(fixture_log_has(&fx, "the user has 4 sockets open: refused", NULL));

    rc = fixture_run_as(&fx, OTHER_UID, other_user_served, NULL);
    if (rc == -2)
        fprintf(stderr, "test_sockets_per_user: not root, no second user to serve; "
                        "that part is skipped\n");
    else
        assert_int_equal(rc, 0);

    /* a socket closed is room again */
    close(s[0]);
    served();
    for (i = 1; i < 4; i++)
        close(s[i]);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* A client that sends malformed requests, a socket each, as fast as it
 * can: each is dropped, and the log holds LOG_BURST lines of a kind a
 * second and a summary of the rest, not a line per socket. */
static void test_log_is_rate_limited(void **state)
{
    static const char *const info[] = {"--log-level", "info", NULL};
    long start, seconds;
    int i, s, drops, connects;

    (void)state;
    assert_int_equal(fixture_start(&fx, info), 0);
    start = now_ms();
    for (i = 0; i < SPAM; i++) {
        s = raw_open(fx.socket);
        assert_true(s >= 0);
        raw_send_foreign(s, (uint32_t)i); /* EPIPE: already dropped, fine */
        close(s);
    }
    assert_true(fixture_log_has(&fx, "similar lines suppressed", "dropping client process"));
    seconds = (now_ms() - start) / 1000 + 2; /* windows begun, rounded up, and the last */
    drops = fixture_log_count(&fx, "dropping client process", NULL);
    connects = fixture_log_count(&fx, ") connected", NULL);
    if (drops > LOG_BURST * seconds || connects > LOG_BURST * seconds)
        fail_msg("%d drop and %d connect lines for %d sockets in %ld s", drops, connects, SPAM,
                 seconds - 1);
    served();
    assert_int_equal(fixture_stop(&fx), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_empty_datagrams_keep_no_descriptor, fixture_teardown),
        cmocka_unit_test_teardown(test_out_of_descriptors, fixture_teardown),
        cmocka_unit_test_teardown(test_sockets_per_user, fixture_teardown),
        cmocka_unit_test_teardown(test_log_is_rate_limited, fixture_teardown),
    };

    return cmocka_run_group_tests_name("e2e_exhaustion", tests, NULL, NULL);
}
