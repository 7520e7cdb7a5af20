/*
 * tfm_echo_api.h - client API of the echo service (SID 0x105).
 */
#ifndef TFM_ECHO_API_H
#define TFM_ECHO_API_H

#include <stddef.h>
#include <stdint.h>

#include "psa/client.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Sends @p data_len bytes (at least 1) to the echo service and receives
 * them back in @p out_data (room for @p out_len bytes; *@p out_size gets the
 * number returned).  Connects and closes around the one call.  Returns the
 * service's status: PSA_ERROR_INVALID_ARGUMENT for empty input,
 * PSA_ERROR_BUFFER_TOO_SMALL if out_len < data_len, or the connection's
 * error (PSA_ERROR_CONNECTION_REFUSED without an SPM).
 */
psa_status_t tfm_echo_service(const uint8_t *data, size_t data_len, uint8_t *out_data,
                              size_t out_len, size_t *out_size);

#ifdef __cplusplus
}
#endif

#endif /* TFM_ECHO_API_H */
