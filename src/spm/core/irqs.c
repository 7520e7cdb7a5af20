/*
 * irqs.c - the board's interrupt lines.  A line has a level, driven from
 * outside (partix-ctl irq, partix_irq_raise()) or by a simulated peripheral,
 * and belongs to at most one partition.  Delivery follows TF-M:
 *
 *   SLIH  the line fires while enabled and high: the SPM disables it and
 *         asserts the signal; psa_eoi() enables it again, so a line still
 *         high fires again at once (level-sensitive).
 *   FLIH  each rising edge while enabled (or enabling a high line) runs
 *         <name>_flih() in the partition; the line stays enabled.
 *
 * FF-M 1.0 interrupts start enabled, FF-M 1.1 ones disabled until the
 * partition calls psa_irq_enable().
 */
#include <stdlib.h>
#include <string.h>

#include "core_int.h"

static void fire(struct spm_core *c, struct line *l)
{
    struct wire_msg m;
    wire_msg_init(&m, WIRE_S_IRQ);
    struct part *p;

    if (l->owner == NO_IDX || !l->enabled)
        return;
    p = &c->parts[l->owner];
    if (p->state != SPM_PART_READY || !p->alive || p->killed)
        return;
    if (l->irq->handling == MF_IRQ_SLIH)
        l->enabled = false; /* until psa_eoi() */
    fx_log(c, SPM_DEBUG, "interrupt %s (%u) -> partition %s, %s %s", l->src->source, l->src->number,
           p->mf->name, l->irq->handling == MF_IRQ_SLIH ? "SLIH signal" : "FLIH handler of",
           l->irq->signal_name);
    m.u.irq_fired.signal = l->irq->signal;
    fx_send(c, part_peer(c, l->owner), &m, -1);
}

int irqs_init(struct spm_core *c)
{
    size_t i, k;

    if (c->cfg.plat == NULL)
        return 0;
    c->n_lines = c->cfg.plat->n_irqs;
    c->lines = calloc(c->n_lines + 1, sizeof(*c->lines));
    if (c->lines == NULL)
        return -1;
    for (i = 0; i < c->n_lines; i++) {
        c->lines[i].src = &c->cfg.plat->irqs[i];
        c->lines[i].owner = NO_IDX;
    }
    for (i = 0; i < c->n_parts; i++) {
        const struct mf_partition *mf = c->parts[i].mf;

        for (k = 0; k < mf->n_irqs; k++) {
            if (mf->irqs[k].line < 0 || (size_t)mf->irqs[k].line >= c->n_lines)
                continue;
            c->lines[mf->irqs[k].line].owner = (uint32_t)i;
            c->lines[mf->irqs[k].line].irq = &mf->irqs[k];
        }
    }
    return 0;
}

void irqs_part_ready(struct spm_core *c, uint32_t part)
{
    const struct mf_partition *mf = c->parts[part].mf;
    size_t k;

    for (k = 0; k < mf->n_irqs; k++) {
        struct line *l;

        if (mf->irqs[k].line < 0 || (size_t)mf->irqs[k].line >= c->n_lines)
            continue;
        l = &c->lines[mf->irqs[k].line];
        l->enabled = mf->ffm_version == MF_FFM_1_0;
        if (l->level)
            fire(c, l);
    }
}

void irq_set_line(struct spm_core *c, int line, bool level)
{
    struct line *l = &c->lines[line];

    fx_log(c, SPM_DEBUG, "interrupt %s (%u) %s", l->src->source, l->src->number,
           level ? "raised" : "lowered");
    if (level && !l->level) {
        l->level = true;
        fire(c, l);
    }
    l->level = level;
}

psa_status_t irq_drive(struct spm_core *c, const char *source, bool level)
{
    size_t i;

    for (i = 0; i < c->n_lines; i++) {
        if (strcmp(c->lines[i].src->source, source) == 0) {
            irq_set_line(c, (int)i, level);
            return PSA_SUCCESS;
        }
    }
    return PSA_ERROR_DOES_NOT_EXIST;
}

int irq_ctl(struct spm_core *c, uint32_t part, uint32_t signal, uint8_t op)
{
    const struct mf_partition *mf = c->parts[part].mf;
    struct line *l = NULL;
    size_t k;

    for (k = 0; k < mf->n_irqs; k++)
        if (mf->irqs[k].signal == signal && mf->irqs[k].line >= 0 &&
            (size_t)mf->irqs[k].line < c->n_lines)
            l = &c->lines[mf->irqs[k].line];
    if (l == NULL)
        return -1; /* the runtime panics first: reaching here is a forgery */
    switch (op) {
    case WIRE_IRQ_DISABLE:
        l->enabled = false;
        return 0;
    case WIRE_IRQ_EOI:
        if (l->irq->handling != MF_IRQ_SLIH)
            return -1;
        __attribute__((fallthrough)); /* psa_eoi enables the line again */
    case WIRE_IRQ_ENABLE:
        if (!l->enabled) {
            l->enabled = true;
            if (l->level)
                fire(c, l);
        }
        return 0;
    default:
        return -1;
    }
}
