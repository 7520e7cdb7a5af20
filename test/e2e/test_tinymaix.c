/*
 * test_tinymaix.c - the TinyMaix inference service against the real
 * daemon: the shipped model sealed for a device (in the provisioning
 * lifecycle state), loaded, run and read; the state and argument errors;
 * two clients isolated; a model sealed for another device, or altered,
 * refused; the model key bound to the partition (an app deriving from the
 * same HUK with the same label gets another key); no DEV_MODE in the
 * shipped build; and top-1 accuracy on Fashion-MNIST's first test images
 * (Debian's dataset-fashion-mnist: SKIP without it).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include <cmocka.h>

#include "fixture.h"
#include "psa/client.h"
#include "psa/crypto.h"
#include "psa_manifest/sid.h"
#include "tfm_builtin_key_ids.h"
#include "tfm_tinymaix_inference_api.h"

#define MODEL_PATH "models/fashion_mnist_q.tmdl"
#define DATA_DIR "/usr/share/datasets/fashion-mnist/"
#define ACCURACY_IMAGES 500
#define LABEL "pico2w-tinymaix-mnist-aes128-v1.0"

static struct fixture fx;
static char state_dir[64], other_dir[64];
static const char *const keep_state[] = {"--state-dir", state_dir, NULL};
static const char *const provisioning[] = {"--state-dir", state_dir, "--lifecycle",
                                           "psa-rot-provisioning", NULL};
static uint8_t plain[TFM_TINYMAIX_MODEL_MAX], sealed[TFM_TINYMAIX_SEALED_MAX];
static size_t plain_len, sealed_len;
static uint8_t *images, *labels; /* the test set, when installed */
static size_t n_images;

static size_t read_file(const char *path, uint8_t *buf, size_t size)
{
    gzFile f = gzopen(path, "rb");
    int n;

    if (f == NULL)
        return 0;
    n = gzread(f, buf, (unsigned)size);
    gzclose(f);
    return n > 0 ? (size_t)n : 0;
}

static void load_dataset(void)
{
    static uint8_t ifile[16 + 10000 * 784], lfile[8 + 10000];
    size_t ni = read_file(DATA_DIR "t10k-images-idx3-ubyte.gz", ifile, sizeof(ifile));
    size_t nl = read_file(DATA_DIR "t10k-labels-idx1-ubyte.gz", lfile, sizeof(lfile));

    if (ni != sizeof(ifile) || nl != sizeof(lfile) || ifile[2] != 8 || ifile[3] != 3 ||
        lfile[3] != 1)
        return;
    images = ifile + 16;
    labels = lfile + 8;
    n_images = 10000;
}

/* A daemon on the device of state_dir, in the given lifecycle. */
static void start(const char *const *args)
{
    assert_int_equal(fixture_start(&fx, args), 0);
}

static void stop(void)
{
    assert_int_equal(fixture_stop(&fx), 0);
}

static psa_handle_t open_loaded(void)
{
    psa_handle_t h;

    assert_int_equal(tfm_tinymaix_open(&h), PSA_SUCCESS);
    assert_int_equal(tfm_tinymaix_load_model(h, sealed, sealed_len), PSA_SUCCESS);
    return h;
}

/* An image: from the test set when installed, else a made-up one. */
static const uint8_t *image(size_t i)
{
    static uint8_t made[TFM_TINYMAIX_INPUT_SIZE];
    size_t k;

    if (images != NULL)
        return images + (i % n_images) * TFM_TINYMAIX_INPUT_SIZE;
    for (k = 0; k < sizeof(made); k++)
        made[k] = (uint8_t)((k * (7 + i)) ^ (k / 28 * 13));
    return made;
}

static void run_one(psa_handle_t h, const uint8_t *img, float *scores)
{
    size_t classes = 0;

    assert_int_equal(tfm_tinymaix_set_input(h, img, TFM_TINYMAIX_INPUT_SIZE), PSA_SUCCESS);
    assert_int_equal(tfm_tinymaix_run(h), PSA_SUCCESS);
    assert_int_equal(tfm_tinymaix_get_output(h, scores, 10, &classes), PSA_SUCCESS);
    assert_int_equal(classes, 10);
}

/* The shipped model, sealed once for the test device in the provisioning
 * state (as a factory would), for every test. */
static int group_setup(void **state)
{
    psa_handle_t h;
    psa_status_t st;

    (void)state;
    load_dataset();
    plain_len = read_file(MODEL_PATH, plain, sizeof(plain));
    if (plain_len == 0 || fixture_dir_new(state_dir, sizeof(state_dir), "tmx") != 0) {
        fprintf(stderr, "cannot read %s (run from the repository's root)\n", MODEL_PATH);
        return -1;
    }
    if (fixture_start(&fx, provisioning) != 0)
        return -1;
    st = tfm_tinymaix_open(&h);
    if (st == PSA_SUCCESS) {
        st = tfm_tinymaix_seal_model(h, plain, plain_len, sealed, sizeof(sealed), &sealed_len);
        tfm_tinymaix_close(h);
    }
    if (fixture_stop(&fx) != 0 || st != PSA_SUCCESS) {
        fprintf(stderr, "sealing the shipped model failed: %d\n", (int)st);
        return -1;
    }
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    fixture_dir_remove(other_dir);
    return fixture_dir_remove(state_dir);
}

/* The sealed format: the IV first, a whole number of blocks, the tag last;
 * the same model sealed twice differs (a fresh IV). */
static void test_sealed_format(void **state)
{
    static uint8_t again[TFM_TINYMAIX_SEALED_MAX];
    size_t again_len = 0;
    psa_handle_t h;

    (void)state;
    assert_int_equal(sealed_len, TFM_TINYMAIX_SEALED_SIZE(plain_len));
    assert_int_equal((sealed_len - TFM_TINYMAIX_IV_SIZE - TFM_TINYMAIX_TAG_SIZE) % 16, 0);
    assert_null(memmem(sealed, sealed_len, "MAIX", 4)); /* not the plain header anywhere */
    start(provisioning);
    assert_int_equal(tfm_tinymaix_open(&h), PSA_SUCCESS);
    assert_int_equal(tfm_tinymaix_seal_model(h, plain, plain_len, again, sizeof(again), &again_len),
                     PSA_SUCCESS);
    assert_int_equal(again_len, sealed_len);
    assert_memory_not_equal(again, sealed, TFM_TINYMAIX_IV_SIZE);
    /* both load */
    assert_int_equal(tfm_tinymaix_load_model(h, again, again_len), PSA_SUCCESS);
    /* sealing needs room for the whole sealed model */
    assert_int_equal(
        tfm_tinymaix_seal_model(h, plain, plain_len, again, sealed_len - 1, &again_len),
        PSA_ERROR_BUFFER_TOO_SMALL);
    /* and a .tmdl */
    assert_int_equal(tfm_tinymaix_seal_model(h, sealed, 100, again, sizeof(again), &again_len),
                     PSA_ERROR_INVALID_ARGUMENT);
    tfm_tinymaix_close(h);
    stop();
}

/* LOAD_MODEL, SET_INPUT, RUN_INFERENCE, GET_OUTPUT, and CLASSIFY agreeing. */
static void test_load_set_run_get(void **state)
{
    struct tfm_tinymaix_result r[3];
    float scores[10], sum = 0;
    size_t i, best = 0;
    psa_handle_t h;

    (void)state;
    start(keep_state);
    h = open_loaded();
    run_one(h, image(0), scores);
    for (i = 0; i < 10; i++) {
        assert_true(scores[i] >= 0 && scores[i] <= 1);
        sum += scores[i];
        if (scores[i] > scores[best])
            best = i;
    }
    assert_true(sum > 0.9f && sum < 1.1f); /* a softmax */
    if (labels != NULL)
        assert_int_equal(best, labels[0]); /* image 0 is an ankle boot the model knows */
    /* the same image in a batch of three gets the same answer */
    static uint8_t three[3 * TFM_TINYMAIX_INPUT_SIZE];
    for (i = 0; i < 3; i++)
        memcpy(three + i * TFM_TINYMAIX_INPUT_SIZE, image(i), TFM_TINYMAIX_INPUT_SIZE);
    assert_int_equal(tfm_tinymaix_classify(h, three, 3, r), PSA_SUCCESS);
    assert_int_equal(r[0].label, best);
    assert_true(r[0].score == scores[best]);
    /* a model loaded again replaces the first; the output is gone with it */
    assert_int_equal(tfm_tinymaix_load_model(h, sealed, sealed_len), PSA_SUCCESS);
    assert_int_equal(tfm_tinymaix_get_output(h, scores, 10, &i), PSA_ERROR_BAD_STATE);
    tfm_tinymaix_close(h);
    assert_true(fixture_log_has(&fx, "[TinyMaix]", "model loaded"));
    stop();
}

/* BAD_STATE, INVALID_ARGUMENT, BUFFER_TOO_SMALL, NOT_SUPPORTED. */
static void test_state_and_argument_errors(void **state)
{
    static uint8_t big[(TFM_TINYMAIX_BATCH_MAX + 1) * TFM_TINYMAIX_INPUT_SIZE];
    struct tfm_tinymaix_result r[TFM_TINYMAIX_BATCH_MAX + 1];
    uint8_t img[TFM_TINYMAIX_INPUT_SIZE + 1] = {0};
    float scores[10];
    size_t classes;
    psa_handle_t h;

    (void)state;
    start(keep_state);
    assert_int_equal(tfm_tinymaix_open(&h), PSA_SUCCESS);
    /* before a model */
    assert_int_equal(tfm_tinymaix_set_input(h, img, TFM_TINYMAIX_INPUT_SIZE), PSA_ERROR_BAD_STATE);
    assert_int_equal(tfm_tinymaix_run(h), PSA_ERROR_BAD_STATE);
    assert_int_equal(tfm_tinymaix_get_output(h, scores, 10, &classes), PSA_ERROR_BAD_STATE);
    assert_int_equal(tfm_tinymaix_classify(h, img, 1, r), PSA_ERROR_BAD_STATE);
    /* a sealed model of impossible size */
    assert_int_equal(tfm_tinymaix_load_model(h, sealed, 10), PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(tfm_tinymaix_load_model(h, sealed, sealed_len - 1),
                     PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(tfm_tinymaix_load_model(h, sealed, sealed_len), PSA_SUCCESS);
    /* a model but no input, then no run */
    assert_int_equal(tfm_tinymaix_run(h), PSA_ERROR_BAD_STATE);
    assert_int_equal(tfm_tinymaix_set_input(h, img, TFM_TINYMAIX_INPUT_SIZE), PSA_SUCCESS);
    assert_int_equal(tfm_tinymaix_get_output(h, scores, 10, &classes), PSA_ERROR_BAD_STATE);
    /* an input that is not 28x28x1 bytes */
    assert_int_equal(tfm_tinymaix_set_input(h, img, TFM_TINYMAIX_INPUT_SIZE - 1),
                     PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(tfm_tinymaix_set_input(h, img, TFM_TINYMAIX_INPUT_SIZE + 1),
                     PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(tfm_tinymaix_set_input(h, img, 0), PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(tfm_tinymaix_run(h), PSA_SUCCESS);
    /* an output vector short of one float */
    assert_int_equal(tfm_tinymaix_get_output(h, scores, 9, &classes), PSA_ERROR_BUFFER_TOO_SMALL);
    assert_int_equal(tfm_tinymaix_get_output(h, scores, 10, &classes), PSA_SUCCESS);
    /* batches: none, one too many, a partial image, a short result vector */
    psa_invec in = {big, sizeof(big)};
    psa_outvec out = {r, sizeof(r)};
    assert_int_equal(psa_call(h, TFM_TINYMAIX_CLASSIFY, &in, 1, &out, 1),
                     PSA_ERROR_INVALID_ARGUMENT);
    in.len = 0;
    assert_int_equal(psa_call(h, TFM_TINYMAIX_CLASSIFY, &in, 1, &out, 1),
                     PSA_ERROR_INVALID_ARGUMENT);
    in.len = 2 * TFM_TINYMAIX_INPUT_SIZE - 1;
    assert_int_equal(psa_call(h, TFM_TINYMAIX_CLASSIFY, &in, 1, &out, 1),
                     PSA_ERROR_INVALID_ARGUMENT);
    in.len = 2 * TFM_TINYMAIX_INPUT_SIZE;
    out.len = 2 * sizeof(r[0]) - 1;
    assert_int_equal(psa_call(h, TFM_TINYMAIX_CLASSIFY, &in, 1, &out, 1),
                     PSA_ERROR_BUFFER_TOO_SMALL);
    assert_int_equal(tfm_tinymaix_classify(h, big, TFM_TINYMAIX_BATCH_MAX + 1, r),
                     PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(tfm_tinymaix_classify(h, big, TFM_TINYMAIX_BATCH_MAX, r), PSA_SUCCESS);
    /* operations the service does not have */
    assert_int_equal(psa_call(h, 99, NULL, 0, NULL, 0), PSA_ERROR_NOT_SUPPORTED);
    assert_int_equal(psa_call(h, 0, NULL, 0, NULL, 0), PSA_ERROR_NOT_SUPPORTED);
    /* after all that, the session still works */
    assert_int_equal(tfm_tinymaix_run(h), PSA_SUCCESS);
    tfm_tinymaix_close(h);
    assert_true(fixture_alive(&fx));
    stop();
}

/* Two clients: each its own model, input and output; a malformed call of
 * one leaves the other's session as it was; one closing frees only its own. */
static void test_two_clients_isolated(void **state)
{
    float sa[10], sb[10], again[10];
    uint8_t img[TFM_TINYMAIX_INPUT_SIZE] = {0};
    psa_handle_t a, b, c[TFM_TINYMAIX_BATCH_MAX];
    size_t n, i;

    (void)state;
    start(keep_state);
    a = open_loaded();
    assert_int_equal(tfm_tinymaix_open(&b), PSA_SUCCESS);
    /* a's model is not b's */
    assert_int_equal(tfm_tinymaix_set_input(b, img, sizeof(img)), PSA_ERROR_BAD_STATE);
    assert_int_equal(tfm_tinymaix_load_model(b, sealed, sealed_len), PSA_SUCCESS);
    /* different images, runs interleaved */
    assert_int_equal(tfm_tinymaix_set_input(a, image(0), TFM_TINYMAIX_INPUT_SIZE), PSA_SUCCESS);
    assert_int_equal(tfm_tinymaix_set_input(b, image(1), TFM_TINYMAIX_INPUT_SIZE), PSA_SUCCESS);
    assert_int_equal(tfm_tinymaix_run(b), PSA_SUCCESS);
    assert_int_equal(tfm_tinymaix_run(a), PSA_SUCCESS);
    assert_int_equal(tfm_tinymaix_get_output(a, sa, 10, &n), PSA_SUCCESS);
    assert_int_equal(tfm_tinymaix_get_output(b, sb, 10, &n), PSA_SUCCESS);
    assert_memory_not_equal(sa, sb, sizeof(sa));
    run_one(a, image(0), again);
    assert_memory_equal(again, sa, sizeof(sa));
    /* b's malformed calls and a bad model do not touch a */
    assert_int_equal(tfm_tinymaix_set_input(b, img, 5), PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(tfm_tinymaix_load_model(b, sealed, sealed_len - 16),
                     PSA_ERROR_INVALID_SIGNATURE);
    assert_int_equal(tfm_tinymaix_get_output(a, again, 10, &n), PSA_SUCCESS);
    assert_memory_equal(again, sa, sizeof(sa));
    /* b lost its model with the failed load; a keeps its own */
    assert_int_equal(tfm_tinymaix_run(b), PSA_ERROR_BAD_STATE);
    tfm_tinymaix_close(b);
    assert_int_equal(tfm_tinymaix_run(a), PSA_SUCCESS);
    /* the sessions are bounded: the one past them is refused, not a crash,
     * and closing one makes room */
    for (i = 0; i < TFM_TINYMAIX_BATCH_MAX; i++)
        if (tfm_tinymaix_open(&c[i]) != PSA_SUCCESS)
            break;
    assert_true(i < TFM_TINYMAIX_BATCH_MAX);
    assert_int_equal(tfm_tinymaix_open(&b), PSA_ERROR_CONNECTION_BUSY);
    while (i > 0)
        tfm_tinymaix_close(c[--i]);
    assert_int_equal(tfm_tinymaix_open(&b), PSA_SUCCESS);
    tfm_tinymaix_close(b);
    assert_int_equal(tfm_tinymaix_get_output(a, again, 10, &n), PSA_SUCCESS);
    assert_memory_equal(again, sa, sizeof(sa));
    tfm_tinymaix_close(a);
    stop();
}

/* A model altered anywhere (IV, ciphertext, tag) is refused before it is
 * decrypted; so is one cut short by whole blocks. */
static void test_tampered_model_refused(void **state)
{
    static uint8_t bad[TFM_TINYMAIX_SEALED_MAX];
    const size_t where[] = {
        0, 15, 16, 100, sealed_len / 2, sealed_len - 33, sealed_len - 32, sealed_len - 1};
    psa_handle_t h;
    size_t i;

    (void)state;
    start(keep_state);
    assert_int_equal(tfm_tinymaix_open(&h), PSA_SUCCESS);
    for (i = 0; i < sizeof(where) / sizeof(where[0]); i++) {
        memcpy(bad, sealed, sealed_len);
        bad[where[i]] ^= 0x01;
        assert_int_equal(tfm_tinymaix_load_model(h, bad, sealed_len), PSA_ERROR_INVALID_SIGNATURE);
    }
    /* the last block gone, the tag moved up: still refused */
    memcpy(bad, sealed, sealed_len - 48);
    memcpy(bad + sealed_len - 48, sealed + sealed_len - 32, 32);
    assert_int_equal(tfm_tinymaix_load_model(h, bad, sealed_len - 16), PSA_ERROR_INVALID_SIGNATURE);
    /* a plain model is not a sealed one */
    assert_int_not_equal(tfm_tinymaix_load_model(h, plain, plain_len), PSA_SUCCESS);
    /* nothing was loaded */
    assert_int_equal(tfm_tinymaix_run(h), PSA_ERROR_BAD_STATE);
    assert_int_equal(tfm_tinymaix_load_model(h, sealed, sealed_len), PSA_SUCCESS);
    tfm_tinymaix_close(h);
    assert_true(fixture_log_has(&fx, "[TinyMaix]", "sealed model refused"));
    stop();
}

/* Another device (another OTP: another hardware unique key) cannot load a
 * model sealed for this one. */
static void test_other_device_refused(void **state)
{
    const char *const other[] = {"--state-dir", other_dir, NULL};
    psa_handle_t h;

    (void)state;
    assert_int_equal(fixture_dir_new(other_dir, sizeof(other_dir), "tmx-other"), 0);
    start(other);
    assert_int_equal(tfm_tinymaix_open(&h), PSA_SUCCESS);
    assert_int_equal(tfm_tinymaix_load_model(h, sealed, sealed_len), PSA_ERROR_INVALID_SIGNATURE);
    tfm_tinymaix_close(h);
    stop();
    /* and this device still can */
    start(keep_state);
    h = open_loaded();
    tfm_tinymaix_close(h);
    stop();
}

/* HKDF from the built-in HUK with the guide's label, from an app. */
static psa_status_t app_key(psa_key_type_t type, size_t bits, psa_algorithm_t alg,
                            psa_key_id_t *key)
{
    psa_key_derivation_operation_t op = PSA_KEY_DERIVATION_OPERATION_INIT;
    psa_key_attributes_t a = PSA_KEY_ATTRIBUTES_INIT;
    psa_status_t st;

    psa_set_key_type(&a, type);
    psa_set_key_bits(&a, bits);
    psa_set_key_usage_flags(&a, PSA_KEY_USAGE_EXPORT | PSA_KEY_USAGE_SIGN_MESSAGE |
                                    PSA_KEY_USAGE_VERIFY_MESSAGE);
    psa_set_key_algorithm(&a, alg);
    st = psa_key_derivation_setup(&op, PSA_ALG_HKDF(PSA_ALG_SHA_256));
    if (st == PSA_SUCCESS)
        st = psa_key_derivation_input_key(&op, PSA_KEY_DERIVATION_INPUT_SECRET,
                                          TFM_BUILTIN_KEY_ID_HUK);
    if (st == PSA_SUCCESS)
        st = psa_key_derivation_input_bytes(&op, PSA_KEY_DERIVATION_INPUT_INFO,
                                            (const uint8_t *)LABEL, strlen(LABEL));
    if (st == PSA_SUCCESS && type == PSA_KEY_TYPE_HMAC) { /* skip the AES key's 16 bytes */
        uint8_t skip[16];
        st = psa_key_derivation_output_bytes(&op, skip, sizeof(skip));
    }
    if (st == PSA_SUCCESS)
        st = psa_key_derivation_output_key(&a, &op, key);
    psa_key_derivation_abort(&op);
    return st;
}

/* The key an app derives: exported (the app asked for EXPORT). */
static int app_raw_key(uint8_t out[16])
{
    psa_key_id_t k;
    size_t n;
    int rc;

    if (app_key(PSA_KEY_TYPE_RAW_DATA, 128, 0, &k) != PSA_SUCCESS)
        return 1;
    rc = psa_export_key(k, out, 16, &n) == PSA_SUCCESS && n == 16 ? 0 : 1;
    psa_destroy_key(k);
    return rc;
}

/* In a second user's process: 0 if its key differs from @p arg's. */
static int other_user_differs(void *arg)
{
    uint8_t k[16];

    if (app_raw_key(k) != 0)
        return 1;
    return memcmp(k, arg, sizeof(k)) == 0 ? 3 : 0;
}

/* The HUK derives only, and what it derives is bound to the caller: an app
 * deriving with the service's label gets neither its MAC key (the tag it
 * computes is not the model's) nor its AES key; a second user gets yet
 * another; the HUK itself cannot be exported, copied or destroyed. */
static void test_key_bound_to_partition(void **state)
{
    uint8_t tag[32], k1[16], k2[16], k3[16];
    psa_key_id_t mac;
    size_t n;
    int rc;

    (void)state;
    start(keep_state);
    assert_int_equal(app_key(PSA_KEY_TYPE_HMAC, 256, PSA_ALG_HMAC(PSA_ALG_SHA_256), &mac),
                     PSA_SUCCESS);
    assert_int_equal(psa_mac_compute(mac, PSA_ALG_HMAC(PSA_ALG_SHA_256), sealed, sealed_len - 32,
                                     tag, sizeof(tag), &n),
                     PSA_SUCCESS);
    assert_memory_not_equal(tag, sealed + sealed_len - 32, 32);
    psa_destroy_key(mac);
    /* the derivation is stable for one caller, another for another user */
    assert_int_equal(app_raw_key(k1), 0);
    assert_int_equal(app_raw_key(k2), 0);
    assert_memory_equal(k1, k2, 16);
    rc = fixture_run_as(&fx, 4321, other_user_differs, k1);
    if (rc != -2) /* -2: not root, no second user */
        assert_int_equal(rc, 0);
    /* derivation only */
    assert_int_equal(psa_export_key(TFM_BUILTIN_KEY_ID_HUK, k3, sizeof(k3), &n),
                     PSA_ERROR_NOT_PERMITTED);
    assert_int_equal(psa_destroy_key(TFM_BUILTIN_KEY_ID_HUK), PSA_ERROR_NOT_PERMITTED);
    assert_int_equal(psa_mac_compute(TFM_BUILTIN_KEY_ID_HUK, PSA_ALG_HMAC(PSA_ALG_SHA_256), sealed,
                                     16, tag, sizeof(tag), &n),
                     PSA_ERROR_NOT_PERMITTED);
    stop();
}

/* The shipped build has no DEV_MODE: no key to read, no sealing once the
 * device is secured, and not a trace of it in the executable. */
static void test_no_dev_mode(void **state)
{
    uint8_t key[TFM_TINYMAIX_KEY_SIZE], out[TFM_TINYMAIX_SEALED_MAX];
    char cmd_out[256], exe[256];
    const char *dir = getenv("PARTIX_TEST_PARTITIONS");
    psa_handle_t h;
    size_t n = 0;

    (void)state;
    start(keep_state);
    h = open_loaded();
    assert_int_equal(tfm_tinymaix_get_model_key(h, key), PSA_ERROR_NOT_SUPPORTED);
    assert_int_equal(tfm_tinymaix_seal_model(h, plain, plain_len, out, sizeof(out), &n),
                     PSA_ERROR_NOT_PERMITTED);
    assert_int_equal(n, 0);
    tfm_tinymaix_close(h);
    assert_true(fixture_log_has(&fx, "[TinyMaix]", "sealing is for the provisioning"));
    assert_int_equal(fixture_log_count(&fx, "DEV_MODE", NULL), 0);
    stop();
    assert_non_null(dir);
    snprintf(exe, sizeof(exe), "%s/tfm_tinymaix_inference", dir);
    assert_int_equal(access(exe, X_OK), 0);
    assert_int_equal(fixture_sh(cmd_out, sizeof(cmd_out), "grep -c DEV_MODE '%s'", exe), 1);
}

/* Top-1 on the first ACCURACY_IMAGES test images, through the partition in
 * batches (all 10000: "psa-model accuracy", models/README.md). */
static void test_accuracy(void **state)
{
    struct tfm_tinymaix_result r[TFM_TINYMAIX_BATCH_MAX];
    size_t done = 0, right = 0, k, i;
    psa_handle_t h;

    (void)state;
    if (images == NULL) {
        fprintf(stderr, "SKIP: Fashion-MNIST is not installed (" DATA_DIR ")\n");
        skip();
    }
    start(keep_state);
    h = open_loaded();
    while (done < ACCURACY_IMAGES) {
        k = ACCURACY_IMAGES - done < TFM_TINYMAIX_BATCH_MAX ? ACCURACY_IMAGES - done
                                                            : TFM_TINYMAIX_BATCH_MAX;
        assert_int_equal(tfm_tinymaix_classify(h, image(done), k, r), PSA_SUCCESS);
        for (i = 0; i < k; i++)
            right += r[i].label == labels[done + i];
        done += k;
    }
    tfm_tinymaix_close(h);
    stop();
    printf("top-1 on the first %d test images: %zu (%.1f%%)\n", ACCURACY_IMAGES, right,
           100.0 * (double)right / ACCURACY_IMAGES);
    /* the shipped model: 458 (91.6%); 91.10% on all 10000 (models/README.md) */
    assert_true(right * 100 >= 90 * ACCURACY_IMAGES);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_sealed_format, fixture_teardown),
        cmocka_unit_test_teardown(test_load_set_run_get, fixture_teardown),
        cmocka_unit_test_teardown(test_state_and_argument_errors, fixture_teardown),
        cmocka_unit_test_teardown(test_two_clients_isolated, fixture_teardown),
        cmocka_unit_test_teardown(test_tampered_model_refused, fixture_teardown),
        cmocka_unit_test_teardown(test_other_device_refused, fixture_teardown),
        cmocka_unit_test_teardown(test_key_bound_to_partition, fixture_teardown),
        cmocka_unit_test_teardown(test_no_dev_mode, fixture_teardown),
        cmocka_unit_test_teardown(test_accuracy, fixture_teardown),
    };

    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
