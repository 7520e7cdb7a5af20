/*
 * tpm2_codec.h - the TPM 2.0 commands the HRoT partition sends and the
 * responses it reads (TPM 2.0 Library, Part 3), big-endian as the
 * specification marshals them.  Pure functions over byte buffers: no
 * device, no state, so the response side is fuzzed as it is
 * (fuzz/fuzz_tpm2.c).  Every reader checks each length against what is
 * left, refuses trailing bytes and leaves its outputs pointing into the
 * response it was given.
 */
#ifndef PARTIX_TPM2_CODEC_H
#define PARTIX_TPM2_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The largest command or response: TPM_MAX_COMMAND_SIZE of swtpm and of
 * the PC Client platform. */
#define TPM2_MAX_BUF 4096u

/* Tags, command codes, handles and algorithms this driver uses. */
#define TPM2_ST_NO_SESSIONS 0x8001u
#define TPM2_ST_SESSIONS 0x8002u
#define TPM2_ST_HASHCHECK 0x8024u
#define TPM2_ST_ATTEST_CERTIFY 0x8017u

#define TPM2_CC_SELF_TEST 0x143u
#define TPM2_CC_STARTUP 0x144u
#define TPM2_CC_CERTIFY 0x148u
#define TPM2_CC_CREATE_PRIMARY 0x131u
#define TPM2_CC_CREATE 0x153u
#define TPM2_CC_LOAD 0x157u
#define TPM2_CC_RSA_DECRYPT 0x159u
#define TPM2_CC_SIGN 0x15Du
#define TPM2_CC_FLUSH_CONTEXT 0x165u
#define TPM2_CC_GET_RANDOM 0x17Bu

#define TPM2_RH_OWNER 0x40000001u
#define TPM2_RH_NULL 0x40000007u
#define TPM2_RS_PW 0x40000009u
#define TPM2_RH_ENDORSEMENT 0x4000000Bu

#define TPM2_ALG_RSA 0x0001u
#define TPM2_ALG_AES 0x0006u
#define TPM2_ALG_SHA256 0x000Bu
#define TPM2_ALG_NULL 0x0010u
#define TPM2_ALG_OAEP 0x0017u
#define TPM2_ALG_ECDSA 0x0018u
#define TPM2_ALG_ECC 0x0023u
#define TPM2_ALG_CFB 0x0043u
#define TPM2_ECC_NIST_P256 0x0003u

/* Response codes the driver tells apart (Part 2, 6.6). */
#define TPM2_RC_SUCCESS 0x000u
#define TPM2_RC_INITIALIZE 0x100u /* Startup when already started */
#define TPM2_RC_FAILURE 0x101u
#define TPM2_RC_TESTING 0x90Au
#define TPM2_RC_RETRY 0x922u
#define TPM2_RC_YIELDED 0x908u
#define TPM2_RC_OBJECT_MEMORY 0x902u
#define TPM2_RC_FMT1 0x080u  /* format-one: an error about a parameter, handle or session */
#define TPM2_RC_VALUE 0x004u /* format-one codes, the low 6 bits */
#define TPM2_RC_SIZE 0x015u

/* The private-key kinds the driver makes (templates: tpm2_codec.c). */
enum tpm2_template {
    TPM2_T_STORAGE_PRIMARY, /* ECC P-256 restricted decryption key, AES-128-CFB */
    TPM2_T_ATTEST_PRIMARY,  /* ECC P-256 restricted signing key (ECDSA, SHA-256) */
    TPM2_T_ECC_SIGN,        /* ECC P-256 signing key (ECDSA, SHA-256) */
    TPM2_T_RSA_DECRYPT,     /* RSA-2048 decryption key (OAEP, SHA-256) */
};

/* A command being written: every put is bounded by TPM2_MAX_BUF. */
struct tpm2_cmd {
    uint8_t b[TPM2_MAX_BUF];
    size_t len;
    size_t auth_at; /* where authorizationSize goes (0: no sessions) */
    bool err;       /* a put did not fit */
};

/* A slice of a response. */
struct tpm2_slice {
    const uint8_t *p;
    size_t len;
};

/* ---- commands (each returns 0, or -1 if it does not fit) ---- */

int tpm2_cmd_startup(struct tpm2_cmd *c);
int tpm2_cmd_self_test(struct tpm2_cmd *c);
int tpm2_cmd_get_random(struct tpm2_cmd *c, uint16_t n);
int tpm2_cmd_flush(struct tpm2_cmd *c, uint32_t handle);
/* CreatePrimary under @p hierarchy with template @p t; Create under
 * @p parent with template @p t (empty authValue, noDA: no dictionary
 * lockout after an unorderly shutdown). */
int tpm2_cmd_create_primary(struct tpm2_cmd *c, uint32_t hierarchy, enum tpm2_template t);
int tpm2_cmd_create(struct tpm2_cmd *c, uint32_t parent, enum tpm2_template t);
/* Load of the TPM2B_PRIVATE and TPM2B_PUBLIC Create returned, as they came. */
int tpm2_cmd_load(struct tpm2_cmd *c, uint32_t parent, const uint8_t *priv, size_t priv_len,
                  const uint8_t *pub, size_t pub_len);
/* Sign of a SHA-256 digest with ECDSA (no ticket: the key is unrestricted). */
int tpm2_cmd_sign(struct tpm2_cmd *c, uint32_t key, const uint8_t digest[32]);
/* RSA_Decrypt with OAEP (SHA-256) and an empty label. */
int tpm2_cmd_rsa_decrypt(struct tpm2_cmd *c, uint32_t key, const uint8_t *ct, size_t ct_len);
/* Certify @p object with @p signer (ECDSA, SHA-256) over @p nonce. */
int tpm2_cmd_certify(struct tpm2_cmd *c, uint32_t object, uint32_t signer, const uint8_t *nonce,
                     size_t nonce_len);

/* ---- responses: 0, or -1 when malformed; *rc the TPM's response code ---- */

/*
 * The frame of a response to a command sent with @p sessions and expecting
 * @p n_handles handles: its header matches @p len, a failure is a bare
 * header, a success has the handles, then (with sessions) parameterSize,
 * the parameters and one well-formed password session response for each
 * of the @p sessions.  On success *params is the parameter area.
 */
int tpm2_rsp_frame(const uint8_t *r, size_t len, unsigned sessions, unsigned n_handles,
                   uint32_t *rc, uint32_t *handles, struct tpm2_slice *params);

/* GetRandom's parameters: randomBytes (at most @p asked bytes). */
int tpm2_parse_random(struct tpm2_slice params, uint16_t asked, struct tpm2_slice *bytes);
/* Create's parameters: outPrivate and outPublic, each a whole TPM2B (its
 * size prefix included, ready for Load); the rest must be well formed. */
int tpm2_parse_create(struct tpm2_slice params, struct tpm2_slice *priv, struct tpm2_slice *pub);
/* CreatePrimary's parameters: outPublic as a whole TPM2B. */
int tpm2_parse_create_primary(struct tpm2_slice params, struct tpm2_slice *pub);
/* Load's parameters: the object's name. */
int tpm2_parse_load(struct tpm2_slice params);
/* Sign's parameters: an ECDSA (SHA-256) signature, r and s each as
 * 32 bytes big-endian (left-padded). */
int tpm2_parse_sign(struct tpm2_slice params, uint8_t rs[64]);
/* RSA_Decrypt's parameters: the message. */
int tpm2_parse_decrypt(struct tpm2_slice params, struct tpm2_slice *msg);
/* Certify's parameters: certifyInfo (a TPMS_ATTEST) and its ECDSA
 * signature as in tpm2_parse_sign(). */
int tpm2_parse_certify(struct tpm2_slice params, struct tpm2_slice *attest, uint8_t rs[64]);

/* What a TPM2B_PUBLIC of one of the templates holds. */
struct tpm2_public {
    uint16_t type; /* TPM2_ALG_ECC or TPM2_ALG_RSA */
    uint32_t attributes;
    struct tpm2_slice area; /* the TPMT_PUBLIC (what the name hashes) */
    struct tpm2_slice x, y; /* ECC: the point's coordinates */
    struct tpm2_slice n;    /* RSA: the modulus */
    uint32_t exponent;      /* RSA: 0 means 65537 */
    uint16_t bits;          /* RSA: key size */
};

/* Reads a whole TPM2B_PUBLIC (size prefix included): ECC P-256 or RSA. */
int tpm2_parse_public(struct tpm2_slice tpm2b, struct tpm2_public *pub);

#endif /* PARTIX_TPM2_CODEC_H */
