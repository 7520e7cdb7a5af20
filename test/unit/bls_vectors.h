/*
 * bls_vectors.h - reading the BLS12-381 test vectors of test/vectors/bls/
 * (YAML, and JSON, which libyaml reads as YAML) in unit tests.
 *
 * Files are found under bv_dir(): $PARTIX_BLS_VECTORS if set, otherwise
 * test/vectors/bls relative to the working directory (the repository root
 * when `make test` runs the tests).  Every loader reports what is wrong,
 * with the file's path, on stderr and returns an error: a test asserts on
 * that, so a missing or malformed file fails the test.
 */
#ifndef PARTIX_BLS_VECTORS_H
#define PARTIX_BLS_VECTORS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <yaml.h>

/* The vector directory (no trailing slash). */
const char *bv_dir(void);

/* <bv_dir()>/<rel> into @p buf; -1 if it does not fit. */
int bv_path(char *buf, size_t size, const char *rel);

/* ---- any YAML/JSON file as a node tree ---- */

struct bv_doc {
    yaml_document_t doc;
    char path[512];
};

/* Parses the single document of @p path (absolute, or relative to the
 * working directory).  0, or -1 (@p d then needs no bv_doc_free). */
int bv_doc_load(struct bv_doc *d, const char *path);

/* Frees what bv_doc_load allocated. */
void bv_doc_free(struct bv_doc *d);

/* The document's root node. */
yaml_node_t *bv_doc_root(struct bv_doc *d);

/* The value of @p key in the mapping @p map; NULL if @p map is not a
 * mapping or has no such (scalar) key. */
yaml_node_t *bv_map_get(struct bv_doc *d, const yaml_node_t *map, const char *key);

/* The number of items of the sequence @p seq; 0 if it is not one. */
size_t bv_seq_len(const yaml_node_t *seq);

/* Item @p i of the sequence @p seq; NULL if out of range. */
yaml_node_t *bv_seq_at(struct bv_doc *d, const yaml_node_t *seq, size_t i);

/* The text of the scalar @p n (NUL-terminated); NULL if @p n is NULL or
 * not a scalar. */
const char *bv_scalar(const yaml_node_t *n);

/* ---- hex ---- */

/* Decodes @p hex (with or without a 0x prefix, either case) into @p out;
 * the byte count in @p len.  -1 if a character is not a hex digit, the
 * count of digits is odd, or more than @p max bytes would be written. */
int bv_unhex(const char *hex, uint8_t *out, size_t max, size_t *len);

/* Like bv_unhex into a malloc'd buffer (never NULL on success, even for
 * no bytes) that the caller frees; NULL on bad hex or no memory. */
uint8_t *bv_unhex_alloc(const char *hex, size_t *len);

/* ---- consensus-spec-tests BLS cases ----
 *
 * ethereum/consensus-spec-tests' general/<fork>/bls/<handler>/bls/<case>/
 * data.yaml, kept under <bv_dir()>/consensus-spec-tests/<fork>/bls/...:
 * a mapping of exactly `input` and `output` (formats: consensus-specs
 * tests/formats/bls/<handler>.md).  Values convert as: plain null, ~ or
 * nothing -> BV_NULL; plain true/false -> BV_BOOL; a string "0x..." ->
 * BV_BYTES; a sequence -> BV_LIST; a mapping -> BV_MAP.  Anything else
 * (another scalar, bad hex, a quoted 'null') fails the load. */

enum bv_type { BV_NULL, BV_BOOL, BV_BYTES, BV_LIST, BV_MAP };

struct bv_value {
    enum bv_type type;
    bool b;                 /* BV_BOOL */
    uint8_t *bytes;         /* BV_BYTES: never NULL, even for "0x" */
    size_t len;             /* BV_BYTES: bytes; BV_LIST, BV_MAP: items */
    struct bv_value *items; /* BV_LIST, BV_MAP: the values, in file order */
    char **keys;            /* BV_MAP: the key of each item */
};

struct bls_case {
    char path[512]; /* the data.yaml */
    char name[256]; /* the case's directory name */
    struct bv_value input, output;
};

/* Loads the data.yaml at @p path into @p c.  0, or -1 (with the reason
 * on stderr; @p c then needs no bls_case_free). */
int bls_case_load(struct bls_case *c, const char *path);

/* Frees what bls_case_load allocated. */
void bls_case_free(struct bls_case *c);

/* The value of @p key in the BV_MAP @p map; NULL if @p map is not a
 * BV_MAP or has no such key. */
const struct bv_value *bv_get(const struct bv_value *map, const char *key);

/* Loads every case of consensus-spec-tests/<fork>/bls/<handler>/bls/ in
 * name order and calls @p fn on it (@p fork and @p handler may be glob(3)
 * patterns such as "*").  Returns the number of cases, or -1 if one does
 * not load (the cases before it have been run) or the directory cannot be
 * read. */
int bls_cases_each(const char *fork, const char *handler,
                   void (*fn)(const struct bls_case *c, void *arg), void *arg);

#endif
