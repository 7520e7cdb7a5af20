/*
 * tfm_my_custom_service_api.h - client API of the custom example service
 * (SID 0x108) from the pico2w secure-partitions guide, section 5.
 *
 * The operation is the psa_call() type, as FF-M intends (the guide's
 * service took it from rhandle, which is wrong).  The SID and version come
 * from the generated psa_manifest/sid.h.
 */
#ifndef TFM_MY_CUSTOM_SERVICE_API_H
#define TFM_MY_CUSTOM_SERVICE_API_H

#include <stddef.h>
#include <stdint.h>

#include "psa/client.h"

#ifdef __cplusplus
extern "C" {
#endif

/** psa_call() type of FOO: reverse up to MY_SERVICE_FOO_MAX bytes. */
#define MY_SERVICE_IPC_OPERATION_FOO (1U)
/** psa_call() type of BAR: twice an int32_t. */
#define MY_SERVICE_IPC_OPERATION_BAR (2U)
/** The most bytes FOO reverses; more is PSA_ERROR_INVALID_ARGUMENT. */
#define MY_SERVICE_FOO_MAX 128

/** Results of the client API (the guide's values). */
typedef enum {
    TFM_MY_CUSTOM_SERVICE_SUCCESS = 0,
    TFM_MY_CUSTOM_SERVICE_ERROR_GENERIC = -201,
    TFM_MY_CUSTOM_SERVICE_ERROR_INVALID_PARAM = -202,
} tfm_my_custom_service_status_t;

/**
 * Sends @p input_size bytes to FOO and receives them reversed in
 * @p output_data, whose size is *@p output_size on entry and the number of
 * bytes written on return.  INVALID_PARAM for NULL pointers or more than
 * MY_SERVICE_FOO_MAX bytes of input, GENERIC for any other failure (no SPM,
 * output too small).
 */
tfm_my_custom_service_status_t tfm_my_custom_service_foo(const uint8_t *input_data,
                                                         size_t input_size, uint8_t *output_data,
                                                         size_t *output_size);

/**
 * Stores 2 * @p param in *@p result.  INVALID_PARAM for a NULL result or a
 * product that does not fit an int32_t, GENERIC for any other failure.
 */
tfm_my_custom_service_status_t tfm_my_custom_service_bar(int32_t param, int32_t *result);

#ifdef __cplusplus
}
#endif

#endif /* TFM_MY_CUSTOM_SERVICE_API_H */
