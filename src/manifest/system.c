/*
 * system.c - the rules that span partitions (unique names, SIDs, PIDs and
 * interrupt sources; dependencies that exist and form no cycle; stateless
 * handles) and mf_load(), which runs every stage.
 */
#include <stdlib.h>
#include <string.h>

#include "mf_internal.h"
#include "wire.h"

#define FIELD(buf, ...) (snprintf(buf, sizeof(buf), __VA_ARGS__), buf)

/* " (0x...)" after a SID written in decimal, so it can be found either way. */
static const char *hex_note(char *buf, size_t size, const struct mf_service *s)
{
    if (s->sid_text[0] == '0' && (s->sid_text[1] == 'x' || s->sid_text[1] == 'X'))
        return "";
    snprintf(buf, size, " (0x%x)", s->sid);
    return buf;
}

static void check_names(struct mf_ctx *c, struct mf_system *sys)
{
    size_t i, j, k, l;
    char f[64], note[24];

    for (i = 0; i < sys->n_partitions; i++) {
        struct mf_partition *p = &sys->partitions[i];

        for (j = 0; j < i; j++) {
            struct mf_partition *q = &sys->partitions[j];

            if (p->name && q->name && strcmp(p->name, q->name) == 0)
                mf_error(c, p->name_loc, "name",
                         "partition name %s is already used at %s:%u:%u; it becomes a macro in "
                         "pid.h",
                         p->name, q->name_loc.file, q->name_loc.line, q->name_loc.col);
            if (p->tpm && q->tpm)
                mf_error(c, p->tpm_loc, "partix_tpm",
                         "the board has one TPM, already granted to %s at %s:%u:%u", q->name,
                         q->tpm_loc.file, q->tpm_loc.line, q->tpm_loc.col);
            if (strcmp(p->basename, q->basename) == 0)
                mf_list_error(c, p->list_loc, p->list_index, "manifest",
                              "%s and %s would both generate psa_manifest/%s.h; rename one file",
                              q->manifest_path, p->manifest_path, p->basename);
        }
        for (k = 0; k < p->n_services; k++) {
            struct mf_service *s = &p->services[k];

            for (j = 0; j <= i; j++) {
                struct mf_partition *q = &sys->partitions[j];

                for (l = 0; l < (j == i ? k : q->n_services); l++) {
                    struct mf_service *t = &q->services[l];

                    if (s->name && t->name && strcmp(s->name, t->name) == 0)
                        mf_error(c, s->name_loc, FIELD(f, "services[%zu].name", k),
                                 "service name %s is already used at %s:%u:%u; service names "
                                 "are macros in sid.h and must be unique",
                                 s->name, t->name_loc.file, t->name_loc.line, t->name_loc.col);
                    if (s->sid_text && t->sid_text && s->sid == t->sid)
                        mf_error(c, s->sid_loc, FIELD(f, "services[%zu].sid", k),
                                 "SID %s%s is already used by %s (SID %s) at %s:%u:%u; SIDs are "
                                 "compared by value",
                                 s->sid_text, hex_note(note, sizeof(note), s),
                                 t->name ? t->name : "a service", t->sid_text, t->sid_loc.file,
                                 t->sid_loc.line, t->sid_loc.col);
                }
            }
        }
    }
}

static bool same_source(const struct mf_irq *a, const struct mf_irq *b)
{
    if (a->source == NULL || b->source == NULL)
        return false;
    if (a->source_is_number && b->source_is_number)
        return a->source_number == b->source_number;
    return !a->source_is_number && !b->source_is_number && strcmp(a->source, b->source) == 0;
}

static void check_irq_sources(struct mf_ctx *c, struct mf_system *sys)
{
    size_t i, j, k, l;
    char f[64];

    for (i = 0; i < sys->n_partitions; i++) {
        struct mf_partition *p = &sys->partitions[i];

        for (k = 0; k < p->n_irqs; k++) {
            for (j = 0; j <= i; j++) {
                struct mf_partition *q = &sys->partitions[j];

                for (l = 0; l < (j == i ? k : q->n_irqs); l++) {
                    if (!same_source(&p->irqs[k], &q->irqs[l]))
                        continue;
                    mf_error(c, p->irqs[k].loc, FIELD(f, "irqs[%zu].source", k),
                             "interrupt source %s is already taken by %s at %s:%u:%u; an "
                             "interrupt has one owner",
                             p->irqs[k].source, q->name, q->irqs[l].loc.file, q->irqs[l].loc.line,
                             q->irqs[l].loc.col);
                }
            }
        }
    }
}

static struct mf_partition *owner_of(struct mf_system *sys, const char *service)
{
    size_t i, k;

    for (i = 0; i < sys->n_partitions; i++)
        for (k = 0; k < sys->partitions[i].n_services; k++)
            if (sys->partitions[i].services[k].name &&
                strcmp(sys->partitions[i].services[k].name, service) == 0)
                return &sys->partitions[i];
    return NULL;
}

static void check_deps_exist(struct mf_ctx *c, struct mf_system *sys)
{
    size_t i, k;
    char f[64];

    for (i = 0; i < sys->n_partitions; i++) {
        struct mf_partition *p = &sys->partitions[i];

        for (k = 0; k < p->n_deps; k++) {
            struct mf_dep *dep = &p->deps[k];

            if (dep->service != NULL && owner_of(sys, dep->service) == NULL)
                mf_error(c, dep->loc, FIELD(f, "dependencies[%zu]", k),
                         "no enabled partition provides a service named %s", dep->service);
        }
    }
}

/* Depth-first search for cycles; TF-M counts weak dependencies as edges too. */
struct dfs {
    struct mf_ctx *c;
    struct mf_system *sys;
    unsigned char *color; /* 0 white, 1 on the stack, 2 done */
    size_t *stack;
    size_t depth;
};

static void report_cycle(struct dfs *s, size_t from, const struct mf_dep *dep, size_t to,
                         const char *key, size_t k)
{
    char chain[1024] = "", f[64];
    size_t i = s->depth;

    if (from == to) {
        mf_error(s->c, dep->loc, FIELD(f, "%s[%zu]", key, k),
                 "%s depends on its own service %s; a partition cannot call itself",
                 s->sys->partitions[to].name, dep->service);
        return;
    }

    while (i > 0 && s->stack[i - 1] != to)
        i--;
    for (i = i > 0 ? i - 1 : 0; i < s->depth; i++) {
        strncat(chain, s->sys->partitions[s->stack[i]].name, sizeof(chain) - strlen(chain) - 1);
        strncat(chain, " -> ", sizeof(chain) - strlen(chain) - 1);
    }
    strncat(chain, s->sys->partitions[to].name, sizeof(chain) - strlen(chain) - 1);
    mf_error(s->c, dep->loc, FIELD(f, "%s[%zu]", key, k),
             "circular dependency: %s (through service %s)", chain, dep->service);
}

static void dfs_visit(struct dfs *s, size_t v)
{
    struct mf_partition *p = &s->sys->partitions[v];
    size_t pass, k;

    s->color[v] = 1;
    s->stack[s->depth++] = v;
    for (pass = 0; pass < 2; pass++) {
        struct mf_dep *deps = pass ? p->weak_deps : p->deps;
        size_t n = pass ? p->n_weak_deps : p->n_deps;

        for (k = 0; k < n; k++) {
            struct mf_partition *q = deps[k].service ? owner_of(s->sys, deps[k].service) : NULL;
            size_t w;

            if (q == NULL)
                continue;
            w = (size_t)(q - s->sys->partitions);
            if (s->color[w] == 1)
                report_cycle(s, v, &deps[k], w, pass ? "weak_dependencies" : "dependencies", k);
            else if (s->color[w] == 0)
                dfs_visit(s, w);
        }
    }
    s->depth--;
    s->color[v] = 2;
}

static void check_cycles(struct mf_ctx *c, struct mf_system *sys)
{
    struct dfs s = {c, sys, NULL, NULL, 0};
    size_t i;

    s.color = mf_alloc_array(c->arena, sys->n_partitions + 1, 1);
    s.stack = mf_alloc_array(c->arena, sys->n_partitions + 1, sizeof(size_t));
    for (i = 0; i < sys->n_partitions; i++)
        if (s.color[i] == 0)
            dfs_visit(&s, i);
}

/*
 * TF-M's allocation: explicit handles take their slot, "auto" ones fill the
 * free slots in manifest order; the handle of a slot is FF-M's encoding
 * (wire_stateless_handle).
 */
static void assign_stateless(struct mf_ctx *c, struct mf_system *sys)
{
    struct mf_service *slot[MF_MAX_STATELESS] = {0};
    size_t i, k, n = 0, next = 0;
    char f[64];

    for (i = 0; i < sys->n_partitions; i++) {
        struct mf_partition *p = &sys->partitions[i];

        if (p->ffm_version != MF_FFM_1_1)
            continue;
        for (k = 0; k < p->n_services; k++) {
            struct mf_service *s = &p->services[k];

            if (s->connection_based)
                continue;
            if (++n > MF_MAX_STATELESS) {
                mf_error(c, s->loc, FIELD(f, "services[%zu].connection_based", k),
                         "%s is stateless service number %zu; a system has at most %d", s->name, n,
                         MF_MAX_STATELESS);
                continue;
            }
            if (s->stateless_request == 0)
                continue;
            if (slot[s->stateless_request - 1] != NULL) {
                struct mf_service *t = slot[s->stateless_request - 1];

                mf_error(c, s->handle_loc, FIELD(f, "services[%zu].stateless_handle", k),
                         "stateless_handle %u is already used by %s at %s:%u:%u",
                         s->stateless_request, t->name, t->handle_loc.file, t->handle_loc.line,
                         t->handle_loc.col);
                continue;
            }
            slot[s->stateless_request - 1] = s;
        }
    }
    for (i = 0; i < sys->n_partitions; i++) {
        struct mf_partition *p = &sys->partitions[i];

        if (p->ffm_version != MF_FFM_1_1)
            continue;
        for (k = 0; k < p->n_services; k++) {
            struct mf_service *s = &p->services[k];

            if (s->connection_based || s->stateless_request != 0)
                continue;
            while (next < MF_MAX_STATELESS && slot[next] != NULL)
                next++;
            if (next == MF_MAX_STATELESS)
                break; /* already reported above */
            slot[next] = s;
        }
    }
    for (i = 0; i < MF_MAX_STATELESS; i++)
        if (slot[i] != NULL)
            slot[i]->stateless_handle = wire_stateless_handle(slot[i]->version, (uint32_t)i);
}

bool mf_check_system(struct mf_ctx *c, struct mf_system *sys, bool all_read)
{
    size_t before = mf_diags_count(c->diags);

    check_names(c, sys);
    check_irq_sources(c, sys);
    assign_stateless(c, sys);
    /* A partition that could not be read may be the one providing a
     * service: only then is "no partition provides it" left unsaid. */
    if (all_read)
        check_deps_exist(c, sys);
    check_cycles(c, sys);
    return mf_diags_count(c->diags) == before;
}

static void check_pids(struct mf_ctx *c, struct mf_list_item *items, size_t n_items)
{
    size_t i, j;

    for (i = 0; i < n_items; i++) {
        if (!items[i].enabled || !items[i].has_pid)
            continue;
        for (j = 0; j < i; j++) {
            const struct mf_list_item *q = &items[j];
            char where[4096 + 32];

            if (!q->enabled || !q->has_pid || q->pid != items[i].pid)
                continue;
            if (strcmp(q->pid_loc.file, items[i].pid_loc.file) == 0) /* the same list */
                snprintf(where, sizeof(where), "line %u", q->pid_loc.line);
            else
                snprintf(where, sizeof(where), "%s:%u:%u", q->pid_loc.file, q->pid_loc.line,
                         q->pid_loc.col);
            mf_list_error(c, items[i].pid_loc, items[i].index, "pid",
                          "partition ID %s (%d) is already used by '%s' (pid %s) at %s; PIDs "
                          "are compared by value",
                          items[i].pid_text, (int)items[i].pid,
                          q->description ? q->description : "?", q->pid_text, where);
        }
    }
}

/* Every list's entries, list after list, as TF-M's tool gathers them. */
static void read_lists(struct mf_ctx *c, struct mf_system *sys, const char *const *list_paths,
                       size_t n_lists, struct mf_list_item **items, size_t *n_items)
{
    struct mf_list_item **per = mf_alloc_array(c->arena, n_lists, sizeof(*per));
    size_t *n_per = mf_alloc_array(c->arena, n_lists, sizeof(*n_per));
    size_t l, total = 0;

    sys->list_paths = mf_alloc_array(c->arena, n_lists, sizeof(*sys->list_paths));
    for (l = 0; l < n_lists; l++) {
        sys->list_paths[l] = mf_strdup(c->arena, list_paths[l]);
        mf_read_list(c, list_paths[l], &per[l], &n_per[l]);
        total += n_per[l];
    }
    sys->n_lists = n_lists;
    sys->list_path = sys->list_paths[0];
    *items = mf_alloc_array(c->arena, total, sizeof(**items));
    *n_items = 0;
    for (l = 0; l < n_lists; l++)
        for (size_t k = 0; k < n_per[l]; k++)
            (*items)[(*n_items)++] = per[l][k];
}

int mf_load_lists(const char *const *list_paths, size_t n_lists, const struct mf_options *opt,
                  struct mf_system **out, struct mf_diags *d)
{
    struct mf_ctx c = {mf_arena_new(), d, opt};
    struct mf_system *sys = mf_alloc(c.arena, sizeof(*sys));
    struct mf_list_item *items;
    size_t n_items, i;
    int32_t next_pid = MF_PID_BASE - 1;
    bool all_read = true;

    *out = NULL;
    sys->arena = c.arena;
    read_lists(&c, sys, list_paths, n_lists, &items, &n_items);
    sys->partitions = mf_alloc_array(c.arena, n_items, sizeof(*sys->partitions));
    sys->skipped = mf_alloc_array(c.arena, n_items, sizeof(*sys->skipped));
    for (i = 0; i < n_items; i++) {
        if (!items[i].enabled) {
            sys->skipped[sys->n_skipped].description = items[i].description;
            sys->skipped[sys->n_skipped++].conditional = items[i].conditional;
            continue;
        }
        if (items[i].has_pid && items[i].pid > next_pid)
            next_pid = items[i].pid;
        if (items[i].manifest == NULL) {
            all_read = false;
            continue;
        }
        all_read &= mf_read_partition(&c, &items[i], &sys->partitions[sys->n_partitions++]);
    }
    check_pids(&c, items, n_items);
    for (i = 0; i < sys->n_partitions; i++) {
        struct mf_partition *p = &sys->partitions[i];

        if (p->pid == 0) { /* no pid in the list: TF-M numbers them after the highest */
            p->pid = ++next_pid;
            p->pid_auto = true;
        }
    }
    mf_check_system(&c, sys, all_read);
    if (mf_diags_count(d) > 0) {
        mf_system_free(sys);
        return -1;
    }
    *out = sys;
    return 0;
}

int mf_load(const char *list_path, const struct mf_options *opt, struct mf_system **out,
            struct mf_diags *d)
{
    return mf_load_lists(&list_path, 1, opt, out, d);
}

void mf_system_free(struct mf_system *sys)
{
    if (sys != NULL)
        mf_arena_free(sys->arena);
}

const struct mf_service *mf_find_sid(const struct mf_system *sys, uint32_t sid,
                                     const struct mf_partition **owner)
{
    size_t i, k;

    for (i = 0; i < sys->n_partitions; i++) {
        for (k = 0; k < sys->partitions[i].n_services; k++) {
            if (sys->partitions[i].services[k].sid == sid) {
                if (owner != NULL)
                    *owner = &sys->partitions[i];
                return &sys->partitions[i].services[k];
            }
        }
    }
    return NULL;
}

const struct mf_service *mf_find_service(const struct mf_system *sys, const char *name,
                                         const struct mf_partition **owner)
{
    size_t i, k;

    for (i = 0; i < sys->n_partitions; i++) {
        for (k = 0; k < sys->partitions[i].n_services; k++) {
            if (strcmp(sys->partitions[i].services[k].name, name) == 0) {
                if (owner != NULL)
                    *owner = &sys->partitions[i];
                return &sys->partitions[i].services[k];
            }
        }
    }
    return NULL;
}

const struct mf_partition *mf_find_pid(const struct mf_system *sys, int32_t pid)
{
    size_t i;

    for (i = 0; i < sys->n_partitions; i++)
        if (sys->partitions[i].pid == pid)
            return &sys->partitions[i];
    return NULL;
}
