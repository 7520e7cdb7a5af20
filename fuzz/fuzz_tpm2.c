/*
 * fuzz_tpm2.c - the HRoT partition's readers of what the device sends
 * (src/partitions/hrot/tpm2_codec.c) and of its own key table
 * (hrot_caps.c): any bytes are refused or read within bounds.  The first
 * input byte picks the command whose response the rest stands for; a
 * response that frames well is then read by that command's parameter
 * reader, as the driver does.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "hrot_caps.h"
#include "tpm2_codec.h"

/* the runtime's log, which hrot_caps.c calls on a damaged table */
int partix_log_at(const char *file, int line, int level, const char *fmt, ...);
int partix_log_at(const char *file, int line, int level, const char *fmt, ...)
{
    (void)file;
    (void)line;
    (void)level;
    (void)fmt;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct {
        unsigned sessions, handles;
    } shape[] = {{0, 0}, {1, 1}, {1, 0}, {1, 1}, {1, 0}, {1, 0}, {2, 0}, {0, 0}, {0, 0}};
    struct tpm2_slice params, a, b;
    struct tpm2_public pub;
    uint32_t rc, handles[2];
    uint8_t rs[64];
    unsigned which;

    if (size < 1)
        return 0;
    which = data[0] % (sizeof(shape) / sizeof(shape[0]));
    data++;
    size--;
    if (which == 7) { /* a TPM2B_PUBLIC on its own, as a stored blob */
        a.p = data;
        a.len = size;
        if (tpm2_parse_public(a, &pub) == 0 && pub.type == TPM2_ALG_ECC &&
            (pub.x.len > 32 || pub.y.len > 32))
            __builtin_trap();
        return 0;
    }
    if (which == 8) { /* the key table file */
        uint8_t out[64];

        if (hrot_caps_decode(data, size) == 0)
            (void)hrot_caps_encode(out, sizeof(out));
        return 0;
    }
    if (tpm2_rsp_frame(data, size, shape[which].sessions, shape[which].handles, &rc, handles,
                       &params) < 0 ||
        rc != 0)
        return 0;
    if (params.len > size ||
        (params.len > 0 && (params.p < data || params.p + params.len > data + size)))
        __builtin_trap(); /* the parameters lie inside the response */
    switch (which) {
    case 0:
        (void)tpm2_parse_random(params, 64, &a);
        break;
    case 1:
        if (tpm2_parse_create_primary(params, &a) == 0)
            (void)tpm2_parse_public(a, &pub);
        break;
    case 2:
        if (tpm2_parse_create(params, &a, &b) == 0)
            (void)tpm2_parse_public(b, &pub);
        break;
    case 3:
        (void)tpm2_parse_load(params);
        break;
    case 4:
        (void)tpm2_parse_sign(params, rs);
        break;
    case 5:
        (void)tpm2_parse_decrypt(params, &a);
        break;
    default:
        (void)tpm2_parse_certify(params, &a, rs);
        break;
    }
    return 0;
}
