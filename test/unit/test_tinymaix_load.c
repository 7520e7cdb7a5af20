/*
 * test_tinymaix_load.c - what the loader refuses, and what tm_run() does
 * not do (allocate).
 *
 * A truncated, tampered or hostile model gets an error code: every prefix
 * of a model, each field made wrong in turn, and random corruption (run
 * under ASan/UBSan by make asan: any read out of bounds fails it).  The
 * program is an int8 one (the default TM_MDL_TYPE), so an fp32 model is
 * refused with TM_ERR_MDLTYPE.  malloc and friends are wrapped (-Wl,--wrap)
 * to count the allocations tm_run() makes: none.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tinymaix.h"
#include "tmdl_build.h"

static int allocs;

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);
void *__real_aligned_alloc(size_t a, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t m);
void *__wrap_realloc(void *p, size_t n);
void *__wrap_aligned_alloc(size_t a, size_t n);

void *__wrap_malloc(size_t n)
{
    allocs++;
    return __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t m)
{
    allocs++;
    return __real_calloc(n, m);
}

void *__wrap_realloc(void *p, size_t n)
{
    allocs++;
    return __real_realloc(p, n);
}

void *__wrap_aligned_alloc(size_t a, size_t n)
{
    allocs++;
    return __real_aligned_alloc(a, n);
}

static struct tmdl M;

/* A model with every layer type: conv (padded, strided), depthwise, GAP,
 * reshape, fc, add, softmax; int8 or fp32. */
static void build_all(int type)
{
    static int8_t qw[4 * 3 * 3 * 3];
    static float fw[4 * 3 * 3 * 3],
        ws[8] = {0.01f, 0.02f, 0.01f, 0.02f, 0.01f, 0.02f, 0.01f, 0.02f};
    static int32_t qb[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    static float fb[8] = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f};
    size_t es = type ? 4 : 1;
    for (int i = 0; i < 4 * 3 * 3 * 3; i++)
        qw[i] = (int8_t)(i * 37 % 255 - 127), fw[i] = (float)(i % 7) / 7 - 0.5f;
    uint16_t in3[3] = {6, 6, 3};
    struct tmdl_q q = {0.02f, -5, 0.03f, 4};
    uint32_t a = (uint32_t)(108 * es + 4) / 8 * 8, b = a + (uint32_t)(36 * 4 * es);
    uint32_t g = b + (uint32_t)(36 * 4 * es), r = g + 64, f = r + 64, s = f + 64, t = s + 64;
    struct tmdl_io c1 = {0, 0, a, {6, 6, 3}, {6, 6, 4}, q};
    struct tmdl_conv cc = {3, 3, 1, 1, 1, 1, TM_ACT_RELU, {1, 1, 1, 1}, 0};
    struct tmdl_io d1 = {0, a, b, {6, 6, 4}, {3, 3, 4}, q};
    struct tmdl_conv dc = {3, 3, 2, 2, 1, 1, TM_ACT_RELU6, {0, 1, 0, 1}, 1};
    struct tmdl_io gp = {0, b, g, {3, 3, 4}, {1, 1, 4}, q};
    struct tmdl_io rs = {0, g, r, {1, 1, 4}, {1, 1, 4}, q};
    struct tmdl_io fc = {0, r, f, {1, 1, 4}, {1, 1, 4}, q};
    struct tmdl_io ad = {0, f, s, {1, 1, 4}, {1, 1, 4}, q};
    struct tmdl_io sm = {1, s, t, {1, 1, 4}, {1, 1, 4}, {0.03f, 4, 1.0f / 256, -128}};
    tmdl_begin(&M, type, t + 64, in3, 1);
    tmdl_conv(&M, &c1, &cc, ws, type ? (void *)fw : (void *)qw, type ? (void *)fb : (void *)qb);
    tmdl_conv(&M, &d1, &dc, ws, type ? (void *)fw : (void *)qw, type ? (void *)fb : (void *)qb);
    tmdl_plain(&M, TML_GAP, &gp);
    tmdl_plain(&M, TML_RESHAPE, &rs);
    tmdl_fc(&M, &fc, 0.01f, type ? (void *)fw : (void *)qw, type ? (void *)fb : (void *)qb);
    tmdl_add(&M, &ad, r, 0.03f, 4);
    tmdl_plain(&M, TML_SOFTMAX, &sm);
    tmdl_end(&M);
}

static tm_err_t load_run(const uint8_t *bin, size_t len, int type)
{
    tm_mdl_t mdl;
    tm_mat_t in, out[4];
    tm_err_t err = tmx_load(&mdl, bin, len, NULL, NULL, &in, type);
    if (err == TM_OK) {
        memset(in.data, type ? 0 : 0x5a, (size_t)in.h * in.w * in.c * (type ? 4 : 1));
        err = tm_run(&mdl, &in, out);
        assert_int_equal(err, TM_OK); /* a model that loads runs */
    }
    tm_unload(&mdl);
    return err;
}

static void test_all_layers_load_and_run(void **state)
{
    (void)state;
    for (int type = 0; type <= 2; type += 2) {
        build_all(type);
        assert_int_equal(load_run(M.b, M.len, type), TM_OK);
    }
}

/* every prefix of the model is refused, none read past its end */
static void test_truncated(void **state)
{
    (void)state;
    for (int type = 0; type <= 2; type += 2) {
        build_all(type);
        for (size_t n = 0; n < M.len; n++) {
            /* exactly n bytes on the heap: ASan sees the end */
            uint8_t *exact = malloc(n ? n : 1);
            memcpy(exact, M.b, n);
            assert_int_not_equal(load_run(exact, n, type), TM_OK);
            free(exact);
        }
    }
}

static void test_refusals(void **state)
{
    (void)state;
    tm_mdl_t mdl;
    tm_mat_t in;
    uint8_t *b = M.b;

    build_all(0);
    /* the program is int8: its own type loads, fp32 does not */
    assert_int_equal(tm_load_len(&mdl, b, M.len, NULL, NULL, &in), TM_OK);
    tm_unload(&mdl);
    assert_int_equal(tm_load(&mdl, b, NULL, NULL, &in), TM_OK);
    tm_unload(&mdl);
    build_all(2);
    assert_int_equal(tm_load_len(&mdl, b, M.len, NULL, NULL, &in), TM_ERR_MDLTYPE);
    assert_int_equal(tmx_load(&mdl, b, M.len, NULL, NULL, &in, TM_MDL_FP32), TM_OK);
    tm_unload(&mdl);

#define REFUSE(err, edit)                                                                          \
    do {                                                                                           \
        build_all(0);                                                                              \
        edit;                                                                                      \
        assert_int_equal(tm_load_len(&mdl, b, M.len, NULL, NULL, &in), err);                       \
        tm_unload(&mdl);                                                                           \
    } while (0)
    /* layer 0 (conv) is at 64, its parameters follow its 80-byte head */
    uint8_t *l0 = b + 64;
    REFUSE(TM_ERR_MAGIC, b[0] ^= 1);
    REFUSE(TM_ERR_MDLTYPE, b[4] = TM_MDL_INT16);
    REFUSE(TM_ERR_MDLTYPE, b[4] = TM_MDL_FP16);
    REFUSE(TM_ERR_MDLTYPE, b[4] = 200);
    REFUSE(TM_ERR_DIMS, b[10] = b[11] = 0);                 /* no layers */
    REFUSE(TM_ERR, b[10] = 50);                             /* more layers than bytes */
    REFUSE(TM_ERR_DIMS, b[8] = 2);                          /* outputs != layers marked */
    REFUSE(TM_ERR_DIMS, b[12] = b[13] = b[14] = b[15] = 0); /* no main buffer */
    REFUSE(TM_ERR_DIMS, b[13] = 0);                         /* buffer too small for a layer */
    REFUSE(TM_ERR_DIMS, b[22] = 7);                         /* input dims != layer 0's */
    REFUSE(TM_ERR_LAYERTYPE, l0[0] = TML_MAXCNT);
    REFUSE(TM_ERR, l0[4] = 16);                       /* layer shorter than its head */
    REFUSE(TM_ERR, l0[6] = 1);                        /* layer longer than the model */
    REFUSE(TM_ERR_DIMS, l0[14] = 0xff);               /* output past the buffer */
    REFUSE(TM_ERR_DIMS, l0[10] = 0x10);               /* input past the buffer */
    REFUSE(TM_ERR_DIMS, l0[22] = 0);                  /* a zero dimension */
    REFUSE(TM_ERR_DIMS, l0[26] = 5);                  /* output dims the conv cannot make */
    REFUSE(TM_ERR_DIMS, l0[16] = 9);                  /* dims count */
    REFUSE(TM_ERR_KSIZE, l0[48] = 0);                 /* kernel width 0 */
    REFUSE(TM_ERR_DIMS, l0[50] = 0);                  /* stride 0 */
    REFUSE(TM_ERR_DIMS, l0[52] = 0);                  /* dilation 0 */
    REFUSE(TM_ERR_UNSUPPORT, l0[54] = TM_ACT_MAXCNT); /* activation */
    REFUSE(TM_ERR_DIMS, l0[60] = 3);                  /* depth multiplier vs channels */
    REFUSE(TM_ERR, l0[72] = 0xf0);                    /* weights past the layer */
    REFUSE(TM_ERR, l0[76] = 0xf0);                    /* biases past the layer */
    REFUSE(TM_ERR, l0[70] = 1);                       /* weight scales past the layer */
    REFUSE(TM_ERR_UNSUPPORT, l0[37] = 1);             /* input zero point 256 - 5 */
    REFUSE(TM_ERR_UNSUPPORT, l0[44] = 200);           /* output zero point */
#undef REFUSE
}

/* Random corruption: a model that loads runs, anything else is an error. */
static void test_corrupted(void **state)
{
    (void)state;
    uint32_t r = 12345;
    int loaded = 0, refused = 0;
    for (int i = 0; i < 4000; i++) {
        int type = i % 2 ? 2 : 0;
        build_all(type);
        for (int k = 0; k < 1 + i % 4; k++) {
            r = r * 1103515245 + 12345;
            size_t at = (r >> 8) % M.len;
            M.b[at] = (uint8_t)(r >> 3);
        }
        if (load_run(M.b, M.len, type) == TM_OK)
            loaded++;
        else
            refused++;
    }
    assert_true(loaded > 0 && refused > 0);
}

/* The shared TinyMaix models, cut short anywhere: refused. */
static void test_shared_truncated(void **state)
{
    (void)state;
    const char *shared = getenv("PARTIX_SHARED");
    char path[600];
    snprintf(path, sizeof path, "%s/tinymaix/mnist_valid_q.tmdl",
             shared != NULL ? shared : "../shared");
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        printf("SKIP: %s absent\n", path);
        return;
    }
    size_t len = fread(M.b, 1, sizeof M.b, f);
    fclose(f);
    assert_int_equal(load_run(M.b, len, 0), TM_OK);
    for (size_t n = 0; n < len; n++) {
        uint8_t *exact = malloc(n ? n : 1);
        memcpy(exact, M.b, n);
        assert_int_not_equal(load_run(exact, n, 0), TM_OK);
        free(exact);
    }
}

static void test_run_allocates_nothing(void **state)
{
    (void)state;
    for (int type = 0; type <= 2; type += 2) {
        tm_mdl_t mdl;
        tm_mat_t in, out[1];
        build_all(type);
        assert_int_equal(tmx_load(&mdl, M.b, M.len, NULL, NULL, &in, type), TM_OK);
        int before = allocs;
        for (int i = 0; i < 10; i++)
            assert_int_equal(tm_run(&mdl, &in, out), TM_OK);
        assert_int_equal(allocs, before);
        tm_unload(&mdl);
        assert_true(allocs > 0); /* the wrap is in place: the load allocated */
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_all_layers_load_and_run),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_corrupted),
        cmocka_unit_test(test_shared_truncated),
        cmocka_unit_test(test_run_allocates_nothing),
    };
    return cmocka_run_group_tests_name("tinymaix loader", tests, NULL, NULL);
}
