/* client_int.h - between the files of libpsa-client (and the partition
 * runtime's psa_call, which shares vectors.c and call.c). */
#ifndef PARTIX_CLIENT_INT_H
#define PARTIX_CLIENT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "psa/client.h"

struct wire_call_req; /* wire.h */
struct wire_call_rep;

/*
 * FF-M's checks a client can make before anything is sent: the type, the
 * number of vectors, NULL or (with @p probe) unwritable vectors, overlapping
 * inputs.  Returns PSA_SUCCESS or PSA_ERROR_PROGRAMMER_ERROR.  A partition
 * does not probe: its sandbox allows no probe, and a bad pointer faults it,
 * which is the panic FF-M asks for.
 */
psa_status_t partix_check_vectors(int32_t type, const psa_invec *in_vec, size_t in_len,
                                  const psa_outvec *out_vec, size_t out_len, bool probe);

/*
 * The first half of psa_call(): builds the C_CALL request @p req for
 * vectors partix_check_vectors() accepted.  The input pointers are the
 * caller's (sent from there, nothing copied); above WIRE_INLINE_MAX bytes
 * of vectors in all, @p req says WIRE_CALL_MEMFD and the transport puts the
 * inputs into a memfd with room for the outputs (inputs first, then each
 * output vector at its full length).  Returns PSA_SUCCESS, or
 * PSA_ERROR_PROGRAMMER_ERROR when the vectors total more than
 * WIRE_MAX_PAYLOAD (@p req's lengths are filled in either way).
 */
psa_status_t partix_call_request(struct wire_call_req *req, psa_handle_t handle, int32_t type,
                                 const psa_invec *in_vec, size_t in_len, const psa_outvec *out_vec,
                                 size_t out_len);

/* The largest R_CALL datagram the request @p req can be answered with. */
size_t partix_call_reply_size(const struct wire_call_req *req);

/*
 * The second half: takes the reply @p rep to the request @p req into the
 * caller's @p out_vec (@p out_len of them, as in the request): each
 * out_vec[i].len becomes written[i], the bytes copied from the reply
 * (inline), or for a WIRE_CALL_MEMFD call from @p map (the memfd's
 * mapping) if not NULL, else read from @p memfd.  Returns 0, or -1 with
 * every out_vec[i].len 0 when the reply does not fit the request (another
 * number of vectors, more written than a vector holds, inline bytes for a
 * memfd call or the reverse) or the memfd cannot be read.  The call's
 * status is rep->status.
 */
int partix_call_outputs(const struct wire_call_req *req, const struct wire_call_rep *rep,
                        psa_outvec *out_vec, size_t out_len, const uint8_t *map, int memfd);

/* ---- the direct data path (direct.c, chan.h) ---- */

/* Takes over a direct connection's area @p fd and doorbell @p bell for
 * handle @p h: 0, or -1 (the caller closes them; calls go through psa-spm). */
int partix_direct_add(psa_handle_t h, int fd, int bell);
/* Lets handle @p h's area and doorbell go (psa_close). */
void partix_direct_remove(psa_handle_t h);
/* In the child of a fork: every direct connection is the parent's. */
void partix_direct_forget_all(void);
/*
 * psa_call on a direct connection, for vectors partix_check_vectors()
 * accepted without probing.  *done false: not a direct connection, or
 * vectors too big for its area (the caller goes through psa-spm); else the
 * call's status, out_vec[i].len the bytes written (0 each on an error).
 */
psa_status_t partix_direct_call(psa_handle_t handle, int32_t type, const psa_invec *in_vec,
                                size_t in_len, psa_outvec *out_vec, size_t out_len, bool *done);
/* Hands psa-spm the big data area @p fd (sealed, @p size bytes) of direct
 * connection @p handle, generation @p gen (client.c): PSA_SUCCESS once
 * psa-spm passed it on. */
psa_status_t partix_direct_grow(psa_handle_t handle, int fd, uint64_t size, uint32_t gen);
/* Tells psa-spm a direct call on @p handle is taking long (client.c):
 * PSA_SUCCESS while the call may go on; PSA_ERROR_COMMUNICATION_FAILURE if
 * psa-spm is gone or the partition died, PSA_ERROR_PROGRAMMER_ERROR if
 * psa-spm does not know the handle (it was restarted). */
psa_status_t partix_direct_stall(psa_handle_t handle);

#endif
