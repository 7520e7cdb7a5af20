/*
 * ctl.h - partix-ctl, the control tool of a partix device: its OTP
 * (ctl_otp.c) and the interrupt lines of a running psa-spm's board
 * (partix_ctl.c).  Apart from psa-spm, so the daemon links no client
 * library and the tool no daemon.
 */
#ifndef PARTIX_CTL_H
#define PARTIX_CTL_H

/* "partix-ctl otp show|pubkey|provision [options]" (argv[1] is "otp"),
 * with @p default_state_dir unless --state-dir names one (NULL: none):
 * the exit status. */
int ctl_otp_command(int argc, char **argv, const char *default_state_dir);

#endif /* PARTIX_CTL_H */
