/*
 * echo_service.c - the echo service of the pico2w secure-partitions guide,
 * corrected: it waits for its signal before psa_get(), uses msg.handle (not
 * msg->handle on a struct), and copies all of in_vec[0] to out_vec[0]
 * through its 256-byte buffer, chunk by chunk, so any size works.
 */
#include <stddef.h>
#include <stdint.h>

#include "psa/service.h"
#include "psa_manifest/tfm_echo_service.h"
#include "tfm_sp_log.h"

#define ECHO_BUFFER_SIZE 256

static psa_status_t echo(const psa_msg_t *msg)
{
    uint8_t buffer[ECHO_BUFFER_SIZE];
    size_t total = 0, n;

    if (msg->in_size[0] == 0) {
        LOG_ERRFMT("[Echo Service] No input data provided.\r\n");
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    if (msg->out_size[0] < msg->in_size[0]) {
        LOG_ERRFMT("[Echo Service] Output buffer of %u bytes for %u bytes of input.\r\n",
                   (unsigned)msg->out_size[0], (unsigned)msg->in_size[0]);
        return PSA_ERROR_BUFFER_TOO_SMALL;
    }
    while ((n = psa_read(msg->handle, 0, buffer, sizeof(buffer))) > 0) {
        psa_write(msg->handle, 0, buffer, n);
        total += n;
    }
    LOG_DBGFMT("[Echo Service] Echoed %u bytes.\r\n", (unsigned)total);
    return PSA_SUCCESS;
}

/* the manifest's entry point: TF-M's generated header does not declare it */
void tfm_echo_service_main(void);
void tfm_echo_service_main(void)
{
    psa_msg_t msg;

    LOG_INFFMT("[Echo Service] Started and waiting for messages...\r\n");
    for (;;) {
        (void)psa_wait(TFM_ECHO_SERVICE_SIGNAL, PSA_BLOCK);
        if (psa_get(TFM_ECHO_SERVICE_SIGNAL, &msg) != PSA_SUCCESS)
            continue;
        switch (msg.type) {
        case PSA_IPC_CONNECT:
            LOG_INFFMT("[Echo Service] Client connected (handle: %d)\r\n", (int)msg.handle);
            psa_reply(msg.handle, PSA_SUCCESS);
            break;
        case PSA_IPC_DISCONNECT:
            LOG_INFFMT("[Echo Service] Client disconnected (handle: %d)\r\n", (int)msg.handle);
            psa_reply(msg.handle, PSA_SUCCESS);
            break;
        case PSA_IPC_CALL:
            psa_reply(msg.handle, echo(&msg));
            break;
        default:
            LOG_ERRFMT("[Echo Service] Unknown message type: %d\r\n", (int)msg.type);
            psa_reply(msg.handle, PSA_ERROR_NOT_SUPPORTED);
            break;
        }
    }
}
