/*
 * attest_claims.h - the PSA attestation token's claims, as the partition
 * writes them and psa-attest reads them: the profile
 * "tag:psacertified.org,2023:psa#tfm" of RFC 9783, whose keys are TF-M's
 * for its PSA 2.0.0 profile (tfm_attest_iat_defs.h: EAT's nonce, ueid,
 * eat_profile and bootseed, and Arm's range from 2394).
 *
 * The payload is a map of these claims; values:
 *   IAT_NONCE                    bstr: the challenge, 32, 48 or 64 bytes
 *   IAT_INSTANCE_ID              bstr: 0x01 then SHA-256 of the attestation public key
 *   IAT_PROFILE_DEFINITION       tstr: the profile above
 *   IAT_BOOT_SEED                bstr: 32 bytes, new at each start of psa-spm
 *   IAT_CLIENT_ID                int:  the caller's client id (negative: non-secure)
 *   IAT_SECURITY_LIFECYCLE       uint: psa_rot_lifecycle_state() (0x3000: secured)
 *   IAT_IMPLEMENTATION_ID        bstr: 32 bytes, from the OTP
 *   IAT_CERTIFICATION_REFERENCE  tstr: from the OTP, if set there
 *   IAT_SW_COMPONENTS            array of maps (IAT_SW_COMPONENT_* keys), one or more
 *   IAT_VERIFICATION_SERVICE     tstr: from the OTP, if set there
 */
#ifndef PARTIX_ATTEST_CLAIMS_H
#define PARTIX_ATTEST_CLAIMS_H

#define IAT_PROFILE_PSA_2023 "tag:psacertified.org,2023:psa#tfm"

#define IAT_NONCE 10
#define IAT_INSTANCE_ID 256
#define IAT_PROFILE_DEFINITION 265
#define IAT_BOOT_SEED 268
#define IAT_CLIENT_ID 2394
#define IAT_SECURITY_LIFECYCLE 2395
#define IAT_IMPLEMENTATION_ID 2396
#define IAT_CERTIFICATION_REFERENCE 2398
#define IAT_SW_COMPONENTS 2399
#define IAT_VERIFICATION_SERVICE 2400

#define IAT_SW_COMPONENT_MEASUREMENT_TYPE 1
#define IAT_SW_COMPONENT_MEASUREMENT_VALUE 2
#define IAT_SW_COMPONENT_VERSION 4
#define IAT_SW_COMPONENT_SIGNER_ID 5
#define IAT_SW_COMPONENT_MEASUREMENT_DESC 6

#define IAT_UEID_TYPE_RAND 0x01 /* the instance id's first byte */
#define IAT_INSTANCE_ID_LEN 33
#define IAT_IMPLEMENTATION_ID_LEN 32
#define IAT_BOOT_SEED_LEN 32

#endif /* PARTIX_ATTEST_CLAIMS_H */
