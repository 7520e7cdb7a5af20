/*
 * device.h - what the board's regions (devices.c) share with the device
 * models behind them (uart.c, watchdog.c): one region's memory and the
 * state of its model.  Private to src/spm/board.
 */
#ifndef PARTIX_BOARD_DEVICE_H
#define PARTIX_BOARD_DEVICE_H

#include <stdbool.h>
#include <stdint.h>

#include "manifest.h"

/* The CMSDK APB UART's model: what its registers hold. */
struct uart {
    uint32_t ctrl;      /* CTRL[6:0] */
    uint32_t state;     /* STATE[3:0]: TX full, RX full, TX overrun, RX overrun */
    uint32_t intstatus; /* INTSTATUS[1:0] (TX, RX); the overrun bits follow STATE */
    uint32_t bauddiv;   /* BAUDDIV[19:0] */
    uint8_t held;       /* the byte in the transmit buffer while STATE says full */
    bool warned;        /* the slow-divider warning is logged once */
    char line[128];     /* the line being transmitted, logged at '\n' */
    size_t len;
};

/* The CMSDK APB watchdog's model.  The counter is not stored: it is
 * computed from when it last started counting down from count0. */
struct wdog {
    uint32_t load, ctrl;
    bool ris, locked;
    bool running;       /* CTRL.INTEN: the counter counts */
    uint32_t count0;    /* the counter when it started (running) or stopped */
    long start, expiry; /* ms: when it started; when it reaches 0 (running) */
};

/* One region's memory, shared by the SPM and the partitions that map it.
 * Regions that share a page share one memory object (a group): the
 * mapping fields are then the group's, owned by its first region. */
struct region {
    uint64_t base, size;         /* as declared */
    uint64_t map_base, map_len;  /* the pages that hold it (and its group) */
    uint64_t obj_len;            /* its memory object: the pages, a device's ack page */
    int fd;                      /* memfd, or the NVMEM file */
    uint8_t *mem;                /* the SPM's own mapping of the pages */
    size_t group;                /* the index of its group's first region */
    bool shared;                 /* a page of it holds another region: trapped */
    const struct mf_region *dev; /* the board's region, NULL for a numbered one */
    bool irq;                    /* the level the device drives its line to */
    union {
        struct uart uart;
        struct wdog wdog;
    } u;
};

/* The register at offset @p off of region @p r, in the SPM's mapping. */
#define REG(r, off) (*(volatile uint32_t *)(void *)((r)->mem + ((r)->base - (r)->map_base) + (off)))

/* The device drives its interrupt line (if the platform gives it one). */
void board_irq_level(struct region *r, bool level);
/* The device asks for a system reset. */
void board_reset(const char *why);

/* uart.c: the registers at reset; a register written with @p value. */
void uart_init(struct region *r);
void uart_write(struct region *r, uint32_t off, uint32_t value);

/* watchdog.c: the registers at reset; a register written; time passing
 * (VALUE follows it, expiries happen); ms until its next expiry, or -1. */
void wdog_init(struct region *r);
void wdog_write(struct region *r, uint32_t off, uint32_t value, long now);
void wdog_tick(struct region *r, long now);
long wdog_deadline(const struct region *r);

#endif /* PARTIX_BOARD_DEVICE_H */
