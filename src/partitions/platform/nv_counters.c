/*
 * nv_counters.c - the NV counters as files of the partition's storage
 * directory (format and rules in platform_sp.h).  Nothing is cached: each
 * request reads its owner's file, so the file alone says what a counter
 * is, across partition restarts, system resets and psa-spm restarts.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "durable_file.h"
#include "platform_sp.h"
#include "tfm_sp_log.h"

#define NAME_MAX_LEN 16 /* "nv-ns-" and 8 hex digits, or "nv-secure" */

static int dir_fd = -1;

/* Whose file holds counter @p id for @p client_id, and where in it. */
struct slot {
    char name[NAME_MAX_LEN];
    int32_t owner;
    uint32_t n;     /* counters in the file */
    uint32_t index; /* this one's */
};

static void slot_of(int32_t client_id, enum tfm_nv_counter_t id, struct slot *s)
{
    if (client_id < 0) {
        /* a non-secure caller: its Linux user's own NS counters */
        snprintf(s->name, sizeof(s->name), "nv-ns-%08x", (unsigned)client_id);
        s->owner = client_id;
        s->n = PLATFORM_NS_NV_COUNTERS;
        s->index = (uint32_t)id - PLAT_NV_COUNTER_NS_0;
    } else {
        snprintf(s->name, sizeof(s->name), "nv-secure");
        s->owner = 0;
        s->n = PLAT_NV_COUNTER_MAX;
        s->index = (uint32_t)id;
    }
}

/* The file's counters (all 0 when there is none); -1 if it cannot be read
 * or fails its checks. */
static int load(const struct slot *s, uint32_t *values)
{
    uint8_t buf[NV_FILE_MAX_SIZE];
    long len = partix_file_read(dir_fd, s->name, buf, sizeof(buf));

    if (len < 0 && errno == ENOENT) {
        memset(values, 0, s->n * sizeof(*values));
        return 0;
    }
    if (len < 0) {
        LOG_ERRFMT("cannot read %s: %s\n", s->name, strerror(errno));
        return -1;
    }
    if (nv_file_decode(buf, (size_t)len, s->owner, values, s->n) < 0) {
        LOG_ERRFMT("%s fails its checks: its counters are refused until it is repaired\n", s->name);
        return -1;
    }
    return 0;
}

void nv_counters_init(int dir)
{
    dir_fd = dir;
}

enum tfm_platform_err_t nv_counter_read(int32_t client_id, enum tfm_nv_counter_t id,
                                        uint32_t *value)
{
    uint32_t values[PLAT_NV_COUNTER_MAX];
    struct slot s;

    slot_of(client_id, id, &s);
    if (load(&s, values) < 0)
        return TFM_PLATFORM_ERR_SYSTEM_ERROR;
    *value = values[s.index];
    return TFM_PLATFORM_ERR_SUCCESS;
}

enum tfm_platform_err_t nv_counter_increment(int32_t client_id, enum tfm_nv_counter_t id)
{
    uint32_t values[PLAT_NV_COUNTER_MAX];
    uint8_t buf[NV_FILE_MAX_SIZE];
    struct slot s;
    size_t len;

    slot_of(client_id, id, &s);
    if (load(&s, values) < 0)
        return TFM_PLATFORM_ERR_SYSTEM_ERROR;
    if (values[s.index] == UINT32_MAX)
        return TFM_PLATFORM_ERR_SYSTEM_ERROR; /* TF-M: TFM_PLAT_ERR_MAX_VALUE */
    values[s.index]++;
    len = nv_file_encode(buf, s.owner, values, s.n);
    switch (partix_file_replace(dir_fd, s.name, buf, len)) {
    case PARTIX_FILE_OK:
        return TFM_PLATFORM_ERR_SUCCESS;
    case PARTIX_FILE_NOT_DURABLE:
        /* the new value is in place, but a power loss could still undo it */
        LOG_ERRFMT("cannot sync the directory after writing %s: %s\n", s.name, strerror(errno));
        return TFM_PLATFORM_ERR_SYSTEM_ERROR;
    default:
        LOG_ERRFMT("cannot write %s: %s\n", s.name, strerror(errno));
        return TFM_PLATFORM_ERR_SYSTEM_ERROR;
    }
}
