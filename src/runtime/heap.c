/*
 * heap.c - the manifest's heap_size bounds what a partition's code can hold
 * from malloc() and its family at once.
 *
 * The runtime replaces glibc's malloc, calloc, realloc, free and the
 * aligned variants (ELF interposition, as glibc documents for replacement
 * allocators) with a count kept in front of glibc's own allocator.  A block
 * counts what was asked for: heap_size is usable memory, so one malloc of
 * heap_size bytes fits (TF-M's manifests size the heap that way).  Once
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

static size_t held;             /* bytes asked for, of the blocks handed out */
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

/*
 * Each block carries a header of its own in front of what the caller gets:
 * what was asked for (what counts) and how far the block glibc handed out
 * starts before it (memalign's blocks are offset).  16 bytes keep malloc's
 * 16-byte alignment.
 */
struct hdr {
    size_t n;   /* the bytes asked for */
    size_t off; /* from glibc's block to the caller's pointer */
};
#define HDR sizeof(struct hdr)

static struct hdr *hdr_of(void *q)
{
    return (struct hdr *)((uint8_t *)q - HDR);
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

/* The caller's pointer into glibc's block @p b (NULL: none), @p off bytes
 * in, counting @p n bytes. */
static void *give(void *b, size_t off, size_t n)
{
    struct hdr *h;

    if (b == NULL)
        return NULL;
    h = (struct hdr *)((uint8_t *)b + off - HDR);
    h->n = n;
    h->off = off;
    held += n;
    return (uint8_t *)b + off;
}

void *malloc(size_t n)
{
    if (n > room())
        return refuse("malloc", n);
    if (n > SIZE_MAX - HDR) {
        errno = ENOMEM;
        return NULL;
    }
    return give(__libc_malloc(n + HDR), HDR, n);
}

void free(void *q)
{
    struct hdr *h;

    if (q == NULL)
        return;
    h = hdr_of(q);
    held -= h->n < held ? h->n : held;
    __libc_free((uint8_t *)q - h->off);
}

size_t malloc_usable_size(void *q)
{
    return q != NULL ? hdr_of(q)->n : 0;
}

void *calloc(size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size) {
        errno = ENOMEM;
        return NULL;
    }
    if (n * size > room())
        return refuse("calloc", n * size);
    if (n * size > SIZE_MAX - HDR) {
        errno = ENOMEM;
        return NULL;
    }
    return give(__libc_calloc(1, n * size + HDR), HDR, n * size);
}

void *realloc(void *q, size_t n)
{
    struct hdr *h;
    void *r;

    if (q == NULL)
        return malloc(n);
    if (n == 0) {
        free(q);
        return NULL;
    }
    h = hdr_of(q);
    if (n <= h->n && h->off == HDR) { /* shrinking in place */
        held -= h->n - n;
        h->n = n;
        return q;
    }
    /* a new block under the bound, while the old one is still held */
    r = malloc(n);
    if (r == NULL)
        return NULL;
    memcpy(r, q, h->n < n ? h->n : n);
    free(q);
    return r;
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
    size_t off;

    if (alignment <= HDR)
        return malloc(n);
    if ((alignment & (alignment - 1)) != 0) {
        errno = EINVAL;
        return NULL;
    }
    if (n > room())
        return refuse("memalign", n);
    /* the caller's pointer one alignment into an aligned block: aligned,
     * with the header in front of it */
    off = alignment;
    if (n > SIZE_MAX - off) {
        errno = ENOMEM;
        return NULL;
    }
    return give(__libc_memalign(alignment, n + off), off, n);
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
