/*
 * otp_file.c - the simulated OTP's file, <state-dir>/otp
 * (src/common/otp_layout.h): its check, a new device's contents, and
 * reading and replacing it.  Shared by psa-spm (board/otp.c), which
 * provisions it at first start, and partix-ctl otp, which reads and
 * programs it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <psa/crypto.h>

#include "durable_file.h"
#include "otp_file.h"
#include "paths.h"

_Static_assert(sizeof(struct partix_otp) == MF_OTP_MIN_SIZE, "the manifest library's OTP size");

#define OTP_FILE "otp"
#define DEFAULT_IAK_ID "partix-iak"
#define DEFAULT_CERT_REF "0000000000000-00000"
#define DEFAULT_PROFILE "tag:psacertified.org,2023:psa#tfm"
#define IMPLEMENTATION_TEXT "partix simulated PSA RoT"

const struct otp_lcs_name otp_lcs_names[] = {
    {"assembly-and-test", PARTIX_OTP_LCS_ASSEMBLY_AND_TEST, 0x1000},
    {"psa-rot-provisioning", PARTIX_OTP_LCS_PSA_ROT_PROVISIONING, 0x2000},
    {"secured", PARTIX_OTP_LCS_SECURED, 0x3000},
    {"decommissioned", PARTIX_OTP_LCS_DECOMMISSIONED, 0x6000},
};
const size_t otp_n_lcs = sizeof(otp_lcs_names) / sizeof(otp_lcs_names[0]);

int otp_lcs_index(uint32_t lcs)
{
    for (size_t i = 0; i < otp_n_lcs; i++)
        if (otp_lcs_names[i].lcs == lcs)
            return (int)i;
    return -1;
}

uint32_t spm_otp_psa_lifecycle(const struct partix_otp *o)
{
    int i = otp_lcs_index(o->lcs);

    return i < 0 ? 0 /* PSA_LIFECYCLE_UNKNOWN */ : otp_lcs_names[i].psa;
}

void otp_seal(struct partix_otp *o)
{
    o->crc = partix_crc32((const uint8_t *)o, offsetof(struct partix_otp, crc));
}

/* Checks an OTP image: NULL, or what is wrong with it. */
static const char *otp_check(const struct partix_otp *o, size_t len)
{
    static const uint8_t zero[32];

    if (len != sizeof(*o))
        return "not an OTP file (wrong size)";
    if (memcmp(o->magic, PARTIX_OTP_MAGIC, sizeof(o->magic)) != 0)
        return "not an OTP file (wrong magic)";
    if (o->version != PARTIX_OTP_VERSION)
        return "an OTP file of another version";
    if (o->crc != partix_crc32((const uint8_t *)o, offsetof(struct partix_otp, crc)))
        return "damaged (its CRC does not match)";
    if (otp_lcs_index(o->lcs) < 0)
        return "its lifecycle state is not one the OTP can hold";
    if (memcmp(o->huk, zero, sizeof(zero)) == 0 || memcmp(o->iak, zero, sizeof(zero)) == 0)
        return "a secret in it is blank (all zeros)";
    if (o->iak_len != sizeof(o->iak) || o->iak_type != PSA_ECC_FAMILY_SECP_R1 ||
        o->iak_pub[0] != 0x04 || memcmp(o->boot_seed, zero, sizeof(zero)) != 0)
        return "its attestation key fields are inconsistent";
    return NULL;
}

int otp_generate(struct partix_otp *o, uint32_t lcs, const uint8_t *impl_id)
{
    psa_key_attributes_t a = PSA_KEY_ATTRIBUTES_INIT;
    psa_key_id_t key = 0;
    size_t n, m;
    psa_status_t st;

    memset(o, 0, sizeof(*o));
    memcpy(o->magic, PARTIX_OTP_MAGIC, sizeof(o->magic));
    o->version = PARTIX_OTP_VERSION;
    o->lcs = lcs;
    o->iak_len = sizeof(o->iak);
    o->iak_type = PSA_ECC_FAMILY_SECP_R1;
    snprintf((char *)o->iak_id, sizeof(o->iak_id), "%s", DEFAULT_IAK_ID);
    snprintf((char *)o->cert_ref, sizeof(o->cert_ref), "%s", DEFAULT_CERT_REF);
    snprintf((char *)o->profile_definition, sizeof(o->profile_definition), "%s", DEFAULT_PROFILE);
    psa_set_key_type(&a, PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1));
    psa_set_key_bits(&a, 256);
    psa_set_key_usage_flags(&a, PSA_KEY_USAGE_EXPORT);
    if ((st = psa_crypto_init()) != PSA_SUCCESS ||
        (st = psa_generate_random(o->huk, sizeof(o->huk))) != PSA_SUCCESS ||
        (st = psa_generate_key(&a, &key)) != PSA_SUCCESS ||
        (st = psa_export_key(key, o->iak, sizeof(o->iak), &n)) != PSA_SUCCESS ||
        (st = psa_export_public_key(key, o->iak_pub, sizeof(o->iak_pub), &m)) != PSA_SUCCESS ||
        (impl_id == NULL &&
         (st = psa_hash_compute(PSA_ALG_SHA_256, (const uint8_t *)IMPLEMENTATION_TEXT,
                                strlen(IMPLEMENTATION_TEXT), o->implementation_id,
                                sizeof(o->implementation_id), &n)) != PSA_SUCCESS)) {
        fprintf(stderr, "partix: cannot generate the OTP's keys (PSA status %d)\n", (int)st);
        psa_destroy_key(key);
        return -1;
    }
    psa_destroy_key(key);
    if (impl_id != NULL)
        memcpy(o->implementation_id, impl_id, sizeof(o->implementation_id));
    otp_seal(o);
    return 0;
}

int otp_path(const char *state_dir, char *path, size_t size)
{
    int n = snprintf(path, size, "%s/%s", state_dir, OTP_FILE);

    return n < 0 || (size_t)n >= size ? -1 : 0;
}

int otp_read(const char *path, struct partix_otp *o)
{
    const char *why;
    struct stat st;
    ssize_t n;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

    if (fd < 0 && errno == ENOENT)
        return 1;
    if (fd < 0 || fstat(fd, &st) < 0) {
        fprintf(stderr, "partix: OTP %s: %s\n", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    n = read(fd, o, sizeof(*o));
    if (n == (ssize_t)sizeof(*o) && st.st_size != (off_t)sizeof(*o))
        n = -1; /* longer than an OTP */
    close(fd);
    if ((why = otp_check(o, n < 0 ? 0 : (size_t)n)) != NULL) {
        fprintf(stderr,
                "partix: OTP %s: %s; refusing to use it (move it away to make a new "
                "device)\n",
                path, why);
        return -1;
    }
    if ((st.st_mode & 077) != 0)
        fprintf(stderr,
                "partix: warning: OTP %s is readable by others (mode %03o): it holds "
                "the device's secrets\n",
                path, (unsigned)(st.st_mode & 0777));
    return 0;
}

int otp_write(const char *state_dir, const char *path, const struct partix_otp *o)
{
    int dfd = -1, rc = -1;

    if (partix_mkdir_p(state_dir, 0700) == 0 &&
        (dfd = open(state_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0 &&
        partix_file_replace(dfd, OTP_FILE, o, sizeof(*o)) == PARTIX_FILE_OK)
        rc = 0;
    else
        fprintf(stderr, "partix: OTP %s: cannot write it: %s\n", path, strerror(errno));
    if (dfd >= 0)
        close(dfd);
    return rc;
}

bool otp_remove_stale_tmp(const char *path, char *tmp, size_t size)
{
    return (size_t)snprintf(tmp, size, "%s" PARTIX_TMP_SUFFIX, path) < size && unlink(tmp) == 0;
}
