/*
 * test_conf.c - the conformance suite's partition.  One call type per
 * FF-M partition rule: the CONF_BAD_* ones commit the programmer error the
 * rule forbids (the SPM must report the panic with its reason), the others
 * show the rule's observable result.
 */
#include <stdint.h>
#include <string.h>

#include "psa/service.h"
#include "psa_manifest/partix_test_conf.h"
#include "test_conf_ops.h"

#define MAX_HELD 8

static int next_connect; /* what the next CONNECT does: 0, or a CONF_BAD_* */

static psa_status_t read_skip(const psa_msg_t *msg)
{
    uint32_t got[4];
    uint8_t buf[128];

    got[0] = (uint32_t)psa_read(msg->handle, 0, buf, 4);
    got[1] = (uint32_t)psa_skip(msg->handle, 0, 3);
    got[2] = (uint32_t)psa_read(msg->handle, 0, buf, 100);
    got[3] = (uint32_t)psa_read(msg->handle, 0, buf, 1);
    psa_write(msg->handle, 0, got, sizeof(got));
    return PSA_SUCCESS;
}

/* Takes the calls queued on A while this one waits for B: FF-M delivers the
 * messages of one signal in the order they were sent. */
static psa_status_t hold(const psa_msg_t *msg)
{
    psa_handle_t held[MAX_HELD];
    int32_t types[MAX_HELD];
    psa_msg_t m;
    uint32_t n = 0, i;

    while (!(psa_wait(PARTIX_CONF_B_SIGNAL, PSA_BLOCK) & PARTIX_CONF_B_SIGNAL))
        ;
    psa_get(PARTIX_CONF_B_SIGNAL, &m);
    psa_reply(m.handle, PSA_SUCCESS); /* the release call, or its CONNECT */
    while (n < MAX_HELD && (psa_wait(PARTIX_CONF_A_SIGNAL, PSA_POLL) & PARTIX_CONF_A_SIGNAL)) {
        psa_get(PARTIX_CONF_A_SIGNAL, &m);
        held[n] = m.handle;
        types[n++] = m.type;
    }
    for (i = 0; i < n; i++)
        psa_reply(held[i], (psa_status_t)i);
    psa_write(msg->handle, 0, types, n * sizeof(types[0]));
    return PSA_SUCCESS;
}

static psa_status_t call(const psa_msg_t *msg)
{
    psa_msg_t m;
    uint8_t b;

    switch (msg->type) {
    case CONF_BAD_GET_TWO_SIGNALS:
        psa_get(PARTIX_CONF_A_SIGNAL | PARTIX_CONF_B_SIGNAL, &m);
        break;
    case CONF_BAD_GET_NOT_ASSERTED:
        psa_get(PARTIX_CONF_B_SIGNAL, &m);
        break;
    case CONF_BAD_GET_IRQLESS_SIGNAL:
        psa_get(PSA_DOORBELL, &m);
        break;
    case CONF_BAD_REPLY_HANDLE:
        psa_reply((psa_handle_t)0x7531, PSA_SUCCESS);
        break;
    case CONF_BAD_READ_HANDLE:
        psa_read((psa_handle_t)0x7531, 0, &b, 1);
        break;
    case CONF_BAD_READ_INDEX:
        psa_read(msg->handle, 4, &b, 1);
        break;
    case CONF_BAD_SKIP_HANDLE:
        psa_skip((psa_handle_t)0x7531, 0, 1);
        break;
    case CONF_BAD_WRITE_INDEX:
        psa_write(msg->handle, 4, &b, 1);
        break;
    case CONF_BAD_CONNECT_STATUS:
    case CONF_BAD_READ_CONNECT:
        next_connect = msg->type;
        return PSA_SUCCESS;
    case CONF_BAD_SET_RHANDLE:
        psa_set_rhandle(msg->handle, &next_connect);
        break;
    case CONF_READ_SKIP:
        return read_skip(msg);
    case CONF_WRITE_TWICE:
        psa_write(msg->handle, 0, "abc", 3);
        psa_write(msg->handle, 0, "def", 3);
        return PSA_SUCCESS;
    case CONF_HOLD:
        return hold(msg);
    default:
        return PSA_ERROR_NOT_SUPPORTED;
    }
    return PSA_ERROR_GENERIC_ERROR; /* not reached: each error above panics */
}

static psa_status_t connect(const psa_msg_t *msg)
{
    uint8_t b;
    int what = next_connect;

    next_connect = 0;
    if (what == CONF_BAD_CONNECT_STATUS)
        return PSA_ERROR_INVALID_ARGUMENT; /* psa_reply() must panic on this */
    if (what == CONF_BAD_READ_CONNECT)
        psa_read(msg->handle, 0, &b, 1);
    return PSA_SUCCESS;
}

/* the manifest's entry point: TF-M's generated header does not declare it */
void partix_test_conf_main(void);
void partix_test_conf_main(void)
{
    const psa_signal_t mine =
        PARTIX_CONF_A_SIGNAL | PARTIX_CONF_B_SIGNAL | PARTIX_CONF_STATELESS_SIGNAL;
    psa_msg_t msg;

    for (;;) {
        psa_signal_t s = psa_wait(mine, PSA_BLOCK);
        psa_signal_t one = s & (~s + 1); /* the lowest: A, then B, then stateless */

        if (psa_get(one, &msg) != PSA_SUCCESS)
            continue;
        switch (msg.type) {
        case PSA_IPC_CONNECT:
            psa_reply(msg.handle, connect(&msg));
            break;
        case PSA_IPC_DISCONNECT:
            psa_reply(msg.handle, PSA_SUCCESS);
            break;
        default:
            psa_reply(msg.handle, call(&msg));
        }
    }
}
