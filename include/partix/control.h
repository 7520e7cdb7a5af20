/*
 * partix/control.h - driving the simulated board from outside: what a test
 * harness (or a simulated device) does that no application could do on a
 * real M33.  Part of libpsa-client; only the daemon's own Linux user and
 * root may use it.
 */
#ifndef PARTIX_CONTROL_H
#define PARTIX_CONTROL_H

#include "psa/client.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Raises (@p level 1) or lowers (0) the interrupt line named @p source in
 * the platform description psa-spm runs with.  The interrupt has been
 * delivered to its partition's channel (as S_IRQ) when this returns, so a
 * call made afterwards is seen after it.  Returns PSA_SUCCESS,
 * PSA_ERROR_DOES_NOT_EXIST for an unknown source, PSA_ERROR_NOT_PERMITTED
 * for a caller that is neither root nor the daemon's user, or
 * PSA_ERROR_COMMUNICATION_FAILURE when no SPM answers.
 */
psa_status_t partix_irq_set(const char *source, int level);

/** partix_irq_set(@p source, 1). */
psa_status_t partix_irq_raise(const char *source);

/** partix_irq_set(@p source, 0). */
psa_status_t partix_irq_lower(const char *source);

#ifdef __cplusplus
}
#endif

#endif /* PARTIX_CONTROL_H */
