/* Every partix public header first, then Mbed TLS; and the FF-M values. */
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

#include <psa/crypto.h>

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "headers_test.h"

void test_psa_first(void **state)
{
    static const struct {
        long long got, want;
        const char *name;
    } v[] = {
        {PSA_SUCCESS, 0, "PSA_SUCCESS"},
        {PSA_ERROR_PROGRAMMER_ERROR, -129, "PROGRAMMER_ERROR"},
        {PSA_ERROR_CONNECTION_REFUSED, -130, "CONNECTION_REFUSED"},
        {PSA_ERROR_CONNECTION_BUSY, -131, "CONNECTION_BUSY"},
        {PSA_ERROR_GENERIC_ERROR, -132, "GENERIC_ERROR"},
        {PSA_ERROR_NOT_PERMITTED, -133, "NOT_PERMITTED"},
        {PSA_ERROR_NOT_SUPPORTED, -134, "NOT_SUPPORTED"},
        {PSA_ERROR_INVALID_ARGUMENT, -135, "INVALID_ARGUMENT"},
        {PSA_ERROR_INVALID_HANDLE, -136, "INVALID_HANDLE"},
        {PSA_ERROR_BAD_STATE, -137, "BAD_STATE"},
        {PSA_ERROR_BUFFER_TOO_SMALL, -138, "BUFFER_TOO_SMALL"},
        {PSA_ERROR_ALREADY_EXISTS, -139, "ALREADY_EXISTS"},
        {PSA_ERROR_DOES_NOT_EXIST, -140, "DOES_NOT_EXIST"},
        {PSA_ERROR_INSUFFICIENT_MEMORY, -141, "INSUFFICIENT_MEMORY"},
        {PSA_ERROR_INSUFFICIENT_STORAGE, -142, "INSUFFICIENT_STORAGE"},
        {PSA_ERROR_INSUFFICIENT_DATA, -143, "INSUFFICIENT_DATA"},
        {PSA_ERROR_SERVICE_FAILURE, -144, "SERVICE_FAILURE"},
        {PSA_ERROR_COMMUNICATION_FAILURE, -145, "COMMUNICATION_FAILURE"},
        {PSA_ERROR_STORAGE_FAILURE, -146, "STORAGE_FAILURE"},
        {PSA_ERROR_HARDWARE_FAILURE, -147, "HARDWARE_FAILURE"},
        {PSA_ERROR_INVALID_SIGNATURE, -149, "INVALID_SIGNATURE"},
        {PSA_ERROR_CORRUPTION_DETECTED, -151, "CORRUPTION_DETECTED"},
        {PSA_ERROR_DATA_CORRUPT, -152, "DATA_CORRUPT"},
        {PSA_ERROR_DATA_INVALID, -153, "DATA_INVALID"},
        {PSA_IPC_CALL, 0, "PSA_IPC_CALL"},
        {PSA_IPC_CONNECT, -1, "PSA_IPC_CONNECT"},
        {PSA_IPC_DISCONNECT, -2, "PSA_IPC_DISCONNECT"},
        {PSA_MAX_IOVEC, 4, "PSA_MAX_IOVEC"},
        {PSA_NULL_HANDLE, 0, "PSA_NULL_HANDLE"},
        {PSA_VERSION_NONE, 0, "PSA_VERSION_NONE"},
        {PSA_FRAMEWORK_VERSION, 0x0101, "PSA_FRAMEWORK_VERSION"},
        {PSA_POLL, 0, "PSA_POLL"},
        {PSA_BLOCK, 0x80000000LL, "PSA_BLOCK"},
        {PSA_WAIT_ANY, 0xFFFFFFFFLL, "PSA_WAIT_ANY"},
        {PSA_DOORBELL, 0x8, "PSA_DOORBELL"},
        {PSA_FLIH_NO_SIGNAL, 0, "PSA_FLIH_NO_SIGNAL"},
        {PSA_FLIH_SIGNAL, 1, "PSA_FLIH_SIGNAL"},
        {PSA_LIFECYCLE_UNKNOWN, 0x0000, "LIFECYCLE_UNKNOWN"},
        {PSA_LIFECYCLE_ASSEMBLY_AND_TEST, 0x1000, "LIFECYCLE_ASSEMBLY_AND_TEST"},
        {PSA_LIFECYCLE_PSA_ROT_PROVISIONING, 0x2000, "LIFECYCLE_PSA_ROT_PROVISIONING"},
        {PSA_LIFECYCLE_SECURED, 0x3000, "LIFECYCLE_SECURED"},
        {PSA_LIFECYCLE_NON_PSA_ROT_DEBUG, 0x4000, "LIFECYCLE_NON_PSA_ROT_DEBUG"},
        {PSA_LIFECYCLE_RECOVERABLE_PSA_ROT_DEBUG, 0x5000, "LIFECYCLE_RECOVERABLE_PSA_ROT_DEBUG"},
        {PSA_LIFECYCLE_DECOMMISSIONED, 0x6000, "LIFECYCLE_DECOMMISSIONED"},
        {PSA_STORAGE_FLAG_NONE, 0, "PSA_STORAGE_FLAG_NONE"},
        {PSA_STORAGE_FLAG_WRITE_ONCE, 1, "PSA_STORAGE_FLAG_WRITE_ONCE"},
        {PSA_STORAGE_FLAG_NO_CONFIDENTIALITY, 2, "PSA_STORAGE_FLAG_NO_CONFIDENTIALITY"},
        {PSA_STORAGE_FLAG_NO_REPLAY_PROTECTION, 4, "PSA_STORAGE_FLAG_NO_REPLAY_PROTECTION"},
        {PSA_STORAGE_SUPPORT_SET_EXTENDED, 1, "PSA_STORAGE_SUPPORT_SET_EXTENDED"},
        {PSA_ITS_API_VERSION_MAJOR, 1, "PSA_ITS_API_VERSION_MAJOR"},
        {PSA_ITS_API_VERSION_MINOR, 0, "PSA_ITS_API_VERSION_MINOR"},
        {TFM_PLATFORM_ERR_SUCCESS, 0, "TFM_PLATFORM_ERR_SUCCESS"},
        {TFM_PLATFORM_ERR_SYSTEM_ERROR, 1, "TFM_PLATFORM_ERR_SYSTEM_ERROR"},
        {TFM_PLATFORM_ERR_INVALID_PARAM, 2, "TFM_PLATFORM_ERR_INVALID_PARAM"},
        {TFM_PLATFORM_ERR_NOT_SUPPORTED, 3, "TFM_PLATFORM_ERR_NOT_SUPPORTED"},
        {sizeof(enum tfm_platform_err_t), sizeof(int), "sizeof(enum tfm_platform_err_t)"},
        {TFM_PLATFORM_API_ID_NV_READ, 1010, "TFM_PLATFORM_API_ID_NV_READ"},
        {TFM_PLATFORM_API_ID_NV_INCREMENT, 1011, "TFM_PLATFORM_API_ID_NV_INCREMENT"},
        {TFM_PLATFORM_API_ID_SYSTEM_RESET, 1012, "TFM_PLATFORM_API_ID_SYSTEM_RESET"},
        {TFM_PLATFORM_API_ID_IOCTL, 1013, "TFM_PLATFORM_API_ID_IOCTL"},
        {TFM_PLAT_SWSYN_DEFAULT, 0, "TFM_PLAT_SWSYN_DEFAULT"},
        {PSA_INITIAL_ATTEST_API_VERSION_MAJOR, 1, "PSA_INITIAL_ATTEST_API_VERSION_MAJOR"},
        {PSA_INITIAL_ATTEST_API_VERSION_MINOR, 0, "PSA_INITIAL_ATTEST_API_VERSION_MINOR"},
        {PSA_INITIAL_ATTEST_CHALLENGE_SIZE_32, 32, "PSA_INITIAL_ATTEST_CHALLENGE_SIZE_32"},
        {PSA_INITIAL_ATTEST_CHALLENGE_SIZE_48, 48, "PSA_INITIAL_ATTEST_CHALLENGE_SIZE_48"},
        {PSA_INITIAL_ATTEST_CHALLENGE_SIZE_64, 64, "PSA_INITIAL_ATTEST_CHALLENGE_SIZE_64"},
        {PSA_PS_API_VERSION_MAJOR, 1, "PSA_PS_API_VERSION_MAJOR"},
        {PSA_PS_API_VERSION_MINOR, 0, "PSA_PS_API_VERSION_MINOR"},
        {PSA_PS_SUPPORT_SET_EXTENDED, 1, "PSA_PS_SUPPORT_SET_EXTENDED"},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        if (v[i].got != v[i].want)
            fail_msg("%s is %lld, FF-M says %lld", v[i].name, v[i].got, v[i].want);
    }
    /* Types have the widths and signedness FF-M gives them. */
    assert_int_equal(sizeof(psa_handle_t), 4);
    assert_true((psa_handle_t)-1 < 0);
    assert_int_equal(sizeof(psa_signal_t), 4);
    assert_true((psa_signal_t)-1 > 0);
    assert_true(PSA_HANDLE_IS_VALID(1) && !PSA_HANDLE_IS_VALID(0) &&
                !PSA_HANDLE_IS_VALID(PSA_ERROR_CONNECTION_REFUSED));
    assert_int_equal(PSA_HANDLE_TO_ERROR(-130), PSA_ERROR_CONNECTION_REFUSED);
    psa_invec in = {"x", 1};
    psa_outvec out = {NULL, 0};
    assert_int_equal(in.len + out.len, 1);
    /* The storage types have the spec's widths. */
    assert_int_equal(sizeof(psa_storage_uid_t), 8);
    assert_int_equal(sizeof(psa_storage_create_flags_t), 4);
    struct psa_storage_info_t info = {0, 0, PSA_STORAGE_FLAG_WRITE_ONCE};
    assert_int_equal(info.flags, 1);
    /* And PSA Crypto still works in the same translation unit. */
    assert_int_equal(PSA_HASH_LENGTH(PSA_ALG_SHA_256), 32);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crypto_first),
        cmocka_unit_test(test_psa_first),
    };

    return cmocka_run_group_tests_name("public_headers", tests, NULL, NULL);
}
