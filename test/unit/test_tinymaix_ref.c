/*
 * test_tinymaix_ref.c - the engine against TinyMaix's own outputs.
 *
 * ../shared/tinymaix/ (relative to the repository root, where the tests
 * run; $PARTIX_SHARED overrides ../shared) holds two of TinyMaix's public
 * models, inputs, and what TinyMaix printed for them (its README.md gives
 * the formats).  Built twice: for int8 (the outputs must be identical bit
 * for bit) and with TM_MDL_TYPE = TM_MDL_FP32 (within float rounding).
 * SKIP when the folder is absent.
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

#if TM_MDL_TYPE == TM_MDL_FP32
#define MODEL "mnist_valid_f"
#define PP TMPP_UINT2FP01
#else
#define MODEL "mnist_valid_q"
#define PP TMPP_UINT2INT
#endif

static char dir[512];

static size_t slurp(const char *name, uint8_t *buf, size_t cap)
{
    char path[600];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t n = fread(buf, 1, cap, f);
    assert_int_equal(fgetc(f), EOF);
    fclose(f);
    return n;
}

/* "out0 dims D H W C: v v ..." -> dims and the values */
static int read_out(const char *name, uint16_t dims[4], float *v, int cap)
{
    char text[4096];
    size_t n = slurp(name, (uint8_t *)text, sizeof text - 1);
    text[n] = '\0';
    unsigned d[4];
    int used = 0;
    assert_int_equal(sscanf(text, "out0 dims %u %u %u %u:%n", &d[0], &d[1], &d[2], &d[3], &used),
                     4);
    for (int i = 0; i < 4; i++)
        dims[i] = (uint16_t)d[i];
    char *p = text + used, *end;
    int k = 0;
    for (float f = strtof(p, &end); end != p && k < cap; f = strtof(p, &end)) {
        v[k++] = f;
        p = end;
    }
    return k;
}

/* input: the .u8 file's name without ".u8"; TinyMaix's output is MODEL.id.out */
static void check_input(const char *input, const char *id)
{
    static uint8_t model[1 << 16];
    uint8_t u8[784];
    char name[128];
    size_t len = slurp(MODEL ".tmdl", model, sizeof model);
    snprintf(name, sizeof name, "%s.u8", input);
    assert_int_equal(slurp(name, u8, sizeof u8), 784);

    tm_mdl_t mdl;
    tm_mat_t in, out[1];
    assert_int_equal(tm_load_len(&mdl, model, len, NULL, NULL, &in), TM_OK);
    tm_mat_t raw = {3, 28, 28, 1, {NULL}};
    raw.data = (mtype_t *)(void *)u8;
    assert_int_equal(tm_preprocess(&mdl, PP, &raw, &in), TM_OK);
    assert_int_equal(tm_run(&mdl, &in, out), TM_OK);

    uint16_t dims[4];
    float want[64];
    snprintf(name, sizeof name, MODEL ".%s.out", id);
    int n = read_out(name, dims, want, 64);
    assert_int_equal(n, out[0].h * out[0].w * out[0].c);
    assert_int_equal(dims[0], out[0].dims);
    assert_int_equal(dims[3], out[0].c);
    for (int i = 0; i < n; i++) {
#if TM_MDL_TYPE == TM_MDL_FP32
        float d = out[0].dataf[i] - want[i];
        if (d < 0)
            d = -d;
        if (d > 1e-6f + 1e-5f * (want[i] < 0 ? -want[i] : want[i]))
            fail_msg("%s out[%d] = %a, TinyMaix %a", input, i, (double)out[0].dataf[i],
                     (double)want[i]);
#else
        if (memcmp(&out[0].dataf[i], &want[i], sizeof want[i]) != 0)
            fail_msg("%s out[%d] = %a, TinyMaix %a", input, i, (double)out[0].dataf[i],
                     (double)want[i]);
#endif
    }
    tm_unload(&mdl);
}

static void test_digit(void **state)
{
    (void)state;
    check_input("mnist_digit", "mnist_digit");
}

static void test_random_inputs(void **state)
{
    (void)state;
    check_input(MODEL ".r0", "r0");
    check_input(MODEL ".r1", "r1");
    check_input(MODEL ".r2", "r2");
}

/* The sample digit is a "2" (TinyMaix's examples/mnist). */
static void test_digit_is_two(void **state)
{
    static uint8_t model[1 << 16];
    uint8_t u8[784];
    (void)state;
    size_t len = slurp(MODEL ".tmdl", model, sizeof model);
    slurp("mnist_digit.u8", u8, sizeof u8);
    tm_mdl_t mdl;
    tm_mat_t in, out[1];
    assert_int_equal(tm_load(&mdl, model, NULL, NULL, &in), TM_OK);
    (void)len;
    tm_mat_t raw = {3, 28, 28, 1, {NULL}};
    raw.data = (mtype_t *)(void *)u8;
    tm_preprocess(&mdl, PP, &raw, &in);
    assert_int_equal(tm_run(&mdl, &in, out), TM_OK);
    int best = 0;
    for (int i = 1; i < 10; i++)
        if (out[0].dataf[i] > out[0].dataf[best])
            best = i;
    assert_int_equal(best, 2);
    tm_unload(&mdl);
}

int main(void)
{
    const char *shared = getenv("PARTIX_SHARED");
    snprintf(dir, sizeof dir, "%s/tinymaix", shared != NULL ? shared : "../shared");
    char probe[600];
    snprintf(probe, sizeof probe, "%s/%s.tmdl", dir, MODEL);
    FILE *f = fopen(probe, "rb");
    if (f == NULL) {
        printf("SKIP: %s absent\n", probe);
        return 0;
    }
    fclose(f);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_digit),
        cmocka_unit_test(test_random_inputs),
        cmocka_unit_test(test_digit_is_two),
    };
    return cmocka_run_group_tests_name(MODEL, tests, NULL, NULL);
}
