/*
 * watchdog.c - the CMSDK APB watchdog (Cortex-M System Design Kit TRM), as
 * the MPS2 AN521 board has it, so that a stock CMSDK driver runs unchanged.
 * Its counter runs at the platform's clock_hz (WDOGCLK), in the host's
 * monotonic time.
 *
 *   0x000 LOAD    the count to start from (reset 0xFFFFFFFF); a write
 *                 restarts the count from it
 *   0x004 VALUE   R: the counter
 *   0x008 CTRL    [0] INTEN: count and interrupt (turning it on reloads the
 *                 counter from LOAD; off stops it); [1] RESEN: reset on the
 *                 second expiry
 *   0x00C INTCLR  W (any value): clear the interrupt, reload the counter
 *   0x010 RIS     R: [0] the raw interrupt
 *   0x014 MIS     R: [0] RIS AND INTEN, which drives the interrupt line
 *   0xC00 LOCK    W 0x1ACCE551: unlock every other register; any other
 *                 value: lock them (writes ignored); R: [0] locked
 *
 * When the counter reaches 0 it sets RIS and reloads from LOAD; reaching 0
 * again with RIS still set resets the system if RESEN is on, and otherwise
 * just reloads.  The model computes the counter from the time it started:
 * VALUE shows it as of the daemon's last wakeup (every write and every
 * message it handles wakes it).  Integration test and ID registers are
 * not modelled: they read 0.
 */
#include <string.h>

#include "device.h"
#include "spm.h"

#define LOAD 0x000u
#define VALUE 0x004u
#define CTRL 0x008u
#define INTCLR 0x00cu
#define RIS 0x010u
#define MIS 0x014u
#define LOCK 0xc00u

#define CTRL_INTEN 0x1u
#define CTRL_RESEN 0x2u
#define LOCK_KEY 0x1acce551u

/* ms for @p ticks of the clock, rounded up: an expiry is never early.
 * At least one tick: a LOAD of 0 (the TRM's minimum is 1) does not spin. */
static long ticks_ms(const struct region *r, uint32_t ticks)
{
    uint64_t hz = r->dev->clock_hz;

    return (long)(((uint64_t)(ticks ? ticks : 1) * 1000u + hz - 1) / hz);
}

/* The counter now. */
static uint32_t counter(const struct region *r, long now)
{
    const struct wdog *w = &r->u.wdog;
    uint64_t gone;

    if (!w->running)
        return w->count0;
    if (now >= w->expiry)
        return 0;
    gone = (uint64_t)(now - w->start) * r->dev->clock_hz / 1000u; /* < count0 + clock_hz */
    return gone >= w->count0 ? 0 : w->count0 - (uint32_t)gone;
}

static void reload(struct region *r, long now)
{
    struct wdog *w = &r->u.wdog;

    w->count0 = w->load;
    w->start = now;
    w->expiry = now + ticks_ms(r, w->load);
}

/* The registers only the device writes, and the interrupt line: what time
 * changes.  A tick never touches a register a partition may be writing. */
static void publish_status(struct region *r, long now)
{
    const struct wdog *w = &r->u.wdog;
    bool mis = w->ris && (w->ctrl & CTRL_INTEN);

    REG(r, VALUE) = counter(r, now);
    REG(r, RIS) = w->ris;
    REG(r, MIS) = mis;
    board_irq_level(r, mis);
}

/* Every register, after a write (its writer waits for the board). */
static void publish(struct region *r, uint32_t off, long now)
{
    const struct wdog *w = &r->u.wdog;

    if (off != LOAD && off != VALUE && off != CTRL && off != RIS && off != MIS && off != LOCK &&
        off + 4 <= r->size)
        REG(r, off) = 0; /* INTCLR and reserved offsets read 0 */
    REG(r, LOAD) = w->load;
    REG(r, CTRL) = w->ctrl;
    if (LOCK + 4 <= r->size)
        REG(r, LOCK) = w->locked;
    publish_status(r, now);
}

void wdog_init(struct region *r)
{
    struct wdog *w = &r->u.wdog;

    memset(w, 0, sizeof(*w));
    w->load = 0xffffffffu;
    w->count0 = w->load;
    publish(r, LOAD, 0);
}

void wdog_write(struct region *r, uint32_t off, uint32_t value, long now)
{
    struct wdog *w = &r->u.wdog;

    if (off == LOCK)
        w->locked = value != LOCK_KEY;
    else if (!w->locked) {
        switch (off) {
        case LOAD:
            w->load = value;
            reload(r, now);
            break;
        case CTRL:
            if ((value & CTRL_INTEN) && !w->running)
                reload(r, now);
            else if (!(value & CTRL_INTEN) && w->running)
                w->count0 = counter(r, now); /* stopped where it was */
            w->running = (value & CTRL_INTEN) != 0;
            w->ctrl = value & (CTRL_INTEN | CTRL_RESEN);
            break;
        case INTCLR:
            w->ris = false;
            reload(r, now);
            break;
        default:
            break; /* VALUE, RIS, MIS are read-only */
        }
    }
    publish(r, off, now);
}

long wdog_deadline(const struct region *r)
{
    return r->u.wdog.running ? r->u.wdog.expiry : -1;
}

void wdog_tick(struct region *r, long now)
{
    struct wdog *w = &r->u.wdog;

    if (w->running && now >= w->expiry) {
        if (w->ris && (w->ctrl & CTRL_RESEN)) {
            spm_log(SPM_ERROR, "watchdog %s expired twice without being serviced: system reset",
                    r->dev->name);
            wdog_init(r); /* the reset resets the watchdog too */
            board_reset("watchdog");
            return;
        }
        spm_log(SPM_INFO, "watchdog %s expired%s", r->dev->name,
                w->ris ? " again (interrupt still set, RESEN off)" : "");
        w->ris = true;
        reload(r, w->expiry); /* on the clock's edge, however late the daemon woke */
    }
    publish_status(r, now);
}
