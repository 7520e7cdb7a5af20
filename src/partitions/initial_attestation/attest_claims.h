/*
 * attest_claims.h - the PSA attestation token's claims, as the partition
 * writes them and psa-attest reads them, in the two profiles TF-M offers
 * for PSA devices (tfm_attest_iat_defs.h):
 *
 *  - "tag:psacertified.org,2023:psa#tfm" of RFC 9783, TF-M's PSA 2.0.0
 *    profile and the default build: EAT's nonce, ueid, eat_profile and
 *    bootseed, and Arm's range from 2394 (IAT_* below);
 *  - "PSA_IOT_PROFILE_1", the original PSA IoT profile 1 that deployed
 *    verifiers still expect: Arm's private range -75000..-75010
 *    (IAT_IOT1_*), built with ATTEST_TOKEN_PROFILE_PSA_IOT_1 as TF-M
 *    builds it (docs/services.md).
 *
 * The payload is a map of these claims; values, the same in both profiles:
 *   NONCE                    bstr: the challenge, 32, 48 or 64 bytes
 *   INSTANCE_ID              bstr: 0x01 then SHA-256 of the attestation public key
 *   PROFILE_DEFINITION       tstr: the profile above
 *   BOOT_SEED                bstr: 32 bytes, new at each start of psa-spm
 *   CLIENT_ID                int:  the caller's client id (negative: non-secure)
 *   SECURITY_LIFECYCLE       uint: psa_rot_lifecycle_state() (0x3000: secured)
 *   IMPLEMENTATION_ID        bstr: 32 bytes, from the OTP
 *   CERTIFICATION_REFERENCE  tstr: from the OTP, if set there (IoT-1 named
 *                            this key "hardware version")
 *   SW_COMPONENTS            array of maps (IAT_SW_COMPONENT_* keys), one or more
 *   NO_SW_COMPONENTS         IoT-1 only: the integer 1, in place of an empty
 *                            SW_COMPONENTS (partix always has components)
 *   VERIFICATION_SERVICE     tstr: from the OTP, if set there
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

/* PSA IoT profile 1: Arm's private range, downwards from -75000 */
#define IAT_PROFILE_PSA_IOT_1 "PSA_IOT_PROFILE_1"

#define IAT_IOT1_PROFILE_DEFINITION (-75000)
#define IAT_IOT1_CLIENT_ID (-75001)
#define IAT_IOT1_SECURITY_LIFECYCLE (-75002)
#define IAT_IOT1_IMPLEMENTATION_ID (-75003)
#define IAT_IOT1_BOOT_SEED (-75004)
#define IAT_IOT1_CERTIFICATION_REFERENCE (-75005)
#define IAT_IOT1_SW_COMPONENTS (-75006)
#define IAT_IOT1_NO_SW_COMPONENTS (-75007)
#define IAT_IOT1_NONCE (-75008)
#define IAT_IOT1_INSTANCE_ID (-75009)
#define IAT_IOT1_VERIFICATION_SERVICE (-75010)

#define IAT_IOT1_NO_SW_COMPONENTS_VALUE 1

/* the software components' keys: the same in both profiles */
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
