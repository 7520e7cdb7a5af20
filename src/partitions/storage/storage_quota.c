/*
 * storage_quota.c - whether a set fits a budget of entries and bytes (see
 * storage_shared.h).  Pure: both storage partitions call it twice per set,
 * once with every client's use against the capacity, once with the
 * caller's own use against its quota.
 */
#include "storage_shared.h"

bool storage_fits(const struct storage_use *use, const struct storage_use *max,
                  const uint32_t *old_size, uint32_t size)
{
    /* the entry replaced, if any, gives its bytes back and keeps its place */
    uint32_t others = use->bytes - (old_size != NULL ? *old_size : 0);

    if (old_size == NULL && use->entries >= max->entries)
        return false;
    /* a use already past the budget (a build with a smaller one) fits
     * nothing new: no underflow below */
    return others <= max->bytes && size <= max->bytes - others;
}
