/*
 * test_sched.c - a partition's priority on the host (src/spm/sched.c): its
 * nice value relative to psa-spm's, and the order one batch of events is
 * served in.
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
    struct mf_partition mf[3];
    struct spm_part part[5];
    struct spm_client client[2];
    struct peer sig;
    struct epoll_event ev[8];
    /* kernel order: client 0, LOW 0, signals, NORMAL 1, HIGH 2, client 1, LOW 3, HIGH 4 */
    void *in[8] = {&client[0], &part[0], &sig, &part[1], &part[2], &client[1], &part[3], &part[4]};
    void *want[8] = {&part[2], &part[4],   &part[1], &part[0],
                     &part[3], &client[0], &sig,     &client[1]};
    static const int prio_of[5] = {MF_PRIO_LOW, MF_PRIO_NORMAL, MF_PRIO_HIGH, MF_PRIO_LOW,
                                   MF_PRIO_HIGH};
    int i;

    (void)state;
    memset(mf, 0, sizeof(mf));
    memset(part, 0, sizeof(part));
    memset(client, 0, sizeof(client));
    memset(&sig, 0, sizeof(sig));
    mf[0].priority = MF_PRIO_HIGH;
    mf[1].priority = MF_PRIO_NORMAL;
    mf[2].priority = MF_PRIO_LOW;
    for (i = 0; i < 5; i++) {
        part[i].peer.kind = PEER_PARTITION;
        part[i].mf = &mf[prio_of[i]];
    }
    client[0].peer.kind = client[1].peer.kind = PEER_CLIENT;
    sig.kind = PEER_SIGNALS;
    for (i = 0; i < 8; i++) {
        ev[i].events = EPOLLIN;
        ev[i].data.ptr = in[i];
    }
    spm_order_batch(ev, 8);
    for (i = 0; i < 8; i++)
        assert_ptr_equal(ev[i].data.ptr, want[i]);
    /* an empty and a one-event batch are left alone */
    spm_order_batch(ev, 0);
    spm_order_batch(ev, 1);
    assert_ptr_equal(ev[0].data.ptr, want[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nice_mapping),
        cmocka_unit_test(test_batch_order),
    };

    return cmocka_run_group_tests_name("sched", tests, NULL, NULL);
}
