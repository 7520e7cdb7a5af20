/*
 * bench_bls.c - make bench: the BLS12-381 library's costs, each the median
 * of repeated runs on this machine (figures, never asserted):
 * KeyGen, SkToPk, hash_to_G2, Sign, Verify, FastAggregateVerify of 64 keys,
 * AggregateVerify of 64 (key, message) pairs, and one pairing.
 *
 * Usage: bench_bls [ROUNDS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bls.h"
#include "hash_to_curve.h"
#include "keygen.h"
#include "pairing.h"

#define N_AGG 64

static double now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof(*v), cmp_double);
    return v[n / 2];
}

static uint8_t sks[N_AGG][BLS_SK_LEN], pks[N_AGG][BLS_PK_LEN], sigs[N_AGG][BLS_SIG_LEN];
static uint8_t msgs[N_AGG][32];

static void report(const char *what, double *t, int n)
{
    printf("bls %-34s median %9.1f us (%d runs)\n", what, median(t, n), n);
}

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 21;
    double *t = calloc((size_t)rounds, sizeof *t);
    uint8_t ikm[32], agg[BLS_SIG_LEN], sig[BLS_SIG_LEN];
    const uint8_t *mp[N_AGG];
    size_t ml[N_AGG];
    const char *dst = BLS_DST_SIG;
    int ok = 1;

    if (!t || rounds < 1)
        return 2;
    for (int i = 0; i < N_AGG; i++) {
        memset(ikm, i + 1, sizeof ikm);
        memset(msgs[i], 0x40 + i, sizeof msgs[i]);
        mp[i] = msgs[i];
        ml[i] = sizeof msgs[i];
        if (bls_keygen(sks[i], ikm, sizeof ikm, NULL, 0) < 0 || bls_sk_to_pk(pks[i], sks[i]) < 0)
            return 1;
    }

    for (int r = 0; r < rounds; r++) {
        double t0 = now_us();
        ok &= bls_keygen(sks[0], ikm, sizeof ikm, NULL, 0) == 0;
        t[r] = now_us() - t0;
    }
    report("KeyGen (HKDF-SHA256, mod r)", t, rounds);

    for (int r = 0; r < rounds; r++) {
        double t0 = now_us();
        ok &= bls_sk_to_pk(pks[0], sks[0]) == 0;
        t[r] = now_us() - t0;
    }
    report("SkToPk", t, rounds);

    for (int r = 0; r < rounds; r++) {
        g2 h;
        double t0 = now_us();
        ok &= hash_to_g2(&h, msgs[r % N_AGG], 32, (const uint8_t *)dst, strlen(dst)) == 0;
        t[r] = now_us() - t0;
    }
    report("hash_to_G2 (32-byte message)", t, rounds);

    for (int r = 0; r < rounds; r++) {
        double t0 = now_us();
        ok &= bls_sign(sig, sks[0], msgs[0], 32) == 0;
        t[r] = now_us() - t0;
    }
    report("Sign (32-byte message)", t, rounds);

    for (int r = 0; r < rounds; r++) {
        double t0 = now_us();
        ok &= bls_verify(pks[0], msgs[0], 32, sig) == 1;
        t[r] = now_us() - t0;
    }
    report("Verify (32-byte message)", t, rounds);

    for (int r = 0; r < rounds; r++) {
        g1 p;
        g2 q;
        fp12 e;
        g1_generator(&p);
        g2_generator(&q);
        double t0 = now_us();
        pairing(&e, &p, &q);
        t[r] = now_us() - t0;
    }
    report("pairing e(P, Q)", t, rounds);

    for (int i = 0; i < N_AGG; i++)
        ok &= bls_sign(sigs[i], sks[i], msgs[0], 32) == 0;
    ok &= bls_aggregate(agg, (const uint8_t(*)[BLS_SIG_LEN])sigs, N_AGG) == 0;
    for (int r = 0; r < rounds; r++) {
        double t0 = now_us();
        ok &= bls_fast_aggregate_verify((const uint8_t(*)[BLS_PK_LEN])pks, N_AGG, msgs[0], 32,
                                        agg) == 1;
        t[r] = now_us() - t0;
    }
    report("FastAggregateVerify (64 keys)", t, rounds);

    for (int i = 0; i < N_AGG; i++)
        ok &= bls_sign(sigs[i], sks[i], msgs[i], 32) == 0;
    ok &= bls_aggregate(agg, (const uint8_t(*)[BLS_SIG_LEN])sigs, N_AGG) == 0;
    for (int r = 0; r < (rounds + 4) / 5; r++) {
        double t0 = now_us();
        ok &= bls_aggregate_verify((const uint8_t(*)[BLS_PK_LEN])pks, mp, ml, N_AGG, agg) == 1;
        t[r] = now_us() - t0;
    }
    report("AggregateVerify (64 signatures)", t, (rounds + 4) / 5);

    free(t);
    if (!ok) {
        fprintf(stderr, "bench_bls: an operation failed\n");
        return 1;
    }
    return 0;
}
