/*
 * test_client.c - the client side of FF-M against the real daemon: every
 * rule of psa_version/psa_connect/psa_call/psa_close, with the statuses a
 * non-secure caller must see, and the shipped services.
 */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture.h"
#include "psa/client.h"
#include "psa/lifecycle.h"
#include "psa_manifest/pid.h"
#include "psa_manifest/sid.h"
#include "test_ops.h"
#include "tfm_echo_api.h"
#include "tfm_my_custom_service_api.h"

static struct fixture spm_fx;

static int start(void **state)
{
    (void)state;
    return fixture_start(&spm_fx, NULL);
}

static int stop(void **state)
{
    (void)state;
    return fixture_stop(&spm_fx) == 0 ? 0 : -1;
}

static psa_handle_t connect_strict(void)
{
    psa_handle_t h = psa_connect(PARTIX_TEST_STRICT_SID, PARTIX_TEST_STRICT_VERSION);

    assert_true(PSA_HANDLE_IS_VALID(h));
    return h;
}

static struct test_info info_of(psa_handle_t h)
{
    struct test_info ti;
    psa_outvec out = {&ti, sizeof(ti)};

    memset(&ti, 0, sizeof(ti));
    assert_int_equal(psa_call(h, TEST_OP_INFO, NULL, 0, &out, 1), PSA_SUCCESS);
    assert_int_equal(out.len, sizeof(ti));
    return ti;
}

static void test_versions(void **state)
{
    (void)state;
    assert_int_equal(psa_framework_version(), 0x0101);
    assert_int_equal(psa_version(TFM_ECHO_SERVICE_SID), 1);
    assert_int_equal(psa_version(PARTIX_TEST_RELAXED_SID), 3);
    assert_int_equal(psa_version(PARTIX_TEST_STATELESS_SID), 1);
    /* unknown, and not for non-secure clients: PSA_VERSION_NONE */
    assert_int_equal(psa_version(0xdead), PSA_VERSION_NONE);
    assert_int_equal(psa_version(PARTIX_TEST_SECURE_ONLY_SID), PSA_VERSION_NONE);
}

static void test_connect_rules(void **state)
{
    psa_handle_t h;

    (void)state;
    assert_int_equal(psa_connect(0xdead, 1), PSA_ERROR_CONNECTION_REFUSED);
    assert_int_equal(psa_connect(PARTIX_TEST_SECURE_ONLY_SID, 1), PSA_ERROR_CONNECTION_REFUSED);
    /* STRICT: only the exact version */
    assert_int_equal(psa_connect(PARTIX_TEST_STRICT_SID, 1), PSA_ERROR_CONNECTION_REFUSED);
    assert_int_equal(psa_connect(PARTIX_TEST_STRICT_SID, 3), PSA_ERROR_CONNECTION_REFUSED);
    h = psa_connect(PARTIX_TEST_STRICT_SID, 2);
    assert_true(PSA_HANDLE_IS_VALID(h));
    psa_close(h);
    /* RELAXED: any version up to the service's */
    assert_int_equal(psa_connect(PARTIX_TEST_RELAXED_SID, 4), PSA_ERROR_CONNECTION_REFUSED);
    for (uint32_t v = 1; v <= 3; v++) {
        h = psa_connect(PARTIX_TEST_RELAXED_SID, v);
        assert_true(PSA_HANDLE_IS_VALID(h));
        psa_close(h);
    }
    /* a stateless service has no connections */
    assert_int_equal(psa_connect(PARTIX_TEST_STATELESS_SID, 1), PSA_ERROR_PROGRAMMER_ERROR);
}

static void test_service_refuses_connect(void **state)
{
    psa_handle_t h = connect_strict();
    int32_t busy = PSA_ERROR_CONNECTION_BUSY, refused = PSA_ERROR_CONNECTION_REFUSED;
    psa_invec in = {&busy, sizeof(busy)};

    (void)state;
    assert_int_equal(psa_call(h, TEST_OP_REFUSE_NEXT, &in, 1, NULL, 0), PSA_SUCCESS);
    assert_int_equal(psa_connect(PARTIX_TEST_RELAXED_SID, 1), PSA_ERROR_CONNECTION_BUSY);
    in.base = &refused;
    assert_int_equal(psa_call(h, TEST_OP_REFUSE_NEXT, &in, 1, NULL, 0), PSA_SUCCESS);
    assert_int_equal(psa_connect(PARTIX_TEST_RELAXED_SID, 1), PSA_ERROR_CONNECTION_REFUSED);
    psa_close(h);
}

static void test_message_fields(void **state)
{
    psa_handle_t h = connect_strict();
    uint8_t a[3] = {1, 2, 3}, b[5] = {4, 5, 6, 7, 8}, out[16];
    psa_invec in[2] = {{a, sizeof(a)}, {b, sizeof(b)}};
    psa_outvec o[2] = {{out, sizeof(out)}, {NULL, 0}};
    struct test_info ti;
    psa_outvec io = {&ti, sizeof(ti)};
    uint64_t rh = 0x1234abcdull;
    psa_invec rin = {&rh, sizeof(rh)};

    (void)state;
    /* out_vec[i].len becomes the bytes written */
    assert_int_equal(psa_call(h, TEST_OP_CONCAT, in, 2, o, 2), PSA_SUCCESS);
    assert_int_equal(o[0].len, 8);
    assert_int_equal(o[1].len, 0);
    assert_memory_equal(out, "\1\2\3\4\5\6\7\10", 8);
    /* sizes and identity as the partition sees them */
    assert_int_equal(psa_call(h, TEST_OP_INFO, in, 2, &io, 1), PSA_SUCCESS);
    assert_int_equal(ti.client_id, -1 - (int32_t)getuid());
    assert_int_equal(ti.in_size[0], 3);
    assert_int_equal(ti.in_size[1], 5);
    assert_int_equal(ti.in_size[2], 0);
    assert_int_equal(ti.out_size[0], sizeof(ti));
    assert_int_equal(ti.rhandle, 0);
    assert_int_equal(ti.lifecycle, PSA_LIFECYCLE_SECURED);
    /* rhandle set on one message comes back on the next */
    assert_int_equal(psa_call(h, TEST_OP_SET_RHANDLE, &rin, 1, NULL, 0), PSA_SUCCESS);
    assert_int_equal(info_of(h).rhandle, rh);
    /* the service's status reaches the caller as it is */
    int32_t st = -1234;
    psa_invec sin = {&st, sizeof(st)};
    assert_int_equal(psa_call(h, TEST_OP_STATUS, &sin, 1, NULL, 0), -1234);
    st = 7;
    assert_int_equal(psa_call(h, TEST_OP_STATUS, &sin, 1, NULL, 0), 7);
    assert_int_equal(psa_call(h, 999, NULL, 0, NULL, 0), PSA_ERROR_NOT_SUPPORTED);
    psa_close(h);
}

static void test_call_programmer_errors(void **state)
{
    psa_handle_t h = connect_strict();
    uint8_t buf[64], *ro, *none;
    psa_invec in[5];
    psa_outvec out[5];
    size_t i;

    (void)state;
    for (i = 0; i < 5; i++) {
        in[i].base = buf + i * 8;
        in[i].len = 8;
        out[i].base = buf + i * 8;
        out[i].len = 8;
    }
    /* handles: null, unknown, closed */
    assert_int_equal(psa_call(PSA_NULL_HANDLE, 0, NULL, 0, NULL, 0), PSA_ERROR_PROGRAMMER_ERROR);
    assert_int_equal(psa_call(h + 1000, 0, NULL, 0, NULL, 0), PSA_ERROR_PROGRAMMER_ERROR);
    assert_int_equal(psa_call(-5, 0, NULL, 0, NULL, 0), PSA_ERROR_PROGRAMMER_ERROR);
    /* type range */
    assert_int_equal(psa_call(h, -1, NULL, 0, NULL, 0), PSA_ERROR_PROGRAMMER_ERROR);
    assert_int_equal(psa_call(h, INT16_MAX + 1, NULL, 0, NULL, 0), PSA_ERROR_PROGRAMMER_ERROR);
    assert_int_equal(psa_call(h, INT16_MAX, NULL, 0, NULL, 0), PSA_ERROR_NOT_SUPPORTED);
    /* vector counts */
    assert_int_equal(psa_call(h, 0, in, 5, NULL, 0), PSA_ERROR_PROGRAMMER_ERROR);
    assert_int_equal(psa_call(h, 0, in, 3, out, 2), PSA_ERROR_PROGRAMMER_ERROR);
    assert_int_equal(psa_call(h, 0, NULL, 1, NULL, 0), PSA_ERROR_PROGRAMMER_ERROR);
    out[0].base = buf + 32; /* CONCAT writes both inputs (16 bytes) to out_vec[0] */
    out[0].len = 16;
    assert_int_equal(psa_call(h, 0, in, 2, out, 2), PSA_SUCCESS);
    assert_int_equal(out[0].len, 16);
    out[0].base = buf;
    out[0].len = 8;
    /* NULL base with a length */
    in[0].base = NULL;
    assert_int_equal(psa_call(h, 0, in, 1, NULL, 0), PSA_ERROR_PROGRAMMER_ERROR);
    in[0].base = buf;
    /* overlapping input vectors */
    in[1].base = buf + 4;
    assert_int_equal(psa_call(h, 0, in, 2, NULL, 0), PSA_ERROR_PROGRAMMER_ERROR);
    in[1].base = buf + 8;
    /* unreadable input, unwritable output */
    none = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(none != MAP_FAILED && ro != MAP_FAILED);
    in[0].base = none;
    assert_int_equal(psa_call(h, 0, in, 1, NULL, 0), PSA_ERROR_PROGRAMMER_ERROR);
    in[0].base = buf;
    out[0].base = ro;
    assert_int_equal(psa_call(h, 0, in, 1, out, 1), PSA_ERROR_PROGRAMMER_ERROR);
    out[0].base = none;
    assert_int_equal(psa_call(h, 0, in, 1, out, 1), PSA_ERROR_PROGRAMMER_ERROR);
    munmap(none, 4096);
    munmap(ro, 4096);
    /* the connection survived all of it */
    assert_int_equal(info_of(h).client_id, -1 - (int32_t)getuid());
    psa_close(h);
    /* a closed handle is invalid */
    assert_int_equal(psa_call(h, 0, NULL, 0, NULL, 0), PSA_ERROR_PROGRAMMER_ERROR);
}

static void test_close_rules(void **state)
{
    psa_handle_t h = connect_strict();
    uint32_t before = info_of(h).disconnects, after;

    (void)state;
    psa_close(PSA_NULL_HANDLE);              /* no effect */
    psa_close(PARTIX_TEST_STATELESS_HANDLE); /* a programmer error, ignored */
    psa_close(h + 1000);
    psa_close(h);
    h = connect_strict();
    after = info_of(h).disconnects;
    assert_int_equal(after, before + 1); /* the service saw DISCONNECT for the closed one */
    psa_close(h);
}

static void test_stateless(void **state)
{
    uint8_t a[4] = {9, 8, 7, 6}, out[4];
    psa_invec in = {a, sizeof(a)};
    psa_outvec o = {out, sizeof(out)};
    psa_handle_t bad_version = (psa_handle_t)((PARTIX_TEST_STATELESS_HANDLE & ~0xff00u) | 0x200u);
    struct test_info ti;
    psa_outvec io = {&ti, sizeof(ti)};

    (void)state;
    assert_int_equal(psa_call(PARTIX_TEST_STATELESS_HANDLE, 0, &in, 1, &o, 1), PSA_SUCCESS);
    assert_int_equal(o.len, 4);
    assert_memory_equal(out, a, 4);
    /* rhandle is always NULL for a stateless service */
    assert_int_equal(psa_call(PARTIX_TEST_STATELESS_HANDLE, TEST_OP_INFO, NULL, 0, &io, 1),
                     PSA_SUCCESS);
    assert_int_equal(ti.rhandle, 0);
    /* a handle of the wrong version, or of no service */
    assert_int_equal(psa_call(bad_version, 0, NULL, 0, NULL, 0), PSA_ERROR_PROGRAMMER_ERROR);
    assert_int_equal(psa_call(0x4000011f, 0, NULL, 0, NULL, 0), PSA_ERROR_PROGRAMMER_ERROR);
}

static void test_foreign_handle(void **state)
{
    psa_handle_t h = connect_strict();
    int fds[2], status;
    pid_t child;
    int32_t got = 0;

    (void)state;
    assert_int_equal(pipe(fds), 0);
    child = fork();
    if (child == 0) {
        /* another process: the parent's handle number means nothing here */
        int32_t st = psa_call(h, TEST_OP_INFO, NULL, 0, NULL, 0);

        _exit(write(fds[1], &st, sizeof(st)) == sizeof(st) ? 0 : 1);
    }
    assert_int_equal(read(fds[0], &got, sizeof(got)), sizeof(got));
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_int_equal(got, PSA_ERROR_PROGRAMMER_ERROR);
    assert_int_equal(info_of(h).client_id, -1 - (int32_t)getuid()); /* still ours */
    psa_close(h);
}

static void test_connection_limit(void **state)
{
    psa_handle_t h[40];
    int n = 0, i;

    (void)state;
    for (i = 0; i < 40; i++) {
        h[i] = psa_connect(PARTIX_TEST_STRICT_SID, 2);
        if (!PSA_HANDLE_IS_VALID(h[i]))
            break;
        n++;
    }
    assert_int_equal(n, 32); /* --max-connections default */
    assert_int_equal(h[n], PSA_ERROR_CONNECTION_BUSY);
    psa_close(h[0]);
    h[0] = psa_connect(PARTIX_TEST_STRICT_SID, 2); /* room again */
    assert_true(PSA_HANDLE_IS_VALID(h[0]));
    for (i = 0; i < n; i++)
        psa_close(h[i]);
}

static void test_shipped_services(void **state)
{
    uint8_t out[300], msg[300], rev[128];
    size_t n = 0, rn = sizeof(rev), i;
    int32_t r = 0;

    (void)state;
    for (i = 0; i < sizeof(msg); i++)
        msg[i] = (uint8_t)(i * 7);
    /* echo: bigger than its 256-byte buffer, so it takes two rounds */
    assert_int_equal(tfm_echo_service(msg, sizeof(msg), out, sizeof(out), &n), PSA_SUCCESS);
    assert_int_equal(n, sizeof(msg));
    assert_memory_equal(out, msg, sizeof(msg));
    assert_int_equal(tfm_echo_service(msg, 0, out, sizeof(out), &n), PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(tfm_echo_service(msg, 10, out, 5, &n), PSA_ERROR_BUFFER_TOO_SMALL);
    /* FOO reverses up to 128 bytes */
    assert_int_equal(tfm_my_custom_service_foo((const uint8_t *)"abcdef", 6, rev, &rn),
                     TFM_MY_CUSTOM_SERVICE_SUCCESS);
    assert_int_equal(rn, 6);
    assert_memory_equal(rev, "fedcba", 6);
    rn = sizeof(rev);
    assert_int_equal(tfm_my_custom_service_foo(msg, 128, rev, &rn), TFM_MY_CUSTOM_SERVICE_SUCCESS);
    assert_int_equal(rev[0], msg[127]);
    rn = sizeof(rev);
    assert_int_equal(tfm_my_custom_service_foo(msg, 129, rev, &rn),
                     TFM_MY_CUSTOM_SERVICE_ERROR_INVALID_PARAM);
    /* BAR doubles */
    assert_int_equal(tfm_my_custom_service_bar(21, &r), TFM_MY_CUSTOM_SERVICE_SUCCESS);
    assert_int_equal(r, 42);
    assert_int_equal(tfm_my_custom_service_bar(-5, &r), TFM_MY_CUSTOM_SERVICE_SUCCESS);
    assert_int_equal(r, -10);
    assert_int_equal(tfm_my_custom_service_bar(INT32_MAX, &r),
                     TFM_MY_CUSTOM_SERVICE_ERROR_INVALID_PARAM);
}

static void test_large_call(void **state)
{
    size_t size = 1u << 20, i;
    uint8_t *in = malloc(size), *out = malloc(size + 16);
    psa_invec iv = {in, size};
    psa_outvec ov = {out, size + 16};

    (void)state;
    assert_non_null(in);
    assert_non_null(out);
    for (i = 0; i < size; i++)
        in[i] = (uint8_t)(i ^ (i >> 8));
    assert_int_equal(psa_call(PARTIX_TEST_STATELESS_HANDLE, 0, &iv, 1, &ov, 1), PSA_SUCCESS);
    assert_int_equal(ov.len, size);
    assert_memory_equal(out, in, size);
    free(in);
    free(out);
}

struct worker {
    int id;
    int ok;
};

static void *worker(void *arg)
{
    struct worker *w = arg;
    uint8_t msg[100], out[100];
    size_t n;
    int i;

    w->ok = 1;
    for (i = 0; i < 200 && w->ok; i++) {
        memset(msg, w->id * 31 + i, sizeof(msg));
        w->ok = tfm_echo_service(msg, sizeof(msg), out, sizeof(out), &n) == PSA_SUCCESS &&
                n == sizeof(msg) && memcmp(out, msg, n) == 0;
    }
    return NULL;
}

static void test_concurrent_clients(void **state)
{
    pthread_t t[4];
    struct worker w[4];
    int i, status;
    pid_t child;

    (void)state;
    child = fork(); /* and a second process doing the same */
    if (child == 0) {
        struct worker cw = {9, 0};

        worker(&cw);
        _exit(cw.ok ? 0 : 1);
    }
    for (i = 0; i < 4; i++) {
        w[i].id = i;
        assert_int_equal(pthread_create(&t[i], NULL, worker, &w[i]), 0);
    }
    for (i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        assert_true(w[i].ok);
    }
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_versions),
        cmocka_unit_test(test_connect_rules),
        cmocka_unit_test(test_service_refuses_connect),
        cmocka_unit_test(test_message_fields),
        cmocka_unit_test(test_call_programmer_errors),
        cmocka_unit_test(test_close_rules),
        cmocka_unit_test(test_stateless),
        cmocka_unit_test(test_foreign_handle),
        cmocka_unit_test(test_connection_limit),
        cmocka_unit_test(test_shipped_services),
        cmocka_unit_test(test_large_call),
        cmocka_unit_test(test_concurrent_clients),
    };

    return cmocka_run_group_tests_name("e2e_client", tests, start, stop);
}
