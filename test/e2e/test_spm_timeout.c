/*
 * test_spm_timeout.c - libpsa-client's bound on psa-spm itself
 * (PSA_SPM_TIMEOUT_MS, 300 ms here): a psa-spm stopped with SIGSTOP, or
 * whose backlog is full, costs a client an error, not its thread; a service
 * call psa-spm has taken waits as long as the partition takes.
 *
 * While the daemon is stopped a guard thread resumes it after 5 s: a client
 * that waits for ever then gets its answer, and the test fails on the
 * status and on the guard, instead of hanging.
 */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture.h"
#include "partix/control.h"
#include "psa/client.h"
#include "psa_manifest/sid.h"
#include "test_ops.h"
#include "tfm_echo_api.h"

#define GUARD_S 5
#define MAX_BACKLOG 256 /* psa-spm listens with 64 */

static struct fixture fx;
static const char *const restart_policy[] = {"--fault-policy", "restart", NULL};

static struct {
    pthread_t thread;
    sem_t done;
    atomic_bool fired;
    bool armed;
} guard;

static void *guard_main(void *arg)
{
    struct timespec ts;

    (void)arg;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += GUARD_S;
    while (sem_timedwait(&guard.done, &ts) < 0)
        if (errno == ETIMEDOUT) {
            atomic_store(&guard.fired, true);
            kill(fx.router, SIGCONT);
            break;
        }
    return NULL;
}

static void stop_spm(void)
{
    int st;

    assert_int_equal(sem_init(&guard.done, 0, 0), 0);
    atomic_store(&guard.fired, false);
    assert_int_equal(pthread_create(&guard.thread, NULL, guard_main, NULL), 0);
    guard.armed = true;
    assert_int_equal(kill(fx.router, SIGSTOP), 0);
    for (st = 0; st < 500; st++) { /* the router is no child of this process: its state */
        char state[8];

        if (fixture_stat_field(fx.router, 3, state, sizeof(state)) && state[0] == 'T')
            return;
        nanosleep(&(struct timespec){0, 10 * 1000000L}, NULL);
    }
    fail_msg("the router (pid %d) did not stop", (int)fx.router);
}

/* SIGCONT; whether the daemon had to be resumed by the guard.  Also the
 * teardown: a failed assertion must not leave the daemon stopped. */
static bool resume_spm(void)
{
    if (guard.armed) {
        sem_post(&guard.done);
        pthread_join(guard.thread, NULL);
        sem_destroy(&guard.done);
        guard.armed = false;
    }
    kill(fx.router, SIGCONT);
    return atomic_load(&guard.fired);
}

static int start(void **state)
{
    (void)state;
    /* read once, at the first call: before any */
    setenv("PSA_SPM_TIMEOUT_MS", "300", 1);
    return fixture_start(&fx, restart_policy);
}

static int stop(void **state)
{
    (void)state;
    return fixture_stop(&fx) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    resume_spm();
    return 0;
}

static void echo_works(void)
{
    uint8_t out[5];
    size_t n = 0;

    assert_int_equal(tfm_echo_service((const uint8_t *)"alive", 5, out, 5, &n), PSA_SUCCESS);
    assert_memory_equal(out, "alive", 5);
}

/* A call the test service answers at once: CONCAT of "abc". */
static psa_status_t concat(psa_handle_t h, size_t *len)
{
    uint8_t out[8];
    psa_invec in = {"abc", 3};
    psa_outvec o = {out, sizeof(out)};
    psa_status_t st = psa_call(h, TEST_OP_CONCAT, &in, 1, &o, 1);

    *len = o.len;
    return st;
}

static void test_stopped_spm(void **state)
{
    psa_handle_t h = psa_connect(PARTIX_TEST_STRICT_SID, 2), h2;
    size_t len = 99;

    (void)state;
    assert_true(PSA_HANDLE_IS_VALID(h));
    stop_spm();
    assert_int_equal(psa_version(TFM_ECHO_SERVICE_SID), PSA_VERSION_NONE);
    assert_false(atomic_load(&guard.fired));
    assert_int_equal(psa_connect(TFM_ECHO_SERVICE_SID, 1), PSA_ERROR_CONNECTION_BUSY);
    assert_int_equal(concat(PARTIX_TEST_STATELESS_HANDLE, &len), PSA_ERROR_COMMUNICATION_FAILURE);
    assert_int_equal(len, 0);
    /* a call on an open connection goes straight to its partition
     * (docs/performance.md): a stopped psa-spm is not on its way */
    len = 99;
    assert_int_equal(concat(h, &len), PSA_SUCCESS);
    assert_int_equal(len, 3);
    assert_int_equal(partix_irq_lower("NO_SUCH_IRQ"), PSA_ERROR_COMMUNICATION_FAILURE);
    psa_close(h); /* returns: that is all it can say */
    assert_false(resume_spm());

    /* Served again.  h is gone with the sockets the timeouts dropped (the
     * process's last ones), so a new connection. */
    assert_int_equal(psa_version(TFM_ECHO_SERVICE_SID), 1);
    echo_works();
    assert_int_equal(concat(PARTIX_TEST_STATELESS_HANDLE, &len), PSA_SUCCESS);
    assert_int_equal(len, 3);
    h2 = psa_connect(PARTIX_TEST_STRICT_SID, 2);
    assert_true(PSA_HANDLE_IS_VALID(h2));
    assert_int_equal(concat(h2, &len), PSA_SUCCESS);
    assert_int_equal(len, 3);
    psa_close(h2);
    assert_int_equal(partix_irq_lower("NO_SUCH_IRQ"), PSA_ERROR_DOES_NOT_EXIST);
    assert_true(fixture_alive(&fx));
}

struct asked {
    uint32_t version;
    psa_handle_t connect;
};

/* A thread's first request connects its own socket. */
static void *ask_from_new_thread(void *arg)
{
    struct asked *a = arg;

    a->version = psa_version(TFM_ECHO_SERVICE_SID);
    a->connect = psa_connect(TFM_ECHO_SERVICE_SID, 1);
    return NULL;
}

static void test_full_backlog(void **state)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int fds[MAX_BACKLOG], n = 0;
    struct asked a = {0, 0};
    pthread_t t;

    (void)state;
    strcpy(sa.sun_path, fx.socket);
    stop_spm();
    for (; n < MAX_BACKLOG; n++) {
        fds[n] = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0);
        assert_true(fds[n] >= 0);
        if (connect(fds[n], (struct sockaddr *)&sa, sizeof(sa)) < 0) {
            assert_int_equal(errno, EAGAIN); /* the backlog is full */
            close(fds[n]);
            break;
        }
    }
    assert_true(n < MAX_BACKLOG);
    assert_int_equal(pthread_create(&t, NULL, ask_from_new_thread, &a), 0);
    pthread_join(t, NULL);
    while (n > 0)
        close(fds[--n]);
    assert_false(resume_spm());
    assert_int_equal(a.version, PSA_VERSION_NONE);
    assert_int_equal(a.connect, PSA_ERROR_CONNECTION_BUSY);
    echo_works();
}

/* Far longer than the client's bound: psa-spm has the request, the wait
 * is the partition's (and psa-spm's watchdog's). */
static void test_long_call(void **state)
{
    uint32_t ms = 2000;
    psa_invec in = {&ms, sizeof(ms)};
    psa_handle_t h = psa_connect(PARTIX_TEST_STRICT_SID, 2);

    (void)state;
    assert_int_equal(psa_call(PARTIX_TEST_STATELESS_HANDLE, TEST_OP_SLEEP, &in, 1, NULL, 0),
                     PSA_SUCCESS);
    assert_true(PSA_HANDLE_IS_VALID(h));
    assert_int_equal(psa_call(h, TEST_OP_SLEEP, &in, 1, NULL, 0), PSA_SUCCESS);
    psa_close(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_stopped_spm, teardown),
        cmocka_unit_test_teardown(test_full_backlog, teardown),
        cmocka_unit_test(test_long_call),
    };

    return cmocka_run_group_tests_name("e2e_spm_timeout", tests, start, stop);
}
