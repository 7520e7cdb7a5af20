/*
 * expand_xmd.h - RFC 9380 section 5.3.1 expand_message_xmd with SHA-256:
 * the step of hash_to_field that turns a message and a domain separation
 * tag into uniform bytes.
 */
#ifndef PARTIX_BLS_EXPAND_XMD_H
#define PARTIX_BLS_EXPAND_XMD_H

#include <stddef.h>
#include <stdint.h>

/* The longest output: ell = ceil(len / 32) may not exceed 255. */
#define BLS_XMD_MAX_OUT (255 * 32)

/* The longest DST used as is; a longer one is first hashed (RFC 9380
 * section 5.3.3) to SHA-256("H2C-OVERSIZE-DST-" || DST). */
#define BLS_XMD_MAX_DST 255

/* Writes expand_message_xmd(msg, DST, out_len) with SHA-256 to @p out.
 * @p msg may be NULL if @p msg_len is 0; @p out must not overlap @p msg or
 * @p dst.  A DST longer than BLS_XMD_MAX_DST bytes is hashed first as RFC
 * 9380 section 5.3.3 prescribes.  Returns 0, or -1 if @p out_len is 0 or
 * above BLS_XMD_MAX_OUT, @p dst_len is 0 (section 3.1: tags MUST have
 * nonzero length), a pointer is NULL where its length is not 0 (@p out is
 * then untouched), or SHA-256 fails.  Its control flow and memory accesses
 * depend on the lengths only, not on the bytes. */
int bls_expand_message_xmd(uint8_t *out, size_t out_len, const uint8_t *msg, size_t msg_len,
                           const uint8_t *dst, size_t dst_len);

#endif
