/*
 * otp.c - tfm_plat_otp.h in a partition: reads from the read-only copy of
 * the OTP that psa-spm maps at the platform's "otp" region when the
 * manifest names it (mmio.c finds it).  Without that grant there is no
 * OTP in this process, and every element is unsupported, as on a platform
 * that lacks it.  The boot record psa-spm writes after the OTP image is
 * read here too (partix/boot_record.h).
 */
#include <string.h>

#include "otp_layout.h"
#include "partix/boot_record.h"
#include "runtime.h"
#include "tfm_plat_otp.h"

const struct partix_otp *rt_otp;
size_t rt_otp_size;

/* Where element @p id lives in @p o and how long it is; NULL if not held. */
static const void *element(const struct partix_otp *o, enum tfm_otp_element_id_t id, size_t *len)
{
    switch (id) {
#define AT(field)                                                                                  \
    *len = sizeof(o->field);                                                                       \
    return &o->field
    case PLAT_OTP_ID_HUK:
        AT(huk);
    case PLAT_OTP_ID_IAK:
        AT(iak);
    case PLAT_OTP_ID_IAK_LEN:
        AT(iak_len);
    case PLAT_OTP_ID_IAK_TYPE:
        AT(iak_type);
    case PLAT_OTP_ID_IAK_ID:
        AT(iak_id);
    case PLAT_OTP_ID_BOOT_SEED:
        AT(boot_seed);
    case PLAT_OTP_ID_LCS:
        AT(lcs);
    case PLAT_OTP_ID_IMPLEMENTATION_ID:
        AT(implementation_id);
    case PLAT_OTP_ID_CERT_REF:
        AT(cert_ref);
    case PLAT_OTP_ID_VERIFICATION_SERVICE_URL:
        AT(verification_service_url);
    case PLAT_OTP_ID_PROFILE_DEFINITION:
        AT(profile_definition);
#undef AT
    default:
        return NULL;
    }
}

enum tfm_plat_err_t tfm_plat_otp_init(void)
{
    return TFM_PLAT_ERR_SUCCESS;
}

enum tfm_plat_err_t tfm_plat_otp_read(enum tfm_otp_element_id_t id, size_t out_len, uint8_t *out)
{
    const void *at;
    size_t len;

    if (rt_otp == NULL || (at = element(rt_otp, id, &len)) == NULL)
        return TFM_PLAT_ERR_UNSUPPORTED;
    if (out == NULL && out_len != 0)
        return TFM_PLAT_ERR_INVALID_INPUT;
    if (out_len != 0)
        memcpy(out, at, out_len < len ? out_len : len);
    return TFM_PLAT_ERR_SUCCESS;
}

enum tfm_plat_err_t tfm_plat_otp_write(enum tfm_otp_element_id_t id, size_t in_len,
                                       const uint8_t *in)
{
    (void)id;
    (void)in_len;
    (void)in;
    return TFM_PLAT_ERR_UNSUPPORTED;
}

enum tfm_plat_err_t tfm_plat_otp_get_size(enum tfm_otp_element_id_t id, size_t *size)
{
    size_t len;

    if (size == NULL)
        return TFM_PLAT_ERR_INVALID_INPUT;
    if (rt_otp == NULL || element(rt_otp, id, &len) == NULL)
        return TFM_PLAT_ERR_UNSUPPORTED;
    *size = len;
    return TFM_PLAT_ERR_SUCCESS;
}

const uint8_t *partix_boot_record(size_t *len, uint32_t *count)
{
    const uint8_t *at;
    struct partix_boot_record h;

    *len = 0;
    *count = 0;
    if (rt_otp == NULL || rt_otp_size < PARTIX_BOOT_RECORD_OFFSET + sizeof(h))
        return NULL;
    at = (const uint8_t *)rt_otp + PARTIX_BOOT_RECORD_OFFSET;
    memcpy(&h, at, sizeof(h));
    if (memcmp(h.magic, PARTIX_BOOT_RECORD_MAGIC, sizeof(h.magic)) != 0 ||
        h.len > rt_otp_size - PARTIX_BOOT_RECORD_OFFSET - sizeof(h))
        return NULL;
    *len = h.len;
    *count = h.count;
    return at + sizeof(h);
}
