/*
 * partix/partition_test.h - unit-testing a partition in-process.
 *
 * A test links the partition's own sources, its generated
 * auto_generated/load_info_<manifest>.c and libpsa-partition-test, then
 * drives the partition's unchanged entry point as a client would: connect,
 * call with chosen vectors, close.  The partition runs on its own stack as a
 * coroutine of the test, against the same FF-M API code (and the same
 * programmer-error panics) as under psa-spm; the harness plays the SPM.
 *
 *     assert_int_equal(ptest_start(&partix_load_info), 0);
 *     psa_handle_t h = ptest_connect(TFM_ECHO_SERVICE_SID, 1);
 *     assert_int_equal(ptest_call(h, PSA_IPC_CALL, in, 1, out, 1), PSA_SUCCESS);
 *     ptest_close(h);
 *     ptest_stop();
 */
#ifndef PARTIX_PARTITION_TEST_H
#define PARTIX_PARTITION_TEST_H

#include <stdbool.h>
#include <stdint.h>

#include "partix/load_info.h"
#include "psa/client.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Returned by ptest_* when the partition panicked (see ptest_panic_reason()). */
#define PTEST_PANICKED ((psa_status_t)INT32_MIN)
/** Returned by ptest_call() when the partition went back to waiting without replying. */
#define PTEST_NO_REPLY ((psa_status_t)(INT32_MIN + 1))

/**
 * Starts the partition described by @p li (normally &partix_load_info):
 * runs its entry point (or, for SFN, entry_init and the dispatch loop) until
 * it first waits for a message.  Returns 0, or PTEST_PANICKED.
 */
int ptest_start(const struct partix_load_info *li);

/** Ends the partition (wherever it is) and frees the harness. */
void ptest_stop(void);

/** Client id of the messages that follow (default -1, a non-secure client). */
void ptest_set_client_id(int32_t client_id);

/**
 * psa_connect() to service @p sid, with FF-M's client rules (unknown SID or
 * version refused, stateless service a programmer error); the partition
 * sees PSA_IPC_CONNECT.  Returns a handle, an error status, or PTEST_PANICKED.
 */
psa_handle_t ptest_connect(uint32_t sid, uint32_t version);

/**
 * psa_call() on a handle from ptest_connect() or a stateless service's
 * handle.  Returns the partition's reply status (out_vec[i].len set to the
 * bytes written), PSA_ERROR_PROGRAMMER_ERROR for the client's own errors,
 * PTEST_PANICKED, or PTEST_NO_REPLY.
 */
psa_status_t ptest_call(psa_handle_t handle, int32_t type, const psa_invec *in_vec, size_t in_len,
                        psa_outvec *out_vec, size_t out_len);

/** psa_close(): the partition sees PSA_IPC_DISCONNECT. */
void ptest_close(psa_handle_t handle);

/** The reason of the last panic ("" if none), as psa-spm would log it. */
const char *ptest_panic_reason(void);

/** The last line the partition logged ("" if none). */
const char *ptest_last_log(void);

/**
 * Fires interrupt @p irq_signal as the board would: an SLIH interrupt
 * asserts its signal and stays disabled until psa_eoi(); an FLIH one runs
 * its <name>_flih() handler in the partition, whose result decides.  Then
 * runs the partition until it waits.  Returns PSA_SUCCESS,
 * PSA_ERROR_NOT_PERMITTED if the interrupt is disabled (nothing happens),
 * PSA_ERROR_DOES_NOT_EXIST if it is none of the partition's, or
 * PTEST_PANICKED.
 */
psa_status_t ptest_irq(psa_signal_t irq_signal);

/** Whether interrupt @p irq_signal is enabled (FF-M 1.1 ones start disabled). */
bool ptest_irq_enabled(psa_signal_t irq_signal);

/** True if the partition called psa_notify(@p partition_id) since the last check. */
bool ptest_notified(int32_t partition_id);

#ifdef __cplusplus
}
#endif

#endif /* PARTIX_PARTITION_TEST_H */
