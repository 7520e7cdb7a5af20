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

/* Regions live where Linux lets a process map them: above mmap_min_addr
 * and inside the M33's 32-bit address space. */
#define MIN_BASE 0x10000u

enum { T_PLATFORM, T_DESCRIPTION, T_IRQS, T_REGIONS, T_TPM, T_COUNT };
static const struct mf_field top_fields[T_COUNT] = {
    [T_PLATFORM] = {"platform", MF_REQUIRED},
    [T_DESCRIPTION] = {"description", 0},
    [T_IRQS] = {"irqs", 0},
    [T_REGIONS] = {"mmio_regions", 0},
    [T_TPM] = {"tpm", 0},
};

enum { R_NAME, R_BASE, R_SIZE, R_DEVICE, R_IRQ, R_FILE, R_CLOCK, R_DESCRIPTION, R_COUNT };
static const struct mf_field region_fields[R_COUNT] = {
    [R_NAME] = {"name", MF_REQUIRED},
    [R_BASE] = {"base", MF_REQUIRED},
    [R_SIZE] = {"size", MF_REQUIRED},
    [R_DEVICE] = {"device", 0},
    [R_IRQ] = {"irq", 0},
    [R_FILE] = {"file", 0},
    [R_CLOCK] = {"clock_hz", 0},
    [R_DESCRIPTION] = {"description", 0},
};
static const char *const device_names[] = {"memory", "uart", "watchdog", "nvmem", "otp", NULL};

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

/* Whether [a, a+as) and [b, b+bs) touch a common page. */
static bool share_page(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
    return mf_page_floor(a) < mf_page_ceil(b, bs) && mf_page_floor(b) < mf_page_ceil(a, as);
}

/* Whether [a, a+as) and [b, b+bs) have a byte in common. */
static bool overlap(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
    return a < b + bs && b < a + as;
}

/* Regions may share a page (each partition then reaches its own bytes
 * only, every access trapped), except the ones kept in a file or sealed:
 * an nvmem's file and the OTP's sealed object are theirs alone. */
static bool own_pages(enum mf_device dev)
{
    return dev == MF_DEV_NVMEM || dev == MF_DEV_OTP;
}

/* Where partix can map a region, and where it cannot. */
static void check_range(struct mf_ctx *c, struct mf_loc loc, const char *field, uint64_t base,
                        uint64_t size)
{
    if (size == 0)
        mf_error(c, loc, field, "a region's size must not be 0");
    else if (base + size > (uint64_t)UINT32_MAX + 1)
        mf_error(c, loc, field, "base + size passes the end of the 32-bit address space");
    else if (base < MIN_BASE)
        mf_error(c, loc, field,
                 "base 0x%llx is below 0x%x: Linux maps nothing there (vm.mmap_min_addr)",
                 (unsigned long long)base, MIN_BASE);
}

static void read_region(struct mf_ctx *c, struct mf_doc *d, yaml_node_t *n, size_t idx,
                        struct mf_platform *plat)
{
    struct mf_region *r = &plat->regions[idx];
    yaml_node_t *v[R_COUNT];
    char path[48], f[64];
    bool have_range = true;
    size_t j;
    int e;

    snprintf(path, sizeof(path), "mmio_regions[%zu]", idx);
    r->loc = mf_loc_of(d, n);
    r->irq_line = -1;
    mf_map_fields(c, d, n, path, "an MMIO region", region_fields, R_COUNT, NULL, 0, NULL, v);
    if (v[R_NAME] != NULL && mf_get_ident(c, d, v[R_NAME], FIELD(f, "%s.name", path), &r->name))
        for (j = 0; j < idx; j++)
            if (plat->regions[j].name != NULL && strcmp(plat->regions[j].name, r->name) == 0)
                mf_error(c, mf_loc_of(d, v[R_NAME]), f, "region %s is already declared at %s:%u:%u",
                         r->name, plat->regions[j].loc.file, plat->regions[j].loc.line,
                         plat->regions[j].loc.col);
    if (v[R_BASE] == NULL ||
        !mf_get_uint(c, d, v[R_BASE], FIELD(f, "%s.base", path), UINT32_MAX, 0, &r->base))
        have_range = false;
    if (v[R_SIZE] == NULL ||
        !mf_get_uint(c, d, v[R_SIZE], FIELD(f, "%s.size", path), UINT32_MAX, 0, &r->size))
        have_range = false;
    if (v[R_DEVICE] != NULL &&
        mf_get_enum(c, d, v[R_DEVICE], FIELD(f, "%s.device", path), device_names, &e))
        r->device = (enum mf_device)e;
    if (have_range) {
        size_t before = mf_diags_count(c->diags);

        check_range(c, mf_loc_of(d, v[R_BASE]), FIELD(f, "%s.base", path), r->base, r->size);
        for (j = 0; j < idx && mf_diags_count(c->diags) == before; j++) {
            const struct mf_region *q = &plat->regions[j];

            if (q->size != 0 && overlap(r->base, r->size, q->base, q->size))
                mf_error(c, mf_loc_of(d, v[R_BASE]), f,
                         "region %s overlaps region %s (%s:%u:%u); regions never share a byte",
                         r->name ? r->name : "?", q->name, q->loc.file, q->loc.line, q->loc.col);
            else if (q->size != 0 && share_page(r->base, r->size, q->base, q->size) &&
                     (own_pages(r->device) || own_pages(q->device)))
                mf_error(c, mf_loc_of(d, v[R_BASE]), f,
                         "region %s shares a %u-byte page with region %s (%s:%u:%u); an %s "
                         "region needs its own pages",
                         r->name ? r->name : "?", MF_PAGE, q->name, q->loc.file, q->loc.line,
                         q->loc.col, device_names[own_pages(r->device) ? r->device : q->device]);
        }
        if (mf_diags_count(c->diags) != before)
            r->size = 0; /* not compared again */
    }
    if (v[R_IRQ] != NULL && mf_get_ident(c, d, v[R_IRQ], FIELD(f, "%s.irq", path), &r->irq)) {
        for (j = 0; j < plat->n_irqs; j++)
            if (plat->irqs[j].source != NULL && strcmp(plat->irqs[j].source, r->irq) == 0)
                r->irq_line = (int)j;
        if (r->irq_line < 0)
            mf_error(c, mf_loc_of(d, v[R_IRQ]), f, "no interrupt source %s in irqs", r->irq);
        else if (r->device != MF_DEV_UART && r->device != MF_DEV_WATCHDOG)
            mf_error(c, mf_loc_of(d, v[R_IRQ]), f,
                     "a %s raises no interrupt (only uart and watchdog do)",
                     device_names[r->device]);
    }
    if (v[R_FILE] != NULL) {
        FIELD(f, "%s.file", path);
        if (r->device != MF_DEV_NVMEM)
            mf_error(c, mf_loc_of(d, v[R_FILE]), f, "only an nvmem region is kept in a file");
        else if (mf_get_string(c, d, v[R_FILE], f, &r->file) &&
                 (strchr(r->file, '/') != NULL || r->file[0] == '.' || r->file[0] == '\0'))
            mf_error(c, mf_loc_of(d, v[R_FILE]), f,
                     "'%s' is not a plain file name: the file lives in the state directory",
                     r->file);
    }
    /* a watchdog's LOAD counts ticks of its clock (WDOGCLK): no clock, no meaning */
    if (v[R_CLOCK] != NULL) {
        uint64_t hz;

        FIELD(f, "%s.clock_hz", path);
        if (r->device != MF_DEV_WATCHDOG)
            mf_error(c, mf_loc_of(d, v[R_CLOCK]), f, "only a watchdog has a clock of its own");
        else if (!mf_get_uint(c, d, v[R_CLOCK], f, MF_MAX_CLOCK_HZ, 0, &hz))
            ; /* reported */
        else if (hz == 0)
            mf_error(c, mf_loc_of(d, v[R_CLOCK]), f, "a clock of 0 Hz never ticks");
        else
            r->clock_hz = (uint32_t)hz;
    } else if (r->device == MF_DEV_WATCHDOG)
        mf_error(c, r->loc, FIELD(f, "%s.clock_hz", path),
                 "a watchdog needs clock_hz: the frequency of the clock its LOAD counts");
    if (r->device == MF_DEV_OTP && have_range && r->size != 0 && r->size < MF_OTP_MIN_SIZE)
        mf_error(c, mf_loc_of(d, v[R_SIZE]), FIELD(f, "%s.size", path),
                 "an otp region holds the %u-byte OTP layout: size 0x%llx is too small",
                 MF_OTP_MIN_SIZE, (unsigned long long)r->size);
    for (j = 0; r->device == MF_DEV_OTP && j < idx; j++)
        if (plat->regions[j].device == MF_DEV_OTP)
            mf_error(c, mf_loc_of(d, v[R_DEVICE]), FIELD(f, "%s.device", path),
                     "the board has one OTP, already declared at %s:%u:%u",
                     plat->regions[j].loc.file, plat->regions[j].loc.line,
                     plat->regions[j].loc.col);
    if (r->device == MF_DEV_NVMEM && r->file == NULL && r->name != NULL)
        r->file = mf_printf(c->arena, "%s.nvm", r->name);
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
        /* the TPM 2.0 the partition naming partix_tpm drives (docs/hrot.md) */
        if (v[T_TPM] != NULL && mf_get_string(&c, &doc, v[T_TPM], "tpm", &plat->tpm) &&
            strcmp(plat->tpm, "swtpm") != 0 && strcmp(plat->tpm, "none") != 0 &&
            plat->tpm[0] != '/')
            mf_error(&c, mf_loc_of(&doc, v[T_TPM]), "tpm",
                     "tpm is swtpm (a TPM simulator psa-spm starts), none, or the absolute "
                     "path of a TPM device such as /dev/tpmrm0, not '%s'",
                     plat->tpm);
        if (v[T_IRQS] != NULL && mf_get_seq(&c, &doc, v[T_IRQS], "irqs")) {
            yaml_node_item_t *it = v[T_IRQS]->data.sequence.items.start;

            plat->n_irqs = (size_t)(v[T_IRQS]->data.sequence.items.top - it);
            plat->irqs = mf_alloc_array(c.arena, plat->n_irqs, sizeof(*plat->irqs));
            for (i = 0; i < plat->n_irqs; i++)
                read_line(&c, &doc, mf_node(&doc, it[i]), i, plat);
        }
        if (v[T_REGIONS] != NULL && mf_get_seq(&c, &doc, v[T_REGIONS], "mmio_regions")) {
            yaml_node_item_t *it = v[T_REGIONS]->data.sequence.items.start;

            plat->n_regions = (size_t)(v[T_REGIONS]->data.sequence.items.top - it);
            plat->regions = mf_alloc_array(c.arena, plat->n_regions, sizeof(*plat->regions));
            for (i = 0; i < plat->n_regions; i++)
                read_region(&c, &doc, mf_node(&doc, it[i]), i, plat);
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
    /* MMIO regions: named ones are the board's; numbered ones are memory
     * at their own address, shared by partitions that name the same range */
    for (i = 0; i < sys->n_partitions; i++) {
        struct mf_partition *p = &sys->partitions[i];

        for (k = 0; k < p->n_mmio; k++) {
            struct mf_mmio *m = &p->mmio[k];

            FIELD(f, "mmio_regions[%zu]", k);
            m->region = -1;
            if (m->name != NULL) {
                for (l = 0; plat != NULL && l < plat->n_regions; l++)
                    if (strcmp(plat->regions[l].name, m->name) == 0)
                        m->region = (int)l;
                if (m->region < 0)
                    mf_error(&c, m->loc, f, "%s %s has no MMIO region %s",
                             plat ? "the platform" : "no platform description:",
                             plat ? plat->name : "the board", m->name);
                else if (plat->regions[m->region].device == MF_DEV_OTP && m->perm == MF_PERM_RW)
                    mf_error(&c, m->loc, f,
                             "%s is the OTP: a partition may only read it (grant it "
                             "READ-ONLY; \"partix-ctl otp provision\" programs it)",
                             m->name);
                else if (plat->regions[m->region].device == MF_DEV_OTP && p->type != MF_PSA_ROT)
                    mf_error(&c, m->loc, f,
                             "%s is the OTP, which holds the device's secrets: only a PSA-ROT "
                             "partition may be granted it",
                             m->name);
                continue;
            }
            check_range(&c, m->loc, f, m->base, m->size);
            for (l = 0; plat != NULL && l < plat->n_regions; l++) {
                const struct mf_region *b = &plat->regions[l];

                if (overlap(m->base, m->size, b->base, b->size))
                    mf_error(&c, m->loc, f,
                             "0x%llx..0x%llx overlaps the board's region %s (%s:%u:%u); name "
                             "that region instead",
                             (unsigned long long)m->base,
                             (unsigned long long)(m->base + m->size - 1), b->name, b->loc.file,
                             b->loc.line, b->loc.col);
                else if (own_pages(b->device) && share_page(m->base, m->size, b->base, b->size))
                    mf_error(&c, m->loc, f,
                             "0x%llx..0x%llx shares a page with the board's %s region %s "
                             "(%s:%u:%u), which needs its own pages",
                             (unsigned long long)m->base,
                             (unsigned long long)(m->base + m->size - 1), device_names[b->device],
                             b->name, b->loc.file, b->loc.line, b->loc.col);
            }
            for (j = 0; j <= i; j++) {
                const struct mf_partition *q = &sys->partitions[j];

                for (l = 0; l < (j == i ? k : q->n_mmio); l++) {
                    const struct mf_mmio *o = &q->mmio[l];

                    if (o->name != NULL || (o->base == m->base && o->size == m->size) ||
                        !overlap(m->base, m->size, o->base, o->size))
                        continue;
                    mf_error(
                        &c, m->loc, f,
                        "0x%llx..0x%llx overlaps 0x%llx..0x%llx (%s:%u:%u) but "
                        "is not the same range; a numbered region is shared only whole",
                        (unsigned long long)m->base, (unsigned long long)(m->base + m->size - 1),
                        (unsigned long long)o->base, (unsigned long long)(o->base + o->size - 1),
                        o->loc.file, o->loc.line, o->loc.col);
                }
            }
        }
    }
    return mf_diags_count(d) > before ? -1 : 0;
}
