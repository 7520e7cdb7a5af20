/*
 * g2.c - G2 on E': y^2 = x^3 + 4(u + 1) over Fp2, its ZCash compressed
 * form, and the endomorphism psi.
 */
#include "ec.h"

#include <string.h>

#include <mbedtls/platform_util.h>

/* 3 b' = 12 (u + 1) */
static void ec_mul_b3(fp2 *r, const fp2 *a)
{
    fp2 t;
    fp2_mul_xi(&t, a);
    fp2_dbl(&t, &t);   /* 2 xi a */
    fp2_dbl(&t, &t);   /* 4 xi a */
    fp2_dbl(r, &t);    /* 8 xi a */
    fp2_add(r, r, &t); /* 12 xi a */
}

#define EC g2
#define FE fp2
#define EC_(name) g2_##name
#define FE_(name) fp2_##name
#include "ec_impl.h"

/* The generator of the ZCash/IETF specifications, affine, Montgomery form:
 * x = 0x024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8
 *   + 0x13e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e u
 * y = 0x0ce5d527727d6e118cc9cdc6da2e351aadfd9baa8cbdd3a76d429a695160d12c923ac9cc3baca289e193548608b82801
 *   + 0x0606c4a02ea734cc32acd2b02bc28b99cb3e287e85a763af267492ab572e99ab3f370d275cec1da1aaa9075ff05f79be u */
static const fp2 G2_X = {{{0xf5f28fa202940a10ULL, 0xb3f5fb2687b4961aULL, 0xa1a893b53e2ae580ULL,
                           0x9894999d1a3caee9ULL, 0x6f67b7631863366bULL, 0x058191924350bcd7ULL}},
                         {{0xa5a9c0759e23f606ULL, 0xaaa0c59dbccd60c3ULL, 0x3bb17e18e2867806ULL,
                           0x1b1ab6cc8541b367ULL, 0xc2b6ed0ef2158547ULL, 0x11922a097360edf3ULL}}};
static const fp2 G2_Y = {{{0x4c730af860494c4aULL, 0x597cfa1f5e369c5aULL, 0xe7e6856caa0a635aULL,
                           0xbbefb5e96e0d495fULL, 0x07d3a975f0ef25a2ULL, 0x0083fd8e7e80dae5ULL}},
                         {{0xadc0fc92df64b05dULL, 0x18aa270a2b1461dcULL, 0x86adac6a3be4eba0ULL,
                           0x79495c4ec93da33aULL, 0xe7175850a43ccaedULL, 0x0b2bc2a163de1bf2ULL}}};

/* psi's constants 1/xi^((p-1)/3) and 1/xi^((p-1)/2), Montgomery form */
static const fp2 PSI_CX = {{{0, 0, 0, 0, 0, 0}},
                           {{0x890dc9e4867545c3ULL, 0x2af322533285a5d5ULL, 0x50880866309b7e2cULL,
                             0xa20d1b8c7e881024ULL, 0x14e4f04fe2db9068ULL, 0x14e56d3f1564853aULL}}};
static const fp2 PSI_CY = {{{0x3e2f585da55c9ad1ULL, 0x4294213d86c18183ULL, 0x382844c88b623732ULL,
                             0x92ad2afd19103e18ULL, 0x1d794e4fac7cf0b9ULL, 0x0bd592fc7d825ec8ULL}},
                           {{0x7bcfa7a25aa30fdaULL, 0xdc17dec12a927e7cULL, 0x2f088dd86b4ebef1ULL,
                             0xd1ca2087da74d4a7ULL, 0x2da2596696cebc1dULL, 0x0e2b7eedbbfd87d2ULL}}};

void g2_generator(g2 *r)
{
    g2_from_affine(r, &G2_X, &G2_Y);
}

void g2_psi(g2 *r, const g2 *a)
{
    fp2_conj(&r->x, &a->x);
    fp2_mul(&r->x, &r->x, &PSI_CX);
    fp2_conj(&r->y, &a->y);
    fp2_mul(&r->y, &r->y, &PSI_CY);
    fp2_conj(&r->z, &a->z);
}

int g2_in_subgroup(const g2 *a)
{
    g2 s, t;
    uint64_t x = BLS_X_ABS;
    g2_psi(&s, a);
    g2_mul_vartime(&t, a, &x, 1);
    g2_neg(&t, &t);
    return g2_is_on_curve(a) & g2_eq(&s, &t);
}

void g2_compress(uint8_t out[G2_COMPRESSED], const g2 *a)
{
    fp2 x, y;
    if (g2_to_affine(&x, &y, a) < 0) {
        memset(out, 0, G2_COMPRESSED);
        out[0] = 0xc0;
        return;
    }
    fp_to_bytes(out, &x.c1);
    fp_to_bytes(out + FP_BYTES, &x.c0);
    out[0] |= 0x80 | (uint8_t)(fp2_lexically_largest(&y) << 5);
}

int g2_decompress(g2 *r, const uint8_t in[G2_COMPRESSED], int check_subgroup)
{
    uint8_t b[G2_COMPRESSED];
    int sort, f = ec_encoding_flags(b, in, sizeof b, &sort);
    fp2 x, y, t;

    if (f < 0)
        return f;
    if (f == 1) {
        g2_identity(r);
        return 0;
    }
    if (fp_from_bytes(&x.c1, b) < 0 || fp_from_bytes(&x.c0, b + FP_BYTES) < 0)
        return EC_ERR_RANGE;
    fp2_sqr(&t, &x);
    fp2_mul(&t, &t, &x);
    fp_set_u64(&y.c0, 4);
    fp_set_u64(&y.c1, 4);
    fp2_add(&t, &t, &y);
    if (!fp2_sqrt(&y, &t))
        return EC_ERR_CURVE;
    if (fp2_lexically_largest(&y) != sort)
        fp2_neg(&y, &y);
    g2_from_affine(r, &x, &y);
    if (check_subgroup && !g2_in_subgroup(r))
        return EC_ERR_SUBGROUP;
    return 0;
}
