/*
 * scalar.c - what a YAML scalar means, and the typed getters built on it.
 *
 * TF-M reads manifests with PyYAML, which resolves plain scalars by the
 * YAML 1.1 rules: "yes"/"on" are booleans, "0x10" and "010" are integers,
 * "1.1" is a float.  The same text must mean the same thing here, or a
 * manifest that passes partix would fail (or mean something else) in TF-M.
 * Quoted scalars are strings; where TF-M pastes a string into C (a SID,
 * a size) it is read as a C integer literal.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mf_internal.h"

static bool in_list(const char *s, const char *const *list)
{
    for (; *list != NULL; list++)
        if (strcmp(s, *list) == 0)
            return true;
    return false;
}

static const char *const yaml_true[] = {"yes",  "Yes", "YES", "true", "True",
                                        "TRUE", "on",  "On",  "ON",   NULL};
static const char *const yaml_false[] = {"no",    "No",  "NO",  "false", "False",
                                         "FALSE", "off", "Off", "OFF",   NULL};
static const char *const yaml_null[] = {"", "~", "null", "Null", "NULL", NULL};

/* Digits of @p base with '_' separators allowed, at least one digit. */
static bool digits(const char *s, int base, uint64_t *out, bool *overflow)
{
    uint64_t v = 0;
    bool any = false;

    *overflow = false;
    for (; *s != '\0'; s++) {
        int dv;

        if (*s == '_')
            continue;
        if (isdigit((unsigned char)*s))
            dv = *s - '0';
        else if (isxdigit((unsigned char)*s))
            dv = tolower((unsigned char)*s) - 'a' + 10;
        else
            return false;
        if (dv >= base)
            return false;
        if (v > (UINT64_MAX - (uint64_t)dv) / (uint64_t)base)
            *overflow = true;
        v = v * (uint64_t)base + (uint64_t)dv;
        any = true;
    }
    *out = *overflow ? UINT64_MAX : v;
    return any;
}

/* PyYAML's int forms: 0b..., 0..., decimal, 0x...  (sexagesimal is left a string). */
static bool yaml_int(const char *s, bool *neg, uint64_t *out)
{
    bool overflow;

    *neg = false;
    if (*s == '-' || *s == '+')
        *neg = *s++ == '-';
    if (s[0] == '0' && s[1] == 'b')
        return digits(s + 2, 2, out, &overflow);
    if (s[0] == '0' && s[1] == 'x')
        return digits(s + 2, 16, out, &overflow);
    if (s[0] == '0' && s[1] != '\0')
        return digits(s + 1, 8, out, &overflow);
    if (s[0] == '0')
        return *out = 0, true;
    if (s[0] >= '1' && s[0] <= '9')
        return digits(s, 10, out, &overflow);
    return false;
}

static bool yaml_float(const char *s, double *out)
{
    const char *p = s;
    char buf[64];
    size_t n = 0;

    if (*p == '-' || *p == '+')
        p++;
    if (strcmp(p, ".inf") == 0 || strcmp(p, ".Inf") == 0 || strcmp(p, ".INF") == 0 ||
        strcmp(s, ".nan") == 0 || strcmp(s, ".NaN") == 0 || strcmp(s, ".NAN") == 0) {
        *out = 0;
        return true;
    }
    /* [0-9][0-9_]*\.[0-9_]*([eE][-+][0-9]+)?  or  \.[0-9_]+(...)? */
    if (isdigit((unsigned char)*p)) {
        while (isdigit((unsigned char)*p) || *p == '_')
            p++;
        if (*p != '.')
            return false;
        p++;
        while (isdigit((unsigned char)*p) || *p == '_')
            p++;
    } else if (*p == '.' && p == s && (isdigit((unsigned char)p[1]) || p[1] == '_')) {
        p++;
        while (isdigit((unsigned char)*p) || *p == '_')
            p++;
    } else {
        return false;
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p != '-' && *p != '+')
            return false;
        p++;
        if (!isdigit((unsigned char)*p))
            return false;
        while (isdigit((unsigned char)*p))
            p++;
    }
    if (*p != '\0')
        return false;
    for (p = s; *p != '\0' && n < sizeof(buf) - 1; p++)
        if (*p != '_')
            buf[n++] = *p;
    buf[n] = '\0';
    *out = strtod(buf, NULL);
    return true;
}

void mf_scalar_resolve(const yaml_node_t *n, struct mf_scalar *s)
{
    const char *t = (const char *)n->data.scalar.value;

    memset(s, 0, sizeof(*s));
    s->text = t;
    s->quoted = n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
    s->kind = MF_K_STR;
    if (s->quoted)
        return;
    if (in_list(t, yaml_null)) {
        s->kind = MF_K_NULL;
    } else if (in_list(t, yaml_true) || in_list(t, yaml_false)) {
        s->kind = MF_K_BOOL;
        s->b = in_list(t, yaml_true);
    } else if (yaml_int(t, &s->negative, &s->u)) {
        s->kind = MF_K_INT;
    } else if (yaml_float(t, &s->f)) {
        s->kind = MF_K_FLOAT;
    }
}

const char *mf_kind_name(enum mf_kind k)
{
    switch (k) {
    case MF_K_STR:
        return "a string";
    case MF_K_INT:
        return "an integer";
    case MF_K_FLOAT:
        return "a number";
    case MF_K_BOOL:
        return "a boolean";
    case MF_K_NULL:
        return "nothing";
    }
    return "?";
}

bool mf_parse_c_int(const char *s, uint64_t *out)
{
    int base = 10;
    uint64_t v = 0;

    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
        if (*s == '\0')
            return false;
    } else if (s[0] == '0') {
        base = 8;
    }
    if (*s == '\0')
        return false;
    for (; *s != '\0'; s++) {
        int dv;

        if (isdigit((unsigned char)*s))
            dv = *s - '0';
        else if (isxdigit((unsigned char)*s))
            dv = tolower((unsigned char)*s) - 'a' + 10;
        else
            return false;
        if (dv >= base || v > (UINT64_MAX - (uint64_t)dv) / (uint64_t)base)
            return false;
        v = v * (uint64_t)base + (uint64_t)dv;
    }
    *out = v;
    return true;
}

bool mf_is_c_ident(const char *s)
{
    if (!(isalpha((unsigned char)*s) || *s == '_'))
        return false;
    for (s++; *s != '\0'; s++)
        if (!(isalnum((unsigned char)*s) || *s == '_'))
            return false;
    return true;
}

const char *mf_define_value(const struct mf_ctx *c, const char *name)
{
    size_t i;

    if (c->opt == NULL)
        return NULL;
    for (i = c->opt->n_defines; i-- > 0;) /* the last -D wins, as in cc */
        if (strcmp(c->opt->defines[i].name, name) == 0)
            return c->opt->defines[i].value;
    return NULL;
}

static const char *node_kind(const yaml_node_t *n)
{
    switch (n->type) {
    case YAML_MAPPING_NODE:
        return "a mapping";
    case YAML_SEQUENCE_NODE:
        return "a list";
    default:
        return "nothing";
    }
}

static bool scalar_of(struct mf_ctx *c, struct mf_doc *d, yaml_node_t *n, const char *field,
                      const char *expected, struct mf_scalar *s)
{
    if (n->type != YAML_SCALAR_NODE) {
        mf_error(c, mf_loc_of(d, n), field, "expected %s, got %s", expected, node_kind(n));
        return false;
    }
    mf_scalar_resolve(n, s);
    if (s->kind == MF_K_NULL) {
        mf_error(c, mf_loc_of(d, n), field, "expected %s, got nothing", expected);
        return false;
    }
    return true;
}

bool mf_get_string(struct mf_ctx *c, struct mf_doc *d, yaml_node_t *n, const char *field,
                   const char **out)
{
    struct mf_scalar s;

    if (!scalar_of(c, d, n, field, "a string", &s))
        return false;
    *out = mf_strdup(c->arena, s.text);
    return true;
}

bool mf_get_ident(struct mf_ctx *c, struct mf_doc *d, yaml_node_t *n, const char *field,
                  const char **out)
{
    struct mf_scalar s;

    if (!scalar_of(c, d, n, field, "a C identifier", &s))
        return false;
    if (s.kind != MF_K_STR) {
        mf_error(c, mf_loc_of(d, n), field,
                 "'%s' is read as %s by YAML 1.1, not a name; quote it if it is a name", s.text,
                 mf_kind_name(s.kind));
        return false;
    }
    if (!mf_is_c_ident(s.text)) {
        mf_error(c, mf_loc_of(d, n), field,
                 "'%s' is not a C identifier (letters, digits and '_', not starting with a "
                 "digit); it becomes a macro or function name",
                 s.text);
        return false;
    }
    *out = mf_strdup(c->arena, s.text);
    return true;
}

bool mf_get_bool(struct mf_ctx *c, struct mf_doc *d, yaml_node_t *n, const char *field, bool *out)
{
    struct mf_scalar s;

    if (!scalar_of(c, d, n, field, "true or false", &s))
        return false;
    if (s.kind != MF_K_BOOL) {
        mf_error(c, mf_loc_of(d, n), field, "expected true or false, got %s '%s'%s",
                 mf_kind_name(s.kind), s.text,
                 s.quoted ? "; remove the quotes (TF-M's tool reads any non-empty string as true)"
                          : "");
        return false;
    }
    *out = s.b;
    return true;
}

bool mf_get_enum(struct mf_ctx *c, struct mf_doc *d, yaml_node_t *n, const char *field,
                 const char *const *names, int *out)
{
    struct mf_scalar s;
    char allowed[256] = "";
    int i;

    if (!scalar_of(c, d, n, field, "a keyword", &s))
        return false;
    for (i = 0; names[i] != NULL; i++) {
        if (strcmp(s.text, names[i]) == 0) {
            *out = i;
            return true;
        }
        if (i > 0)
            strncat(allowed, names[i + 1] == NULL ? " or " : ", ",
                    sizeof(allowed) - strlen(allowed) - 1);
        strncat(allowed, names[i], sizeof(allowed) - strlen(allowed) - 1);
    }
    mf_error(c, mf_loc_of(d, n), field, "'%s' is not valid; expected %s (case matters)", s.text,
             allowed);
    return false;
}

bool mf_get_uint(struct mf_ctx *c, struct mf_doc *d, yaml_node_t *n, const char *field,
                 uint64_t max, unsigned flags, uint64_t *out)
{
    struct mf_scalar s;
    uint64_t v;

    if (!scalar_of(c, d, n, field, "an integer", &s))
        return false;
    if (s.kind == MF_K_INT) {
        if (s.negative && s.u != 0) {
            mf_error(c, mf_loc_of(d, n), field, "%s is negative; expected 0..%" PRIu64, s.text,
                     max);
            return false;
        }
        v = s.u;
    } else if (s.kind == MF_K_STR && mf_parse_c_int(s.text, &v)) {
        /* a quoted C literal, as TF-M writes SIDs and sizes */
    } else if (s.kind == MF_K_STR && mf_is_c_ident(s.text) && (flags & MF_NUM_SYMBOL)) {
        const char *val = mf_define_value(c, s.text);

        if (val == NULL) {
            mf_error(c, mf_loc_of(d, n), field,
                     "'%s' is a macro name; give its value with -D %s=VALUE", s.text, s.text);
            return false;
        }
        if (!mf_parse_c_int(val, &v)) {
            mf_error(c, mf_loc_of(d, n), field,
                     "-D %s=%s is not an integer literal (decimal, 0x hex or 0 octal)", s.text,
                     val);
            return false;
        }
    } else {
        mf_error(c, mf_loc_of(d, n), field,
                 "'%s' is not an integer; write decimal, 0x hex or 0 octal without sign or "
                 "suffix%s",
                 s.text, (flags & MF_NUM_SYMBOL) ? ", or a macro name given with -D" : "");
        return false;
    }
    if (v > max) {
        mf_error(c, mf_loc_of(d, n), field, "%s is out of range; at most 0x%" PRIx64, s.text, max);
        return false;
    }
    *out = v;
    return true;
}

bool mf_get_seq(struct mf_ctx *c, struct mf_doc *d, yaml_node_t *n, const char *field)
{
    if (n->type != YAML_SEQUENCE_NODE) {
        mf_error(c, mf_loc_of(d, n), field, "expected a list, got %s",
                 n->type == YAML_SCALAR_NODE ? "a scalar" : node_kind(n));
        return false;
    }
    return true;
}

/* Keys people put in the wrong place, with where they belong. */
static const struct {
    const char *key;
    const char *hint;
} misplaced[] = {
    {"id", "a partition's ID is the 'pid' of its manifest list entry"},
    {"pid", "a partition's ID is the 'pid' of its manifest list entry"},
    {"linker_pattern", "linker_pattern belongs in the manifest list entry"},
    {"conditional", "conditional belongs in the manifest list entry"},
    {"tfm_irq_priority", "TF-M no longer reads it; remove it"},
};

static const char *misplaced_hint(const char *key)
{
    size_t i;

    for (i = 0; i < sizeof(misplaced) / sizeof(misplaced[0]); i++)
        if (strcmp(key, misplaced[i].key) == 0)
            return misplaced[i].hint;
    return NULL;
}

/* Edit distance, for "did you mean" (keys are short). */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), i, j, row[64], prev, tmp;

    if (lb >= sizeof(row) / sizeof(row[0]))
        return SIZE_MAX;
    for (j = 0; j <= lb; j++)
        row[j] = j;
    for (i = 1; i <= la; i++) {
        prev = row[0];
        row[0] = i;
        for (j = 1; j <= lb; j++) {
            size_t best = prev + (a[i - 1] != b[j - 1]);

            tmp = row[j];
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            prev = tmp;
        }
    }
    return row[lb];
}

static void field_path(char *buf, size_t size, const char *path, const char *key)
{
    if (path[0] == '\0')
        snprintf(buf, size, "%s", key);
    else
        snprintf(buf, size, "%s.%s", path, key);
}

bool mf_map_fields(struct mf_ctx *c, struct mf_doc *d, yaml_node_t *map, const char *path,
                   const char *what, const struct mf_field *fields, size_t n_fields,
                   const char *const *extra, size_t n_extra, const char *unknown_hint,
                   yaml_node_t **vals)
{
    char field[256], allowed[512], guess[96];
    yaml_node_t *extra_seen[32] = {0};
    yaml_node_pair_t *pair;
    bool ok = true;
    size_t i;

    for (i = 0; i < n_fields; i++)
        vals[i] = NULL;
    if (map->type != YAML_MAPPING_NODE) {
        mf_error(c, mf_loc_of(d, map), path[0] ? path : "document",
                 "expected %s (a mapping of keys to values), got %s", what,
                 map->type == YAML_SCALAR_NODE ? "a scalar" : node_kind(map));
        return false;
    }
    for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
        yaml_node_t *k = mf_node(d, pair->key);
        const char *key, *hint;
        bool found = false;

        if (k->type != YAML_SCALAR_NODE) {
            mf_error(c, mf_loc_of(d, k), path[0] ? path : "document",
                     "keys of %s must be names, not %s", what, node_kind(k));
            ok = false;
            continue;
        }
        key = (const char *)k->data.scalar.value;
        field_path(field, sizeof(field), path, key);
        for (i = 0; i < n_fields && !found; i++) {
            if (strcmp(key, fields[i].key) != 0)
                continue;
            found = true;
            if (vals[i] != NULL) {
                mf_error(c, mf_loc_of(d, k), field,
                         "duplicate key (first at line %u); YAML readers keep only one of them",
                         mf_loc_of(d, vals[i]).line);
                ok = false;
            } else {
                vals[i] = mf_node(d, pair->value);
            }
        }
        for (i = 0; i < n_extra && !found; i++) {
            if (strcmp(key, extra[i]) != 0)
                continue;
            found = true;
            if (i < 32 && extra_seen[i] != NULL) {
                mf_error(c, mf_loc_of(d, k), field,
                         "duplicate key (first at line %u); YAML readers keep only one of them",
                         mf_loc_of(d, extra_seen[i]).line);
                ok = false;
            } else if (i < 32) {
                extra_seen[i] = k;
            }
        }
        if (found)
            continue;
        allowed[0] = '\0';
        for (i = 0; i < n_fields; i++) {
            strncat(allowed, i ? ", " : "", sizeof(allowed) - strlen(allowed) - 1);
            strncat(allowed, fields[i].key, sizeof(allowed) - strlen(allowed) - 1);
        }
        hint = misplaced_hint(key);
        for (i = 0; hint == NULL && i < n_fields; i++) {
            if (distance(key, fields[i].key) <= 2) {
                snprintf(guess, sizeof(guess), "did you mean %s?", fields[i].key);
                hint = guess;
            }
        }
        if (hint == NULL)
            hint = unknown_hint;
        mf_error(c, mf_loc_of(d, k), field, "unknown key in %s (allowed: %s)%s%s", what, allowed,
                 hint ? "; " : "", hint ? hint : "");
        ok = false;
    }
    for (i = 0; i < n_fields; i++) {
        if ((fields[i].flags & MF_REQUIRED) && vals[i] == NULL) {
            field_path(field, sizeof(field), path, fields[i].key);
            mf_error(c, mf_loc_of(d, map), field, "required key is missing from %s", what);
            ok = false;
        }
    }
    return ok;
}
