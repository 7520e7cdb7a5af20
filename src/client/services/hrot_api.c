/* hrot_api.c - client API of the hardware root of trust (partix/hrot.h):
 * one psa_call each on the stateless handle, vectors as hrot_defs.h lists
 * them; the client only marshals. */
#include <string.h>

#include "hrot_defs.h"
#include "psa/client.h"
#include "psa_manifest/sid.h"

#define HROT_HANDLE PARTIX_HROT_HANDLE

psa_status_t hrot_init(void)
{
    return psa_call(HROT_HANDLE, HROT_INIT, NULL, 0, NULL, 0);
}

psa_status_t hrot_trng_get_random_bytes(size_t num_bytes_requested, uint8_t *buffer,
                                        size_t buffer_size, size_t *bytes_written)
{
    size_t done = 0;
    psa_status_t st = PSA_SUCCESS;

    if (bytes_written == NULL || (buffer == NULL && num_bytes_requested > 0))
        return PSA_ERROR_INVALID_ARGUMENT;
    *bytes_written = 0;
    if (num_bytes_requested > buffer_size)
        return PSA_ERROR_BUFFER_TOO_SMALL;
    while (done < num_bytes_requested && st == PSA_SUCCESS) {
        size_t left = num_bytes_requested - done;
        uint32_t n = (uint32_t)(left > HROT_MAX_RANDOM_CALL ? HROT_MAX_RANDOM_CALL : left);
        psa_invec in[] = {{&n, sizeof(n)}};
        psa_outvec out[] = {{buffer + done, n}};

        st = psa_call(HROT_HANDLE, HROT_TRNG_METHOD_GET_RANDOM_BYTES, in, 1, out, 1);
        if (st == PSA_SUCCESS && out[0].len != n)
            st = PSA_ERROR_COMMUNICATION_FAILURE;
        if (st == PSA_SUCCESS)
            done += n;
    }
    *bytes_written = done;
    return st;
}

/* A call whose reply is a capability. */
static psa_status_t cap_call(int32_t type, const psa_invec *in, size_t n_in, hrot_cap_t *cap,
                             uint32_t *serial)
{
    struct hrot_wire_cap w;
    psa_outvec out[] = {{&w, sizeof(w)}};
    psa_status_t st;

    if (cap == NULL)
        return PSA_ERROR_INVALID_ARGUMENT;
    st = psa_call(HROT_HANDLE, type, in, n_in, out, 1);
    if (st == PSA_SUCCESS && out[0].len != sizeof(w))
        st = PSA_ERROR_COMMUNICATION_FAILURE;
    if (st == PSA_SUCCESS) {
        memcpy(cap->token, w.token, sizeof(cap->token));
        if (serial != NULL)
            *serial = w.serial;
    }
    return st;
}

psa_status_t hrot_generate_key(uint32_t type, hrot_cap_t *cap)
{
    psa_invec in[] = {{&type, sizeof(type)}};

    return cap_call(HROT_GENERATE_KEY, in, 1, cap, NULL);
}

/* A call with the capability and one more input, and one output buffer. */
static psa_status_t buf_call(int32_t type, const hrot_cap_t *cap, const void *arg, size_t arg_len,
                             size_t n_in, void *out_buf, size_t out_size, size_t *out_len)
{
    psa_invec in[] = {{cap, sizeof(*cap)}, {arg, arg_len}};
    psa_outvec out[] = {{out_buf, out_size}};
    psa_status_t st;

    if (cap == NULL || out_len == NULL || (out_buf == NULL && out_size > 0) ||
        (arg == NULL && arg_len > 0))
        return PSA_ERROR_INVALID_ARGUMENT;
    *out_len = 0;
    st = psa_call(HROT_HANDLE, type, in, n_in, out, 1);
    if (st == PSA_SUCCESS)
        *out_len = out[0].len;
    return st;
}

psa_status_t hrot_get_public_key(const hrot_cap_t *cap, uint8_t *out, size_t out_size,
                                 size_t *out_len)
{
    return buf_call(HROT_GET_PUBLIC_KEY, cap, NULL, 0, 1, out, out_size, out_len);
}

psa_status_t hrot_sign_data(const hrot_cap_t *cap, const uint8_t *data, size_t data_len,
                            uint8_t *signature, size_t signature_size, size_t *signature_len)
{
    return buf_call(HROT_SIGN_DATA, cap, data, data_len, 2, signature, signature_size,
                    signature_len);
}

psa_status_t hrot_decrypt_data(const hrot_cap_t *cap, const uint8_t *encrypted,
                               size_t encrypted_len, uint8_t *decrypted, size_t decrypted_size,
                               size_t *decrypted_len)
{
    return buf_call(HROT_DECRYPT_DATA, cap, encrypted, encrypted_len, 2, decrypted, decrypted_size,
                    decrypted_len);
}

psa_status_t hrot_grant(const hrot_cap_t *cap, int32_t grantee, uint32_t rights,
                        hrot_cap_t *granted, uint32_t *serial)
{
    struct hrot_wire_grant g = {grantee, rights};
    psa_invec in[] = {{cap, sizeof(*cap)}, {&g, sizeof(g)}};

    if (cap == NULL)
        return PSA_ERROR_INVALID_ARGUMENT;
    return cap_call(HROT_GRANT, in, 2, granted, serial);
}

psa_status_t hrot_revoke(const hrot_cap_t *cap, uint32_t serial)
{
    psa_invec in[] = {{cap, sizeof(*cap)}, {&serial, sizeof(serial)}};

    if (cap == NULL)
        return PSA_ERROR_INVALID_ARGUMENT;
    return psa_call(HROT_HANDLE, HROT_REVOKE, in, 2, NULL, 0);
}

psa_status_t hrot_attest_key(const hrot_cap_t *cap, const uint8_t *nonce, size_t nonce_len,
                             uint8_t *out, size_t out_size, size_t *out_len)
{
    return buf_call(HROT_ATTEST_KEY, cap, nonce, nonce_len, 2, out, out_size, out_len);
}

psa_status_t hrot_destroy_key(const hrot_cap_t *cap)
{
    psa_invec in[] = {{cap, sizeof(*cap)}};

    if (cap == NULL)
        return PSA_ERROR_INVALID_ARGUMENT;
    return psa_call(HROT_HANDLE, HROT_DESTROY_KEY, in, 1, NULL, 0);
}
