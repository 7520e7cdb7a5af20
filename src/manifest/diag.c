/*
 * diag.c - error and warning collection.  Every rule the library enforces
 * reports through mf_error() or mf_warning(), so every message has the same
 * one-line shape:
 *     FILE:LINE:COL: error: FIELD: RULE
 *     FILE:LINE:COL: warning: FIELD: RULE [NAME]
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mf_internal.h"

struct diag {
    size_t file_rank;
    unsigned line, col;
    size_t seq;
    bool warning;
    char *text;
};

struct mf_diags {
    struct diag *v;
    size_t n, cap;
    size_t n_errors;
    char **files;
    size_t n_files, cap_files;
    bool sorted;
};

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n);
    if (p == NULL) {
        fputs("psa-manifest: out of memory\n", stderr);
        abort();
    }
    return p;
}

struct mf_diags *mf_diags_new(void)
{
    return calloc(1, sizeof(struct mf_diags));
}

void mf_diags_free(struct mf_diags *d)
{
    size_t i;

    if (d == NULL)
        return;
    for (i = 0; i < d->n; i++)
        free(d->v[i].text);
    for (i = 0; i < d->n_files; i++)
        free(d->files[i]);
    free(d->v);
    free(d->files);
    free(d);
}

size_t mf_diags_count(const struct mf_diags *d)
{
    return d->n_errors;
}

size_t mf_diags_warning_count(const struct mf_diags *d)
{
    return d->n - d->n_errors;
}

static size_t file_rank(struct mf_diags *d, const char *file)
{
    size_t i;

    for (i = 0; i < d->n_files; i++)
        if (strcmp(d->files[i], file) == 0)
            return i;
    if (d->n_files == d->cap_files) {
        d->cap_files = d->cap_files ? d->cap_files * 2 : 8;
        d->files = xrealloc(d->files, d->cap_files * sizeof(*d->files));
    }
    d->files[d->n_files] = strdup(file);
    if (d->files[d->n_files] == NULL)
        abort();
    return d->n_files++;
}

void mf_diags_add_file(struct mf_diags *d, const char *file)
{
    (void)file_rank(d, file);
}

static void record(struct mf_diags *d, bool warning, struct mf_loc loc, const char *field,
                   const char *rule, const char *name)
{
    char where[4096 + 32];
    const char *kind = warning ? "warning" : "error";
    struct diag *e;
    int n;

    if (loc.file == NULL) { /* a position the model never recorded: our bug, not the user's */
        loc.file = "?";
        loc.line = 0;
    }
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 16;
        d->v = xrealloc(d->v, d->cap * sizeof(*d->v));
    }
    e = &d->v[d->n];
    e->file_rank = file_rank(d, loc.file);
    e->line = loc.line;
    e->col = loc.col;
    e->seq = d->n;
    e->warning = warning;
    if (loc.line == 0) /* about a whole file: it could not be read or written */
        snprintf(where, sizeof(where), "%s", loc.file);
    else
        snprintf(where, sizeof(where), "%s:%u:%u", loc.file, loc.line, loc.col);
    n = snprintf(NULL, 0, "%s: %s: %s: %s%s%s%s", where, kind, field, rule, name ? " [" : "",
                 name ? name : "", name ? "]" : "");
    e->text = xrealloc(NULL, (size_t)n + 1);
    snprintf(e->text, (size_t)n + 1, "%s: %s: %s: %s%s%s%s", where, kind, field, rule,
             name ? " [" : "", name ? name : "", name ? "]" : "");
    d->n++;
    if (!warning)
        d->n_errors++;
    d->sorted = false;
}

void mf_error(struct mf_ctx *c, struct mf_loc loc, const char *field, const char *fmt, ...)
{
    char rule[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(rule, sizeof(rule), fmt, ap);
    va_end(ap);
    record(c->diags, false, loc, field, rule, NULL);
}

void mf_warning(struct mf_ctx *c, struct mf_loc loc, const char *field, const char *name,
                const char *fmt, ...)
{
    char rule[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(rule, sizeof(rule), fmt, ap);
    va_end(ap);
    record(c->diags, true, loc, field, rule, name);
}

static int cmp_diag(const void *pa, const void *pb)
{
    const struct diag *a = pa, *b = pb;

    if (a->file_rank != b->file_rank)
        return a->file_rank < b->file_rank ? -1 : 1;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    if (a->col != b->col)
        return a->col < b->col ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static void sort_diags(struct mf_diags *d)
{
    if (!d->sorted && d->n > 1)
        qsort(d->v, d->n, sizeof(*d->v), cmp_diag);
    d->sorted = true;
}

/* The i-th diagnostic of one kind, in order. */
static const char *nth(struct mf_diags *d, bool warning, size_t i)
{
    size_t k;

    sort_diags(d);
    for (k = 0; k < d->n; k++)
        if (d->v[k].warning == warning && i-- == 0)
            return d->v[k].text;
    return NULL;
}

const char *mf_diags_line(struct mf_diags *d, size_t i)
{
    return nth(d, false, i);
}

const char *mf_diags_warning(struct mf_diags *d, size_t i)
{
    return nth(d, true, i);
}

void mf_diags_print(struct mf_diags *d, FILE *out)
{
    size_t i;

    sort_diags(d);
    for (i = 0; i < d->n; i++)
        fprintf(out, "%s\n", d->v[i].text);
}
