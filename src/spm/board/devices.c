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
 * Regions may share a page (the AN521 puts two partitions' regions in one):
 * such regions share one memory object over their pages, and every one of
 * them is trapped, so that each access is checked against the bytes of the
 * partition's own region; memory's writes are not reported.
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

/* A region of the board, or a numbered one; its memory object comes later
 * (make_objects), once the regions that share a page are known. */
static int add_region(uint64_t base, uint64_t size, const struct mf_region *dev, int fd)
{
    struct region *r, *grown;

    grown = realloc(board.regions, (board.n_regions + 1) * sizeof(*board.regions));
    if (grown == NULL) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    board.regions = grown;
    r = &board.regions[board.n_regions];
    memset(r, 0, sizeof(*r));
    r->base = base;
    r->size = size;
    r->map_base = mf_page_floor(base);
    r->map_len = mf_page_ceil(base, size) - r->map_base;
    r->dev = dev;
    r->fd = fd;
    r->group = board.n_regions++;
    return 0;
}

/* Regions that share a page form a group (transitively: A and C are in
 * B's group when each shares a page with B), with one memory object over
 * all their pages, named by its first region; the platform rules keep
 * nvmem and otp regions out of every group. */
static void make_groups(void)
{
    size_t i, j, k, from, to;

    for (i = 0; i < board.n_regions; i++)
        for (j = 0; j < i; j++) {
            struct region *a = &board.regions[i], *b = &board.regions[j];

            if (a->group == b->group || a->map_base >= b->map_base + b->map_len ||
                b->map_base >= a->map_base + a->map_len)
                continue;
            from = a->group > b->group ? a->group : b->group;
            to = a->group < b->group ? a->group : b->group;
            for (k = 0; k < board.n_regions; k++)
                if (board.regions[k].group == from)
                    board.regions[k].group = to;
        }
    /* the group's pages: its first region's span grows to hold them all */
    for (i = 0; i < board.n_regions; i++) {
        struct region *r = &board.regions[i], *g = &board.regions[r->group];
        uint64_t end = r->map_base + r->map_len, g_end = g->map_base + g->map_len;

        if (g == r)
            continue;
        g->shared = r->shared = true;
        if (r->map_base < g->map_base)
            g->map_base = r->map_base;
        g->map_len = (end > g_end ? end : g_end) - g->map_base;
    }
    for (i = 0; i < board.n_regions; i++) {
        struct region *r = &board.regions[i], *g = &board.regions[r->group];

        r->map_base = g->map_base;
        r->map_len = g->map_len;
        r->shared = g->shared;
    }
}

/* One memory object per group, made by its first region, shared by the
 * others; a model's registers in it add the acknowledgement page. */
static int make_objects(void)
{
    size_t i, j;

    for (i = 0; i < board.n_regions; i++) {
        struct region *r = &board.regions[i];

        if (r->group != i) {
            const struct region *g = &board.regions[r->group];

            r->fd = g->fd;
            r->mem = g->mem;
            r->obj_len = g->obj_len;
            continue;
        }
        r->obj_len = r->map_len;
        for (j = i; j < board.n_regions; j++)
            if (board.regions[j].group == i && is_model(board.regions[j].dev))
                r->obj_len = r->map_len + MF_PAGE; /* + the acknowledgement page */
        if (r->fd < 0) {
            r->fd =
                memfd_create(r->dev && !r->shared ? r->dev->name : "partix-region", MFD_CLOEXEC);
            if (r->fd < 0 || ftruncate(r->fd, (off_t)r->obj_len) < 0)
                return -1;
        }
        /* the daemon keeps no view of the OTP's secrets: it only hands the
         * sealed memory object to the partitions granted it */
        if (r->dev != NULL && r->dev->device == MF_DEV_OTP)
            continue;
        r->mem = mmap(NULL, r->obj_len, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd, 0);
        if (r->mem == MAP_FAILED) {
            r->mem = NULL;
            return -1;
        }
    }
    for (i = 0; i < board.n_regions; i++) {
        struct region *r = &board.regions[i];

        if (r->dev != NULL && r->dev->device == MF_DEV_UART)
            uart_init(r);
        else if (r->dev != NULL && r->dev->device == MF_DEV_WATCHDOG)
            wdog_init(r);
    }
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
    make_groups();
    return make_objects();
}

void spm_board_free(void)
{
    size_t i;

    for (i = 0; i < board.n_regions; i++) {
        if (board.regions[i].group != i) /* its group's first region owns the object */
            continue;
        if (board.regions[i].mem != NULL)
            munmap(board.regions[i].mem, board.regions[i].obj_len);
        if (board.regions[i].fd >= 0)
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
    /* a register file, or a page another region shares: checked to the byte */
    w->trap = is_model(r->dev) || r->shared;
    w->report = is_model(r->dev);
    if (w->report && slot_of(mf) < WIRE_ACK_SLOTS) {
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

    if (index >= mf->n_mmio || (r = region_of(&mf->mmio[index])) == NULL || !is_model(r->dev) ||
        offset >= r->size)
        return -1;
    spm_log(SPM_DEBUG, "device %s: register 0x%x written: 0x%x", r->dev->name, offset, value);
    if (r->dev->device == MF_DEV_UART)
        uart_write(r, offset, value);
    else if (r->dev->device == MF_DEV_WATCHDOG)
        wdog_write(r, offset, value, now);
    if (slot_of(mf) < WIRE_ACK_SLOTS) {
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
