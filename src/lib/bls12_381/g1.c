/*
 * g1.c - G1 on E: y^2 = x^3 + 4 over Fp, and its ZCash compressed form.
 */
#include "ec.h"

#include <string.h>

#include <mbedtls/platform_util.h>

const uint64_t BLS_R[4] = {0xffffffff00000001ULL, 0x53bda402fffe5bfeULL, 0x3339d80809a1d805ULL,
                           0x73eda753299d7d48ULL};

/* 3 b = 12 */
static void ec_mul_b3(fp *r, const fp *a)
{
    fp t;
    fp_dbl(&t, a);     /* 2a */
    fp_dbl(&t, &t);    /* 4a */
    fp_add(r, &t, &t); /* 8a */
    fp_add(r, r, &t);  /* 12a */
}

#define EC g1
#define FE fp
#define EC_(name) g1_##name
#define FE_(name) fp_##name
#include "ec_impl.h"

/* The generator of the ZCash/IETF specifications, affine, Montgomery form:
 * x = 0x17f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb
 * y = 0x08b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1 */
static const fp G1_X = {{0x5cb38790fd530c16ULL, 0x7817fc679976fff5ULL, 0x154f95c7143ba1c1ULL,
                         0xf0ae6acdf3d0e747ULL, 0xedce6ecc21dbf440ULL, 0x120177419e0bfb75ULL}};
static const fp G1_Y = {{0xbaac93d50ce72271ULL, 0x8c22631a7918fd8eULL, 0xdd595f13570725ceULL,
                         0x51ac582950405194ULL, 0x0e1c8c3fad0059c0ULL, 0x0bbc3efc5008a26aULL}};

/* beta = 0x5f19672fdf76ce51ba69c6076a0f77eaddb3a93be6f89688de17d813620a00022e01fffffffefffe,
 * a cube root of unity in Fp, Montgomery form: the one for which
 * sigma(P) = -x^2 P on G1 (the other one gives x^2 - 1). */
static const fp BETA = {{0x30f1361b798a64e8ULL, 0xf3b8ddab7ece5a2aULL, 0x16a8ca3ac61577f7ULL,
                         0xc26a2ff874fd029bULL, 0x3636b76660701c6eULL, 0x051ba4ab241b6160ULL}};

int g1_in_subgroup(const g1 *a)
{
    g1 s, t;
    uint64_t x = BLS_X_ABS;
    s = *a;
    fp_mul(&s.x, &s.x, &BETA);
    g1_mul_vartime(&t, a, &x, 1);
    g1_mul_vartime(&t, &t, &x, 1);
    g1_neg(&t, &t);
    return g1_is_on_curve(a) & g1_eq(&s, &t);
}

void g1_generator(g1 *r)
{
    g1_from_affine(r, &G1_X, &G1_Y);
}

void g1_compress(uint8_t out[G1_COMPRESSED], const g1 *a)
{
    fp x, y;
    if (g1_to_affine(&x, &y, a) < 0) {
        memset(out, 0, G1_COMPRESSED);
        out[0] = 0xc0;
        return;
    }
    fp_to_bytes(out, &x);
    out[0] |= 0x80 | (uint8_t)(fp_lexically_largest(&y) << 5);
}

int g1_decompress(g1 *r, const uint8_t in[G1_COMPRESSED], int check_subgroup)
{
    uint8_t b[G1_COMPRESSED];
    int sort, f = ec_encoding_flags(b, in, sizeof b, &sort);
    fp x, y, t;

    if (f < 0)
        return f;
    if (f == 1) {
        g1_identity(r);
        return 0;
    }
    if (fp_from_bytes(&x, b) < 0)
        return EC_ERR_RANGE;
    fp_sqr(&t, &x);
    fp_mul(&t, &t, &x);
    fp_set_u64(&y, 4);
    fp_add(&t, &t, &y);
    if (!fp_sqrt(&y, &t))
        return EC_ERR_CURVE;
    if (fp_lexically_largest(&y) != sort)
        fp_neg(&y, &y);
    g1_from_affine(r, &x, &y);
    if (check_subgroup && !g1_in_subgroup(r))
        return EC_ERR_SUBGROUP;
    return 0;
}
