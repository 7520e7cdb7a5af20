/*
 * my_custom_service.c - the custom example service of the pico2w guide
 * (section 4), corrected: the operation is the psa_call type (msg.type),
 * not rhandle; every size is checked before reading.
 *
 *   FOO (type 1): reverses in_vec[0] (at most 128 bytes) into out_vec[0].
 *   BAR (type 2): in_vec[0] holds an int32_t, out_vec[0] gets twice it.
 */
#include <stdint.h>
#include <string.h>

#include "psa/service.h"
#include "psa_manifest/tfm_my_custom_service.h"
#include "tfm_my_custom_service_api.h"
#include "tfm_sp_log.h"

static uint8_t internal_buffer[MY_SERVICE_FOO_MAX];
static char shown[MY_SERVICE_FOO_MAX + 1]; /* the input as a string, for the log */

static psa_status_t foo_req(const psa_msg_t *msg)
{
    size_t n = msg->in_size[0], i;

    if (n > sizeof(internal_buffer)) {
        LOG_ERRFMT("[MyCustomService FOO] Input data too large: %u\r\n", (unsigned)n);
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    if (msg->out_size[0] < n)
        return PSA_ERROR_BUFFER_TOO_SMALL;
    if (psa_read(msg->handle, 0, internal_buffer, n) != n)
        return PSA_ERROR_COMMUNICATION_FAILURE;
    /* TF-M's partition log prints neither %zu nor %.*s: a terminated copy */
    memcpy(shown, internal_buffer, n);
    shown[n] = '\0';
    LOG_INFFMT("[MyCustomService FOO] Received %u bytes: %s\r\n", (unsigned)n, shown);
    for (i = 0; i < n / 2; i++) {
        uint8_t t = internal_buffer[i];

        internal_buffer[i] = internal_buffer[n - 1 - i];
        internal_buffer[n - 1 - i] = t;
    }
    psa_write(msg->handle, 0, internal_buffer, n);
    return PSA_SUCCESS;
}

static psa_status_t bar_req(const psa_msg_t *msg)
{
    int32_t param, result;
    int64_t twice;

    if (msg->in_size[0] != sizeof(param))
        return PSA_ERROR_INVALID_ARGUMENT;
    if (msg->out_size[0] < sizeof(result))
        return PSA_ERROR_BUFFER_TOO_SMALL;
    psa_read(msg->handle, 0, &param, sizeof(param));
    twice = 2 * (int64_t)param;
    if (twice > INT32_MAX || twice < INT32_MIN)
        return PSA_ERROR_INVALID_ARGUMENT;
    result = (int32_t)twice;
    LOG_INFFMT("[MyCustomService BAR] Received parameter: %d\r\n", (int)param);
    psa_write(msg->handle, 0, &result, sizeof(result));
    return PSA_SUCCESS;
}

/* the manifest's entry point: TF-M's generated header does not declare it */
void tfm_my_custom_service_main(void);
void tfm_my_custom_service_main(void)
{
    psa_msg_t msg;

    memset(internal_buffer, 0, sizeof(internal_buffer));
    LOG_INFFMT("[MyCustomService] Started and initialized.\r\n");
    for (;;) {
        (void)psa_wait(TFM_MY_CUSTOM_SERVICE_SIGNAL, PSA_BLOCK);
        if (psa_get(TFM_MY_CUSTOM_SERVICE_SIGNAL, &msg) != PSA_SUCCESS)
            continue;
        switch (msg.type) {
        case PSA_IPC_CONNECT:
        case PSA_IPC_DISCONNECT:
            psa_reply(msg.handle, PSA_SUCCESS);
            break;
        case MY_SERVICE_IPC_OPERATION_FOO:
            psa_reply(msg.handle, foo_req(&msg));
            break;
        case MY_SERVICE_IPC_OPERATION_BAR:
            psa_reply(msg.handle, bar_req(&msg));
            break;
        default:
            LOG_ERRFMT("[MyCustomService] Unknown operation type: %d\r\n", (int)msg.type);
            psa_reply(msg.handle, PSA_ERROR_NOT_SUPPORTED);
            break;
        }
    }
}
