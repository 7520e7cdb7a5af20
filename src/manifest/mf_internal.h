/*
 * mf_internal.h - what the files of the manifest library share: the arena,
 * error reporting, YAML documents with positions, scalar resolution and the
 * table-driven key checker.
 */
#ifndef PARTIX_MF_INTERNAL_H
#define PARTIX_MF_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <yaml.h>

#include "manifest.h"

/* ---- arena: every model object lives until mf_system_free() ---- */

struct mf_arena;
struct mf_arena *mf_arena_new(void);
void mf_arena_free(struct mf_arena *a);
void *mf_alloc(struct mf_arena *a, size_t size); /* zeroed; aborts on OOM */
void *mf_alloc_array(struct mf_arena *a, size_t n, size_t size);
char *mf_strdup(struct mf_arena *a, const char *s);
char *mf_printf(struct mf_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- the state of one mf_load() ---- */

struct mf_ctx {
    struct mf_arena *arena;
    struct mf_diags *diags;
    const struct mf_options *opt;
};

/* Records "LOC: error: FIELD: RULE". */
void mf_error(struct mf_ctx *c, struct mf_loc loc, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Records "LOC: warning: FIELD: RULE [NAME]": something partix runs that
 * TF-M's own tool rejects, crashes on or ignores; NAME is the warning's rule. */
void mf_warning(struct mf_ctx *c, struct mf_loc loc, const char *field, const char *name,
                const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Registers a file so its errors sort in the order files were read. */
void mf_diags_add_file(struct mf_diags *d, const char *file);

/* ---- YAML documents ---- */

struct mf_doc {
    const char *path; /* interned in the arena */
    yaml_document_t doc;
    bool loaded;
};

/*
 * Reads and parses @p path.  Reports a missing file at @p ref, '//'
 * comments and YAML syntax errors at their own position.  Returns false if
 * no document could be built (the other errors still let parsing go on).
 */
bool mf_doc_load(struct mf_ctx *c, const char *path, struct mf_loc ref, const char *ref_field,
                 struct mf_doc *d);
void mf_doc_fini(struct mf_doc *d);
yaml_node_t *mf_doc_root(struct mf_doc *d);
yaml_node_t *mf_node(struct mf_doc *d, int index);
struct mf_loc mf_loc_of(const struct mf_doc *d, const yaml_node_t *n);

/* ---- scalars, resolved as PyYAML (YAML 1.1) resolves plain scalars ---- */

enum mf_kind { MF_K_STR, MF_K_INT, MF_K_FLOAT, MF_K_BOOL, MF_K_NULL };

struct mf_scalar {
    enum mf_kind kind;
    const char *text;
    bool quoted;
    bool negative; /* MF_K_INT */
    uint64_t u;    /* MF_K_INT magnitude */
    double f;      /* MF_K_FLOAT */
    bool b;        /* MF_K_BOOL */
};

void mf_scalar_resolve(const yaml_node_t *n, struct mf_scalar *s);
/* A C integer literal without sign or suffix: decimal, 0x hex, 0 octal. */
bool mf_parse_c_int(const char *s, uint64_t *out);
bool mf_is_c_ident(const char *s);
const char *mf_kind_name(enum mf_kind k);

/* ---- typed getters: each reports its own error and returns false ---- */

#define MF_NUM_SYMBOL 1u /* a macro name resolved from -D is accepted */

bool mf_get_string(struct mf_ctx *c, struct mf_doc *d, yaml_node_t *n, const char *field,
                   const char **out);
bool mf_get_ident(struct mf_ctx *c, struct mf_doc *d, yaml_node_t *n, const char *field,
                  const char **out);
bool mf_get_bool(struct mf_ctx *c, struct mf_doc *d, yaml_node_t *n, const char *field, bool *out);
bool mf_get_enum(struct mf_ctx *c, struct mf_doc *d, yaml_node_t *n, const char *field,
                 const char *const *names, int *out);
bool mf_get_uint(struct mf_ctx *c, struct mf_doc *d, yaml_node_t *n, const char *field,
                 uint64_t max, unsigned flags, uint64_t *out);
bool mf_get_seq(struct mf_ctx *c, struct mf_doc *d, yaml_node_t *n, const char *field);
const char *mf_define_value(const struct mf_ctx *c, const char *name);

/* ---- table-driven mappings ---- */

#define MF_REQUIRED 1u

struct mf_field {
    const char *key;
    unsigned flags;
};

/*
 * Checks that @p map is a mapping whose keys are all in @p fields (or in
 * @p extra), none repeated, every MF_REQUIRED one present, and stores each
 * value node in vals[] at its field's index (NULL when absent).  @p what
 * names the object in messages; @p unknown_hint is appended to the
 * unknown-key rule.  Returns false if any rule was broken.
 */
bool mf_map_fields(struct mf_ctx *c, struct mf_doc *d, yaml_node_t *map, const char *path,
                   const char *what, const struct mf_field *fields, size_t n_fields,
                   const char *const *extra, size_t n_extra, const char *unknown_hint,
                   yaml_node_t **vals);

/* ---- writing generated files (psa-manifest's and psa-idl's) ---- */

/* mkdir -p: 0, or -1 with errno set. */
int mf_mkdirs(const char *path);
/* Replaces @p path with @p data unless it already holds exactly that, through
 * a temporary file and a rename: 0, or -1 with errno set. */
int mf_write_if_changed(const char *path, const char *data, size_t len);

/* ---- the stages of mf_load() ---- */

struct mf_list_item {
    size_t index;
    const char *description;
    const char *manifest; /* resolved path */
    struct mf_loc manifest_loc;
    bool has_pid;
    int32_t pid;
    const char *pid_text; /* as written */
    struct mf_loc pid_loc;
    const char **non_ffm;
    size_t n_non_ffm;
    bool enabled;
    const char *conditional;
};

/* An mf_error() for a manifest list entry: FIELD is manifest_list[N].KEY. */
void mf_list_error(struct mf_ctx *c, struct mf_loc loc, size_t index, const char *key,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

bool mf_read_list(struct mf_ctx *c, const char *list_path, struct mf_list_item **items,
                  size_t *n_items);
/* Reads one manifest, reporting every error; returns whether the names of
 * all its services are known (whatever else was wrong), which decides if
 * "no partition provides service X" can be said. */
bool mf_read_partition(struct mf_ctx *c, const struct mf_list_item *item, struct mf_partition *p);
bool mf_check_system(struct mf_ctx *c, struct mf_system *sys, bool all_read);

#endif /* PARTIX_MF_INTERNAL_H */
