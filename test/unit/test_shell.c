/*
 * test_shell.c - the parts of psa-spm's shell that stand alone: the checks
 * of a caller's memory object (shell/memobj.c), the send queues and their
 * bounds (shell/sendq.c), and the log's rate limit (log.c, on a clock the
 * test turns).
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "spm.h"

/* ---- what log.c takes from the core and the loop ---- */

static long fake_now = 1000000;

long spm_now_ms(void)
{
    return fake_now;
}

const char *spm_level_name(enum spm_level level)
{
    static const char *const names[] = {"error", "warn", "info", "debug"};

    return names[level];
}

/* ---- memobj ---- */

static int memobj(size_t size, int seals)
{
    int fd = memfd_create("test", MFD_CLOEXEC | MFD_ALLOW_SEALING);

    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, (off_t)size), 0);
    if (seals != 0)
        assert_int_equal(fcntl(fd, F_ADD_SEALS, seals), 0);
    return fd;
}

static struct wire_vecs vecs(uint32_t in, uint32_t out)
{
    struct wire_vecs v;

    memset(&v, 0, sizeof(v));
    v.n_in = 1;
    v.n_out = 1;
    v.in_len[0] = in;
    v.out_len[0] = out;
    return v;
}

static void test_memobj(void **state)
{
    static const struct {
        int seals;
        uint32_t in, out;
        bool ok;
    } t[] = {
#define SEALED (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL)
        {SEALED, 60, 40, true},
        {SEALED, 100, 0, true},
        {F_SEAL_SHRINK | F_SEAL_GROW, 60, 40, false}, /* F_SEAL_WRITE could come after */
        {SEALED, 60, 41, false},                      /* smaller than the vectors */
        {SEALED, 0, 0, false},                        /* a call of nothing */
        {0, 10, 10, false},                           /* resizable */
        {F_SEAL_SHRINK | F_SEAL_SEAL, 10, 10, false}, /* may grow */
        {F_SEAL_GROW | F_SEAL_SEAL, 10, 10, false},   /* may shrink */
        {SEALED | F_SEAL_WRITE, 10, 10, false},
        {SEALED | F_SEAL_FUTURE_WRITE, 10, 10, false},
    };
    struct wire_vecs v;
    char path[64];
    size_t i;
    int fd, ro, sv[2];

    (void)state;
    for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        fd = memobj(100, t[i].seals);
        v = vecs(t[i].in, t[i].out);
        if (shell_memobj_ok(fd, &v) != t[i].ok)
            fail_msg("row %zu", i);
        close(fd);
    }
    /* opened read-only: the partition could not map it for its outputs */
    fd = memobj(100, SEALED);
    v = vecs(10, 10);
    assert_true(shell_memobj_ok(fd, &v));
    snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    ro = open(path, O_RDONLY | O_CLOEXEC);
    assert_true(ro >= 0);
    v = vecs(10, 10);
    assert_false(shell_memobj_ok(ro, &v));
    close(ro);
    close(fd);
    /* not a memory object at all */
    assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
    assert_false(shell_memobj_ok(sv[0], &v));
    close(sv[0]);
    close(sv[1]);
}

/* ---- sendq ---- */

static void frame(struct wire_frame *f, uint32_t seq)
{
    struct wire_msg m;

    memset(&m, 0, sizeof(m));
    m.type = WIRE_R_VERSION;
    m.seq = seq;
    m.u.version_rep.version = seq;
    assert_int_equal(wire_encode(f, &m), 0);
}

/* Reads every datagram waiting on @p sock, checking their order from
 * *next; how many. */
static unsigned drain(int sock, uint32_t *next, int *fd)
{
    uint8_t buf[WIRE_MAX_MSG];
    struct wire_msg m;
    unsigned n = 0;
    long len;

    for (;;) {
        int got;

        len = wire_recv(sock, buf, sizeof(buf), &got);
        if (len < 0 && errno == EAGAIN)
            return n;
        assert_true(len > 0);
        assert_int_equal(wire_decode(buf, (size_t)len, &m), 0);
        assert_int_equal(m.seq, *next);
        (*next)++;
        n++;
        if (got >= 0) {
            if (fd != NULL && *fd < 0)
                *fd = got;
            else
                close(got);
        }
    }
}

static void test_sendq(void **state)
{
    struct sendq q = {0};
    struct wire_frame f;
    uint32_t seq = 0, next = 0;
    int sv[2], small = 4096, r, got = -1;
    size_t bytes;

    (void)state;
    sendq_bounds(4096, 1u << 20);
    assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, sv), 0);
    setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof(small));
    /* straight to the socket while it takes them, then queued */
    do {
        frame(&f, seq++);
        r = sendq_send(&q, sv[0], &f, -1);
        assert_true(r >= 0);
    } while (r == 0);
    assert_non_null(q.head);
    /* the real cost: more than the datagram, at least its allocation */
    assert_true(q.bytes > f.len + 16);
    /* once one waits, the next waits behind it, with its descriptor */
    frame(&f, seq++);
    assert_int_equal(sendq_send(&q, sv[0], &f, memobj(4096, 0)), 1);
    bytes = q.bytes;
    while (bytes <= 4096) {
        frame(&f, seq++);
        assert_int_equal(sendq_send(&q, sv[0], &f, -1), 1);
        bytes = q.bytes;
    }
    assert_true(sendq_hold(&q)); /* past the bound: its owner is not read */
    assert_false(sendq_total_flipped());
    /* the reader drains: flushing empties the queue in order */
    while ((r = sendq_flush(&q, sv[0])) == 1) {
        drain(sv[1], &next, &got);
    }
    assert_int_equal(r, 0);
    drain(sv[1], &next, &got);
    assert_int_equal(next, seq);
    assert_true(got >= 0); /* the queued descriptor went with its datagram */
    close(got);
    assert_null(q.head);
    assert_int_equal(q.bytes, 0);
    assert_false(sendq_hold(&q));
    close(sv[0]);
    close(sv[1]);
}

static void test_sendq_total(void **state)
{
    struct sendq a = {0}, b = {0};
    struct wire_frame f;
    int sv[2], small = 4096;
    uint32_t seq = 0;

    (void)state;
    sendq_bounds(1u << 20, 8192); /* the total bound is the one to reach */
    assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, sv), 0);
    setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof(small));
    frame(&f, seq++);
    while (sendq_send(&a, sv[0], &f, -1) == 0)
        frame(&f, seq++);
    while (!sendq_total_flipped()) {
        frame(&f, seq++);
        assert_int_equal(sendq_send(&a, sv[0], &f, -1), 1);
    }
    /* past the total: every owner with a queue waits, one without does not */
    assert_true(sendq_hold(&a));
    assert_false(sendq_hold(&b));
    /* a peer that goes frees its queue, and the total flips back */
    sendq_free(&a);
    assert_true(sendq_total_flipped());
    assert_false(sendq_hold(&a));
    sendq_bounds(SPM_DEF_QUEUE_BYTES, SPM_DEF_QUEUE_TOTAL);
    close(sv[0]);
    close(sv[1]);
}

/* A socket that failed: the datagram and its descriptor are not kept. */
static void test_sendq_failed(void **state)
{
    struct sendq q = {0};
    struct wire_frame f;
    int sv[2];

    (void)state;
    assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, sv), 0);
    close(sv[1]);
    frame(&f, 1);
    assert_int_equal(sendq_send(&q, sv[0], &f, memobj(16, 0)), -1);
    assert_int_equal(errno, EPIPE);
    assert_null(q.head);
    assert_int_equal(q.bytes, 0);
    close(sv[0]);
}

/* ---- the log's rate limit ---- */

/* Runs @p fn with stderr in a file; the lines it wrote, in @p out. */
static size_t logged(void (*fn)(void), char *out, size_t size)
{
    FILE *tmp = tmpfile();
    int saved = dup(2);
    size_t n, lines = 0, i;

    assert_non_null(tmp);
    fflush(stderr);
    dup2(fileno(tmp), 2);
    fn();
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    rewind(tmp);
    n = fread(out, 1, size - 1, tmp);
    out[n] = '\0';
    fclose(tmp);
    for (i = 0; i < n; i++)
        lines += out[i] == '\n';
    return lines;
}

static void flood(void)
{
    int i;

    for (i = 0; i < SPM_LOG_BURST + 50; i++)
        spm_log(SPM_WARN, "dropping client %d", i);
    for (i = 0; i < SPM_LOG_BURST + 7; i++) {
        char text[64];

        snprintf(text, sizeof(text), "client process %d disconnected", i);
        spm_log_text(SPM_INFO, text);
    }
    spm_log(SPM_INFO, "another kind");
    for (i = 0; i < SPM_LOG_BURST + 5; i++)
        spm_log(SPM_DEBUG, "debug %d", i); /* never suppressed */
}

static void second_later(void)
{
    assert_int_equal(spm_log_next_deadline(fake_now), 1000);
    fake_now += 1000;
    assert_int_equal(spm_log_next_deadline(fake_now), 0);
    spm_log_flush(fake_now);
    assert_int_equal(spm_log_next_deadline(fake_now), -1);
    spm_log(SPM_WARN, "dropping client %d", 1); /* a new second: written */
}

static void test_log_rate_limit(void **state)
{
    static char out[1 << 16];

    (void)state;
    spm_log_level = SPM_DEBUG;
    assert_int_equal(logged(flood, out, sizeof(out)),
                     SPM_LOG_BURST + SPM_LOG_BURST + 1 + SPM_LOG_BURST + 5);
    assert_non_null(strstr(out, "psa-spm warn: dropping client 99\n"));
    assert_null(strstr(out, "dropping client 100\n"));
    assert_non_null(strstr(out, "psa-spm info: another kind\n"));
    assert_non_null(strstr(out, "psa-spm debug: debug 104\n"));
    assert_null(strstr(out, "suppressed"));
    assert_int_equal(logged(second_later, out, sizeof(out)), 3);
    assert_non_null(
        strstr(out, "psa-spm warn: (... 50 similar lines suppressed: dropping client %d)\n"));
    assert_non_null(strstr(
        out, "psa-spm info: (... 7 similar lines suppressed: client process 100 disconnected)\n"));
    assert_non_null(strstr(out, "psa-spm warn: dropping client 1\n"));
    spm_log_level = SPM_INFO;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_memobj),         cmocka_unit_test(test_sendq),
        cmocka_unit_test(test_sendq_total),    cmocka_unit_test(test_sendq_failed),
        cmocka_unit_test(test_log_rate_limit),
    };

    return cmocka_run_group_tests_name("shell", tests, NULL, NULL);
}
