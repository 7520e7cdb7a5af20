/*
 * bench_tinymaix.c - make bench: the TinyMaix-compatible engine's in-process
 * inference time on every .tmdl model in ../shared/tinymaix (relative to the
 * repository root; $PARTIX_SHARED overrides ../shared), the median over
 * rounds of 1000 tm_run() calls.  SKIP when the folder is absent.
 * TinyMaix's own x86 build takes about 12 us on mnist_valid_q (issue 15).
 *
 * Usage: bench_tinymaix [ROUNDS]
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tinymaix.h"

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

static int bench(const char *dir, const char *name, int rounds)
{
    static uint8_t bin[1 << 22];
    char path[1024];
    double t[101];
    tm_mdl_t mdl;
    tm_mat_t in, out[4];

    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return 1;
    size_t len = fread(bin, 1, sizeof bin, f);
    fclose(f);
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
    for (int i = 0; i < PER_ROUND; i++)
        tm_run(&mdl, &in, out);
    for (int r = 0; r < rounds; r++) {
        double t0 = now_us();
        for (int i = 0; i < PER_ROUND; i++)
            tm_run(&mdl, &in, out);
        t[r] = (now_us() - t0) / PER_ROUND;
    }
    qsort(t, (size_t)rounds, sizeof *t, cmp_double);
    printf("tinymaix %-24s %-4s in-process tm_run median %8.2f us (min %.2f, %d x %d runs)\n", name,
           bin[4] == TM_MDL_FP32 ? "fp32" : "int8", t[rounds / 2], t[0], rounds, PER_ROUND);
    tm_unload(&mdl);
    return 0;
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
