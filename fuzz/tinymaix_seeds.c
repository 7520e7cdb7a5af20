/*
 * tinymaix_seeds.c - write fuzz_tinymaix's seed models into a directory:
 * int8 and fp32 models with every layer type, padding, strides, dilation,
 * depthwise multipliers (built with test/unit/tmdl_build.c).
 * Usage: tinymaix_seeds DIR
 */
#include <stdio.h>
#include <string.h>

#include "tmdl_build.h"

static struct tmdl M;

static int save(const char *dir, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(M.b, 1, M.len, f) != M.len || fclose(f) != 0) {
        perror(path);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    static int8_t qw[512];
    static float fw[512], ws[16];
    static int32_t qb[16];
    static float fb[16];
    int bad = 0;

    if (argc != 2)
        return 2;
    for (int i = 0; i < 512; i++)
        qw[i] = (int8_t)(i * 37 % 255 - 127), fw[i] = (float)(i % 9) / 9 - 0.5f;
    for (int i = 0; i < 16; i++)
        ws[i] = 0.01f + 0.001f * (float)i, qb[i] = i * 7 - 50, fb[i] = (float)i / 16;
    for (int type = 0; type <= 2; type += 2) {
        size_t es = type ? 4 : 1;
        void *w = type ? (void *)fw : (void *)qw, *b = type ? (void *)fb : (void *)qb;
        struct tmdl_q q = {0.02f, -3, 0.03f, 2};
        uint32_t a = (uint32_t)(5 * 5 * 2 * es + 7) / 8 * 8, c = a + (uint32_t)(5 * 5 * 4 * es);
        uint32_t d = c + (uint32_t)(3 * 3 * 8 * es), g = d + 64, r = g + 64, f = r + 64;
        uint32_t s = f + 64, t = s + 64;
        uint16_t in3[3] = {5, 5, 2};
        /* conv same-padded, depthwise x2 strided, dilated conv, GAP, reshape,
         * fc, add, softmax */
        struct tmdl_io l0 = {0, 0, a, {5, 5, 2}, {5, 5, 4}, q};
        struct tmdl_conv c0 = {3, 3, 1, 1, 1, 1, 1, {1, 1, 1, 1}, 0};
        struct tmdl_io l1 = {0, a, c, {5, 5, 4}, {3, 3, 8}, q};
        struct tmdl_conv c1 = {3, 3, 2, 2, 1, 1, 3, {1, 1, 1, 1}, 2};
        struct tmdl_io l2 = {0, c, d, {3, 3, 8}, {1, 1, 4}, q};
        struct tmdl_conv c2 = {2, 2, 1, 1, 2, 2, 0, {0, 0, 0, 0}, 0};
        struct tmdl_io l3 = {0, d, g, {1, 1, 4}, {1, 1, 4}, q};
        struct tmdl_io l4 = {0, g, r, {1, 1, 4}, {1, 1, 4}, q};
        struct tmdl_io l5 = {0, r, f, {1, 1, 4}, {1, 1, 4}, q};
        struct tmdl_io l6 = {0, f, s, {1, 1, 4}, {1, 1, 4}, q};
        struct tmdl_io l7 = {1, s, t, {1, 1, 4}, {1, 1, 4}, {0.03f, 2, 1.0f / 256, -128}};
        tmdl_begin(&M, type, t + 64, in3, 1);
        tmdl_conv(&M, &l0, &c0, ws, w, b);
        tmdl_conv(&M, &l1, &c1, ws, w, b);
        tmdl_conv(&M, &l2, &c2, ws, w, b);
        tmdl_plain(&M, 1, &l3);
        tmdl_plain(&M, 4, &l4);
        tmdl_fc(&M, &l5, 0.01f, w, b);
        tmdl_add(&M, &l6, g, 0.03f, 2);
        tmdl_plain(&M, 3, &l7);
        tmdl_end(&M);
        bad |= save(argv[1], type ? "all_layers_f.tmdl" : "all_layers_q.tmdl");
        /* one pointwise layer: the contiguous window path */
        struct tmdl_io p0 = {1, 0, 64, {4, 4, 3}, {4, 4, 5}, q};
        struct tmdl_conv pc = {1, 1, 1, 1, 1, 1, 0, {0, 0, 0, 0}, 0};
        uint16_t p3[3] = {4, 4, 3};
        tmdl_begin(&M, type, 64 + 80 * (uint32_t)es, p3, 0);
        tmdl_conv(&M, &p0, &pc, ws, w, b);
        tmdl_end(&M);
        bad |= save(argv[1], type ? "pointwise_f.tmdl" : "pointwise_q.tmdl");
    }
    return bad;
}
