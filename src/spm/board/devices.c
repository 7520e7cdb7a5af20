/*
 * devices.c - the board's MMIO regions and the simulated peripherals behind
 * them.  Every region is a shared memory object (a memfd, or for NVMEM a
 * file in the state directory; the OTP's is sealed read-only) mapped into
 * each partition that declares it, at the region's own address.  A device
 * region is mapped inaccessible in the partition: the runtime traps each
 * access, single-steps it, and reports a write with P_MMIO, so the models
 * see every register write, including a byte written twice.  A device's
 * memory object has one page more, after its registers: the acknowledgement
 * page, a counter per partition that the board bumps (and futex-wakes)
 * once the model has taken a write, which the runtime waits for, so a
 * register read after a write reads what the device made of it.
 *
 * The device models are uart.c (CMSDK APB UART) and watchdog.c (CMSDK APB
 * watchdog).
 *
 * A device that changes an interrupt line or wants a system reset tells the
 * shell through its hooks, which hand it to the core as an event.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/futex.h>
#include <limits.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "device.h"
#include "paths.h"
#include "spm.h"

static struct board {
    struct region *regions;
    size_t n_regions;
    struct spm_board_hooks hooks;
} board;

/* Whether a model answers behind the region (its registers trap). */
static bool is_model(const struct mf_region *dev)
{
    return dev != NULL && (dev->device == MF_DEV_UART || dev->device == MF_DEV_WATCHDOG);
}

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
    r->obj_len = r->map_len + (is_model(dev) ? MF_PAGE : 0); /* + the acknowledgement page */
    if (fd < 0) {
        r->fd = memfd_create(dev ? dev->name : "partix-region", MFD_CLOEXEC);
        if (r->fd < 0 || ftruncate(r->fd, (off_t)r->obj_len) < 0)
            return -1;
    }
    if (dev != NULL && dev->device == MF_DEV_OTP) {
        /* the daemon keeps no view of the device's secrets: it only hands
         * the sealed memory object to the partitions granted it */
        board.n_regions++;
        return 0;
    }
    r->mem = mmap(NULL, r->obj_len, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd, 0);
    if (r->mem == MAP_FAILED) {
        r->mem = NULL;
        return -1;
    }
    board.n_regions++;
    if (dev != NULL && dev->device == MF_DEV_UART)
        uart_init(r);
    else if (dev != NULL && dev->device == MF_DEV_WATCHDOG)
        wdog_init(r);
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
            munmap(board.regions[i].mem, board.regions[i].obj_len);
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

/* A partition's counter in the acknowledgement pages: its index. */
static size_t slot_of(const struct mf_partition *mf)
{
    return (size_t)(mf - spm.sys->partitions);
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
    w->trap = is_model(r->dev); /* a register file */
    if (w->trap && slot_of(mf) < WIRE_ACK_SLOTS) {
        w->ack_off = r->map_len;
        w->ack_slot = (uint16_t)slot_of(mf);
    }
    w->otp = r->dev != NULL && r->dev->device == MF_DEV_OTP;
    snprintf(w->name, sizeof(w->name), "%s", r->dev ? r->dev->name : "");
    *fd = r->fd;
    return 0;
}

/* ---- the device models' view of the board ---- */

void board_irq_level(struct region *r, bool level)
{
    if (r->dev->irq_line >= 0 && r->irq != level)
        board.hooks.irq_line(r->dev->irq_line, level);
    r->irq = level;
}

void board_reset(const char *why)
{
    board.hooks.reset(why);
}

int spm_board_mmio(const struct mf_partition *mf, uint8_t index, uint32_t offset, uint32_t value,
                   long now)
{
    struct region *r;

    if (index >= mf->n_mmio || (r = region_of(&mf->mmio[index])) == NULL || r->dev == NULL ||
        offset >= r->size)
        return -1;
    spm_log(SPM_DEBUG, "device %s: register 0x%x written: 0x%x", r->dev->name, offset, value);
    if (r->dev->device == MF_DEV_UART)
        uart_write(r, offset, value);
    else if (r->dev->device == MF_DEV_WATCHDOG)
        wdog_write(r, offset, value, now);
    if (is_model(r->dev) && slot_of(mf) < WIRE_ACK_SLOTS) {
        /* the write is taken: the partition, waiting on its counter, goes on */
        uint32_t *ack = (uint32_t *)(void *)(r->mem + r->map_len) + slot_of(mf);

        __atomic_add_fetch(ack, 1, __ATOMIC_RELEASE);
        syscall(SYS_futex, ack, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
    }
    return 0;
}

long spm_board_next_deadline(long now)
{
    long next = -1, d;
    size_t i;

    for (i = 0; i < board.n_regions; i++)
        if (board.regions[i].dev != NULL && board.regions[i].dev->device == MF_DEV_WATCHDOG &&
            (d = wdog_deadline(&board.regions[i])) >= 0 && (next < 0 || d < next))
            next = d;
    return next < 0 ? -1 : (next > now ? next - now : 0);
}

void spm_board_tick(long now)
{
    size_t i;

    for (i = 0; i < board.n_regions; i++)
        if (board.regions[i].dev != NULL && board.regions[i].dev->device == MF_DEV_WATCHDOG)
            wdog_tick(&board.regions[i], now);
}

void spm_board_reset(void)
{
    size_t i;

    for (i = 0; i < board.n_regions; i++) {
        struct region *r = &board.regions[i];

        if (r->dev == NULL || (r->dev->device != MF_DEV_UART && r->dev->device != MF_DEV_WATCHDOG))
            continue; /* memory keeps what it holds, as NVMEM and the OTP do */
        if (r->dev->device == MF_DEV_UART)
            uart_init(r);
        else
            wdog_init(r);
        board_irq_level(r, false);
    }
}
