/*
 * test_sfn.c - the end-to-end tests' SFN partition: no entry point and no
 * psa_get/psa_reply; the runtime calls the <service>_sfn function of each
 * message and replies with its return value.  Every service runs the same
 * operations (test_ops.h, enum sfn_op), tagged with the service's index.
 */
#include <string.h>

#include "psa/service.h"
#include "psa_manifest/partix_test_sfn.h"
#include "test_ops.h"
#include "tfm_sp_log.h"

static uint32_t init_calls, connects, disconnects;
static int32_t refuse_next;
static struct test_sfn_msg last_connect, last_disconnect;

/* the manifest's entry_init: TF-M's generated header does not declare it */
psa_status_t partix_test_sfn_init(void);
psa_status_t partix_test_sfn_init(void)
{
    init_calls++;
    LOG_INFFMT("entry_init ran\n");
    return PSA_SUCCESS;
}

static void describe(int32_t service, const psa_msg_t *msg, struct test_sfn_msg *d)
{
    uint32_t i;

    memset(d, 0, sizeof(*d));
    d->service = service;
    d->type = msg->type;
    d->client_id = msg->client_id;
    for (i = 0; i < 4; i++) {
        d->in_size[i] = (uint32_t)msg->in_size[i];
        d->out_size[i] = (uint32_t)msg->out_size[i];
    }
}

static int32_t in_i32(const psa_msg_t *msg)
{
    int32_t v = 0;

    if (msg->in_size[0] >= sizeof(v))
        psa_read(msg->handle, 0, &v, sizeof(v));
    return v;
}

static psa_status_t info(int32_t service, const psa_msg_t *msg)
{
    struct test_sfn_info ti;

    if (msg->out_size[0] < sizeof(ti))
        return PSA_ERROR_BUFFER_TOO_SMALL;
    memset(&ti, 0, sizeof(ti));
    describe(service, msg, &ti.call);
    ti.connect = last_connect;
    ti.disconnect = last_disconnect;
    ti.connects = connects;
    ti.disconnects = disconnects;
    ti.init_calls = init_calls;
    psa_write(msg->handle, 0, &ti, sizeof(ti));
    return PSA_SUCCESS;
}

static psa_status_t notify(const psa_msg_t *msg)
{
    struct test_notify n;
    uint32_t i;

    if (msg->in_size[0] != sizeof(n))
        return PSA_ERROR_INVALID_ARGUMENT;
    psa_read(msg->handle, 0, &n, sizeof(n));
    for (i = 0; i < n.times; i++)
        psa_notify(n.partition_id);
    return PSA_SUCCESS;
}

static psa_status_t doorbell(const psa_msg_t *msg)
{
    psa_signal_t s = psa_wait(PSA_DOORBELL, PSA_POLL);

    if (s & PSA_DOORBELL)
        psa_clear();
    if (msg->out_size[0] >= sizeof(s))
        psa_write(msg->handle, 0, &s, sizeof(s));
    return PSA_SUCCESS;
}

static psa_status_t serve(int32_t service, const psa_msg_t *msg)
{
    psa_status_t st;

    switch (msg->type) {
    case PSA_IPC_CONNECT:
        describe(service, msg, &last_connect);
        st = refuse_next;
        refuse_next = PSA_SUCCESS;
        connects += st == PSA_SUCCESS;
        return st;
    case PSA_IPC_DISCONNECT:
        describe(service, msg, &last_disconnect);
        disconnects++;
        return PSA_SUCCESS;
    case SFN_OP_INFO:
        return info(service, msg);
    case SFN_OP_STATUS:
        return in_i32(msg);
    case SFN_OP_REFUSE_NEXT:
        refuse_next = in_i32(msg);
        return PSA_SUCCESS;
    case SFN_OP_NOTIFY:
        return notify(msg);
    case SFN_OP_DOORBELL:
        return doorbell(msg);
    default:
        return PSA_ERROR_NOT_SUPPORTED;
    }
}

psa_status_t partix_test_sfn_conn_sfn(const psa_msg_t *msg)
{
    return serve(0, msg);
}

psa_status_t partix_test_sfn_stateless_sfn(const psa_msg_t *msg)
{
    return serve(1, msg);
}

psa_status_t partix_test_sfn_third_sfn(const psa_msg_t *msg)
{
    return serve(2, msg);
}

psa_status_t partix_test_sfn_fourth_sfn(const psa_msg_t *msg)
{
    return serve(3, msg);
}
