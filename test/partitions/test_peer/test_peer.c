/*
 * test_peer.c - a service only partitions may call: by default it answers
 * each call with the caller's client id followed by the caller's input; the
 * other call types (test_ops.h, enum peer_op) use its doorbell.
 */
#include <stdint.h>

#include "psa/service.h"
#include "psa_manifest/partix_test_peer.h"
#include "test_ops.h"

static psa_status_t echo(const psa_msg_t *msg)
{
    uint8_t buf[256];
    size_t n;

    if (msg->out_size[0] >= sizeof(int32_t)) {
        psa_write(msg->handle, 0, &msg->client_id, sizeof(msg->client_id));
        n = psa_read(msg->handle, 0, buf, sizeof(buf));
        if (n <= msg->out_size[0] - sizeof(int32_t))
            psa_write(msg->handle, 0, buf, n);
    }
    return PSA_SUCCESS;
}

static psa_status_t call(const psa_msg_t *msg)
{
    struct test_notify n;
    struct test_wait w;
    psa_signal_t s;
    uint32_t i;

    switch (msg->type) {
    case PEER_OP_ECHO:
        return echo(msg);
    case PEER_OP_NOTIFY:
        if (msg->in_size[0] != sizeof(n))
            return PSA_ERROR_INVALID_ARGUMENT;
        psa_read(msg->handle, 0, &n, sizeof(n));
        for (i = 0; i < n.times; i++)
            psa_notify(n.partition_id);
        return PSA_SUCCESS;
    case PEER_OP_WAIT:
        if (msg->in_size[0] != sizeof(w) || msg->out_size[0] < sizeof(s))
            return PSA_ERROR_INVALID_ARGUMENT;
        psa_read(msg->handle, 0, &w, sizeof(w));
        s = psa_wait(w.mask, w.timeout);
        psa_write(msg->handle, 0, &s, sizeof(s));
        return PSA_SUCCESS;
    case PEER_OP_CLEAR:
        psa_clear();
        return PSA_SUCCESS;
    case PEER_OP_COPY: {
        uint8_t chunk[1024];
        size_t k;

        while ((k = psa_read(msg->handle, 0, chunk, sizeof(chunk))) > 0)
            psa_write(msg->handle, 0, chunk, k);
        return PSA_SUCCESS;
    }
    case PEER_OP_STATUS: {
        int32_t st = PSA_ERROR_INVALID_ARGUMENT;

        if (msg->in_size[0] == sizeof(st))
            psa_read(msg->handle, 0, &st, sizeof(st));
        return st;
    }
    default:
        return PSA_ERROR_NOT_SUPPORTED;
    }
}

/* the manifest's entry point: TF-M's generated header does not declare it */
void partix_test_peer_main(void);
void partix_test_peer_main(void)
{
    psa_msg_t msg;

    for (;;) {
        psa_wait(PARTIX_TEST_PEER_SIGNAL, PSA_BLOCK);
        if (psa_get(PARTIX_TEST_PEER_SIGNAL, &msg) != PSA_SUCCESS)
            continue;
        /* CONNECT and DISCONNECT are accepted */
        psa_reply(msg.handle, msg.type < 0 ? PSA_SUCCESS : call(&msg));
    }
}
