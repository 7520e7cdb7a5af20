/*
 * lifecycle.c - the PSA RoT lifecycle state partitions read with
 * psa_rot_lifecycle_state().  It comes, first match wins, from --lifecycle
 * (a test or a demo choosing the state of this run), from the file
 * `lifecycle` in the state directory (the device's own state: the
 * simulated OTP will own it), else SECURED.  It is read once, at start:
 * restarts and system resets keep it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "psa/lifecycle.h"
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

int spm_lifecycle_init(const char *option, const char *state_dir)
{
    char path[PATH_MAX], text[64];
    size_t n;
    FILE *f;

    spm.lifecycle = PSA_LIFECYCLE_SECURED;
    snprintf(spm.lifecycle_from, sizeof(spm.lifecycle_from), "the default");
    if (option != NULL) {
        if (spm_lifecycle_parse(option, &spm.lifecycle) < 0) {
            bad_state("--lifecycle", option);
            return -1;
        }
        snprintf(spm.lifecycle_from, sizeof(spm.lifecycle_from), "--lifecycle");
        return 0;
    }
    if (state_dir == NULL)
        return 0;
    n = (size_t)snprintf(path, sizeof(path), "%s/lifecycle", state_dir);
    if (n >= sizeof(path))
        return 0;
    f = fopen(path, "re");
    if (f == NULL) {
        if (errno == ENOENT)
            return 0;
        /* the device's state exists but cannot be read: do not come up SECURED */
        fprintf(stderr, "psa-spm: %s: %s\n", path, strerror(errno));
        return -1;
    }
    n = fread(text, 1, sizeof(text) - 1, f);
    fclose(f);
    text[n] = '\0';
    while (n > 0 && strchr(" \t\r\n", text[n - 1]) != NULL)
        text[--n] = '\0';
    if (spm_lifecycle_parse(text, &spm.lifecycle) < 0) {
        bad_state(path, text);
        return -1;
    }
    snprintf(spm.lifecycle_from, sizeof(spm.lifecycle_from), "%s", path);
    return 0;
}
