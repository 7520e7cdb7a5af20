/*
 * partix_ctl.c - partix-ctl: "otp" reads and programs a device's OTP
 * (ctl_otp.c); "irq" drives an interrupt line of a running psa-spm's
 * board, as a test harness or a device would (through libpsa-client's
 * partix_irq_*, which psa-spm allows its own uid and root).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "partix/control.h"
#include "spm.h"
#include "version.h"

static void usage(FILE *f)
{
    fputs("usage: partix-ctl irq raise|lower|pulse SOURCE [--socket PATH]\n"
          "       partix-ctl otp show|pubkey|provision [--state-dir DIR] [options]\n"
          "  (partix-ctl otp --help for the OTP's options)\n",
          f);
}

/* "partix-ctl irq raise|lower|pulse SOURCE [--socket PATH]". */
static int irq_command(int argc, char **argv)
{
    static const char *const ops[] = {"raise", "lower", "pulse"};
    psa_status_t st = PSA_SUCCESS;
    int op = -1, i;

    if (argc == 6 && strcmp(argv[4], "--socket") == 0)
        setenv("PSA_SPM_SOCKET", argv[5], 1);
    else if (argc != 4)
        op = -2;
    for (i = 0; op == -1 && i < 3; i++)
        if (strcmp(argv[2], ops[i]) == 0)
            op = i;
    if (op < 0) {
        usage(stderr);
        return 2;
    }
    if (op != 1)
        st = partix_irq_raise(argv[3]);
    if (st == PSA_SUCCESS && op != 0)
        st = partix_irq_lower(argv[3]);
    if (st != PSA_SUCCESS) {
        fprintf(stderr, "partix-ctl irq: %s: %s\n", argv[3],
                st == PSA_ERROR_DOES_NOT_EXIST  ? "no such interrupt source on the platform"
                : st == PSA_ERROR_NOT_PERMITTED ? "not permitted (run as the daemon's user)"
                                                : "no SPM answers on the socket");
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    char state[PATH_MAX];

    if (argc > 1 && strcmp(argv[1], "irq") == 0)
        return irq_command(argc, argv);
    if (argc > 1 && strcmp(argv[1], "otp") == 0)
        return ctl_otp_command(argc, argv,
                               spm_default_state_dir(state, sizeof(state)) == 0 ? state : NULL);
    if (argc == 2 && strcmp(argv[1], "--version") == 0) {
        printf("partix-ctl (partix) %s\n", PARTIX_VERSION);
        return 0;
    }
    if (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        usage(stdout);
        return 0;
    }
    usage(stderr);
    return 2;
}
