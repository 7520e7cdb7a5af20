/*
 * policy.c - FF-M's rules for a client's psa_version/psa_connect/psa_call,
 * with the statuses TF-M returns to a non-secure caller.  Pure functions of
 * the manifest model, so the unit tests can drive them from a table.
 */
#include "core_int.h"
#include "psa/error.h"

static bool allowed(const struct mf_service *svc, bool ns_caller)
{
    return !ns_caller || svc->non_secure_clients;
}

/* STRICT: exactly the service's version; RELAXED: any version up to it. */
static bool version_ok(const struct mf_service *svc, uint32_t version)
{
    if (svc->policy == MF_POLICY_STRICT)
        return version == svc->version;
    return version <= svc->version;
}

uint32_t spm_policy_version(const struct mf_service *svc, bool ns_caller)
{
    if (svc == NULL || !allowed(svc, ns_caller))
        return PSA_VERSION_NONE;
    return svc->version;
}

psa_status_t spm_policy_connect(const struct mf_service *svc, bool ns_caller, uint32_t version)
{
    if (svc == NULL)
        return PSA_ERROR_CONNECTION_REFUSED;
    if (!svc->connection_based)
        return PSA_ERROR_PROGRAMMER_ERROR;
    if (!allowed(svc, ns_caller) || !version_ok(svc, version))
        return PSA_ERROR_CONNECTION_REFUSED;
    return PSA_SUCCESS;
}

psa_status_t spm_policy_stateless(const struct mf_service *svc, bool ns_caller,
                                  uint32_t handle_version)
{
    if (svc == NULL)
        return PSA_ERROR_PROGRAMMER_ERROR;
    if (!allowed(svc, ns_caller))
        return PSA_ERROR_CONNECTION_REFUSED;
    if (!version_ok(svc, handle_version))
        return PSA_ERROR_PROGRAMMER_ERROR;
    return PSA_SUCCESS;
}

/* The service whose stateless handle has @p h's slot; anything else in the
 * handle but its version (which the policy checks) makes it invalid. */
const struct mf_service *spm_stateless_service(const struct mf_system *sys, psa_handle_t h,
                                               const struct mf_partition **owner)
{
    uint32_t version, slot, s_version, s_slot;
    size_t i, k;

    if (wire_stateless_parts(h, &version, &slot) < 0)
        return NULL;
    for (i = 0; i < sys->n_partitions; i++) {
        for (k = 0; k < sys->partitions[i].n_services; k++) {
            const struct mf_service *s = &sys->partitions[i].services[k];

            if (!s->connection_based && s->stateless_handle != 0 &&
                wire_stateless_parts((int32_t)s->stateless_handle, &s_version, &s_slot) == 0 &&
                s_slot == slot) {
                if (owner != NULL)
                    *owner = &sys->partitions[i];
                return s;
            }
        }
    }
    return NULL;
}

bool spm_type_valid(int32_t type)
{
    return type >= 0 && type <= INT16_MAX;
}
