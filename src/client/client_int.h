/* client_int.h - between the files of libpsa-client. */
#ifndef PARTIX_CLIENT_INT_H
#define PARTIX_CLIENT_INT_H

#include <stdbool.h>

#include "psa/client.h"

/*
 * FF-M's checks a client can make before anything is sent: the type, the
 * number of vectors, NULL or (with @p probe) unwritable vectors, overlapping
 * inputs.  Returns PSA_SUCCESS or PSA_ERROR_PROGRAMMER_ERROR.  A partition
 * does not probe: its sandbox allows no probe, and a bad pointer faults it,
 * which is the panic FF-M asks for.
 */
psa_status_t partix_check_vectors(int32_t type, const psa_invec *in_vec, size_t in_len,
                                  const psa_outvec *out_vec, size_t out_len, bool probe);

#endif
