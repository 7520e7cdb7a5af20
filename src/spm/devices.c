/*
 * devices.c - the board's MMIO regions and the simulated peripherals behind
 * them.  Every region is a shared memory object (a memfd, or for NVMEM a
 * file in the state directory; the OTP's is sealed read-only) mapped into
 * each partition that declares it, at the region's own address.  A device region is mapped inaccessible in
 * the partition: the runtime traps each access, single-steps it, and
 * reports a write with P_MMIO, so the models below see every register
 * write, including a byte written twice.
 *
 * Register maps (32-bit little-endian registers, offsets in bytes):
 *   uart      0x00 DATA (W: transmit the low byte)  0x04 STATE (R: 0, never full)
 *             0x08 CTRL (bit 0: TX interrupt enable)  0x0C INTSTATUS (R) / INTCLEAR (W 1)
 *   watchdog  0x00 LOAD (W: milliseconds, restarts the count)  0x04 VALUE (R, ms left)
 *             0x08 CTRL (bit 0: count and interrupt, bit 1: reset on the second expiry)
 *             0x0C INTCLR (W: clear the interrupt, reload)  0x10 RIS (R: bit 0 expired)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "paths.h"
#include "spm.h"

/* The register at offset @p off of region @p r, in the SPM's mapping. */
#define REG(r, off) (*(volatile uint32_t *)(void *)((r)->mem + ((r)->base - (r)->map_base) + (off)))

static int add_region(uint64_t base, uint64_t size, const struct mf_region *dev, int fd)
{
    struct spm_region *r, *grown;

    grown = realloc(spm.regions, (spm.n_regions + 1) * sizeof(*spm.regions));
    if (grown == NULL)
        return -1;
    spm.regions = grown;
    r = &spm.regions[spm.n_regions];
    memset(r, 0, sizeof(*r));
    r->base = base;
    r->size = size;
    r->map_base = mf_page_floor(base);
    r->map_len = mf_page_ceil(base, size) - r->map_base;
    r->dev = dev;
    r->fd = fd;
    if (fd < 0) {
        r->fd = memfd_create(dev ? dev->name : "partix-region", MFD_CLOEXEC);
        if (r->fd < 0 || ftruncate(r->fd, (off_t)r->map_len) < 0)
            return -1;
    }
    if (dev != NULL && dev->device == MF_DEV_OTP) {
        /* the daemon keeps no view of the device's secrets: it only hands
         * the sealed memory object to the partitions granted it */
        spm.n_regions++;
        return 0;
    }
    r->mem = mmap(NULL, r->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd, 0);
    if (r->mem == MAP_FAILED) {
        r->mem = NULL;
        return -1;
    }
    spm.n_regions++;
    return 0;
}

/* NVMEM: a file of the region's size in the state directory, erased (0xFF)
 * when first created, kept across restarts of the daemon. */
static int open_nvmem(const struct mf_region *dev, const char *state_dir, uint64_t len)
{
    char path[PATH_MAX];
    struct stat st;
    int fd;

    if (state_dir == NULL || partix_mkdir_p(state_dir, 0700) < 0) {
        spm_log(SPM_ERROR, "NVMEM region %s: no state directory %s: %s", dev->name,
                state_dir ? state_dir : "(none)", strerror(errno));
        return -1;
    }
    snprintf(path, sizeof(path), "%s/%s", state_dir, dev->file);
    fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0 || fstat(fd, &st) < 0) {
        spm_log(SPM_ERROR, "NVMEM region %s: %s: %s", dev->name, path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    if ((uint64_t)st.st_size < len) {
        uint8_t ff[4096];
        uint64_t at;

        memset(ff, 0xff, sizeof(ff));
        for (at = (uint64_t)st.st_size; at < len; at += sizeof(ff))
            if (pwrite(fd, ff, (size_t)(len - at < sizeof(ff) ? len - at : sizeof(ff)), (off_t)at) <
                0) {
                spm_log(SPM_ERROR, "NVMEM region %s: %s: %s", dev->name, path, strerror(errno));
                close(fd);
                return -1;
            }
        spm_log(SPM_INFO, "NVMEM region %s: %s created, erased to 0xFF", dev->name, path);
    }
    return fd;
}

int spm_regions_init(const char *state_dir)
{
    size_t i, k, j;

    for (i = 0; spm.plat != NULL && i < spm.plat->n_regions; i++) {
        const struct mf_region *dev = &spm.plat->regions[i];
        int fd = -1;

        uint64_t len = mf_page_ceil(dev->base, dev->size) - mf_page_floor(dev->base);

        if (dev->device == MF_DEV_NVMEM && (fd = open_nvmem(dev, state_dir, len)) < 0)
            return -1;
        if (dev->device == MF_DEV_OTP &&
            (fd = spm_otp_memfd(len, dev->base - mf_page_floor(dev->base), dev->size)) < 0)
            return -1;
        if (add_region(dev->base, dev->size, dev, fd) < 0)
            return -1;
    }
    /* numbered regions: one memory object per distinct range */
    for (i = 0; i < spm.sys->n_partitions; i++) {
        const struct mf_partition *p = &spm.sys->partitions[i];

        for (k = 0; k < p->n_mmio; k++) {
            if (p->mmio[k].name != NULL)
                continue;
            for (j = 0; j < spm.n_regions; j++)
                if (spm.regions[j].dev == NULL && spm.regions[j].base == p->mmio[k].base)
                    break;
            if (j == spm.n_regions && add_region(p->mmio[k].base, p->mmio[k].size, NULL, -1) < 0)
                return -1;
        }
    }
    return 0;
}

void spm_regions_free(void)
{
    size_t i;

    for (i = 0; i < spm.n_regions; i++) {
        if (spm.regions[i].mem != NULL)
            munmap(spm.regions[i].mem, spm.regions[i].map_len);
        close(spm.regions[i].fd);
    }
    free(spm.regions);
    spm.regions = NULL;
    spm.n_regions = 0;
}

static struct spm_region *region_of(const struct mf_mmio *m)
{
    size_t j;

    for (j = 0; j < spm.n_regions; j++) {
        const struct spm_region *r = &spm.regions[j];

        if (m->name != NULL ? r->dev == &spm.plat->regions[m->region]
                            : r->dev == NULL && r->base == m->base)
            return &spm.regions[j];
    }
    return NULL;
}

bool spm_send_regions(struct spm_part *p)
{
    struct wire_msg m;
    struct wire_region *rg = &m.u.region;
    size_t k;

    for (k = 0; k < p->mf->n_mmio; k++) {
        const struct spm_region *r = region_of(&p->mf->mmio[k]);
        const char *name;

        if (r == NULL)
            return false;
        name = r->dev ? r->dev->name : "";
        if (strlen(name) >= sizeof(rg->name))
            return false;
        m.type = WIRE_S_REGION;
        m.seq = 0;
        rg->index = (uint8_t)k;
        rg->map_base = r->map_base;
        rg->map_len = r->map_len;
        rg->base = r->base;
        rg->size = r->size;
        rg->writable = p->mf->mmio[k].perm == MF_PERM_RW;
        rg->trap = r->dev != NULL && r->dev->device != MF_DEV_MEMORY &&
                   r->dev->device != MF_DEV_NVMEM &&
                   r->dev->device != MF_DEV_OTP; /* a register file: trap */
        rg->otp = r->dev != NULL && r->dev->device == MF_DEV_OTP;
        strcpy(rg->name, name);
        if (!spm_send(&p->peer, &m, dup(r->fd)))
            return false;
    }
    return true;
}

/* ---- the device models ---- */

static void irq_level(const struct spm_region *r, bool level)
{
    if (r->dev->irq_line >= 0)
        spm_irq_set_line(r->dev->irq_line, level);
}

static void uart_write(struct spm_region *r, uint32_t off, uint32_t value)
{
    uint8_t c;

    switch (off) {
    case 0x00:
        c = (uint8_t)value;
        if (c != '\n' && c != '\r' && r->uart_len < sizeof(r->uart_line) - 1)
            r->uart_line[r->uart_len++] = (char)(c >= 0x20 && c < 0x7f ? c : '.');
        if (c == '\n' || r->uart_len == sizeof(r->uart_line) - 1) {
            r->uart_line[r->uart_len] = '\0';
            spm_log(SPM_INFO, "[%s] %s", r->dev->name, r->uart_line);
            r->uart_len = 0;
        }
        if (REG(r, 0x08) & 1u) {
            REG(r, 0x0c) = 1;
            irq_level(r, true);
        }
        break;
    case 0x0c:
        if (value & 1u) {
            REG(r, 0x0c) = 0;
            irq_level(r, false);
        }
        break;
    default:
        break;
    }
    REG(r, 0x04) = 0; /* never full */
}

static void wdog_reload(struct spm_region *r)
{
    uint32_t load = REG(r, 0x00);

    REG(r, 0x04) = load;
    r->wdog_deadline = (REG(r, 0x08) & 1u) && load > 0 ? spm_now_ms() + (long)load : 0;
}

static void wdog_write(struct spm_region *r, uint32_t off, uint32_t value)
{
    (void)value; /* LOAD and CTRL are read back from the registers */
    switch (off) {
    case 0x00: /* LOAD */
    case 0x08: /* CTRL */
        wdog_reload(r);
        break;
    case 0x0c: /* INTCLR */
        REG(r, 0x10) = 0;
        irq_level(r, false);
        wdog_reload(r);
        break;
    default:
        break;
    }
}

int spm_mmio_write(struct spm_part *p, uint8_t index, uint32_t offset, uint32_t value)
{
    struct spm_region *r;

    if (index >= p->mf->n_mmio || (r = region_of(&p->mf->mmio[index])) == NULL || r->dev == NULL ||
        offset >= r->size)
        return -1;
    if (r->dev->device == MF_DEV_UART)
        uart_write(r, offset, value);
    else if (r->dev->device == MF_DEV_WATCHDOG)
        wdog_write(r, offset, value);
    return 0;
}

long spm_devices_next_deadline(long now)
{
    long next = -1;
    size_t i;

    for (i = 0; i < spm.n_regions; i++)
        if (spm.regions[i].wdog_deadline > 0 && (next < 0 || spm.regions[i].wdog_deadline < next))
            next = spm.regions[i].wdog_deadline;
    return next < 0 ? -1 : (next > now ? next - now : 0);
}

void spm_devices_tick(long now)
{
    size_t i;

    for (i = 0; i < spm.n_regions; i++) {
        struct spm_region *r = &spm.regions[i];

        if (r->wdog_deadline == 0)
            continue;
        if (r->wdog_deadline > now) {
            REG(r, 0x04) = (uint32_t)(r->wdog_deadline - now);
            continue;
        }
        if ((REG(r, 0x10) & 1u) && (REG(r, 0x08) & 2u)) {
            spm_log(SPM_ERROR, "watchdog %s expired twice without being serviced: system reset",
                    r->dev->name);
            r->wdog_deadline = 0;
            REG(r, 0x10) = 0;
            irq_level(r, false);
            spm_system_reset("watchdog");
            continue;
        }
        spm_log(SPM_INFO, "watchdog %s expired", r->dev->name);
        REG(r, 0x10) = 1;
        irq_level(r, true);
        wdog_reload(r);
    }
}
