/*
 * heap.c - the manifest's heap_size bounds what a partition's code can hold
 * from malloc() and its family at once.
 *
 * The runtime replaces glibc's malloc, calloc, realloc, free and the
 * aligned variants (ELF interposition, as glibc documents for replacement
 * allocators) with a count kept in front of glibc's own allocator.  A block
 * counts as glibc's chunk (usable size plus its 8-byte header), as a heap of
 * heap_size bytes on the target also holds its allocator's headers.  Once
 * the entry point is about to run, an allocation that would take the count
 * past what was held then plus heap_size returns NULL (errno ENOMEM) and is
 * logged; heap_size 0, TF-M's default, means no heap at all.  What libc and
 * the runtime allocated before that is not the partition's; the runtime's
 * own buffers (the messages it queues) come from rt_alloc(), which is not
 * counted, so a partition with no heap still takes messages.
 *
 * The bound is on the allocator only: memory the partition maps itself, its
 * stack, the payload and MMIO mappings (MAP_SHARED) are outside it.  Under
 * AddressSanitizer, which brings its own allocator, nothing is counted.
 */
#include <errno.h>
#include <malloc.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime.h"
#include "tfm_sp_log.h"

#if defined(__SANITIZE_ADDRESS__)

void *rt_alloc(size_t n)
{
    return calloc(1, n);
}

void rt_free(void *p)
{
    free(p);
}

void rt_heap_arm(uint32_t heap_size)
{
    (void)heap_size; /* AddressSanitizer's allocator: not bounded */
}

#else

/* glibc's allocator under the names it exports for replacements to call. */
void *__libc_malloc(size_t n);
void *__libc_calloc(size_t n, size_t size);
void *__libc_realloc(void *p, size_t n);
void *__libc_memalign(size_t alignment, size_t n);
void __libc_free(void *p);

static size_t held;             /* bytes of glibc chunks handed out, headers included */
static size_t base;             /* held when the entry point started */
static size_t limit = SIZE_MAX; /* base + heap_size from then on */
static uint32_t heap;           /* the manifest's heap_size, for the log */
static bool logging;

void *rt_alloc(size_t n)
{
    return __libc_calloc(1, n);
}

void rt_free(void *p)
{
    __libc_free(p);
}

void rt_heap_arm(uint32_t heap_size)
{
    heap = heap_size;
    base = held;
    limit = held + heap_size;
}

static size_t cost(void *p)
{
    return p != NULL ? malloc_usable_size(p) + sizeof(size_t) : 0;
}

static size_t room(void)
{
    return held < limit ? limit - held : 0;
}

static void *refuse(const char *fn, size_t n)
{
    /* the log line goes through the channel: no allocation on the way, but
     * never from inside itself */
    if (limit != SIZE_MAX && !logging) {
        logging = true;
        partix_log(TFM_PARTITION_LOG_LEVEL_INFO,
                   "%s(%zu) refused: the partition holds %zu bytes of its manifest heap_size %u",
                   fn, n, held > base ? held - base : 0, (unsigned)heap);
        logging = false;
    }
    errno = ENOMEM;
    return NULL;
}

/* Counts @p p, just allocated for a request of @p n bytes, or gives it back. */
static void *take(const char *fn, void *p, size_t n)
{
    size_t c = cost(p);

    if (p == NULL)
        return NULL;
    if (c > room()) {
        __libc_free(p);
        return refuse(fn, n);
    }
    held += c;
    return p;
}

void *malloc(size_t n)
{
    if (n > room())
        return refuse("malloc", n);
    return take("malloc", __libc_malloc(n), n);
}

void free(void *p)
{
    size_t c = cost(p);

    held -= c < held ? c : held; /* a block from before the count started: never below 0 */
    __libc_free(p);
}

void *calloc(size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size) {
        errno = ENOMEM;
        return NULL;
    }
    if (n * size > room())
        return refuse("calloc", n * size);
    return take("calloc", __libc_calloc(n, size), n * size);
}

void *realloc(void *p, size_t n)
{
    size_t old = p != NULL ? malloc_usable_size(p) : 0;
    void *q;

    if (p == NULL)
        return malloc(n);
    if (n == 0) {
        free(p);
        return NULL;
    }
    if (n <= old) { /* in place: the chunk does not grow */
        size_t before = cost(p);

        q = __libc_realloc(p, n);
        if (q != NULL)
            held = held - before + cost(q);
        return q;
    }
    /* growing: a new block under the bound, while the old one is still held */
    q = malloc(n);
    if (q == NULL)
        return NULL;
    memcpy(q, p, old);
    free(p);
    return q;
}

void *reallocarray(void *p, size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size) {
        errno = ENOMEM;
        return NULL;
    }
    return realloc(p, n * size);
}

void *memalign(size_t alignment, size_t n)
{
    if (n > room())
        return refuse("memalign", n);
    return take("memalign", __libc_memalign(alignment, n), n);
}

int posix_memalign(void **out, size_t alignment, size_t n)
{
    void *p;

    if (alignment < sizeof(void *) || (alignment & (alignment - 1)) != 0)
        return EINVAL;
    p = memalign(alignment, n);
    if (p == NULL)
        return ENOMEM;
    *out = p;
    return 0;
}

void *aligned_alloc(size_t alignment, size_t n)
{
    return memalign(alignment, n);
}

void *valloc(size_t n)
{
    return memalign((size_t)sysconf(_SC_PAGESIZE), n);
}

void *pvalloc(size_t n)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);

    if (n > SIZE_MAX - page) {
        errno = ENOMEM;
        return NULL;
    }
    return memalign(page, (n + page - 1) / page * page);
}

#endif
