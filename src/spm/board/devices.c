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
 *
 * A device that changes an interrupt line or wants a system reset tells the
 * shell through its hooks, which hand it to the core as an event.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "paths.h"
#include "spm.h"

/* One region's memory, shared by the SPM and the partitions that map it. */
struct region {
    uint64_t base, size;         /* as declared */
    uint64_t map_base, map_len;  /* the pages that hold it */
    int fd;                      /* memfd, or the NVMEM file */
    uint8_t *mem;                /* the SPM's own mapping of the pages */
    const struct mf_region *dev; /* the board's region, NULL for a numbered one */
    char uart_line[128];         /* uart: the line being transmitted */
    size_t uart_len;
    long wdog_deadline; /* watchdog: when it expires (0: stopped) */
};

static struct board {
    struct region *regions;
    size_t n_regions;
    struct spm_board_hooks hooks;
} board;

/* The register at offset @p off of region @p r, in the SPM's mapping. */
#define REG(r, off) (*(volatile uint32_t *)(void *)((r)->mem + ((r)->base - (r)->map_base) + (off)))

static int add_region(uint64_t base, uint64_t size, const struct mf_region *dev, int fd)
{
    struct region *r, *grown;

    grown = realloc(board.regions, (board.n_regions + 1) * sizeof(*board.regions));
    if (grown == NULL)
        return -1;
    board.regions = grown;
    r = &board.regions[board.n_regions];
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
        board.n_regions++;
        return 0;
    }
    r->mem = mmap(NULL, r->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd, 0);
    if (r->mem == MAP_FAILED) {
        r->mem = NULL;
        return -1;
    }
    board.n_regions++;
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

int spm_board_init(const char *state_dir, const struct spm_board_hooks *hooks)
{
    size_t i, k, j;

    board.hooks = *hooks;
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
            for (j = 0; j < board.n_regions; j++)
                if (board.regions[j].dev == NULL && board.regions[j].base == p->mmio[k].base)
                    break;
            if (j == board.n_regions && add_region(p->mmio[k].base, p->mmio[k].size, NULL, -1) < 0)
                return -1;
        }
    }
    return 0;
}

void spm_board_free(void)
{
    size_t i;

    for (i = 0; i < board.n_regions; i++) {
        if (board.regions[i].mem != NULL)
            munmap(board.regions[i].mem, board.regions[i].map_len);
        close(board.regions[i].fd);
    }
    free(board.regions);
    board.regions = NULL;
    board.n_regions = 0;
}

static struct region *region_of(const struct mf_mmio *m)
{
    size_t j;

    for (j = 0; j < board.n_regions; j++) {
        const struct region *r = &board.regions[j];

        if (m->name != NULL ? r->dev == &spm.plat->regions[m->region]
                            : r->dev == NULL && r->base == m->base)
            return &board.regions[j];
    }
    return NULL;
}

int spm_board_region(const struct mf_partition *mf, size_t k, struct wire_msg *m, int *fd)
{
    const struct region *r = k < mf->n_mmio ? region_of(&mf->mmio[k]) : NULL;
    struct wire_region *w = &m->u.region;

    if (r == NULL || strlen(r->dev ? r->dev->name : "") >= sizeof(w->name))
        return -1;
    memset(m, 0, sizeof(*m));
    m->type = WIRE_S_REGION;
    w->index = (uint8_t)k;
    w->map_base = r->map_base;
    w->map_len = r->map_len;
    w->base = r->base;
    w->size = r->size;
    w->writable = mf->mmio[k].perm == MF_PERM_RW;
    w->trap = r->dev != NULL && r->dev->device != MF_DEV_MEMORY && r->dev->device != MF_DEV_NVMEM &&
              r->dev->device != MF_DEV_OTP; /* a register file */
    w->otp = r->dev != NULL && r->dev->device == MF_DEV_OTP;
    snprintf(w->name, sizeof(w->name), "%s", r->dev ? r->dev->name : "");
    *fd = r->fd;
    return 0;
}

/* ---- the device models ---- */

static void irq_level(const struct region *r, bool level)
{
    if (r->dev->irq_line >= 0)
        board.hooks.irq_line(r->dev->irq_line, level);
}

static void uart_write(struct region *r, uint32_t off, uint32_t value)
{
    char line[sizeof(r->uart_line) + WIRE_MAX_NAME + 4];
    uint8_t c;

    switch (off) {
    case 0x00:
        c = (uint8_t)value;
        if (c != '\n' && c != '\r' && r->uart_len < sizeof(r->uart_line) - 1)
            r->uart_line[r->uart_len++] = (char)(c >= 0x20 && c < 0x7f ? c : '.');
        if (c == '\n' || r->uart_len == sizeof(r->uart_line) - 1) {
            r->uart_line[r->uart_len] = '\0';
            snprintf(line, sizeof(line), "[%s] %s", r->dev->name, r->uart_line);
            spm_log_text(SPM_INFO, line); /* rate-limited by its text, not one format */
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

static void wdog_reload(struct region *r, long now)
{
    uint32_t load = REG(r, 0x00);

    REG(r, 0x04) = load;
    r->wdog_deadline = (REG(r, 0x08) & 1u) && load > 0 ? now + (long)load : 0;
}

static void wdog_write(struct region *r, uint32_t off, uint32_t value, long now)
{
    (void)value; /* LOAD and CTRL are read back from the registers */
    switch (off) {
    case 0x00: /* LOAD */
    case 0x08: /* CTRL */
        wdog_reload(r, now);
        break;
    case 0x0c: /* INTCLR */
        REG(r, 0x10) = 0;
        irq_level(r, false);
        wdog_reload(r, now);
        break;
    default:
        break;
    }
}

int spm_board_mmio(const struct mf_partition *mf, uint8_t index, uint32_t offset, uint32_t value,
                   long now)
{
    struct region *r;

    if (index >= mf->n_mmio || (r = region_of(&mf->mmio[index])) == NULL || r->dev == NULL ||
        offset >= r->size)
        return -1;
    if (r->dev->device == MF_DEV_UART)
        uart_write(r, offset, value);
    else if (r->dev->device == MF_DEV_WATCHDOG)
        wdog_write(r, offset, value, now);
    return 0;
}

long spm_board_next_deadline(long now)
{
    long next = -1;
    size_t i;

    for (i = 0; i < board.n_regions; i++)
        if (board.regions[i].wdog_deadline > 0 &&
            (next < 0 || board.regions[i].wdog_deadline < next))
            next = board.regions[i].wdog_deadline;
    return next < 0 ? -1 : (next > now ? next - now : 0);
}

void spm_board_tick(long now)
{
    size_t i;

    for (i = 0; i < board.n_regions; i++) {
        struct region *r = &board.regions[i];

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
            board.hooks.reset("watchdog");
            continue;
        }
        spm_log(SPM_INFO, "watchdog %s expired", r->dev->name);
        REG(r, 0x10) = 1;
        irq_level(r, true);
        wdog_reload(r, now);
    }
}
