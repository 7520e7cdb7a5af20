/*
 * my_custom_service.c - the custom example service of the pico2w guide
 * (section 4), corrected: the operation is the psa_call type (msg.type),
 * not rhandle.  Its interface is tfm_my_custom_service.idl.yaml: psa-idl
 * generates the dispatch, which checks every size before reading and calls
 * the two handlers below (docs/idl.md).
 *
 *   FOO (type 1): reverses in_vec[0] (at most 128 bytes) into out_vec[0].
 *   BAR (type 2): in_vec[0] holds an int32_t, out_vec[0] gets twice it.
 */
#include <stdint.h>
#include <string.h>

#include "psa/service.h"
#include "psa_manifest/tfm_my_custom_service.h"
#include "tfm_my_custom_service_service.h"
#include "tfm_sp_log.h"

static char shown[MY_SERVICE_FOO_MAX + 1]; /* the input as a string, for the log */

psa_status_t tfm_my_custom_service_foo_handler(const psa_msg_t *msg, const uint8_t *input_data,
                                               size_t input_size, uint8_t *output_data,
                                               size_t output_size, size_t *output_data_length)
{
    size_t i;

    (void)msg;
    if (output_size < input_size)
        return PSA_ERROR_BUFFER_TOO_SMALL;
    /* TF-M's partition log prints neither %zu nor %.*s: a terminated copy */
    memcpy(shown, input_data, input_size);
    shown[input_size] = '\0';
    LOG_INFFMT("[MyCustomService FOO] Received %u bytes: %s\r\n", (unsigned)input_size, shown);
    for (i = 0; i < input_size; i++)
        output_data[i] = input_data[input_size - 1 - i];
    *output_data_length = input_size;
    return PSA_SUCCESS;
}

psa_status_t tfm_my_custom_service_bar_handler(const psa_msg_t *msg, int32_t param, int32_t *result)
{
    int64_t twice = 2 * (int64_t)param;

    (void)msg;
    if (twice > INT32_MAX || twice < INT32_MIN)
        return PSA_ERROR_INVALID_ARGUMENT;
    LOG_INFFMT("[MyCustomService BAR] Received parameter: %d\r\n", (int)param);
    *result = (int32_t)twice;
    return PSA_SUCCESS;
}

/* the manifest's entry point: TF-M's generated header does not declare it */
void tfm_my_custom_service_main(void);
void tfm_my_custom_service_main(void)
{
    psa_msg_t msg;

    LOG_INFFMT("[MyCustomService] Started and initialized.\r\n");
    for (;;) {
        (void)psa_wait(TFM_MY_CUSTOM_SERVICE_SIGNAL, PSA_BLOCK);
        if (psa_get(TFM_MY_CUSTOM_SERVICE_SIGNAL, &msg) != PSA_SUCCESS)
            continue;
        if (msg.type != PSA_IPC_CONNECT && msg.type != PSA_IPC_DISCONNECT &&
            msg.type != MY_SERVICE_IPC_OPERATION_FOO && msg.type != MY_SERVICE_IPC_OPERATION_BAR)
            LOG_ERRFMT("[MyCustomService] Unknown operation type: %d\r\n", (int)msg.type);
        psa_reply(msg.handle, tfm_my_custom_service_dispatch(&msg));
    }
}
