/*
 * platform_sp.c - the Platform service (TF-M's TFM_SP_PLATFORM): NV counter
 * read and increment, system reset and ioctl, with TF-M's call types,
 * vectors, counter rules and errors.  Facts taken from TF-M's
 * secure_fw/partitions/platform/platform_sp.c and the template NV counter
 * platform code; where partix differs, a comment says so.
 */
#include <stdbool.h>

#include "partix/storage.h"
#include "platform_sp.h"
#include "psa/service.h"
#include "psa_manifest/pid.h"
#include "psa_manifest/tfm_platform.h"
#include "tfm_hal_platform.h"
#include "tfm_sp_log.h"

/* An enum tfm_nv_counter_t on the wire, as TF-M sends it. */
#define NV_COUNTER_ID_SIZE sizeof(uint32_t)

/* Vectors in use: those up to the last non-empty one (TF-M's count). */
static size_t used(const size_t *sizes)
{
    size_t n = PSA_MAX_IOVEC;

    while (n > 0 && sizes[n - 1] == 0)
        n--;
    return n;
}

/* May @p client_id use counter @p id (TF-M's permission check)? */
static bool allowed(int32_t client_id, uint32_t id)
{
    if (id >= PLAT_NV_COUNTER_NS_0 && id < PLAT_NV_COUNTER_NS_0 + PLATFORM_NS_NV_COUNTERS)
        return client_id < 0;
#ifdef TFM_SP_PS
    if (id <= PLAT_NV_COUNTER_PS_2)
        return client_id == TFM_SP_PS;
#endif
    return false;
}

/* The counter in_vec[0] names: a non-secure caller's index 0..2 of the NS
 * counters (INVALID_PARAM past them), a secure caller's counter id. */
static enum tfm_platform_err_t counter_of(const psa_msg_t *msg, enum tfm_nv_counter_t *id)
{
    uint32_t raw;

    if (psa_read(msg->handle, 0, &raw, sizeof(raw)) != sizeof(raw))
        return TFM_PLATFORM_ERR_SYSTEM_ERROR;
    if (msg->client_id < 0) {
        if (raw >= PLATFORM_NS_NV_COUNTERS)
            return TFM_PLATFORM_ERR_INVALID_PARAM;
        raw += PLAT_NV_COUNTER_NS_0;
    }
    if (!allowed(msg->client_id, raw))
        return TFM_PLATFORM_ERR_SYSTEM_ERROR;
    *id = (enum tfm_nv_counter_t)raw;
    return TFM_PLATFORM_ERR_SUCCESS;
}

static psa_status_t nv_read_req(const psa_msg_t *msg)
{
    enum tfm_nv_counter_t id;
    enum tfm_platform_err_t err;
    uint32_t value;

    /* TF-M refuses an output larger than a counter here, and a smaller one
     * where the platform reads the counter: SYSTEM_ERROR either way */
    if (used(msg->in_size) != 1 || used(msg->out_size) != 1 ||
        msg->in_size[0] != NV_COUNTER_ID_SIZE || msg->out_size[0] != NV_COUNTER_SIZE)
        return TFM_PLATFORM_ERR_SYSTEM_ERROR;
    err = counter_of(msg, &id);
    if (err == TFM_PLATFORM_ERR_SUCCESS)
        err = nv_counter_read(msg->client_id, id, &value);
    if (err == TFM_PLATFORM_ERR_SUCCESS)
        psa_write(msg->handle, 0, &value, sizeof(value));
    return err;
}

static psa_status_t nv_increment_req(const psa_msg_t *msg)
{
    enum tfm_nv_counter_t id;
    enum tfm_platform_err_t err;

    if (used(msg->in_size) != 1 || used(msg->out_size) != 0 ||
        msg->in_size[0] != NV_COUNTER_ID_SIZE)
        return TFM_PLATFORM_ERR_SYSTEM_ERROR;
    err = counter_of(msg, &id);
    if (err == TFM_PLATFORM_ERR_SUCCESS)
        err = nv_counter_increment(msg->client_id, id);
    return err;
}

/* Never returns: psa-spm logs who asked, and answers this call once the
 * partitions, this one included, have started again. */
static psa_status_t system_reset_req(const psa_msg_t *msg)
{
    (void)msg;
    tfm_hal_system_reset(TFM_PLAT_SWSYN_DEFAULT);
}

/* The host platform has no ioctls: TF-M's checks of the vectors, then
 * NOT_SUPPORTED, what TF-M's platform HAL answers an unknown request.
 * (TF-M then copies its zeroed output buffer to out_vec[0]; partix
 * writes nothing.) */
static psa_status_t ioctl_req(const psa_msg_t *msg)
{
    tfm_platform_ioctl_req_t request;
    size_t n_in = used(msg->in_size), n_out = used(msg->out_size);

    if (n_in < 1 || n_in > 2 || n_out > 1 ||
        psa_read(msg->handle, 0, &request, sizeof(request)) != sizeof(request))
        return PSA_ERROR_PROGRAMMER_ERROR;
    if (n_in > 1 && msg->in_size[1] > PLATFORM_SERVICE_INPUT_BUFFER_SIZE)
        return PSA_ERROR_BUFFER_TOO_SMALL;
    if (n_out > 0 && msg->out_size[0] > PLATFORM_SERVICE_OUTPUT_BUFFER_SIZE)
        return PSA_ERROR_PROGRAMMER_ERROR;
    LOG_DBGFMT("ioctl %d: not supported\n", (int)request);
    return TFM_PLATFORM_ERR_NOT_SUPPORTED;
}

/* the manifest's entry_init: TF-M's generated header does not declare it */
psa_status_t platform_sp_init(void);
psa_status_t platform_sp_init(void)
{
    int dir = partix_storage_dir();

    if (dir < 0) {
        LOG_ERRFMT("no storage directory for the NV counters: cannot serve\n");
        return PSA_ERROR_HARDWARE_FAILURE; /* TF-M's answer when its counters fail to start */
    }
    nv_counters_init(dir);
    return PSA_SUCCESS;
}

psa_status_t tfm_platform_service_sfn(const psa_msg_t *msg)
{
    switch (msg->type) {
    case TFM_PLATFORM_API_ID_NV_READ:
        return nv_read_req(msg);
    case TFM_PLATFORM_API_ID_NV_INCREMENT:
        return nv_increment_req(msg);
    case TFM_PLATFORM_API_ID_SYSTEM_RESET:
        return system_reset_req(msg);
    case TFM_PLATFORM_API_ID_IOCTL:
        return ioctl_req(msg);
    default:
        return PSA_ERROR_NOT_SUPPORTED;
    }
}
