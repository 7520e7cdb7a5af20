/*
 * platform.c - the platform description: the simulated board's interrupt
 * sources, and the binding of every manifest "irqs" entry to one of them.
 * On a real M33 this knowledge sits in the platform port (its interrupt
 * numbers and tfm_peripherals_def.h); partix reads it from a YAML file.
 */
#include <stdio.h>
#include <string.h>

#include "mf_internal.h"

#define FIELD(buf, ...) (snprintf(buf, sizeof(buf), __VA_ARGS__), buf)

/* Cortex-M33 NVIC: at most 480 external interrupts. */
#define MAX_IRQ_NUMBER 479

enum { T_PLATFORM, T_DESCRIPTION, T_IRQS, T_COUNT };
static const struct mf_field top_fields[T_COUNT] = {
    [T_PLATFORM] = {"platform", MF_REQUIRED},
    [T_DESCRIPTION] = {"description", 0},
    [T_IRQS] = {"irqs", 0},
};

enum { S_SOURCE, S_NUMBER, S_DESCRIPTION, S_COUNT };
static const struct mf_field irq_fields[S_COUNT] = {
    [S_SOURCE] = {"source", MF_REQUIRED},
    [S_NUMBER] = {"number", MF_REQUIRED},
    [S_DESCRIPTION] = {"description", 0},
};

static void read_line(struct mf_ctx *c, struct mf_doc *d, yaml_node_t *n, size_t idx,
                      struct mf_platform *plat)
{
    struct mf_irq_line *l = &plat->irqs[idx];
    yaml_node_t *v[S_COUNT];
    char path[48], f[64];
    uint64_t num;
    size_t j;

    snprintf(path, sizeof(path), "irqs[%zu]", idx);
    l->loc = mf_loc_of(d, n);
    mf_map_fields(c, d, n, path, "an interrupt source", irq_fields, S_COUNT, NULL, 0, NULL, v);
    if (v[S_SOURCE] != NULL &&
        mf_get_ident(c, d, v[S_SOURCE], FIELD(f, "%s.source", path), &l->source)) {
        for (j = 0; j < idx; j++)
            if (plat->irqs[j].source != NULL && strcmp(plat->irqs[j].source, l->source) == 0)
                mf_error(c, mf_loc_of(d, v[S_SOURCE]), f,
                         "source %s is already declared at %s:%u:%u", l->source,
                         plat->irqs[j].loc.file, plat->irqs[j].loc.line, plat->irqs[j].loc.col);
    }
    if (v[S_NUMBER] != NULL &&
        mf_get_uint(c, d, v[S_NUMBER], FIELD(f, "%s.number", path), MAX_IRQ_NUMBER, 0, &num)) {
        l->number = (uint32_t)num;
        for (j = 0; j < idx; j++)
            if (plat->irqs[j].source != NULL && plat->irqs[j].number == l->number)
                mf_error(c, mf_loc_of(d, v[S_NUMBER]), f,
                         "interrupt number %u is already %s's (%s:%u:%u)", l->number,
                         plat->irqs[j].source, plat->irqs[j].loc.file, plat->irqs[j].loc.line,
                         plat->irqs[j].loc.col);
    }
}

int mf_platform_load(const char *path, struct mf_platform **out, struct mf_diags *d)
{
    struct mf_ctx c = {mf_arena_new(), d, NULL};
    struct mf_platform *plat = mf_alloc(c.arena, sizeof(*plat));
    struct mf_loc ref = {mf_strdup(c.arena, path), 0, 0};
    yaml_node_t *v[T_COUNT];
    struct mf_doc doc;
    size_t before = mf_diags_count(d), i;

    *out = NULL;
    plat->arena = c.arena;
    plat->path = ref.file;
    if (mf_doc_load(&c, path, ref, "platform", &doc)) {
        yaml_node_t *root = mf_doc_root(&doc);

        mf_map_fields(&c, &doc, root, "", "a platform description", top_fields, T_COUNT, NULL, 0,
                      NULL, v);
        if (v[T_PLATFORM] != NULL)
            mf_get_string(&c, &doc, v[T_PLATFORM], "platform", &plat->name);
        if (v[T_IRQS] != NULL && mf_get_seq(&c, &doc, v[T_IRQS], "irqs")) {
            yaml_node_item_t *it = v[T_IRQS]->data.sequence.items.start;

            plat->n_irqs = (size_t)(v[T_IRQS]->data.sequence.items.top - it);
            plat->irqs = mf_alloc_array(c.arena, plat->n_irqs, sizeof(*plat->irqs));
            for (i = 0; i < plat->n_irqs; i++)
                read_line(&c, &doc, mf_node(&doc, it[i]), i, plat);
        }
    }
    mf_doc_fini(&doc);
    if (mf_diags_count(d) > before) {
        mf_arena_free(c.arena);
        return -1;
    }
    *out = plat;
    return 0;
}

void mf_platform_free(struct mf_platform *plat)
{
    if (plat != NULL)
        mf_arena_free(plat->arena);
}

static int find_line(const struct mf_platform *plat, const struct mf_irq *irq)
{
    size_t i;

    for (i = 0; plat != NULL && i < plat->n_irqs; i++) {
        if (irq->source_is_number ? plat->irqs[i].number == irq->source_number
                                  : strcmp(plat->irqs[i].source, irq->source) == 0)
            return (int)i;
    }
    return -1;
}

int mf_platform_bind(const struct mf_platform *plat, struct mf_system *sys, struct mf_diags *d)
{
    struct mf_ctx c = {sys->arena, d, NULL};
    size_t before = mf_diags_count(d), i, k, j, l;
    char f[64];

    for (i = 0; i < sys->n_partitions; i++) {
        struct mf_partition *p = &sys->partitions[i];

        for (k = 0; k < p->n_irqs; k++) {
            struct mf_irq *irq = &p->irqs[k];

            irq->line = find_line(plat, irq);
            if (irq->line >= 0)
                continue;
            if (plat == NULL)
                mf_error(&c, irq->source_loc, FIELD(f, "irqs[%zu].source", k),
                         "interrupt source %s needs a platform description that declares it "
                         "(psa-spm --platform FILE)",
                         irq->source);
            else
                mf_error(&c, irq->source_loc, FIELD(f, "irqs[%zu].source", k),
                         "the platform %s (%s) has no interrupt source %s", plat->name, plat->path,
                         irq->source);
        }
    }
    /* one line, one owner, whether it was named by number or by name */
    for (i = 0; i < sys->n_partitions; i++) {
        struct mf_partition *p = &sys->partitions[i];

        for (k = 0; k < p->n_irqs; k++) {
            for (j = 0; j <= i; j++) {
                const struct mf_partition *q = &sys->partitions[j];
                bool clash = false;

                for (l = 0; l < (j == i ? k : q->n_irqs) && !clash; l++)
                    clash = p->irqs[k].line >= 0 && q->irqs[l].line == p->irqs[k].line;
                if (!clash)
                    continue;
                l--;
                mf_error(&c, p->irqs[k].source_loc, FIELD(f, "irqs[%zu].source", k),
                         "interrupt source %s is interrupt %u of %s, already assigned at "
                         "%s:%u:%u; an interrupt has one owner",
                         p->irqs[k].source, plat->irqs[p->irqs[k].line].number, plat->name,
                         q->irqs[l].source_loc.file, q->irqs[l].source_loc.line,
                         q->irqs[l].source_loc.col);
                break;
            }
        }
    }
    return mf_diags_count(d) > before ? -1 : 0;
}
