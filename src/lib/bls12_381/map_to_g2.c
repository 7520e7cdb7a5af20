/*
 * map_to_g2.c - simplified SWU onto E2', the 3-isogeny onto E', and
 * cofactor clearing (RFC 9380 sections 6.6.2, 6.6.3, 8.8.2, appendices
 * E.3 and G.3).  Variable time: public inputs only (hash_to_curve.h).
 */
#include "hash_to_curve.h"

/* RFC 9380 appendix E.3, the 3-isogeny map's constants, Montgomery form. */
static const fp2 ISO_XNUM[4] = {
    /* k_(1,0) = 0x5c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a88b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97d6
     *   + 0x5c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a88b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97d6 I */
    {{{0x47f671c71ce05e62ULL, 0x06dd57071206393eULL, 0x7c80cd2af3fd71a2ULL, 0x048103ea9e6cd062ULL,
       0xc54516acc8d037f6ULL, 0x13808f550920ea41ULL}},
     {{0x47f671c71ce05e62ULL, 0x06dd57071206393eULL, 0x7c80cd2af3fd71a2ULL, 0x048103ea9e6cd062ULL,
       0xc54516acc8d037f6ULL, 0x13808f550920ea41ULL}}},
    /* k_(1,1) = 0
     *   + 0x11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71a I */
    {{{0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL,
       0x0000000000000000ULL, 0x0000000000000000ULL}},
     {{0x5fe55555554c71d0ULL, 0x873fffdd236aaaa3ULL, 0x6a6b4619b26ef918ULL, 0x21c2888408874945ULL,
       0x2836cda7028cabc5ULL, 0x0ac73310a7fd5abdULL}}},
    /* k_(1,2) = 0x11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71e
     *   + 0x8ab05f8bdd54cde190937e76bc3e447cc27c3d6fbd7063fcd104635a790520c0a395554e5c6aaaa9354ffffffffe38d I */
    {{{0x0a0c5555555971c3ULL, 0xdb0c00101f9eaaaeULL, 0xb1fb2f941d797997ULL, 0xd3960742ef416e1cULL,
       0xb70040e2c20556f4ULL, 0x149d7861e581393bULL}},
     {{0xaff2aaaaaaa638e8ULL, 0x439fffee91b55551ULL, 0xb535a30cd9377c8cULL, 0x90e144420443a4a2ULL,
       0x941b66d3814655e2ULL, 0x0563998853fead5eULL}}},
    /* k_(1,3) = 0x171d6541fa38ccfaed6dea691f5fb614cb14b4e7f4e810aa22d6108f142b85757098e38d0f671c7188e2aaaaaaaa5ed1
     *   + 0 I */
    {{{0x40aac71c71c725edULL, 0x190955557a84e38eULL, 0xd817050a8f41abc3ULL, 0xd86485d4c87f6fb1ULL,
       0x696eb479f885d059ULL, 0x198e1a74328002d2ULL}},
     {{0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL,
       0x0000000000000000ULL, 0x0000000000000000ULL}}},
};
static const fp2 ISO_XDEN[2] = {
    /* k_(2,0) = 0
     *   + 0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaa63 I */
    {{{0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL,
       0x0000000000000000ULL, 0x0000000000000000ULL}},
     {{0x1f3affffff13ab97ULL, 0xf25bfc611da3ff3eULL, 0xca3757cb3819b208ULL, 0x3e6427366f8cec18ULL,
       0x03977bc86095b089ULL, 0x04f69db13f39a952ULL}}},
    /* k_(2,1) = 0xc
     *   + 0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaa9f I */
    {{{0x447600000027552eULL, 0xdcb8009a43480020ULL, 0x6f7ee9ce4a6e8b59ULL, 0xb10330b7c0a95bc6ULL,
       0x6140b1fcfb1e54b7ULL, 0x0381be097f0bb4e1ULL}},
     {{0x7588ffffffd8557dULL, 0x41f3ff646e0bffdfULL, 0xf7b1e8d2ac426acaULL, 0xb3741acd32dbb6f8ULL,
       0xe9daf5b9482d581fULL, 0x167f53e0ba7431b8ULL}}},
};
static const fp2 ISO_YNUM[4] = {
    /* k_(3,0) = 0x1530477c7ab4113b59a4c18b076d11930f7da5d4a07f649bf54439d87d27e500fc8c25ebf8c92f6812cfc71c71c6d706
     *   + 0x1530477c7ab4113b59a4c18b076d11930f7da5d4a07f649bf54439d87d27e500fc8c25ebf8c92f6812cfc71c71c6d706 I */
    {{{0x96d8f684bdfc77beULL, 0xb530e4f43b66d0e2ULL, 0x184a88ff379652fdULL, 0x57cb23ecfae804e1ULL,
       0x0fd2e39eada3eba9ULL, 0x08c8055e31c5d5c3ULL}},
     {{0x96d8f684bdfc77beULL, 0xb530e4f43b66d0e2ULL, 0x184a88ff379652fdULL, 0x57cb23ecfae804e1ULL,
       0x0fd2e39eada3eba9ULL, 0x08c8055e31c5d5c3ULL}}},
    /* k_(3,1) = 0
     *   + 0x5c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a88b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97be I */
    {{{0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL,
       0x0000000000000000ULL, 0x0000000000000000ULL}},
     {{0xbf0a71c71c91b406ULL, 0x4d6d55d28b7638fdULL, 0x9d82f98e5f205aeeULL, 0xa27aa27b1d1a18d5ULL,
       0x02c3b2b2d2938e86ULL, 0x0c7d13420b09807fULL}}},
    /* k_(3,2) = 0x11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71c
     *   + 0x8ab05f8bdd54cde190937e76bc3e447cc27c3d6fbd7063fcd104635a790520c0a395554e5c6aaaa9354ffffffffe38f I */
    {{{0xd7f9555555531c74ULL, 0x21cffff748daaaa8ULL, 0x5a9ad1866c9bbe46ULL, 0x4870a2210221d251ULL,
       0x4a0db369c0a32af1ULL, 0x02b1ccc429ff56afULL}},
     {{0xe205aaaaaaac8e37ULL, 0xfcdc000768795556ULL, 0x0c96011a8a1537ddULL, 0x1c06a963f163406eULL,
       0x010df44c82a881e6ULL, 0x174f45260f808febULL}}},
    /* k_(3,3) = 0x124c9ad43b6cf79bfbf7043de3811ad0761b0f37a1e26286b0e977c69aa274524e79097a56dc4bd9e1b371c71c718b10
     *   + 0 I */
    {{{0xa470bda12f67f35cULL, 0xc0fe38e23327b425ULL, 0xc9d3d0f2c6f0678dULL, 0x1c55c9935b5a982eULL,
       0x27f6c0e2f0746764ULL, 0x117c5e6e28aa9054ULL}},
     {{0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL,
       0x0000000000000000ULL, 0x0000000000000000ULL}}},
};
static const fp2 ISO_YDEN[3] = {
    /* k_(4,0) = 0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffa8fb
     *   + 0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffa8fb I */
    {{{0x0162fffffa765adfULL, 0x8f7bea480083fb75ULL, 0x561b3c2259e93611ULL, 0x11e19fc1a9c875d5ULL,
       0xca713efc00367660ULL, 0x03c6a03d41da1151ULL}},
     {{0x0162fffffa765adfULL, 0x8f7bea480083fb75ULL, 0x561b3c2259e93611ULL, 0x11e19fc1a9c875d5ULL,
       0xca713efc00367660ULL, 0x03c6a03d41da1151ULL}}},
    /* k_(4,1) = 0
     *   + 0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffa9d3 I */
    {{{0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL,
       0x0000000000000000ULL, 0x0000000000000000ULL}},
     {{0x5db0fffffd3b02c5ULL, 0xd713f52358ebfdbaULL, 0x5ea60761a84d161aULL, 0xbb2c75a34ea6c44aULL,
       0x0ac6735921c1119bULL, 0x0ee3d913bdacfbf6ULL}}},
    /* k_(4,2) = 0x12
     *   + 0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaa99 I */
    {{{0x66b10000003affc5ULL, 0xcb1400e764ec0030ULL, 0xa73e5eb56fa5d106ULL, 0x8984c913a0fe09a9ULL,
       0x11e10afb78ad7f13ULL, 0x05429d0e3e918f52ULL}},
     {{0x534dffffffc4aae6ULL, 0x5397ff174c67ffcfULL, 0xbff273eb870b251dULL, 0xdaf2827152870915ULL,
       0x393a9cbaca9e2dc3ULL, 0x14be74dbfaee5748ULL}}},
};
/* E2': A = 240 I, B = 1012 (1 + I); Z = -(2 + I) (RFC 9380 section 8.8.2) */
static const fp2 SSWU_A = {{{0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL,
                             0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL}},
                           {{0xe53a000003135242ULL, 0x01080c0fdef80285ULL, 0xe7889edbe340f6bdULL,
                             0x0b51375126310601ULL, 0x02d6985717c744abULL, 0x1220b4e979ea5467ULL}}};
static const fp2 SSWU_B = {{{0x22ea00000cf89db2ULL, 0x6ec832df71380aa4ULL, 0x6e1b94403db5a66eULL,
                             0x75bf3c53a79473baULL, 0x3dd3a569412c0a34ULL, 0x125cdb5e74dc4fd1ULL}},
                           {{0x22ea00000cf89db2ULL, 0x6ec832df71380aa4ULL, 0x6e1b94403db5a66eULL,
                             0x75bf3c53a79473baULL, 0x3dd3a569412c0a34ULL, 0x125cdb5e74dc4fd1ULL}}};
/* -B / A and B / (Z A) */
static const fp2 MB_OVER_A = {
    {{0x903c555555474fb3ULL, 0x5f98cc95ce451105ULL, 0x9f8e582eefe0fadeULL, 0xc68946b6aebbd062ULL,
      0x467a4ad10ee6de53ULL, 0x0e7146f483e23a05ULL}},
    {{0x29c2aaaaaab85af8ULL, 0xbf133368e30eeefaULL, 0xc7a27a7206cffb45ULL, 0x9dee04ce44c9425cULL,
      0x04a15ce53464ce83ULL, 0x0b8fcaf5b59dac95ULL}}};
static const fp2 B_OVER_ZA = {
    {{0xf2d8444444414324ULL, 0x2585c28393a69d00ULL, 0x5dd35cd05d972c42ULL, 0xfd963b744ea89b53ULL,
      0x07f5d9fd91c1fa91ULL, 0x127db28a3ce062c4ULL}},
    {{0x55743333333b3695ULL, 0xeb72b871590828fcULL, 0x1c186171cb4d5da5ULL, 0x34a33031ee956644ULL,
      0xc971692a149d16d0ULL, 0x168a1e1ff5de8b82ULL}}};
static const fp2 SSWU_Z = {{{0x87ebfffffff9555cULL, 0x656fffe5da8ffffaULL, 0x0fd0749345d33ad2ULL,
                             0xd951e663066576f4ULL, 0xde291a3d41e980d3ULL, 0x0815664c7dfe040dULL}},
                           {{0x43f5fffffffcaaaeULL, 0x32b7fff2ed47fffdULL, 0x07e83a49a2e99d69ULL,
                             0xeca8f3318332bb7aULL, 0xef148d1ea0f4c069ULL, 0x040ab3263eff0206ULL}}};

/* r = c[0] + c[1] x + ... + c[n-1] x^(n-1), plus x^n if monic (Horner) */
static void poly(fp2 *r, const fp2 *c, int n, int monic, const fp2 *x)
{
    fp2 acc;
    int i = n;
    if (monic)
        fp2_one(&acc);
    else
        acc = c[--i];
    while (i-- > 0) {
        fp2_mul(&acc, &acc, x);
        fp2_add(&acc, &acc, &c[i]);
    }
    *r = acc;
}

/* y^2 = x^3 + A x + B on E2' */
static void sswu_gx(fp2 *r, const fp2 *x)
{
    fp2 t;
    fp2_sqr(&t, x);
    fp2_add(&t, &t, &SSWU_A);
    fp2_mul(&t, &t, x);
    fp2_add(r, &t, &SSWU_B);
}

void map_to_g2(g2 *r, const fp2 *u)
{
    fp2 u2, zu2, tv1, x, gx, y, t, xn, xd, yn, yd;

    /* simplified SWU (section 6.6.2) */
    fp2_sqr(&u2, u);
    fp2_mul(&zu2, &SSWU_Z, &u2);
    fp2_sqr(&tv1, &zu2);
    fp2_add(&tv1, &tv1, &zu2); /* Z^2 u^4 + Z u^2 */
    if (fp2_is_zero(&tv1)) {
        x = B_OVER_ZA;
    } else {
        fp2_inv(&tv1, &tv1);
        fp2_one(&t);
        fp2_add(&tv1, &tv1, &t);
        fp2_mul(&x, &MB_OVER_A, &tv1); /* x1 = (-B / A) (1 + 1 / tv1) */
    }
    sswu_gx(&gx, &x);
    if (!fp2_sqrt(&y, &gx)) {
        fp2_mul(&x, &zu2, &x); /* x2 = Z u^2 x1 */
        sswu_gx(&gx, &x);
        fp2_sqrt(&y, &gx); /* a square when g(x1) is not (Z is not a square) */
    }
    if (fp2_sgn0(u) != fp2_sgn0(&y))
        fp2_neg(&y, &y);

    /* the 3-isogeny (appendix E.3): (xn / xd, y yn / yd), projectively
     * (xn yd : y yn xd : xd yd) to save the inversions */
    poly(&xn, ISO_XNUM, 4, 0, &x);
    poly(&xd, ISO_XDEN, 2, 1, &x);
    poly(&yn, ISO_YNUM, 4, 0, &x);
    poly(&yd, ISO_YDEN, 3, 1, &x);
    fp2_mul(&r->z, &xd, &yd);
    if (fp2_is_zero(&r->z)) {
        g2_identity(r); /* a point of the isogeny's kernel */
        return;
    }
    fp2_mul(&r->x, &xn, &yd);
    fp2_mul(&r->y, &y, &yn);
    fp2_mul(&r->y, &r->y, &xd);
}

/* r = x p, x = -0xd201000000010000 */
static void mul_by_x(g2 *r, const g2 *p)
{
    uint64_t x = BLS_X_ABS;
    g2_mul_vartime(r, p, &x, 1);
    g2_neg(r, r);
}

void g2_clear_cofactor(g2 *r, const g2 *p)
{
    g2 t1, t2, t3;
    mul_by_x(&t1, p);
    g2_psi(&t2, p);
    g2_dbl(&t3, p);
    g2_psi(&t3, &t3);
    g2_psi(&t3, &t3);
    g2_neg(&t2, &t2);
    g2_add(&t3, &t3, &t2); /* psi^2(2P) - psi(P) */
    g2_neg(&t2, &t2);
    g2_add(&t2, &t1, &t2);
    mul_by_x(&t2, &t2); /* x (x P + psi(P)) */
    g2_add(&t3, &t3, &t2);
    g2_neg(&t1, &t1);
    g2_add(&t3, &t3, &t1);
    g2_neg(&t1, p);
    g2_add(r, &t3, &t1);
}
