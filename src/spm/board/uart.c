/*
 * uart.c - the CMSDK APB UART (Cortex-M System Design Kit TRM), as the
 * MPS2 AN521 board has it, so that a stock CMSDK driver runs unchanged.
 * Transmit only: a byte sent leaves at once (the buffer empties before the
 * next access) and appears in the daemon's log a line at a time; nothing
 * is ever received.
 *
 *   0x00 DATA       W: the byte to send; R: the byte received (always 0)
 *   0x04 STATE      [0] TX buffer full, [1] RX buffer full (read-only);
 *                   [2] TX overrun, [3] RX overrun (write 1 to clear)
 *   0x08 CTRL       [0] TX enable, [1] RX enable, [2] TX interrupt enable,
 *                   [3] RX interrupt enable, [4] TX overrun interrupt
 *                   enable, [5] RX overrun interrupt enable, [6] TX high
 *                   speed test mode
 *   0x0C INTSTATUS  R: [0] TX, [1] RX, [2] TX overrun, [3] RX overrun
 *        INTCLEAR   W: 1 clears that interrupt (an overrun's clears STATE's bit)
 *   0x10 BAUDDIV    [19:0]; at least 16 for the transmitter to run
 *
 * The partition's write lands in the shared page before the model sees it:
 * after each write the model puts every register back as the hardware
 * would show it (read-only bits, write-1-to-clear bits, reserved offsets).
 */
#include <stdio.h>
#include <string.h>

#include "device.h"
#include "spm.h"

#define DATA 0x00u
#define STATE 0x04u
#define CTRL 0x08u
#define INTSTATUS 0x0cu
#define BAUDDIV 0x10u

#define STATE_TXBF 0x1u
#define STATE_TXOVR 0x4u
#define STATE_RXOVR 0x8u
#define CTRL_TXEN 0x01u
#define CTRL_TXINTEN 0x04u
#define CTRL_TXOVRINTEN 0x10u
#define CTRL_RXOVRINTEN 0x20u
#define CTRL_MASK 0x7fu
#define INT_TX 0x1u
#define INT_RX 0x2u
#define BAUDDIV_MASK 0xfffffu
#define BAUDDIV_MIN 16u

static uint32_t intstatus(const struct uart *u)
{
    uint32_t s = u->intstatus & (INT_TX | INT_RX);

    /* the overrun interrupts are STATE's overrun bits, where enabled */
    if ((u->state & STATE_TXOVR) && (u->ctrl & CTRL_TXOVRINTEN))
        s |= STATE_TXOVR;
    if ((u->state & STATE_RXOVR) && (u->ctrl & CTRL_RXOVRINTEN))
        s |= STATE_RXOVR;
    return s;
}

static void publish(struct region *r, uint32_t off)
{
    const struct uart *u = &r->u.uart;

    if (off > BAUDDIV && off + 4 <= r->size)
        REG(r, off) = 0; /* reserved: reads 0 */
    REG(r, DATA) = 0;    /* nothing is ever received */
    REG(r, STATE) = u->state;
    REG(r, CTRL) = u->ctrl;
    REG(r, INTSTATUS) = intstatus(u);
    REG(r, BAUDDIV) = u->bauddiv;
    board_irq_level(r, intstatus(u) != 0);
}

static void emit(struct region *r, uint8_t c)
{
    struct uart *u = &r->u.uart;
    char line[sizeof(u->line) + WIRE_MAX_NAME + 4];

    if (c != '\n' && c != '\r' && u->len < sizeof(u->line) - 1)
        u->line[u->len++] = (char)(c >= 0x20 && c < 0x7f ? c : '.');
    if (c == '\n' || u->len == sizeof(u->line) - 1) {
        u->line[u->len] = '\0';
        snprintf(line, sizeof(line), "[%s] %s", r->dev->name, u->line);
        spm_log_text(SPM_INFO, line); /* rate-limited by its text, not one format */
        u->len = 0;
    }
}

/* The transmitter takes the buffered byte when it is enabled and clocked. */
static void transmit(struct region *r)
{
    struct uart *u = &r->u.uart;

    if (!(u->state & STATE_TXBF) || !(u->ctrl & CTRL_TXEN))
        return;
    if (u->bauddiv < BAUDDIV_MIN) {
        if (!u->warned)
            spm_log(SPM_WARN, "UART %s: TX enabled with BAUDDIV %u (at least %u): nothing is sent",
                    r->dev->name, u->bauddiv, BAUDDIV_MIN);
        u->warned = true;
        return;
    }
    emit(r, u->held);
    u->state &= ~STATE_TXBF;
    if (u->ctrl & CTRL_TXINTEN)
        u->intstatus |= INT_TX;
}

void uart_init(struct region *r)
{
    memset(&r->u.uart, 0, sizeof(r->u.uart));
    publish(r, DATA);
}

void uart_write(struct region *r, uint32_t off, uint32_t value)
{
    struct uart *u = &r->u.uart;

    switch (off) {
    case DATA:
        if (u->state & STATE_TXBF)
            u->state |= STATE_TXOVR; /* the buffer is full: the byte is lost */
        else {
            u->held = (uint8_t)value;
            u->state |= STATE_TXBF;
        }
        break;
    case STATE:
        u->state &= ~(value & (STATE_TXOVR | STATE_RXOVR));
        break;
    case CTRL:
        u->ctrl = value & CTRL_MASK;
        break;
    case INTSTATUS:
        u->state &= ~(value & (STATE_TXOVR | STATE_RXOVR));
        u->intstatus &= ~value;
        break;
    case BAUDDIV:
        u->bauddiv = value & BAUDDIV_MASK;
        u->warned = false;
        break;
    default:
        break;
    }
    transmit(r);
    publish(r, off);
}
