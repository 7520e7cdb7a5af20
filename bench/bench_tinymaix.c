/*
 * bench_tinymaix.c - make bench: the TinyMaix-compatible engine's in-process
 * inference time on every .tmdl model in ../shared/tinymaix (relative to the
 * repository root; $PARTIX_SHARED overrides ../shared), the median over
 * rounds of 1000 tm_run() calls.  SKIP when the folder is absent.
 * TinyMaix's own x86 build takes about 12 us on mnist_valid_q (issue 15).
 * Then a model of MobileNet v1 0.25's shape at 128x128 (random weights,
 * built here, int8 and fp32), the size of TinyMaix's mbnet128 example, on
 * which TinyMaix's x86 builds take 2.7-3.7 ms (int8).
 *
 * Usage: bench_tinymaix [ROUNDS]
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tinymaix.h"
#include "tmdl_build.h"

#define PER_ROUND 1000

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

static int time_model(const char *name, const uint8_t *bin, size_t len, int rounds, int per);

static int bench(const char *dir, const char *name, int rounds)
{
    static uint8_t bin[1 << 22];
    char path[1024];

    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return 1;
    size_t len = fread(bin, 1, sizeof bin, f);
    fclose(f);
    return time_model(name, bin, len, rounds, PER_ROUND);
}

static int time_model(const char *name, const uint8_t *bin, size_t len, int rounds, int per)
{
    double t[101];
    tm_mdl_t mdl;
    tm_mat_t in, out[4];
    /* any model type: the engine's entry point takes the type asked for */
    tm_err_t err = tmx_load(&mdl, bin, len, NULL, NULL, &in, len > 4 ? bin[4] : 0);
    if (err != TM_OK) {
        printf("tinymaix %-24s load error %d\n", name, (int)err);
        return 1;
    }
    size_t n = (size_t)in.h * in.w * in.c * (bin[4] == TM_MDL_FP32 ? 4 : 1);
    for (size_t i = 0; i < n; i++)
        ((uint8_t *)in.data)[i] = (uint8_t)(i * 7 % 61);
    if (bin[4] == TM_MDL_FP32)
        for (size_t i = 0; i < n / 4; i++)
            in.dataf[i] = (float)(i % 17) / 17.0f;
    for (int i = 0; i < per; i++)
        tm_run(&mdl, &in, out);
    for (int r = 0; r < rounds; r++) {
        double t0 = now_us();
        for (int i = 0; i < per; i++)
            tm_run(&mdl, &in, out);
        t[r] = (now_us() - t0) / per;
    }
    qsort(t, (size_t)rounds, sizeof *t, cmp_double);
    printf("tinymaix %-24s %-4s in-process tm_run median %8.2f us (min %.2f, %d x %d runs)\n", name,
           bin[4] == TM_MDL_FP32 ? "fp32" : "int8", t[rounds / 2], t[0], rounds, per);
    tm_unload(&mdl);
    return 0;
}

/* MobileNet v1, alpha 0.25, 128x128x3: conv 3x3/2, 13 depthwise 3x3 +
 * pointwise pairs, GAP, fc 256->1000, softmax; ReLU6, TensorFlow's SAME. */
static struct tmdl mbn;

static size_t mobilenet(int type)
{
    static int8_t qw[256 * 1000];
    static float fw[256 * 1000], ws[1000], fb[1000];
    static int32_t qb[1000];
    static const int pw[13][2] = {{16, 1},  {32, 2},  {32, 1},  {64, 2},  {64, 1},
                                  {128, 2}, {128, 1}, {128, 1}, {128, 1}, {128, 1},
                                  {128, 1}, {256, 2}, {256, 1}};
    const uint32_t half = 64 * 64 * 16 * (type ? 4 : 1);
    uint32_t at = 0;
    int h = 128, c = 3;
    for (int i = 0; i < 256 * 1000; i++)
        qw[i] = (int8_t)(i * 37 % 255 - 127), fw[i] = (float)(i % 17 - 8) / 64;
    for (int i = 0; i < 1000; i++)
        ws[i] = 0.002f, qb[i] = i % 50 - 25, fb[i] = (float)(i % 5) / 50;
    void *w = type ? (void *)fw : (void *)qw, *b = type ? (void *)fb : (void *)qb;
    struct tmdl_q q = {0.02f, -128, 0.02f, -128};
    uint16_t in3[3] = {128, 128, 3};
    tmdl_begin(&mbn, type, 2 * half + 8192, in3, 1);

    struct tmdl_io io = {0, 0, half, {128, 128, 3}, {64, 64, 8}, q};
    struct tmdl_conv cv = {3, 3, 2, 2, 1, 1, TM_ACT_RELU6, {0, 1, 0, 1}, 0};
    tmdl_conv(&mbn, &io, &cv, ws, w, b);
    h = 64, c = 8, at = half;
    for (int i = 0; i < 13; i++) {
        int s = pw[i][1], oh = h / s;
        struct tmdl_io dw = {0,
                             at,
                             half - at,
                             {(uint16_t)h, (uint16_t)h, (uint16_t)c},
                             {(uint16_t)oh, (uint16_t)oh, (uint16_t)c},
                             q};
        struct tmdl_conv dc = {3, 3, (uint8_t)s,   (uint8_t)s,
                               1, 1, TM_ACT_RELU6, {(uint8_t)(s == 1), 1, (uint8_t)(s == 1), 1},
                               1};
        tmdl_conv(&mbn, &dw, &dc, ws, w, b);
        at = half - at;
        struct tmdl_io pi = {0,
                             at,
                             half - at,
                             {(uint16_t)oh, (uint16_t)oh, (uint16_t)c},
                             {(uint16_t)oh, (uint16_t)oh, (uint16_t)pw[i][0]},
                             q};
        struct tmdl_conv pc = {1, 1, 1, 1, 1, 1, TM_ACT_RELU6, {0, 0, 0, 0}, 0};
        tmdl_conv(&mbn, &pi, &pc, ws, w, b);
        at = half - at, h = oh, c = pw[i][0];
    }
    struct tmdl_io g = {0, at, half - at, {4, 4, 256}, {1, 1, 256}, q};
    tmdl_plain(&mbn, TML_GAP, &g);
    at = half - at;
    struct tmdl_io fc = {0, at, half - at, {1, 1, 256}, {1, 1, 1000}, q};
    tmdl_fc(&mbn, &fc, 0.002f, w, b);
    at = half - at;
    struct tmdl_io sm = {
        1, at, half - at, {1, 1, 1000}, {1, 1, 1000}, {0.02f, -128, 1.0f / 256, -128}};
    tmdl_plain(&mbn, TML_SOFTMAX, &sm);
    return tmdl_end(&mbn);
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 21;
    const char *shared = getenv("PARTIX_SHARED");
    char dir[512], *names[64];
    int n = 0;

    if (rounds < 1 || rounds > 101)
        rounds = 21;
    for (int type = 0; type <= 2; type += 2) {
        size_t len = mobilenet(type);
        time_model("mobilenet_v1_0.25_128", mbn.b, len, rounds, 20);
    }
    snprintf(dir, sizeof dir, "%s/tinymaix", shared != NULL ? shared : "../shared");
    DIR *d = opendir(dir);
    if (d == NULL) {
        printf("tinymaix SKIP: %s absent\n", dir);
        return 0;
    }
    for (struct dirent *e; (e = readdir(d)) != NULL && n < 64;) {
        size_t l = strlen(e->d_name);
        if (l > 5 && strcmp(e->d_name + l - 5, ".tmdl") == 0)
            names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof *names, cmp_name);
    for (int i = 0; i < n; i++) {
        bench(dir, names[i], rounds);
        free(names[i]);
    }
    return 0;
}
