/*
 * otp.c - the simulated OTP (src/common/otp_layout.h): <state-dir>/otp,
 * provisioned at first start with a new hardware unique key and
 * attestation key pair, checked at every start, and handed to partitions
 * as a sealed read-only memory object behind the board's "otp" region.
 * Also "psa-spm otp show|pubkey|provision", which read and program it.
 *
 * Fuse semantics: provisioning only sets what is unset, and the lifecycle
 * state only moves forward (its bits are only ever set).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mbedtls/ecp.h>
#include <mbedtls/pk.h>
#include <psa/crypto.h>

#include "durable_file.h"
#include "otp_layout.h"
#include "paths.h"
#include "spm.h"

_Static_assert(sizeof(struct partix_otp) == MF_OTP_MIN_SIZE, "the manifest library's OTP size");

#define OTP_FILE "otp"
#define DEFAULT_IAK_ID "partix-iak"
#define DEFAULT_CERT_REF "0000000000000-00000"
#define DEFAULT_PROFILE "tag:psacertified.org,2023:psa#tfm"
#define IMPLEMENTATION_TEXT "partix simulated PSA RoT"

static const struct {
    const char *name;
    uint32_t lcs, psa;
} lcs_names[] = {
    {"assembly-and-test", PARTIX_OTP_LCS_ASSEMBLY_AND_TEST, 0x1000},
    {"psa-rot-provisioning", PARTIX_OTP_LCS_PSA_ROT_PROVISIONING, 0x2000},
    {"secured", PARTIX_OTP_LCS_SECURED, 0x3000},
    {"decommissioned", PARTIX_OTP_LCS_DECOMMISSIONED, 0x6000},
};
#define N_LCS (sizeof(lcs_names) / sizeof(lcs_names[0]))

static int lcs_index(uint32_t lcs)
{
    for (size_t i = 0; i < N_LCS; i++)
        if (lcs_names[i].lcs == lcs)
            return (int)i;
    return -1;
}

uint32_t spm_otp_psa_lifecycle(const struct partix_otp *o)
{
    int i = lcs_index(o->lcs);

    return i < 0 ? 0 /* PSA_LIFECYCLE_UNKNOWN */ : lcs_names[i].psa;
}

static void seal(struct partix_otp *o)
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
    if (lcs_index(o->lcs) < 0)
        return "its lifecycle state is not one the OTP can hold";
    if (memcmp(o->huk, zero, sizeof(zero)) == 0 || memcmp(o->iak, zero, sizeof(zero)) == 0)
        return "a secret in it is blank (all zeros)";
    if (o->iak_len != sizeof(o->iak) || o->iak_type != PSA_ECC_FAMILY_SECP_R1 ||
        o->iak_pub[0] != 0x04 || memcmp(o->boot_seed, zero, sizeof(zero)) != 0)
        return "its attestation key fields are inconsistent";
    return NULL;
}

/* A new device: random HUK and P-256 attestation key, partix's defaults. */
static int otp_generate(struct partix_otp *o, uint32_t lcs, const uint8_t *impl_id)
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
        fprintf(stderr, "psa-spm: cannot generate the OTP's keys (PSA status %d)\n", (int)st);
        psa_destroy_key(key);
        return -1;
    }
    psa_destroy_key(key);
    if (impl_id != NULL)
        memcpy(o->implementation_id, impl_id, sizeof(o->implementation_id));
    seal(o);
    return 0;
}

static int otp_path(const char *state_dir, char *path, size_t size)
{
    int n = snprintf(path, size, "%s/%s", state_dir, OTP_FILE);

    return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* Reads @p path into @p o: 0; 1 if there is no such file; -1 (reported). */
static int otp_read(const char *path, struct partix_otp *o)
{
    const char *why;
    struct stat st;
    ssize_t n;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

    if (fd < 0 && errno == ENOENT)
        return 1;
    if (fd < 0 || fstat(fd, &st) < 0) {
        fprintf(stderr, "psa-spm: OTP %s: %s\n", path, strerror(errno));
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
                "psa-spm: OTP %s: %s; refusing to use it (move it away to make a new "
                "device)\n",
                path, why);
        return -1;
    }
    if ((st.st_mode & 077) != 0)
        fprintf(stderr,
                "psa-spm: warning: OTP %s is readable by others (mode %03o): it holds "
                "the device's secrets\n",
                path, (unsigned)(st.st_mode & 0777));
    return 0;
}

/* Replaces STATE_DIR/otp with @p o, crash-safe (durable_file.h). */
static int otp_write(const char *state_dir, const char *path, const struct partix_otp *o)
{
    int dfd = -1, rc = -1;

    if (partix_mkdir_p(state_dir, 0700) == 0 &&
        (dfd = open(state_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0 &&
        partix_file_replace(dfd, OTP_FILE, o, sizeof(*o)) == PARTIX_FILE_OK)
        rc = 0;
    else
        fprintf(stderr, "psa-spm: OTP %s: cannot write it: %s\n", path, strerror(errno));
    if (dfd >= 0)
        close(dfd);
    return rc;
}

/* A replacement of the OTP file that a crash cut short (durable_file.h):
 * never read, but it holds a device's secrets, so it goes. */
static void remove_stale_tmp(const char *path)
{
    char tmp[PATH_MAX];

    if ((size_t)snprintf(tmp, sizeof(tmp), "%s" PARTIX_TMP_SUFFIX, path) < sizeof(tmp) &&
        unlink(tmp) == 0)
        spm_log(SPM_INFO, "OTP: removed %s, a write of the OTP that never completed", tmp);
}

int spm_otp_init(const char *state_dir)
{
    char path[PATH_MAX];
    int r;

    if (state_dir == NULL) {
        spm_log(SPM_WARN, "no state directory: the OTP is new and lost at exit");
        return otp_generate(&spm.otp, PARTIX_OTP_LCS_SECURED, NULL);
    }
    if (otp_path(state_dir, path, sizeof(path)) < 0)
        return -1;
    remove_stale_tmp(path);
    r = otp_read(path, &spm.otp);
    if (r == 1) {
        if (otp_generate(&spm.otp, PARTIX_OTP_LCS_SECURED, NULL) < 0 ||
            otp_write(state_dir, path, &spm.otp) < 0)
            return -1;
        spm_log(SPM_INFO, "OTP %s provisioned: new hardware unique key and attestation key", path);
    }
    return r < 0 ? -1 : 0;
}

/* The boot record after the OTP image, if the region (@p size bytes from
 * offset @p at of the memory object) has room for one. */
static int write_boot_record(int fd, uint64_t at, uint64_t size)
{
    static uint8_t rec[sizeof(struct partix_boot_record) + PARTIX_BOOT_RECORD_MAX];
    struct partix_boot_record h;
    uint64_t room = size - PARTIX_BOOT_RECORD_OFFSET - sizeof(h);
    size_t n;

    if (size <= PARTIX_BOOT_RECORD_OFFSET + sizeof(h)) {
        spm_log(SPM_WARN, "OTP region: no room for a boot record: attestation tokens cannot "
                          "list the software");
        return 0;
    }
    if (spm_boot_record(rec + sizeof(h),
                        room < PARTIX_BOOT_RECORD_MAX ? room : PARTIX_BOOT_RECORD_MAX, &n,
                        &h.count) < 0)
        return 0; /* logged; the attestation service reports the claim unavailable */
    memcpy(h.magic, PARTIX_BOOT_RECORD_MAGIC, sizeof(h.magic));
    h.len = (uint32_t)n;
    memcpy(rec, &h, sizeof(h));
    if (pwrite(fd, rec, sizeof(h) + n, (off_t)(at + PARTIX_BOOT_RECORD_OFFSET)) !=
        (ssize_t)(sizeof(h) + n))
        return -1;
    spm_log(SPM_INFO, "boot record: psa-spm and %u partition executable(s) measured (SHA-256)",
            (unsigned)h.count - 1);
    return 0;
}

int spm_otp_memfd(uint64_t len, uint64_t at, uint64_t size)
{
    struct partix_otp live = spm.otp;
    int fd = memfd_create("partix-otp", MFD_CLOEXEC | MFD_ALLOW_SEALING);

    /* the boot seed: new at each start of the daemon, never in the file */
    if (getrandom(live.boot_seed, sizeof(live.boot_seed), 0) != (ssize_t)sizeof(live.boot_seed) ||
        fd < 0 || ftruncate(fd, (off_t)len) < 0 ||
        pwrite(fd, &live, sizeof(live), (off_t)at) != (ssize_t)sizeof(live) ||
        write_boot_record(fd, at, size) < 0 ||
        fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) < 0) {
        spm_log(SPM_ERROR, "OTP region: %s", strerror(errno));
        if (fd >= 0)
            close(fd);
        explicit_bzero(&live, sizeof(live));
        return -1;
    }
    explicit_bzero(&live, sizeof(live));
    return fd;
}

void spm_otp_forget(void)
{
    explicit_bzero(spm.otp.huk, sizeof(spm.otp.huk));
    explicit_bzero(spm.otp.iak, sizeof(spm.otp.iak));
}

/* ---- psa-spm otp ---- */

static void put_hex(FILE *f, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%02x", p[i]);
    fputc('\n', f);
}

static int parse_hex(const char *s, uint8_t *out, size_t n)
{
    if (strlen(s) != 2 * n)
        return -1;
    for (size_t i = 0; i < n; i++) {
        unsigned v;

        if (sscanf(s + 2 * i, "%2x", &v) != 1 || !isxdigit((unsigned char)s[2 * i]) ||
            !isxdigit((unsigned char)s[2 * i + 1]))
            return -1;
        out[i] = (uint8_t)v;
    }
    return 0;
}

/* The PSA instance id: 0x01 (a random UEID) then SHA-256 of the public key. */
static int instance_id(const struct partix_otp *o, uint8_t id[33])
{
    size_t n;

    id[0] = 0x01;
    return psa_crypto_init() == PSA_SUCCESS &&
                   psa_hash_compute(PSA_ALG_SHA_256, o->iak_pub, PARTIX_OTP_IAK_PUB_LEN, id + 1, 32,
                                    &n) == PSA_SUCCESS
               ? 0
               : -1;
}

static void show(const char *path, const struct partix_otp *o)
{
    uint8_t id[33];
    int i = lcs_index(o->lcs);

    printf("otp: %s\n", path);
    printf("lifecycle: %s (0x%x)\n", lcs_names[i].name, (unsigned)o->lcs);
    printf("implementation-id: ");
    put_hex(stdout, o->implementation_id, sizeof(o->implementation_id));
    if (instance_id(o, id) == 0) {
        printf("instance-id: ");
        put_hex(stdout, id, sizeof(id));
    }
    printf("iak-id: %.32s\n", (const char *)o->iak_id);
    printf("iak-public-key: ");
    put_hex(stdout, o->iak_pub, PARTIX_OTP_IAK_PUB_LEN);
    printf("cert-ref: %.32s\n", (const char *)o->cert_ref);
    printf("verification-service-url: %.64s\n", (const char *)o->verification_service_url);
    printf("profile: %.64s\n", (const char *)o->profile_definition);
}

/* The attestation public key as PEM (SubjectPublicKeyInfo), for verifiers. */
static int print_pem(const struct partix_otp *o)
{
    mbedtls_pk_context pk;
    unsigned char pem[512];
    int rc;

    mbedtls_pk_init(&pk);
    rc = mbedtls_pk_setup(&pk, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY));
    if (rc == 0)
        rc = mbedtls_ecp_group_load(&mbedtls_pk_ec(pk)->grp, MBEDTLS_ECP_DP_SECP256R1);
    if (rc == 0)
        rc = mbedtls_ecp_point_read_binary(&mbedtls_pk_ec(pk)->grp, &mbedtls_pk_ec(pk)->Q,
                                           o->iak_pub, PARTIX_OTP_IAK_PUB_LEN);
    if (rc == 0)
        rc = mbedtls_pk_write_pubkey_pem(&pk, pem, sizeof(pem));
    mbedtls_pk_free(&pk);
    if (rc != 0) {
        fprintf(stderr, "psa-spm otp: cannot encode the public key (Mbed TLS -0x%04x)\n",
                (unsigned)-rc);
        return 1;
    }
    fputs((const char *)pem, stdout);
    return 0;
}

static int set_text(const char *opt, uint8_t *field, size_t size, const char *value)
{
    size_t i;

    for (i = 0; i < size && field[i] == 0; i++)
        ;
    if (i < size) {
        fprintf(stderr, "psa-spm otp provision: %s is already programmed (%.*s)\n", opt, (int)size,
                (const char *)field);
        return -1;
    }
    if (strlen(value) >= size || value[0] == '\0') {
        fprintf(stderr, "psa-spm otp provision: %s: 1 to %zu characters\n", opt, size - 1);
        return -1;
    }
    memcpy(field, value, strlen(value));
    return 0;
}

/* RFC 9783's certification reference, as psa-attest checks it: an EAN-13
 * ("[0-9]{13}"), or an EAN-13+5 ("[0-9]{13}-[0-9]{5}"). */
static bool cert_ref_ok(const char *s)
{
    size_t n = strlen(s);

    if (n != 13 && n != 19)
        return false;
    for (size_t i = 0; i < n; i++)
        if (i == 13 ? s[i] != '-' : !isdigit((unsigned char)s[i]))
            return false;
    return true;
}

/* A URL as RFC 3986 writes it: visible ASCII only.  Anything else (a byte
 * that is not UTF-8, above all) would make every token's
 * verification-service claim text psa-attest refuses. */
static bool url_ok(const char *s)
{
    for (; *s != '\0'; s++)
        if (*s < 0x21 || *s > 0x7e)
            return false;
    return true;
}

static void otp_usage(FILE *f)
{
    fputs("usage: psa-spm otp show [--state-dir DIR]\n"
          "       psa-spm otp pubkey [--state-dir DIR]     (the attestation key, PEM)\n"
          "       psa-spm otp provision [--state-dir DIR] [--lifecycle STATE]\n"
          "               [--implementation-id HEX64] [--cert-ref EAN13[-NNNNN]]\n"
          "               [--verification-service-url URL]\n"
          "  STATE: assembly-and-test, psa-rot-provisioning, secured, decommissioned\n"
          "  (forward only).  The implementation id is set only when the OTP is made;\n"
          "  text fields only while unset.  psa-spm reads the OTP when it starts.\n",
          f);
}

int spm_otp_command(int argc, char **argv, const char *default_state)
{
    enum { O_STATE = 256, O_LCS, O_IMPL, O_CERT, O_URL };
    static const struct option opts[] = {
        {"state-dir", required_argument, NULL, O_STATE},
        {"lifecycle", required_argument, NULL, O_LCS},
        {"implementation-id", required_argument, NULL, O_IMPL},
        {"cert-ref", required_argument, NULL, O_CERT},
        {"verification-service-url", required_argument, NULL, O_URL},
        {NULL, 0, NULL, 0},
    };
    const char *state = default_state, *lcs = NULL, *cert = NULL, *url = NULL, *verb;
    uint8_t impl[32];
    bool have_impl = false;
    struct partix_otp o;
    char path[PATH_MAX];
    int ch, r, want = -1;

    if (argc < 3) {
        otp_usage(stderr);
        return 2;
    }
    verb = argv[2];
    optind = 3;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case O_STATE:
            state = optarg;
            break;
        case O_LCS:
            lcs = optarg;
            break;
        case O_IMPL:
            if (parse_hex(optarg, impl, sizeof(impl)) < 0) {
                fprintf(stderr, "psa-spm otp: --implementation-id: 64 hex digits\n");
                return 2;
            }
            have_impl = true;
            break;
        case O_CERT:
            cert = optarg;
            break;
        case O_URL:
            url = optarg;
            break;
        default:
            otp_usage(stderr);
            return 2;
        }
    }
    if (optind != argc || state == NULL ||
        (strcmp(verb, "provision") != 0 && (lcs || have_impl || cert || url)) ||
        otp_path(state, path, sizeof(path)) < 0) {
        otp_usage(stderr);
        return 2;
    }
    if (cert != NULL && !cert_ref_ok(cert)) {
        fprintf(stderr, "psa-spm otp: --cert-ref: 13 digits, or 13 digits, '-' and 5 digits "
                        "(an EAN-13 or EAN-13+5, as the attestation token carries it)\n");
        return 2;
    }
    if (url != NULL && !url_ok(url)) {
        fprintf(stderr, "psa-spm otp: --verification-service-url: visible ASCII characters "
                        "only (a URL)\n");
        return 2;
    }
    for (size_t i = 0; lcs != NULL && i < N_LCS; i++)
        if (strcmp(lcs, lcs_names[i].name) == 0)
            want = (int)i;
    if (lcs != NULL && want < 0) {
        fprintf(stderr, "psa-spm otp: '%s' is not a lifecycle state the OTP holds\n", lcs);
        return 2;
    }
    /* a write under a running daemon would be lost, or half seen, by it */
    if (strcmp(verb, "provision") == 0 && spm_state_lock(state, "psa-spm otp") < 0)
        return 1;
    r = otp_read(path, &o);
    if (r < 0)
        return 1;
    if (strcmp(verb, "show") == 0 || strcmp(verb, "pubkey") == 0) {
        if (r == 1) {
            fprintf(stderr,
                    "psa-spm otp: %s: not provisioned yet (psa-spm otp provision, or "
                    "start psa-spm)\n",
                    path);
            return 1;
        }
        if (strcmp(verb, "pubkey") == 0)
            return print_pem(&o);
        show(path, &o);
        return 0;
    }
    if (strcmp(verb, "provision") != 0) {
        otp_usage(stderr);
        return 2;
    }
    if (r == 1) {
        if (otp_generate(&o, want < 0 ? PARTIX_OTP_LCS_SECURED : lcs_names[want].lcs,
                         have_impl ? impl : NULL) < 0)
            return 1;
        if (cert != NULL) /* instead of the default */
            memset(o.cert_ref, 0, sizeof(o.cert_ref));
    } else {
        if (have_impl) {
            fprintf(stderr, "psa-spm otp provision: the implementation id is already "
                            "programmed\n");
            return 1;
        }
        if (want >= 0 && (o.lcs & lcs_names[want].lcs) != o.lcs) {
            fprintf(stderr,
                    "psa-spm otp provision: the lifecycle cannot go back from %s to %s "
                    "(OTP bits are only ever set)\n",
                    lcs_names[lcs_index(o.lcs)].name, lcs_names[want].name);
            return 1;
        }
        if (want >= 0)
            o.lcs = lcs_names[want].lcs;
    }
    if ((cert != NULL && set_text("--cert-ref", o.cert_ref, sizeof(o.cert_ref), cert) < 0) ||
        (url != NULL && set_text("--verification-service-url", o.verification_service_url,
                                 sizeof(o.verification_service_url), url) < 0))
        return 1;
    seal(&o);
    if (otp_write(state, path, &o) < 0)
        return 1;
    show(path, &o);
    explicit_bzero(&o, sizeof(o));
    return 0;
}
