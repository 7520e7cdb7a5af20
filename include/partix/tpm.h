/*
 * partix/tpm.h - the board's TPM 2.0, for the one partition granted it
 * (partix only; docs/hrot.md).
 *
 * A partition whose manifest sets the non-FF-M attribute `partix_tpm: true`
 * (registered in its manifest list entry's non_ffm_attributes; one
 * partition of a system at most) finds the TPM's channel open at
 * PARTIX_TPM_FD when its code starts: psa-spm opened the device (or started
 * swtpm) and handed it over; the partition cannot open anything itself.
 * One write() there is one TPM 2.0 command, one read() one response; poll()
 * tells when it is ready.  Without a TPM on the board (platform "tpm: none",
 * swtpm not installed) nothing is open there.
 */
#ifndef PARTIX_TPM_H
#define PARTIX_TPM_H

#define PARTIX_TPM_FD 7

#endif /* PARTIX_TPM_H */
