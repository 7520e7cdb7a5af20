/*
 * irqs.c - the board's interrupt lines.  A line has a level, driven from
 * outside (psa-spm irq, partix_irq_raise()) or by a simulated peripheral,
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

#include "spm.h"

static void fire(struct spm_line *l)
{
    struct wire_msg m;
    struct spm_part *p = l->owner;

    if (p == NULL || p->state != PART_READY || !l->enabled)
        return;
    if (l->irq->handling == MF_IRQ_SLIH)
        l->enabled = false; /* until psa_eoi() */
    spm_log(SPM_DEBUG, "interrupt %s (%u) -> partition %s, %s %s", l->src->source, l->src->number,
            p->mf->name, l->irq->handling == MF_IRQ_SLIH ? "SLIH signal" : "FLIH handler of",
            l->irq->signal_name);
    m.type = WIRE_S_IRQ;
    m.seq = 0;
    m.u.irq_fired.signal = l->irq->signal;
    if (!spm_send(&p->peer, &m, -1))
        spm_part_kill(p, "its channel is full or broken");
}

void spm_irq_init(void)
{
    size_t i, k;

    if (spm.plat == NULL)
        return;
    spm.lines = calloc(spm.plat->n_irqs + 1, sizeof(*spm.lines));
    if (spm.lines == NULL)
        abort();
    for (i = 0; i < spm.plat->n_irqs; i++)
        spm.lines[i].src = &spm.plat->irqs[i];
    for (i = 0; i < spm.n_parts; i++) {
        const struct mf_partition *mf = spm.parts[i].mf;

        for (k = 0; k < mf->n_irqs; k++) {
            spm.lines[mf->irqs[k].line].owner = &spm.parts[i];
            spm.lines[mf->irqs[k].line].irq = &mf->irqs[k];
        }
    }
}

void spm_irq_part_ready(struct spm_part *p)
{
    size_t k;

    for (k = 0; k < p->mf->n_irqs; k++) {
        struct spm_line *l = &spm.lines[p->mf->irqs[k].line];

        l->enabled = p->mf->ffm_version == MF_FFM_1_0;
        if (l->level)
            fire(l);
    }
}

void spm_irq_set_line(int line, bool level)
{
    struct spm_line *l = &spm.lines[line];

    spm_log(SPM_DEBUG, "interrupt %s (%u) %s", l->src->source, l->src->number,
            level ? "raised" : "lowered");
    if (level && !l->level) {
        l->level = true;
        fire(l);
    }
    l->level = level;
}

psa_status_t spm_irq_drive(const char *source, bool level)
{
    size_t i;

    for (i = 0; spm.plat != NULL && i < spm.plat->n_irqs; i++) {
        if (strcmp(spm.lines[i].src->source, source) == 0) {
            spm_irq_set_line((int)i, level);
            return PSA_SUCCESS;
        }
    }
    return PSA_ERROR_DOES_NOT_EXIST;
}

int spm_irq_ctl(struct spm_part *p, uint32_t signal, uint8_t op)
{
    struct spm_line *l = NULL;
    size_t k;

    for (k = 0; k < p->mf->n_irqs; k++)
        if (p->mf->irqs[k].signal == signal)
            l = &spm.lines[p->mf->irqs[k].line];
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
                fire(l);
        }
        return 0;
    default:
        return -1;
    }
}
