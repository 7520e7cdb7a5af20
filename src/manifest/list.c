/*
 * list.c - TF-M's manifest_list.yaml: which partition manifests make up the
 * system, their PIDs, and which are switched on by -D options.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "mf_internal.h"

enum { L_DESCRIPTION, L_TYPE, L_VMAJOR, L_VMINOR, L_LIST, L_COUNT };
static const struct mf_field list_fields[L_COUNT] = {
    [L_DESCRIPTION] = {"description", 0},      [L_TYPE] = {"type", 0},
    [L_VMAJOR] = {"version_major", 0},         [L_VMINOR] = {"version_minor", 0},
    [L_LIST] = {"manifest_list", MF_REQUIRED},
};

enum {
    I_DESCRIPTION,
    I_MANIFEST,
    I_OUTPUT,
    I_CONDITIONAL,
    I_VMAJOR,
    I_VMINOR,
    I_PID,
    I_LINKER,
    I_NON_FFM,
    I_COUNT
};
static const struct mf_field item_fields[I_COUNT] = {
    [I_DESCRIPTION] = {"description", MF_REQUIRED},
    [I_MANIFEST] = {"manifest", MF_REQUIRED},
    [I_OUTPUT] = {"output_path", 0},
    [I_CONDITIONAL] = {"conditional", 0},
    [I_VMAJOR] = {"version_major", 0},
    [I_VMINOR] = {"version_minor", 0},
    [I_PID] = {"pid", 0},
    [I_LINKER] = {"linker_pattern", 0},
    [I_NON_FFM] = {"non_ffm_attributes", 0},
};

enum { K_LIBRARY, K_OBJECT, K_FUNCTION, K_COUNT };
static const struct mf_field linker_fields[K_COUNT] = {
    [K_LIBRARY] = {"library_list", 0},
    [K_OBJECT] = {"object_list", 0},
    [K_FUNCTION] = {"function_list", 0},
};

/* TF-M's spellings of on and off for a "conditional" option (case-insensitive). */
static const char *const cond_on[] = {"1", "on", "true", "enabled", NULL};
static const char *const cond_off[] = {"0", "off", "false", "disabled", "", NULL};

static bool in_icase(const char *s, const char *const *list)
{
    for (; *list != NULL; list++)
        if (strcasecmp(s, *list) == 0)
            return true;
    return false;
}

/* $VAR and ${VAR} from the environment; unknown ones stay as written, like os.path.expandvars. */
static char *expand_vars(struct mf_arena *a, const char *s)
{
    size_t cap = strlen(s) + 1, n = 0;
    char *out = malloc(cap);

    if (out == NULL)
        abort();
    while (*s != '\0') {
        const char *start = s, *name = NULL, *val = NULL;
        size_t nlen = 0, skip = 0;

        if (s[0] == '$' && s[1] == '{') {
            const char *e = strchr(s + 2, '}');
            if (e != NULL) {
                name = s + 2;
                nlen = (size_t)(e - name);
                skip = nlen + 3;
            }
        } else if (s[0] == '$') {
            name = s + 1;
            while (name[nlen] == '_' || (name[nlen] >= 'A' && name[nlen] <= 'Z') ||
                   (name[nlen] >= 'a' && name[nlen] <= 'z') ||
                   (name[nlen] >= '0' && name[nlen] <= '9'))
                nlen++;
            skip = nlen + 1;
        }
        if (name != NULL && nlen > 0) {
            char *key = strndup(name, nlen);
            if (key == NULL)
                abort();
            val = getenv(key);
            free(key);
        }
        if (val == NULL) {
            val = start;
            skip = 1;
            nlen = 1;
        } else {
            nlen = strlen(val);
        }
        if (n + nlen + 1 > cap) {
            cap = (n + nlen + 1) * 2;
            out = realloc(out, cap);
            if (out == NULL)
                abort();
        }
        memcpy(out + n, val, nlen);
        n += nlen;
        s += skip;
    }
    out[n] = '\0';
    for (char *p = out; *p != '\0'; p++)
        if (*p == '\\')
            *p = '/';
    char *r = mf_strdup(a, out);
    free(out);
    return r;
}

/* Relative to the list's folder if that file exists, else as given (TF-M's rule). */
static const char *resolve_manifest(struct mf_arena *a, const char *list_path, const char *path)
{
    const char *slash = strrchr(list_path, '/');
    const char *joined;

    if (path[0] == '/' || slash == NULL)
        return path;
    joined = mf_printf(a, "%.*s/%s", (int)(slash - list_path), list_path, path);
    if (access(joined, F_OK) == 0 || access(path, F_OK) != 0)
        return joined;
    return path;
}

static bool read_string_list(struct mf_ctx *c, struct mf_doc *d, yaml_node_t *n, const char *field,
                             const char ***out, size_t *count)
{
    yaml_node_item_t *it;
    size_t i = 0;
    bool ok = true;

    if (!mf_get_seq(c, d, n, field))
        return false;
    *count = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    *out = mf_alloc_array(c->arena, *count, sizeof(**out));
    for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++, i++) {
        char f[256];

        snprintf(f, sizeof(f), "%s[%zu]", field, i);
        ok &= mf_get_string(c, d, mf_node(d, *it), f, &(*out)[i]);
    }
    return ok;
}

static bool read_linker_pattern(struct mf_ctx *c, struct mf_doc *d, yaml_node_t *n,
                                const char *path)
{
    yaml_node_t *v[K_COUNT];
    bool ok;
    size_t i;

    ok = mf_map_fields(c, d, n, path, "a linker_pattern", linker_fields, K_COUNT, NULL, 0, NULL, v);
    for (i = 0; i < K_COUNT; i++) {
        const char **strs;
        size_t cnt;
        char f[256];

        if (v[i] == NULL)
            continue;
        snprintf(f, sizeof(f), "%s.%s", path, linker_fields[i].key);
        ok &= read_string_list(c, d, v[i], f, &strs, &cnt);
    }
    return ok;
}

void mf_list_error(struct mf_ctx *c, struct mf_loc loc, size_t index, const char *key,
                   const char *fmt, ...)
{
    char field[64], rule[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(rule, sizeof(rule), fmt, ap);
    va_end(ap);
    snprintf(field, sizeof(field), "manifest_list[%zu].%s", index, key);
    mf_error(c, loc, field, "%s", rule);
}

static bool read_item(struct mf_ctx *c, struct mf_doc *d, const char *list_path, yaml_node_t *n,
                      size_t idx, struct mf_list_item *it)
{
    yaml_node_t *v[I_COUNT];
    char path[64], f[96];
    const char *manifest = NULL, *s;
    uint64_t u;
    bool ok;

    snprintf(path, sizeof(path), "manifest_list[%zu]", idx);
    it->index = idx;
    ok = mf_map_fields(c, d, n, path, "a manifest list entry", item_fields, I_COUNT, NULL, 0, NULL,
                       v);
    it->enabled = true;
#define F(key) (snprintf(f, sizeof(f), "%s.%s", path, key), f)
    if (v[I_DESCRIPTION] != NULL)
        ok &= mf_get_string(c, d, v[I_DESCRIPTION], F("description"), &it->description);
    if (v[I_MANIFEST] != NULL && mf_get_string(c, d, v[I_MANIFEST], F("manifest"), &manifest)) {
        it->manifest = resolve_manifest(c->arena, list_path, expand_vars(c->arena, manifest));
        it->manifest_loc = mf_loc_of(d, v[I_MANIFEST]);
    } else {
        ok = false;
    }
    if (v[I_OUTPUT] != NULL)
        ok &= mf_get_string(c, d, v[I_OUTPUT], F("output_path"), &s);
    if (v[I_VMAJOR] != NULL)
        ok &= mf_get_uint(c, d, v[I_VMAJOR], F("version_major"), UINT32_MAX, 0, &u);
    if (v[I_VMINOR] != NULL)
        ok &= mf_get_uint(c, d, v[I_VMINOR], F("version_minor"), UINT32_MAX, 0, &u);
    if (v[I_LINKER] != NULL)
        ok &= read_linker_pattern(c, d, v[I_LINKER], F("linker_pattern"));
    if (v[I_NON_FFM] != NULL)
        ok &= read_string_list(c, d, v[I_NON_FFM], F("non_ffm_attributes"), &it->non_ffm,
                               &it->n_non_ffm);
    if (v[I_PID] != NULL) {
        struct mf_scalar sc;

        if (v[I_PID]->type == YAML_SCALAR_NODE) {
            mf_scalar_resolve(v[I_PID], &sc);
            it->pid_text = mf_strdup(c->arena, sc.text);
        }
        if (v[I_PID]->type == YAML_SCALAR_NODE && sc.kind == MF_K_INT && sc.negative) {
            mf_error(c, mf_loc_of(d, v[I_PID]), F("pid"),
                     "%s is negative; a partition ID is a positive integer (secure client IDs "
                     "are positive)",
                     sc.text);
            ok = false;
        } else if (mf_get_uint(c, d, v[I_PID], F("pid"), INT32_MAX, 0, &u)) {
            if (u == 0) {
                mf_error(c, mf_loc_of(d, v[I_PID]), f,
                         "0 is not a partition ID; secure client IDs are positive");
                ok = false;
            }
            it->has_pid = true;
            it->pid = (int32_t)u;
            it->pid_loc = mf_loc_of(d, v[I_PID]);
            if (v[I_PID]->type == YAML_SCALAR_NODE && sc.kind == MF_K_STR)
                mf_warning(c, it->pid_loc, f, "tfm-integer",
                           "TF-M's tfm_parse_manifest_list.py compares pid with 256 and fails on "
                           "the string '%s' with a TypeError; write it without quotes",
                           sc.text);
        } else {
            ok = false;
        }
    }
    if (v[I_CONDITIONAL] != NULL &&
        mf_get_ident(c, d, v[I_CONDITIONAL], F("conditional"), &it->conditional)) {
        const char *val = mf_define_value(c, it->conditional);

        if (val == NULL) {
            mf_error(c, mf_loc_of(d, v[I_CONDITIONAL]), f,
                     "configuration '%s' is not defined; pass -D %s=ON or -D %s=OFF",
                     it->conditional, it->conditional, it->conditional);
            ok = false;
        } else if (in_icase(val, cond_off)) {
            it->enabled = false;
        } else if (!in_icase(val, cond_on)) {
            mf_error(c, mf_loc_of(d, v[I_CONDITIONAL]), f,
                     "-D %s=%s is neither on (1, ON, TRUE, ENABLED) nor off (0, OFF, FALSE, "
                     "DISABLED, empty)",
                     it->conditional, val);
            ok = false;
        }
    } else if (v[I_CONDITIONAL] != NULL) {
        ok = false;
    }
#undef F
    return ok;
}

bool mf_read_list(struct mf_ctx *c, const char *list_path, struct mf_list_item **items,
                  size_t *n_items)
{
    struct mf_loc ref = {mf_strdup(c->arena, list_path), 0, 0};
    yaml_node_t *v[L_COUNT], *root;
    yaml_node_item_t *it;
    struct mf_doc d;
    bool ok;
    size_t i = 0;

    *items = NULL;
    *n_items = 0;
    if (!mf_doc_load(c, list_path, ref, "manifest_list", &d)) {
        mf_doc_fini(&d);
        return false;
    }
    root = mf_doc_root(&d);
    ok = mf_map_fields(c, &d, root, "", "a manifest list", list_fields, L_COUNT, NULL, 0, NULL, v);
    if (v[L_TYPE] != NULL) {
        static const char *const types[] = {"manifest_list", NULL};
        int t;

        ok &= mf_get_enum(c, &d, v[L_TYPE], "type", types, &t);
    }
    if (v[L_VMAJOR] != NULL || v[L_VMINOR] != NULL) {
        uint64_t u;

        if (v[L_VMAJOR] != NULL)
            ok &= mf_get_uint(c, &d, v[L_VMAJOR], "version_major", UINT32_MAX, 0, &u);
        if (v[L_VMINOR] != NULL)
            ok &= mf_get_uint(c, &d, v[L_VMINOR], "version_minor", UINT32_MAX, 0, &u);
    }
    if (v[L_DESCRIPTION] != NULL) {
        const char *s;

        ok &= mf_get_string(c, &d, v[L_DESCRIPTION], "description", &s);
    }
    if (v[L_LIST] != NULL && mf_get_seq(c, &d, v[L_LIST], "manifest_list")) {
        yaml_node_t *seq = v[L_LIST];

        *n_items = (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
        *items = mf_alloc_array(c->arena, *n_items, sizeof(**items));
        for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++, i++)
            ok &= read_item(c, &d, list_path, mf_node(&d, *it), i, &(*items)[i]);
    } else {
        ok = false;
    }
    mf_doc_fini(&d);
    return ok;
}
