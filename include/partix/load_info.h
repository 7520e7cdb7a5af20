/*
 * partix/load_info.h - what a partition executable tells the partix runtime
 * about itself.  psa-manifest generates one definition per partition
 * (auto_generated/load_info_<manifest>.c, the counterpart of TF-M's
 * generated load_info file); the partition executable links it with its own
 * code and the runtime library.  At start the runtime sends the name and
 * signals to psa-spm, which refuses a partition built from a different
 * manifest than the one it loaded.
 */
#ifndef PARTIX_LOAD_INFO_H
#define PARTIX_LOAD_INFO_H

#include <stdint.h>

#include "psa/service.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Version of this structure. */
#define PARTIX_LOAD_INFO_ABI 1u

/** partix_service_info.flags */
#define PARTIX_SVC_CONNECTION_BASED 0x01u /**< connection_based: true */
#define PARTIX_SVC_MM_IOVEC 0x02u         /**< mm_iovec: enable */
#define PARTIX_SVC_NS_CLIENTS 0x04u       /**< non_secure_clients: true */
#define PARTIX_SVC_RELAXED 0x08u          /**< version_policy: RELAXED */

/** One service of the partition. */
struct partix_service_info {
    const char *name;                       /**< service name from the manifest */
    uint32_t sid;                           /**< its SID */
    psa_signal_t signal;                    /**< its signal */
    psa_status_t (*sfn)(const psa_msg_t *); /**< SFN model: the service function */
    uint32_t version;                       /**< its version */
    uint32_t stateless_handle;              /**< its handle if stateless, else 0 */
    uint32_t flags;                         /**< PARTIX_SVC_* */
};

/** One interrupt of the partition. */
struct partix_irq_info {
    const char *signal_name;         /**< the signal macro's name */
    psa_signal_t signal;             /**< its signal */
    psa_flih_result_t (*flih)(void); /**< FLIH handling: the handler, else NULL */
};

/** The partition as its manifest describes it. */
struct partix_load_info {
    uint32_t abi;                               /**< PARTIX_LOAD_INFO_ABI */
    const char *name;                           /**< partition name */
    uint32_t ffm_version;                       /**< 0x0100 or 0x0101 */
    int model_sfn;                              /**< 1 for the SFN model, 0 for IPC */
    void (*entry_point)(void);                  /**< IPC: the entry function */
    psa_status_t (*entry_init)(void);           /**< SFN: the optional init function */
    uint32_t stack_size;                        /**< manifest stack_size in bytes */
    uint32_t heap_size;                         /**< manifest heap_size in bytes */
    uint32_t n_services;                        /**< number of services */
    const struct partix_service_info *services; /**< the services, in manifest order */
    uint32_t n_irqs;                            /**< number of interrupts */
    const struct partix_irq_info *irqs;         /**< the interrupts, in manifest order */
};

/** Defined by the generated auto_generated/load_info_<manifest>.c. */
extern const struct partix_load_info partix_load_info;

#ifdef __cplusplus
}
#endif

#endif /* PARTIX_LOAD_INFO_H */
