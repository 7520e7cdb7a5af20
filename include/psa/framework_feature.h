/*
 * psa/framework_feature.h - the optional FF-M features this framework
 * provides, as TF-M's build generates the header from its configuration.
 *
 * partix provides every one: code written for TF-M that tests these macros
 * (#if PSA_FRAMEWORK_HAS_MM_IOVEC) builds with the feature on.
 */
#ifndef PSA_FRAMEWORK_FEATURE_H
#define PSA_FRAMEWORK_FEATURE_H

/** 1: psa_map_invec() and its family exist (services opt in with mm_iovec). */
#define PSA_FRAMEWORK_HAS_MM_IOVEC 1

#endif /* PSA_FRAMEWORK_FEATURE_H */
