/*
 * test_sched.c - a partition's priority on the host (src/spm/sched.c): its
 * nice value relative to psa-spm's, and the order one batch of events is
 * served in (events tagged as the shell tags them).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>

#include <cmocka.h>

#include "spm.h"

static void test_nice_mapping(void **state)
{
    static const struct {
        enum mf_priority prio;
        int daemon, want;
    } t[] = {
        {MF_PRIO_HIGH, 0, -5},    {MF_PRIO_NORMAL, 0, 0},   {MF_PRIO_LOW, 0, 5},
        {MF_PRIO_HIGH, 10, 5},    {MF_PRIO_NORMAL, 10, 10}, {MF_PRIO_LOW, 10, 15},
        {MF_PRIO_HIGH, -18, -20}, {MF_PRIO_LOW, 17, 19},    {MF_PRIO_LOW, 19, 19},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
        assert_int_equal(spm_nice_of(t[i].prio, t[i].daemon), t[i].want);
}

static void test_batch_order(void **state)
{
    struct mf_partition mf[5];
    struct mf_system sys = {.partitions = mf, .n_partitions = 5};
    struct epoll_event ev[8];
    /* kernel order: client 0, LOW 0, signals, NORMAL 1, HIGH 2, client 1, LOW 3, HIGH 4 */
    const uint64_t c0 = SHELL_TAG(SPM_PEER_CLIENT, 0, 7), c1 = SHELL_TAG(SPM_PEER_CLIENT, 1, 1),
                   sig = SHELL_TAG(SHELL_SIGNALS, 0, 0);
    const uint64_t in[8] = {c0,
                            SHELL_TAG(SPM_PEER_PART, 0, 1),
                            sig,
                            SHELL_TAG(SPM_PEER_PART, 1, 1),
                            SHELL_TAG(SPM_PEER_PART, 2, 1),
                            c1,
                            SHELL_TAG(SPM_PEER_PART, 3, 1),
                            SHELL_TAG(SPM_PEER_PART, 4, 1)};
    const uint64_t want[8] = {in[4], in[7], in[3], in[1], in[6], c0, sig, c1};
    static const enum mf_priority prio_of[5] = {MF_PRIO_LOW, MF_PRIO_NORMAL, MF_PRIO_HIGH,
                                                MF_PRIO_LOW, MF_PRIO_HIGH};
    int i;

    (void)state;
    memset(mf, 0, sizeof(mf));
    for (i = 0; i < 5; i++)
        mf[i].priority = prio_of[i];
    for (i = 0; i < 8; i++) {
        ev[i].events = EPOLLIN;
        ev[i].data.u64 = in[i];
    }
    spm_order_batch(ev, 8, &sys);
    for (i = 0; i < 8; i++)
        assert_int_equal(ev[i].data.u64, want[i]);
    /* an empty and a one-event batch are left alone */
    spm_order_batch(ev, 0, &sys);
    spm_order_batch(ev, 1, &sys);
    assert_int_equal(ev[0].data.u64, want[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nice_mapping),
        cmocka_unit_test(test_batch_order),
    };

    return cmocka_run_group_tests_name("sched", tests, NULL, NULL);
}
