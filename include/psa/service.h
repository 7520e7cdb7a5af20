/*
 * psa/service.h - the secure partition API (PSA Firmware Framework-M 1.1).
 *
 * Partition code includes this header and links the partix partition
 * runtime.  Every function below panics the calling partition when FF-M calls
 * the use a PROGRAMMER ERROR; the rules are listed with each function.
 */
#ifndef PSA_SERVICE_H
#define PSA_SERVICE_H

#include <stddef.h>
#include <stdint.h>

#include "psa/client.h"
#include "psa/error.h"
#include "psa/framework_feature.h"

#ifdef __cplusplus
extern "C" {
#endif

/** psa_wait() timeout: return at once. */
#define PSA_POLL (0x00000000u)
/** psa_wait() timeout: block until a signal is asserted. */
#define PSA_BLOCK (0x80000000u)
/** psa_wait() mask holding every signal of the partition. */
#define PSA_WAIT_ANY (0xFFFFFFFFu)
/** The doorbell signal, raised by psa_notify(). (0x4 is reserved.) */
#define PSA_DOORBELL (0x00000008u)

/** Message type of a new connection. */
#define PSA_IPC_CONNECT (-1)
/** Message type of a connection being closed. */
#define PSA_IPC_DISCONNECT (-2)

/** A set of partition signals (one bit each). */
typedef uint32_t psa_signal_t;

/** The previous state of an interrupt, returned by psa_irq_disable(). */
typedef uint32_t psa_irq_status_t;

/** The result of a first-level interrupt handler. */
typedef uint32_t psa_flih_result_t;

/** FLIH result: do not assert the interrupt's signal. */
#define PSA_FLIH_NO_SIGNAL ((psa_flih_result_t)0)
/** FLIH result: assert the interrupt's signal. */
#define PSA_FLIH_SIGNAL ((psa_flih_result_t)1)

/** A message received by psa_get(). */
typedef struct psa_msg_t {
    int32_t type;                   /**< PSA_IPC_CONNECT, PSA_IPC_DISCONNECT, or a call type >= 0 */
    psa_handle_t handle;            /**< the message handle, for psa_read()/psa_reply()... */
    int32_t client_id;              /**< > 0: the caller's partition id; < 0: a non-secure client */
    void *rhandle;                  /**< the value set by psa_set_rhandle(), NULL before */
    size_t in_size[PSA_MAX_IOVEC];  /**< length of each input vector */
    size_t out_size[PSA_MAX_IOVEC]; /**< capacity of each output vector */
} psa_msg_t;

/**
 * Returns the asserted signals among @p signal_mask, waiting for at least
 * one if @p timeout is PSA_BLOCK; with PSA_POLL returns 0 if none is.
 * Panics if the mask holds none of the partition's signals.
 */
psa_signal_t psa_wait(psa_signal_t signal_mask, uint32_t timeout);

/**
 * Takes the next message of the service whose signal is @p signal into
 * @p msg.  Returns PSA_SUCCESS, or PSA_ERROR_DOES_NOT_EXIST if the message
 * could not be delivered.  Panics if @p signal has more than one bit, is not
 * a service signal of the partition, or is not asserted.
 */
psa_status_t psa_get(psa_signal_t signal, psa_msg_t *msg);

/**
 * Associates @p rhandle with the connection of @p msg_handle; later messages
 * on that connection carry it in msg.rhandle.  Panics on an invalid handle or
 * a stateless service.
 */
void psa_set_rhandle(psa_handle_t msg_handle, void *rhandle);

/**
 * Copies up to @p num_bytes of the unread part of input vector @p invec_idx
 * into @p buffer and returns the number copied (0 when nothing is left).
 * Panics on an invalid handle, a message that is not a call, an index
 * >= PSA_MAX_IOVEC, or a vector mapped with psa_map_invec().
 */
size_t psa_read(psa_handle_t msg_handle, uint32_t invec_idx, void *buffer, size_t num_bytes);

/**
 * Skips up to @p num_bytes of input vector @p invec_idx and returns the
 * number skipped.  Panics as psa_read() does.
 */
size_t psa_skip(psa_handle_t msg_handle, uint32_t invec_idx, size_t num_bytes);

/**
 * Appends @p num_bytes from @p buffer to output vector @p outvec_idx.
 * Panics on an invalid handle, a message that is not a call, an index
 * >= PSA_MAX_IOVEC, a write past the vector's capacity, or a mapped vector.
 */
void psa_write(psa_handle_t msg_handle, uint32_t outvec_idx, const void *buffer, size_t num_bytes);

/**
 * Completes the message @p msg_handle with @p status and releases the
 * client.  A CONNECT may be answered only with PSA_SUCCESS,
 * PSA_ERROR_CONNECTION_REFUSED or PSA_ERROR_CONNECTION_BUSY; the status of a
 * DISCONNECT is ignored.  Panics on an invalid handle or status.
 */
void psa_reply(psa_handle_t msg_handle, psa_status_t status);

/**
 * Asserts PSA_DOORBELL in the partition @p partition_id.  Panics if no such
 * partition exists.
 */
void psa_notify(int32_t partition_id);

/**
 * Clears the calling partition's PSA_DOORBELL.  Panics if it is not asserted.
 */
void psa_clear(void);

/**
 * Ends the handling of the SLIH interrupt @p irq_signal and re-enables it.
 * Panics unless @p irq_signal is a single asserted SLIH interrupt signal of
 * the partition.
 */
void psa_eoi(psa_signal_t irq_signal);

/**
 * Ends the calling partition: the SPM logs the panic and applies its fault
 * policy.  Never returns.
 */
__attribute__((__noreturn__)) void psa_panic(void);

/**
 * Enables the interrupt @p irq_signal.  Panics unless it is a single
 * interrupt signal of the partition.
 */
void psa_irq_enable(psa_signal_t irq_signal);

/**
 * Disables the interrupt @p irq_signal and returns 1 if it was enabled,
 * 0 if not.  Panics unless it is a single interrupt signal of the partition.
 */
psa_irq_status_t psa_irq_disable(psa_signal_t irq_signal);

/**
 * Clears the asserted signal of the FLIH interrupt @p irq_signal.  Panics
 * unless it is a single, asserted FLIH interrupt signal of the partition.
 */
void psa_reset_signal(psa_signal_t irq_signal);

/**
 * Maps input vector @p invec_idx of a call to a service with mm_iovec
 * enabled and returns a read-only pointer to its data.  Panics if MM-IOVEC is
 * not enabled, the handle or index is invalid, the vector is empty, already
 * mapped, or already accessed with psa_read()/psa_skip().
 */
const void *psa_map_invec(psa_handle_t msg_handle, uint32_t invec_idx);

/**
 * Unmaps an input vector mapped with psa_map_invec().  Panics if it is not
 * currently mapped.
 */
void psa_unmap_invec(psa_handle_t msg_handle, uint32_t invec_idx);

/**
 * Maps output vector @p outvec_idx for direct writing and returns a pointer
 * to it.  Panics as psa_map_invec() does, or if the vector was written with
 * psa_write().
 */
void *psa_map_outvec(psa_handle_t msg_handle, uint32_t outvec_idx);

/**
 * Unmaps an output vector mapped with psa_map_outvec(), recording that
 * @p len bytes were written.  Panics if it is not mapped or @p len exceeds
 * the vector's capacity.
 */
void psa_unmap_outvec(psa_handle_t msg_handle, uint32_t outvec_idx, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* PSA_SERVICE_H */
