/*
 * lifecycle.c - the PSA RoT lifecycle state partitions read with
 * psa_rot_lifecycle_state().  It comes, first match wins, from --lifecycle
 * (a test or a demo choosing the state of this run, any state, including
 * the reversible debug states), else from the simulated OTP (otp.c: the
 * device's own state, SECURED unless provisioned otherwise).  It is read
 * once, at start: restarts and system resets keep it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "psa/lifecycle.h"
#include "otp_file.h"
#include "spm.h"

static const struct {
    const char *name;
    uint32_t value;
} states[] = {
    {"unknown", PSA_LIFECYCLE_UNKNOWN},
    {"assembly-and-test", PSA_LIFECYCLE_ASSEMBLY_AND_TEST},
    {"psa-rot-provisioning", PSA_LIFECYCLE_PSA_ROT_PROVISIONING},
    {"secured", PSA_LIFECYCLE_SECURED},
    {"non-psa-rot-debug", PSA_LIFECYCLE_NON_PSA_ROT_DEBUG},
    {"recoverable-psa-rot-debug", PSA_LIFECYCLE_RECOVERABLE_PSA_ROT_DEBUG},
    {"decommissioned", PSA_LIFECYCLE_DECOMMISSIONED},
};

#define N_STATES (sizeof(states) / sizeof(states[0]))
#define SPM_LIFECYCLE_MAX (PSA_LIFECYCLE_PSA_STATE_MASK | PSA_LIFECYCLE_IMP_STATE_MASK)

int spm_lifecycle_parse(const char *s, uint32_t *out)
{
    unsigned long v;
    char *end;
    size_t i;

    for (i = 0; i < N_STATES; i++) {
        if (strcasecmp(s, states[i].name) == 0) {
            *out = states[i].value;
            return 0;
        }
    }
    if (s[0] < '0' || s[0] > '9')
        return -1;
    errno = 0;
    v = strtoul(s, &end, 0);
    if (errno != 0 || *end != '\0' || v > SPM_LIFECYCLE_MAX)
        return -1;
    *out = (uint32_t)v;
    return 0;
}

const char *spm_lifecycle_name(uint32_t v)
{
    size_t i;

    for (i = 0; i < N_STATES; i++)
        if (states[i].value == (v & PSA_LIFECYCLE_PSA_STATE_MASK))
            return states[i].name;
    return "not a PSA state";
}

static void bad_state(const char *where, const char *text)
{
    size_t i;

    fprintf(stderr, "psa-spm: %s: '%s' is not a lifecycle state (", where, text);
    for (i = 0; i < N_STATES; i++)
        fprintf(stderr, "%s, ", states[i].name);
    fprintf(stderr, "or a number up to 0x%x)\n", SPM_LIFECYCLE_MAX);
}

int spm_lifecycle_option(const char *option)
{
    if (spm_lifecycle_parse(option, &spm.lifecycle) < 0) {
        bad_state("--lifecycle", option);
        return -1;
    }
    snprintf(spm.lifecycle_from, sizeof(spm.lifecycle_from), "--lifecycle");
    return 0;
}

void spm_lifecycle_from_otp(const char *state_dir)
{
    spm.lifecycle = spm_otp_psa_lifecycle(&spm.otp);
    if (state_dir != NULL)
        snprintf(spm.lifecycle_from, sizeof(spm.lifecycle_from), "the OTP, %s/otp", state_dir);
    else
        snprintf(spm.lifecycle_from, sizeof(spm.lifecycle_from), "the OTP (in memory)");
}
