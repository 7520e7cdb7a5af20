/*
 * fuzz_wire.c - libFuzzer target: any datagram through the wire codec
 * (src/common/wire.c).  wire_decode() refuses it or accepts it; one it
 * accepts encodes back (wire_encode, the iovecs flattened as the kernel
 * sends them) to exactly the same bytes, which decode again and encode to
 * the same bytes once more: the codec is a fixed point, so the encoder
 * accepts whatever the decoder does and the decoder reads every byte.
 * Never a crash, an out-of-bounds read or undefined behaviour.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Encodes @p m and flattens the frame into @p out; its length. */
static size_t encode_flat(const struct wire_msg *m, uint8_t *out)
{
    struct wire_frame f;
    size_t n = 0;
    int i;

    if (wire_encode(&f, m) != 0)
        abort(); /* decoded, yet the encoder refuses it */
    for (i = 0; i < f.n_iov; i++) {
        memcpy(out + n, f.iov[i].iov_base, f.iov[i].iov_len);
        n += f.iov[i].iov_len;
    }
    if (n != f.len || n > WIRE_MAX_MSG)
        abort();
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t once[WIRE_MAX_MSG], twice[WIRE_MAX_MSG];
    struct wire_msg a, b;
    uint8_t *copy;
    size_t n, m;

    /* a buffer of the exact size, so that a read past it is caught */
    copy = malloc(size > 0 ? size : 1);
    if (copy == NULL)
        return 0;
    memcpy(copy, data, size);
    if (wire_decode(copy, size, &a) != 0) {
        free(copy);
        return 0;
    }
    (void)wire_type_name(a.type);
    n = encode_flat(&a, once); /* the payload is read from copy here */
    if (n != size || memcmp(once, copy, size) != 0)
        abort();
    free(copy);
    if (wire_decode(once, n, &b) != 0)
        abort();
    m = encode_flat(&b, twice);
    if (m != n || memcmp(once, twice, n) != 0)
        abort();
    return 0;
}
