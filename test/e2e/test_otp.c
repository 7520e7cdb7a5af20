/*
 * test_otp.c - the simulated OTP, end to end: provisioned at first start
 * (0600, a HUK, an attestation key pair whose halves match), the same
 * secrets at the next start and a new boot seed, read only by a partition
 * granted the region and never writable, a damaged file refused, and
 * "partix-ctl otp provision" with fuse semantics (forward-only lifecycle,
 * write-once fields).  The key pair is checked with the Crypto service
 * (this program's psa_* crypto calls are libpsa-client's).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "psa/crypto.h"

#include "durable_file.h"
#include "fixture.h"
#include "otp_layout.h"
#include "psa/client.h"
#include "psa/lifecycle.h"
#include "psa_manifest/sid.h"
#include "test_mmio_ops.h"
#include "test_ops.h"
#include "tfm_plat_otp.h"

static struct fixture fx;
static char state[128], top[64];
static const char *args[] = {"--state-dir", state, "--fault-policy", "restart", NULL};

/* A fresh state directory for each test. */
static int setup(void **st)
{
    (void)st;
    snprintf(top, sizeof(top), "/tmp/partix-otp-XXXXXX");
    if (mkdtemp(top) == NULL)
        return -1;
    snprintf(state, sizeof(state), "%s/state", top);
    return 0;
}

static int teardown(void **st)
{
    char cmd[96];

    fixture_teardown(st);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", top);
    return system(cmd) == 0 ? 0 : -1;
}

/* tfm_plat_otp_read(id) in the driver partition, granted the OTP. */
static psa_status_t otp(uint32_t id, void *out, size_t n)
{
    psa_invec in = {&id, sizeof(id)};
    psa_outvec o = {out, n};

    return psa_call(PARTIX_TEST_MMIO_HANDLE, TEST_MMIO_OP_OTP, &in, 1, &o, 1);
}

/* Runs "partix-ctl otp ARGS --state-dir STATE": its exit status, its output in
 * @p out. */
static int spm_otp(const char *args_, char *out, size_t size)
{
    return fixture_sh(out, size, "%s otp %s --state-dir %s", fixture_ctl(), args_, state);
}

/* The hex after "@p key: " in "partix-ctl otp show" output, as bytes. */
static size_t field_hex(const char *text, const char *key, uint8_t *out, size_t max)
{
    const char *at = strstr(text, key);
    size_t n = 0;
    unsigned v;

    if (at == NULL)
        return 0;
    at += strlen(key);
    while (n < max && sscanf(at + 2 * n, "%2x", &v) == 1 && at[2 * n] != '\n')
        out[n++] = (uint8_t)v;
    return n;
}

static bool all_zero(const uint8_t *p, size_t n)
{
    while (n-- > 0)
        if (*p++ != 0)
            return false;
    return true;
}

static void test_first_start_provisions(void **st)
{
    uint8_t huk[32], huk2[32], iak[32], seed[32], seed2[32], impl[32], pub[65], shown[65];
    uint8_t impl_shown[32];
    uint32_t len = 0, type = 0, lcs = 0xff;
    char path[192], out[2048];
    psa_key_attributes_t a = PSA_KEY_ATTRIBUTES_INIT;
    psa_key_id_t key;
    struct stat sb;
    size_t n;

    (void)st;
    assert_int_equal(fixture_start(&fx, args), 0);
    assert_true(fixture_log_has(&fx, "OTP ", "provisioned: new hardware unique key"));
    snprintf(path, sizeof(path), "%s/otp", state);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_int_equal(sb.st_size, 416);

    assert_int_equal(otp(PLAT_OTP_ID_HUK, huk, sizeof(huk)), TFM_PLAT_ERR_SUCCESS);
    assert_false(all_zero(huk, sizeof(huk)));
    assert_int_equal(otp(PLAT_OTP_ID_IAK_LEN, &len, sizeof(len)), TFM_PLAT_ERR_SUCCESS);
    assert_int_equal(len, 32);
    assert_int_equal(otp(PLAT_OTP_ID_IAK_TYPE, &type, sizeof(type)), TFM_PLAT_ERR_SUCCESS);
    assert_int_equal(type, PSA_ECC_FAMILY_SECP_R1);
    assert_int_equal(otp(PLAT_OTP_ID_LCS, &lcs, sizeof(lcs)), TFM_PLAT_ERR_SUCCESS);
    assert_int_equal(lcs, PLAT_OTP_LCS_SECURED);
    assert_int_equal(otp(PLAT_OTP_ID_BOOT_SEED, seed, sizeof(seed)), TFM_PLAT_ERR_SUCCESS);
    assert_false(all_zero(seed, sizeof(seed)));
    assert_int_equal(otp(PLAT_OTP_ID_IAK, iak, sizeof(iak)), TFM_PLAT_ERR_SUCCESS);
    assert_int_equal(otp(PLAT_OTP_ID_IMPLEMENTATION_ID, impl, sizeof(impl)), TFM_PLAT_ERR_SUCCESS);
    /* partix holds no group unique key */
    assert_int_equal(otp(PLAT_OTP_ID_GUK, huk2, sizeof(huk2)), TFM_PLAT_ERR_UNSUPPORTED);

    /* the private key the partition reads is the public key "show" prints */
    assert_int_equal(spm_otp("show", out, sizeof(out)), 0);
    assert_non_null(strstr(out, "lifecycle: secured (0x3)"));
    assert_int_equal(field_hex(out, "iak-public-key: ", shown, sizeof(shown)), 65);
    assert_int_equal(field_hex(out, "implementation-id: ", impl_shown, 32), 32);
    assert_memory_equal(impl, impl_shown, 32);
    assert_int_equal(psa_crypto_init(), PSA_SUCCESS);
    psa_set_key_type(&a, PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1));
    assert_int_equal(psa_import_key(&a, iak, sizeof(iak), &key), PSA_SUCCESS);
    assert_int_equal(psa_export_public_key(key, pub, sizeof(pub), &n), PSA_SUCCESS);
    psa_destroy_key(key);
    assert_int_equal(n, 65);
    assert_memory_equal(pub, shown, 65);
    assert_int_equal(spm_otp("pubkey", out, sizeof(out)), 0);
    assert_non_null(strstr(out, "-----BEGIN PUBLIC KEY-----"));
    assert_int_equal(fixture_stop(&fx), 0);

    /* the next start: the same device, a new boot; a write of the OTP that
     * a crash cut short (secrets in it) is removed */
    snprintf(path, sizeof(path), "%s/otp.tmp", state);
    {
        FILE *f = fopen(path, "w");

        assert_non_null(f);
        assert_true(fputs("half an OTP", f) >= 0);
        assert_int_equal(fclose(f), 0);
    }
    assert_int_equal(fixture_start(&fx, args), 0);
    assert_int_equal(access(path, F_OK), -1);
    assert_false(fixture_log_has(&fx, "provisioned", NULL));
    assert_int_equal(otp(PLAT_OTP_ID_HUK, huk2, sizeof(huk2)), TFM_PLAT_ERR_SUCCESS);
    assert_memory_equal(huk, huk2, sizeof(huk));
    assert_int_equal(otp(PLAT_OTP_ID_BOOT_SEED, seed2, sizeof(seed2)), TFM_PLAT_ERR_SUCCESS);
    assert_memory_not_equal(seed, seed2, sizeof(seed));
    assert_int_equal(fixture_stop(&fx), 0);
}

static void test_only_granted_partitions_read(void **st)
{
    uint32_t id = PLAT_OTP_ID_HUK, v = 0;
    psa_invec in = {&id, sizeof(id)};
    struct test_mmio_access acc = {TEST_OTP_BASE, 0};
    psa_invec ain = {&acc, sizeof(acc)};
    psa_outvec aout = {&v, sizeof(v)};
    char magic[9] = {0};

    (void)st;
    assert_int_equal(fixture_start(&fx, args), 0);
    /* a partition whose manifest does not name the region has no OTP */
    assert_int_equal(psa_call(PARTIX_TEST_STATELESS_HANDLE, TEST_OP_OTP, &in, 1, NULL, 0),
                     TFM_PLAT_ERR_UNSUPPORTED);
    /* the granted one reads the region at its address, as plain memory */
    assert_int_equal(psa_call(PARTIX_TEST_MMIO_HANDLE, TEST_MMIO_OP_READ32, &ain, 1, &aout, 1),
                     PSA_SUCCESS);
    memcpy(magic, &v, 4);
    assert_string_equal(magic, "PART");
    /* but may not write it: a fault */
    assert_int_equal(psa_call(PARTIX_TEST_MMIO_HANDLE, TEST_MMIO_OP_WRITE32, &ain, 1, NULL, 0),
                     PSA_ERROR_COMMUNICATION_FAILURE);
    assert_true(fixture_log_has(&fx, "partition PARTIX_SP_TEST_MMIO",
                                "killed by signal Segmentation fault"));
    assert_int_equal(fixture_stop(&fx), 0);
}

static void test_damaged_otp_refused(void **st)
{
    char path[192], out[1024];
    FILE *f;
    int c;

    (void)st;
    assert_int_equal(fixture_start(&fx, args), 0);
    assert_int_equal(fixture_stop(&fx), 0);
    snprintf(path, sizeof(path), "%s/otp", state);
    f = fopen(path, "r+");
    assert_non_null(f);
    assert_int_equal(fseek(f, 20, SEEK_SET), 0); /* a byte of the HUK, changed */
    c = fgetc(f);
    assert_true(c != EOF);
    assert_int_equal(fseek(f, 20, SEEK_SET), 0);
    assert_int_equal(fputc(c ^ 0x5a, f), c ^ 0x5a);
    assert_int_equal(fclose(f), 0);
    assert_int_not_equal(spm_otp("show", out, sizeof(out)), 0);
    assert_non_null(strstr(out, "damaged (its CRC does not match)"));
    /* the daemon does not come up as another device */
    assert_int_not_equal(fixture_start(&fx, args), 0);
}

/* A well-formed OTP whose HUK was never programmed: refused too, or
 * Protected Storage would derive its key from zeros. */
static void test_blank_secret_refused(void **st)
{
    struct partix_otp o;
    char path[192], out[1024];
    FILE *f;

    (void)st;
    assert_int_equal(fixture_start(&fx, args), 0);
    assert_int_equal(fixture_stop(&fx), 0);
    snprintf(path, sizeof(path), "%s/otp", state);
    f = fopen(path, "r+");
    assert_non_null(f);
    assert_int_equal(fread(&o, 1, sizeof(o), f), sizeof(o));
    memset(o.huk, 0, sizeof(o.huk));
    o.crc = partix_crc32(&o, offsetof(struct partix_otp, crc));
    assert_int_equal(fseek(f, 0, SEEK_SET), 0);
    assert_int_equal(fwrite(&o, 1, sizeof(o), f), sizeof(o));
    assert_int_equal(fclose(f), 0);
    assert_int_not_equal(spm_otp("show", out, sizeof(out)), 0);
    assert_non_null(strstr(out, "a secret in it is blank (all zeros)"));
    assert_int_not_equal(fixture_start(&fx, args), 0);
}

static void test_provisioning(void **st)
{
    char out[2048];
    uint32_t lc = 0, lcs = 0xff;
    psa_outvec o = {&lc, sizeof(lc)};

    (void)st;
    assert_int_equal(spm_otp("show", out, sizeof(out)), 1); /* nothing yet */
    assert_non_null(strstr(out, "not provisioned yet"));
    /* a certification reference psa-attest would refuse in every token */
    assert_int_not_equal(spm_otp("provision --cert-ref not-an-ean", out, sizeof(out)), 0);
    assert_non_null(strstr(out, "--cert-ref: 13 digits"));
    assert_int_not_equal(spm_otp("provision --cert-ref 1234567890123_12345", out, sizeof(out)), 0);
    /* a URL that is not one (here a byte that is not UTF-8): tokens would
     * carry text psa-attest refuses */
    assert_int_not_equal(
        spm_otp("provision --verification-service-url \"$(printf 'https://x\\377')\"", out,
                sizeof(out)),
        0);
    assert_non_null(strstr(out, "visible ASCII characters only"));
    assert_int_equal(spm_otp("show", out, sizeof(out)), 1); /* exit 1: still nothing */
    assert_int_equal(spm_otp("provision --lifecycle psa-rot-provisioning --implementation-id "
                             "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff "
                             "--cert-ref 1234567890123-12345",
                             out, sizeof(out)),
                     0);
    assert_non_null(strstr(out, "lifecycle: psa-rot-provisioning (0x1)"));
    assert_non_null(strstr(out, "implementation-id: 00112233445566778899aabbccddeeff"));
    assert_non_null(strstr(out, "cert-ref: 1234567890123-12345"));

    /* the daemon and its partitions see the provisioned state */
    assert_int_equal(fixture_start(&fx, args), 0);
    assert_true(
        fixture_log_has(&fx, "lifecycle state psa-rot-provisioning (0x2000), from the OTP", NULL));
    assert_int_equal(otp(PLAT_OTP_ID_LCS, &lcs, sizeof(lcs)), TFM_PLAT_ERR_SUCCESS);
    assert_int_equal(lcs, PLAT_OTP_LCS_PSA_ROT_PROVISIONING);
    assert_int_equal(psa_call(PARTIX_TEST_STATELESS_HANDLE, TEST_OP_LIFECYCLE, NULL, 0, &o, 1),
                     PSA_SUCCESS);
    assert_int_equal(lc, PSA_LIFECYCLE_PSA_ROT_PROVISIONING);
    assert_int_equal(fixture_stop(&fx), 0);

    /* fuses: forward only, written once */
    assert_int_equal(spm_otp("provision --lifecycle secured", out, sizeof(out)), 0);
    assert_non_null(strstr(out, "lifecycle: secured (0x3)"));
    assert_int_not_equal(spm_otp("provision --lifecycle assembly-and-test", out, sizeof(out)), 0);
    assert_non_null(strstr(out, "cannot go back from secured to assembly-and-test"));
    assert_int_not_equal(spm_otp("provision --implementation-id "
                                 "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
                                 out, sizeof(out)),
                         0);
    assert_non_null(strstr(out, "the implementation id is already programmed"));
    assert_int_not_equal(spm_otp("provision --cert-ref 9999999999999", out, sizeof(out)), 0);
    assert_non_null(strstr(out, "--cert-ref is already programmed"));
    assert_int_equal(
        spm_otp("provision --verification-service-url https://verifier.example", out, sizeof(out)),
        0);
    assert_non_null(strstr(out, "verification-service-url: https://verifier.example"));
    assert_int_not_equal(spm_otp("provision --lifecycle on-fire", out, sizeof(out)), 0);
    assert_non_null(strstr(out, "'on-fire' is not a lifecycle state the OTP holds"));
    assert_int_equal(spm_otp("provision --lifecycle decommissioned", out, sizeof(out)), 0);
    assert_non_null(strstr(out, "lifecycle: decommissioned (0x7)"));
}

/* A board whose otp region does not start a page: the partition finds the
 * OTP at the region's address all the same, not the bytes around it. */
static void test_region_off_a_page_boundary(void **st)
{
    char plat[192], cmd[512], out[2048];
    const char *a[] = {"--state-dir", state, "--platform", plat, NULL};
    uint8_t huk[32], iak[32], pub[65], shown[65];
    uint32_t lcs = 0xff;
    psa_key_attributes_t ka = PSA_KEY_ATTRIBUTES_INIT;
    psa_key_id_t key;
    size_t n;

    (void)st;
    snprintf(plat, sizeof(plat), "%s/board.yaml", top);
    snprintf(cmd, sizeof(cmd), "sed 's/base: 0x40500000/base: 0x40500100/' %s > %s",
             getenv("PARTIX_TEST_PLATFORM"), plat);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(fixture_start(&fx, a), 0);
    assert_int_equal(otp(PLAT_OTP_ID_LCS, &lcs, sizeof(lcs)), TFM_PLAT_ERR_SUCCESS);
    assert_int_equal(lcs, PLAT_OTP_LCS_SECURED);
    assert_int_equal(otp(PLAT_OTP_ID_HUK, huk, sizeof(huk)), TFM_PLAT_ERR_SUCCESS);
    assert_false(all_zero(huk, sizeof(huk)));
    assert_int_equal(otp(PLAT_OTP_ID_IAK, iak, sizeof(iak)), TFM_PLAT_ERR_SUCCESS);
    assert_int_equal(fixture_stop(&fx), 0);
    /* the private key read is the device's */
    assert_int_equal(spm_otp("show", out, sizeof(out)), 0);
    assert_int_equal(field_hex(out, "iak-public-key: ", shown, sizeof(shown)), 65);
    assert_int_equal(fixture_start(&fx, args), 0); /* the Crypto service, on the usual board */
    assert_int_equal(psa_crypto_init(), PSA_SUCCESS);
    psa_set_key_type(&ka, PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1));
    assert_int_equal(psa_import_key(&ka, iak, sizeof(iak), &key), PSA_SUCCESS);
    assert_int_equal(psa_export_public_key(key, pub, sizeof(pub), &n), PSA_SUCCESS);
    psa_destroy_key(key);
    assert_int_equal(n, 65);
    assert_memory_equal(pub, shown, 65);
    assert_int_equal(fixture_stop(&fx), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_first_start_provisions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_only_granted_partitions_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_damaged_otp_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_blank_secret_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_provisioning, setup, teardown),
        cmocka_unit_test_setup_teardown(test_region_off_a_page_boundary, setup, teardown),
    };

    return cmocka_run_group_tests_name("e2e_otp", tests, NULL, NULL);
}
