/*
 * arena.c - one allocation pool per model: the parser allocates freely and
 * mf_system_free() releases everything at once.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mf_internal.h"

struct chunk {
    struct chunk *next;
    size_t used;
    size_t cap;
    max_align_t data[];
};

struct mf_arena {
    struct chunk *head;
};

#define CHUNK_MIN 16384

static void *xmalloc(size_t n)
{
    void *p = malloc(n);

    if (p == NULL) {
        fputs("psa-manifest: out of memory\n", stderr);
        abort();
    }
    return p;
}

struct mf_arena *mf_arena_new(void)
{
    struct mf_arena *a = xmalloc(sizeof(*a));

    a->head = NULL;
    return a;
}

void mf_arena_free(struct mf_arena *a)
{
    struct chunk *ch, *next;

    if (a == NULL)
        return;
    for (ch = a->head; ch != NULL; ch = next) {
        next = ch->next;
        free(ch);
    }
    free(a);
}

void *mf_alloc(struct mf_arena *a, size_t size)
{
    const size_t align = sizeof(max_align_t);
    struct chunk *ch = a->head;
    void *p;

    size = (size + align - 1) / align * align;
    if (ch == NULL || ch->cap - ch->used < size) {
        size_t cap = size > CHUNK_MIN ? size : CHUNK_MIN;

        ch = xmalloc(sizeof(*ch) + cap);
        ch->next = a->head;
        ch->used = 0;
        ch->cap = cap;
        a->head = ch;
    }
    p = (char *)ch->data + ch->used;
    ch->used += size;
    memset(p, 0, size);
    return p;
}

void *mf_alloc_array(struct mf_arena *a, size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size) {
        fputs("psa-manifest: allocation overflow\n", stderr);
        abort();
    }
    return mf_alloc(a, n * size);
}

char *mf_strdup(struct mf_arena *a, const char *s)
{
    size_t n = strlen(s) + 1;

    return memcpy(mf_alloc(a, n), s, n);
}

char *mf_printf(struct mf_arena *a, const char *fmt, ...)
{
    va_list ap;
    int n;
    char *s;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        abort();
    s = mf_alloc(a, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}
