/*
 * cmsdk_drv.h - a minimal driver for the CMSDK APB UART and the CMSDK APB
 * watchdog, written from their register descriptions in the Cortex-M
 * System Design Kit Technical Reference Manual alone (offsets, bits, the
 * lock key), as firmware for the MPS2 AN521 would drive them.  Nothing in
 * it knows it runs under partix.
 */
#ifndef PARTIX_TEST_CMSDK_DRV_H
#define PARTIX_TEST_CMSDK_DRV_H

#include <stdint.h>

#define CMSDK_REG(base, off) (*(volatile uint32_t *)(uintptr_t)((base) + (off)))

/* ---- APB UART ---- */
#define UART_DATA 0x00u
#define UART_STATE 0x04u
#define UART_CTRL 0x08u
#define UART_INTSTATUS 0x0cu /* read */
#define UART_INTCLEAR 0x0cu  /* write */
#define UART_BAUDDIV 0x10u

#define UART_STATE_TX_FULL (1u << 0)
#define UART_STATE_RX_FULL (1u << 1)
#define UART_STATE_TX_OVERRUN (1u << 2)
#define UART_STATE_RX_OVERRUN (1u << 3)
#define UART_CTRL_TX_EN (1u << 0)
#define UART_CTRL_RX_EN (1u << 1)
#define UART_CTRL_TX_INT_EN (1u << 2)
#define UART_CTRL_RX_INT_EN (1u << 3)
#define UART_CTRL_TX_OVERRUN_INT_EN (1u << 4)
#define UART_CTRL_RX_OVERRUN_INT_EN (1u << 5)
#define UART_INT_TX (1u << 0)
#define UART_INT_RX (1u << 1)
#define UART_INT_TX_OVERRUN (1u << 2)
#define UART_INT_RX_OVERRUN (1u << 3)

/* BAUDDIV = the peripheral clock / the baud rate, at least 16. */
static inline void cmsdk_uart_init(uint32_t base, uint32_t clk_hz, uint32_t baud, uint32_t ctrl)
{
    CMSDK_REG(base, UART_CTRL) = 0;
    CMSDK_REG(base, UART_BAUDDIV) = clk_hz / baud;
    CMSDK_REG(base, UART_CTRL) = ctrl;
}

static inline void cmsdk_uart_putc(uint32_t base, uint8_t c)
{
    while (CMSDK_REG(base, UART_STATE) & UART_STATE_TX_FULL)
        ;
    CMSDK_REG(base, UART_DATA) = c;
}

/* The pending interrupts, cleared: what an interrupt handler does. */
static inline uint32_t cmsdk_uart_irq_ack(uint32_t base)
{
    uint32_t s = CMSDK_REG(base, UART_INTSTATUS);

    CMSDK_REG(base, UART_INTCLEAR) = s;
    return s;
}

/* ---- APB watchdog ---- */
#define WDOG_LOAD 0x000u
#define WDOG_VALUE 0x004u
#define WDOG_CTRL 0x008u
#define WDOG_INTCLR 0x00cu
#define WDOG_RIS 0x010u
#define WDOG_MIS 0x014u
#define WDOG_LOCK 0xc00u

#define WDOG_CTRL_INTEN (1u << 0)
#define WDOG_CTRL_RESEN (1u << 1)
#define WDOG_LOCK_KEY 0x1acce551u

static inline void cmsdk_wdog_unlock(uint32_t base)
{
    CMSDK_REG(base, WDOG_LOCK) = WDOG_LOCK_KEY;
}

static inline void cmsdk_wdog_lock(uint32_t base)
{
    CMSDK_REG(base, WDOG_LOCK) = 0;
}

/* Counts @p ticks of its clock, then interrupts; @p ctrl: INTEN, RESEN. */
static inline void cmsdk_wdog_start(uint32_t base, uint32_t ticks, uint32_t ctrl)
{
    cmsdk_wdog_unlock(base);
    CMSDK_REG(base, WDOG_LOAD) = ticks;
    CMSDK_REG(base, WDOG_CTRL) = ctrl;
    cmsdk_wdog_lock(base);
}

/* Feeds it: clears the interrupt and reloads the counter. */
static inline void cmsdk_wdog_feed(uint32_t base)
{
    cmsdk_wdog_unlock(base);
    CMSDK_REG(base, WDOG_INTCLR) = 1;
    cmsdk_wdog_lock(base);
}

#endif /* PARTIX_TEST_CMSDK_DRV_H */
