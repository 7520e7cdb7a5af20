/*
 * test_tinymaix_dev.c - the DEV_MODE build of the TinyMaix inference
 * service (in a system of its own, $PARTIX_TEST_TINYMAIX_DEV_LIST): it
 * seals in the secured lifecycle state and gives out the model key, and
 * that key, with Mbed TLS here, decrypts the sealed model back to the
 * plain .tmdl: the IV first, AES-128-CBC, PKCS#7 padding, the tag last.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include <cmocka.h>

#include "mbedtls/aes.h"

#include "fixture.h"
#include "psa/client.h"
#include "tfm_tinymaix_inference_api.h"

#define MODEL_PATH "models/fashion_mnist_q.tmdl"

static struct fixture fx;
static char state_dir[64];
static const char *const keep_state[] = {"--state-dir", state_dir, NULL};

static int setup(void **state)
{
    const char *list = getenv("PARTIX_TEST_TINYMAIX_DEV_LIST");

    (void)state;
    if (list == NULL) {
        fprintf(stderr, "set PARTIX_TEST_TINYMAIX_DEV_LIST (test/test.mk's E2E_ENV)\n");
        return -1;
    }
    setenv("PARTIX_TEST_LIST", list, 1);
    unsetenv("PARTIX_TEST_EXTRA_LIST");
    return fixture_dir_new(state_dir, sizeof(state_dir), "tmx-dev");
}

static int teardown(void **state)
{
    (void)state;
    return fixture_dir_remove(state_dir);
}

static void test_dev_mode_key_opens_the_model(void **state)
{
    static uint8_t plain[TFM_TINYMAIX_MODEL_MAX], sealed[TFM_TINYMAIX_SEALED_MAX],
        opened[TFM_TINYMAIX_SEALED_MAX];
    uint8_t key[TFM_TINYMAIX_KEY_SIZE], key2[TFM_TINYMAIX_KEY_SIZE], iv[16];
    size_t plain_len, sealed_len = 0, body, pad;
    mbedtls_aes_context aes;
    psa_handle_t h;
    gzFile f;
    int n;

    (void)state;
    assert_non_null(f = gzopen(MODEL_PATH, "rb"));
    n = gzread(f, plain, sizeof(plain));
    gzclose(f);
    assert_true(n > 64);
    plain_len = (size_t)n;

    assert_int_equal(fixture_start(&fx, keep_state), 0); /* secured, as every fresh device */
    assert_true(fixture_log_has(&fx, "[TinyMaix]", "DEV_MODE build"));
    assert_int_equal(tfm_tinymaix_open(&h), PSA_SUCCESS);
    assert_int_equal(
        tfm_tinymaix_seal_model(h, plain, plain_len, sealed, sizeof(sealed), &sealed_len),
        PSA_SUCCESS);
    assert_int_equal(tfm_tinymaix_get_model_key(h, key), PSA_SUCCESS);
    assert_int_equal(tfm_tinymaix_get_model_key(h, key2), PSA_SUCCESS);
    assert_memory_equal(key, key2, sizeof(key)); /* one key per device and partition */
    assert_int_equal(tfm_tinymaix_load_model(h, sealed, sealed_len), PSA_SUCCESS);
    tfm_tinymaix_close(h);
    assert_int_equal(fixture_stop(&fx), 0);

    /* the key and the format open the sealed model here */
    body = sealed_len - TFM_TINYMAIX_IV_SIZE - TFM_TINYMAIX_TAG_SIZE;
    memcpy(iv, sealed, sizeof(iv));
    mbedtls_aes_init(&aes);
    assert_int_equal(mbedtls_aes_setkey_dec(&aes, key, 128), 0);
    assert_int_equal(mbedtls_aes_crypt_cbc(&aes, MBEDTLS_AES_DECRYPT, body, iv,
                                           sealed + TFM_TINYMAIX_IV_SIZE, opened),
                     0);
    mbedtls_aes_free(&aes);
    pad = opened[body - 1];
    assert_true(pad >= 1 && pad <= 16);
    assert_int_equal(body - pad, plain_len);
    assert_memory_equal(opened, plain, plain_len);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_dev_mode_key_opens_the_model, fixture_teardown),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
