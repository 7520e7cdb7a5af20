/* Mbed TLS first, then every partix public header. */
#include <psa/crypto.h>

#include <psa/client.h>
#include <psa/error.h>
#include <psa/initial_attestation.h>
#include <psa/internal_trusted_storage.h>
#include <psa/lifecycle.h>
#include <psa/protected_storage.h>
#include <psa/service.h>
#include <psa/storage_common.h>
#include <tfm_hal_platform.h>
#include <tfm_bls_hsm_api.h>
#include <tfm_platform_api.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "headers_test.h"

void test_crypto_first(void **state)
{
    (void)state;
    /* Both headers agree on the shared codes. */
    assert_int_equal(PSA_ERROR_INVALID_ARGUMENT, -135);
    assert_int_equal(PSA_ERROR_DATA_INVALID, -153);
    assert_int_equal(sizeof(psa_status_t), 4);
    /* Crypto types and FF-M types are both usable. */
    psa_key_attributes_t attr = PSA_KEY_ATTRIBUTES_INIT;
    psa_set_key_bits(&attr, 128);
    assert_int_equal(psa_get_key_bits(&attr), 128);
    psa_msg_t msg = {0};
    psa_storage_uid_t uid = 1;
    assert_int_equal(uid + PSA_STORAGE_FLAG_WRITE_ONCE, 2);
    assert_int_equal(sizeof(msg.in_size) / sizeof(msg.in_size[0]), PSA_MAX_IOVEC);
    /* The attestation API's prototypes use Mbed TLS's psa_status_t (not evaluated:
     * nothing to link). */
    assert_true(_Generic(&psa_initial_attest_get_token,
                         psa_status_t(*)(const uint8_t *, size_t, uint8_t *, size_t, size_t *) : 1,
                         default : 0));
    assert_true(PSA_INITIAL_ATTEST_MAX_TOKEN_SIZE >= PSA_INITIAL_ATTEST_CHALLENGE_SIZE_64);
    /* Both storage APIs are declared beside PSA Crypto (sizeof does not
     * call them: this test links no service). */
    assert_int_equal(sizeof(psa_ps_set(1, 0, NULL, 0)), sizeof(psa_status_t));
    assert_int_equal(sizeof(psa_its_set(1, 0, NULL, 0)), sizeof(psa_status_t));
    assert_int_equal(sizeof(psa_ps_get_support()), sizeof(uint32_t));
}
