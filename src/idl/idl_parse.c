/*
 * idl_parse.c - one interface file: its schema, checked key by key with
 * every error reported where it stands, and the wire layout computed from
 * it (docs/idl.md).  The YAML reading, the scalar rules, the key checker
 * and the diagnostics are the manifest library's, so an interface is read
 * exactly as a manifest is.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "idl_int.h"

#define FIELD(buf, ...) (snprintf(buf, sizeof(buf), __VA_ARGS__), buf)
#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

struct rd {
    struct mf_ctx *c;
    struct mf_doc *d;
    struct idl_service *svc;
};

enum { T_IDL, T_SERVICE, T_CLIENT, T_CONSTANTS, T_ERRORS, T_METHODS, T_COUNT };
static const struct mf_field top_fields[T_COUNT] = {
    [T_IDL] = {"idl", MF_REQUIRED}, [T_SERVICE] = {"service", MF_REQUIRED},
    [T_CLIENT] = {"client", 0},     [T_CONSTANTS] = {"constants", 0},
    [T_ERRORS] = {"errors", 0},     [T_METHODS] = {"methods", MF_REQUIRED},
};

enum { S_NAME, S_SID, S_VERSION, S_PREFIX, S_DESC, S_CAPSIZE, S_COUNT };
static const struct mf_field svc_fields[S_COUNT] = {
    [S_NAME] = {"name", MF_REQUIRED}, [S_SID] = {"sid", 0},
    [S_VERSION] = {"version", 0},     [S_PREFIX] = {"prefix", MF_REQUIRED},
    [S_DESC] = {"description", 0},    [S_CAPSIZE] = {"capability_size", 0},
};

enum { C_HEADER, C_CONNECTION, C_STATUS, C_COUNT };
static const struct mf_field client_fields[C_COUNT] = {
    [C_HEADER] = {"header", 0},
    [C_CONNECTION] = {"connection", 0},
    [C_STATUS] = {"status", 0},
};

enum { ST_TYPE, ST_VALUES, ST_COUNT };
static const struct mf_field status_fields[ST_COUNT] = {
    [ST_TYPE] = {"type", MF_REQUIRED},
    [ST_VALUES] = {"values", MF_REQUIRED},
};

enum { SV_NAME, SV_VALUE, SV_FROM, SV_FALLBACK, SV_DESC, SV_COUNT };
static const struct mf_field status_value_fields[SV_COUNT] = {
    [SV_NAME] = {"name", MF_REQUIRED}, [SV_VALUE] = {"value", MF_REQUIRED}, [SV_FROM] = {"from", 0},
    [SV_FALLBACK] = {"fallback", 0},   [SV_DESC] = {"description", 0},
};

enum { K_NAME, K_VALUE, K_DESC, K_COUNT };
static const struct mf_field const_fields[K_COUNT] = {
    [K_NAME] = {"name", MF_REQUIRED},
    [K_VALUE] = {"value", MF_REQUIRED},
    [K_DESC] = {"description", 0},
};

enum { M_NAME, M_TYPE, M_MACRO, M_DESC, M_IN, M_OUT, M_ERRORS, M_COUNT };
static const struct mf_field method_fields[M_COUNT] = {
    [M_NAME] = {"name", MF_REQUIRED},
    [M_TYPE] = {"type", MF_REQUIRED},
    [M_MACRO] = {"macro", 0},
    [M_DESC] = {"description", 0},
    [M_IN] = {"in", 0},
    [M_OUT] = {"out", 0},
    [M_ERRORS] = {"errors", 0},
};

enum { P_NAME, P_TYPE, P_MAX, P_MIN, P_SIZE_NAME, P_LENGTH, P_DESC, P_COUNT };
static const struct mf_field param_fields[P_COUNT] = {
    [P_NAME] = {"name", MF_REQUIRED},
    [P_TYPE] = {"type", MF_REQUIRED},
    [P_MAX] = {"max", 0},
    [P_MIN] = {"min", 0},
    [P_SIZE_NAME] = {"size_name", 0},
    [P_LENGTH] = {"length", 0},
    [P_DESC] = {"description", 0},
};

static const char *const kind_names[] = {"u8",  "u16", "u32",  "u64", "i8",    "i16",
                                         "i32", "i64", "bool", "cap", "bytes", NULL};
static const char *const conn_names[] = {"handle", "per_call", "stateless", NULL};

static size_t seq_len(const yaml_node_t *n)
{
    return (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
}

static yaml_node_t *seq_item(struct rd *r, yaml_node_t *n, size_t i)
{
    return mf_node(r->d, n->data.sequence.items.start[i]);
}

static struct mf_loc loc_of(struct rd *r, yaml_node_t *n)
{
    return mf_loc_of(r->d, n);
}

/* A C identifier of at most IDL_MAX_NAME characters: the generated names
 * are made of several, and fixed buffers hold them. */
static bool get_ident(struct rd *r, yaml_node_t *n, const char *field, const char **out)
{
    if (!mf_get_ident(r->c, r->d, n, field, out))
        return false;
    if (strlen(*out) > IDL_MAX_NAME) {
        mf_error(r->c, loc_of(r, n), field, "a name of %zu characters; at most %u", strlen(*out),
                 IDL_MAX_NAME);
        *out = NULL;
        return false;
    }
    return true;
}

/* A signed 32-bit integer (a status value). */
static bool get_int32(struct rd *r, yaml_node_t *n, const char *field, int32_t *out)
{
    struct mf_scalar s;

    if (n->type != YAML_SCALAR_NODE) {
        mf_error(r->c, loc_of(r, n), field, "expected an integer, got %s",
                 n->type == YAML_MAPPING_NODE ? "a mapping" : "a list");
        return false;
    }
    mf_scalar_resolve(n, &s);
    if (s.kind != MF_K_INT) {
        mf_error(r->c, loc_of(r, n), field, "expected an integer, got %s '%s'",
                 mf_kind_name(s.kind), s.text);
        return false;
    }
    if ((!s.negative && s.u > INT32_MAX) || (s.negative && s.u > (uint64_t)INT32_MAX + 1)) {
        mf_error(r->c, loc_of(r, n), field, "%s does not fit a psa_status_t (32 bits, signed)",
                 s.text);
        return false;
    }
    *out = s.negative ? (int32_t)(-(int64_t)s.u) : (int32_t)s.u;
    return true;
}

static bool get_doc(struct rd *r, yaml_node_t *n, const char *field, const char **out)
{
    *out = NULL;
    if (n == NULL)
        return true;
    if (!mf_get_string(r->c, r->d, n, field, out))
        return false;
    if (strstr(*out, "*/") != NULL || strstr(*out, "/*") != NULL) {
        mf_error(r->c, loc_of(r, n), field,
                 "'/*' and '*/' cannot stand in the C comment the description is copied into");
        *out = NULL;
        return false;
    }
    return true;
}

/* A C name the generated code may use as a parameter. */
static bool get_param_name(struct rd *r, yaml_node_t *n, const char *field, const char **out)
{
    if (!get_ident(r, n, field, out))
        return false;
    if (idl_reserved_name(*out)) {
        mf_error(r->c, loc_of(r, n), field,
                 "'%s' is reserved (a C keyword, or a name the generated code uses: handle, "
                 "msg, idl_*)",
                 *out);
        return false;
    }
    return true;
}

/* ---- service ---- */

static void read_service(struct rd *r, yaml_node_t *n)
{
    struct idl_service *svc = r->svc;
    yaml_node_t *v[S_COUNT];
    uint64_t u;
    char f[64];

    (void)mf_map_fields(r->c, r->d, n, "service", "the service", svc_fields, S_COUNT, NULL, 0, NULL,
                        v);
    if (n->type != YAML_MAPPING_NODE)
        return;
    if (v[S_NAME] != NULL)
        (void)get_ident(r, v[S_NAME], "service.name", &svc->name);
    if (v[S_PREFIX] != NULL)
        (void)get_ident(r, v[S_PREFIX], "service.prefix", &svc->prefix);
    (void)get_doc(r, v[S_DESC], "service.description", &svc->doc);
    if (v[S_SID] != NULL && mf_get_uint(r->c, r->d, v[S_SID], "service.sid", UINT32_MAX, 0, &u)) {
        svc->has_sid = true;
        svc->sid = (uint32_t)u;
    }
    if (v[S_VERSION] != NULL &&
        mf_get_uint(r->c, r->d, v[S_VERSION], "service.version", UINT32_MAX, 0, &u)) {
        svc->version = (uint32_t)u;
        if (u == 0) {
            mf_error(r->c, loc_of(r, v[S_VERSION]), "service.version",
                     "0 is PSA_VERSION_NONE; a service's version is at least 1");
        }
    }
    if (v[S_SID] != NULL && v[S_VERSION] == NULL)
        mf_error(r->c, loc_of(r, v[S_SID]), "service.version",
                 "required with sid: the client connects with <name>_VERSION");
    if (v[S_VERSION] != NULL && v[S_SID] == NULL)
        mf_error(r->c, loc_of(r, v[S_VERSION]), "service.sid",
                 "required with version; without both, psa_manifest/sid.h gives them");
    svc->cap_size = IDL_DEFAULT_CAP_SIZE;
    if (v[S_CAPSIZE] != NULL &&
        mf_get_uint(r->c, r->d, v[S_CAPSIZE], FIELD(f, "service.capability_size"), UINT64_MAX, 0,
                    &u)) {
        if (u == 0 || u > IDL_MAX_CAP_SIZE)
            mf_error(r->c, loc_of(r, v[S_CAPSIZE]), f,
                     "%" PRIu64 " is not a capability size; expected 1 to %u bytes", u,
                     IDL_MAX_CAP_SIZE);
        else
            svc->cap_size = (size_t)u;
    }
}

/* ---- constants and errors ---- */

static void read_constants(struct rd *r, yaml_node_t *n)
{
    struct idl_service *svc = r->svc;
    char path[64], f[96];
    size_t i, k;

    if (!mf_get_seq(r->c, r->d, n, "constants"))
        return;
    svc->constants = mf_alloc_array(r->c->arena, seq_len(n), sizeof(*svc->constants));
    for (i = 0; i < seq_len(n); i++) {
        yaml_node_t *it = seq_item(r, n, i), *v[K_COUNT];
        struct idl_constant *k_ = &svc->constants[svc->n_constants];
        uint64_t u;

        memset(k_, 0, sizeof(*k_));
        snprintf(path, sizeof(path), "constants[%zu]", i);
        if (!mf_map_fields(r->c, r->d, it, path, "a constant", const_fields, K_COUNT, NULL, 0, NULL,
                           v))
            continue;
        k_->loc = loc_of(r, it);
        if (!get_ident(r, v[K_NAME], FIELD(f, "%s.name", path), &k_->name) ||
            !mf_get_uint(r->c, r->d, v[K_VALUE], FIELD(f, "%s.value", path), UINT32_MAX, 0, &u) ||
            !get_doc(r, v[K_DESC], FIELD(f, "%s.description", path), &k_->doc))
            continue;
        k_->value = u;
        for (k = 0; k < svc->n_constants; k++) {
            if (strcmp(svc->constants[k].name, k_->name) == 0) {
                mf_error(r->c, loc_of(r, v[K_NAME]), FIELD(f, "%s.name", path),
                         "duplicate constant %s (first at line %u)", k_->name,
                         svc->constants[k].loc.line);
                break;
            }
        }
        if (k == svc->n_constants)
            svc->n_constants++;
    }
}

static void read_errors(struct rd *r, yaml_node_t *n)
{
    struct idl_service *svc = r->svc;
    char path[64], f[96];
    size_t i, k;

    if (!mf_get_seq(r->c, r->d, n, "errors"))
        return;
    svc->errors = mf_alloc_array(r->c->arena, seq_len(n), sizeof(*svc->errors));
    for (i = 0; i < seq_len(n); i++) {
        yaml_node_t *it = seq_item(r, n, i), *v[K_COUNT];
        struct idl_error *e = &svc->errors[svc->n_errors];
        int32_t psa;
        bool dup = false;

        memset(e, 0, sizeof(*e));
        snprintf(path, sizeof(path), "errors[%zu]", i);
        if (!mf_map_fields(r->c, r->d, it, path, "an error", const_fields, K_COUNT, NULL, 0, NULL,
                           v))
            continue;
        e->loc = loc_of(r, it);
        if (!get_ident(r, v[K_NAME], FIELD(f, "%s.name", path), &e->name) ||
            !get_int32(r, v[K_VALUE], FIELD(f, "%s.value", path), &e->value) ||
            !get_doc(r, v[K_DESC], FIELD(f, "%s.description", path), &e->doc))
            continue;
        if (idl_psa_status(e->name, &psa)) {
            mf_error(r->c, loc_of(r, v[K_NAME]), FIELD(f, "%s.name", path),
                     "%s is psa/error.h's; name it in a method's errors without defining it",
                     e->name);
            continue;
        }
        if (e->value >= 0) {
            mf_error(r->c, loc_of(r, v[K_VALUE]), FIELD(f, "%s.value", path),
                     "%d is not an error; a service's error is a negative psa_status_t",
                     (int)e->value);
            continue;
        }
        if (idl_psa_status_name(e->value) != NULL) {
            mf_error(r->c, loc_of(r, v[K_VALUE]), FIELD(f, "%s.value", path),
                     "%d is %s of psa/error.h; choose another value", (int)e->value,
                     idl_psa_status_name(e->value));
            continue;
        }
        for (k = 0; k < svc->n_errors && !dup; k++) {
            if (strcmp(svc->errors[k].name, e->name) == 0) {
                mf_error(r->c, loc_of(r, v[K_NAME]), FIELD(f, "%s.name", path),
                         "duplicate error %s (first at line %u)", e->name, svc->errors[k].loc.line);
                dup = true;
            } else if (svc->errors[k].value == e->value) {
                mf_error(r->c, loc_of(r, v[K_VALUE]), FIELD(f, "%s.value", path),
                         "%d is already %s's value (line %u)", (int)e->value, svc->errors[k].name,
                         svc->errors[k].loc.line);
                dup = true;
            }
        }
        if (!dup)
            svc->n_errors++;
    }
}

/* A status name: psa/error.h's or one of the service's errors. */
static bool known_status(struct rd *r, const char *name)
{
    int32_t v;

    return idl_psa_status(name, &v) || idl_find_error(r->svc, name) != NULL;
}

static bool get_status_name(struct rd *r, yaml_node_t *n, const char *field, const char **out)
{
    if (!get_ident(r, n, field, out))
        return false;
    if (!known_status(r, *out)) {
        mf_error(r->c, loc_of(r, n), field,
                 "unknown status %s; expected a psa/error.h name or one of the interface's "
                 "errors",
                 *out);
        return false;
    }
    return true;
}

/* ---- client ---- */

static void read_status(struct rd *r, yaml_node_t *n)
{
    struct idl_service *svc = r->svc;
    yaml_node_t *v[ST_COUNT], *vals;
    const char *fallback_at = NULL;
    bool success_mapped = false;
    unsigned fallback_line = 0;
    char path[64], f[128];
    size_t i, j, k, l;

    if (!mf_map_fields(r->c, r->d, n, "client.status", "the client's status type", status_fields,
                       ST_COUNT, NULL, 0, NULL, v))
        return;
    if (!get_ident(r, v[ST_TYPE], "client.status.type", &svc->status_type))
        return;
    vals = v[ST_VALUES];
    if (!mf_get_seq(r->c, r->d, vals, "client.status.values"))
        return;
    svc->status_values = mf_alloc_array(r->c->arena, seq_len(vals), sizeof(*svc->status_values));
    for (i = 0; i < seq_len(vals); i++) {
        yaml_node_t *it = seq_item(r, vals, i), *w[SV_COUNT];
        struct idl_status_value *sv = &svc->status_values[svc->n_status_values];
        bool ok = true;

        memset(sv, 0, sizeof(*sv));
        snprintf(path, sizeof(path), "client.status.values[%zu]", i);
        if (!mf_map_fields(r->c, r->d, it, path, "a status value", status_value_fields, SV_COUNT,
                           NULL, 0, NULL, w))
            continue;
        if (!get_ident(r, w[SV_NAME], FIELD(f, "%s.name", path), &sv->name) ||
            !get_int32(r, w[SV_VALUE], FIELD(f, "%s.value", path), &sv->value) ||
            !get_doc(r, w[SV_DESC], FIELD(f, "%s.description", path), &sv->doc))
            continue;
        for (k = 0; k < svc->n_status_values; k++) {
            if (strcmp(svc->status_values[k].name, sv->name) == 0) {
                mf_error(r->c, loc_of(r, w[SV_NAME]), FIELD(f, "%s.name", path),
                         "duplicate status value %s", sv->name);
                ok = false;
            }
        }
        if (w[SV_FALLBACK] != NULL &&
            mf_get_bool(r->c, r->d, w[SV_FALLBACK], FIELD(f, "%s.fallback", path), &sv->fallback) &&
            sv->fallback) {
            if (fallback_at != NULL) {
                mf_error(r->c, loc_of(r, w[SV_FALLBACK]), f,
                         "%s is already the fallback (line %u); there is one", fallback_at,
                         fallback_line);
                ok = false;
            }
            fallback_at = sv->name;
            fallback_line = loc_of(r, w[SV_FALLBACK]).line;
        }
        if (w[SV_FROM] != NULL && mf_get_seq(r->c, r->d, w[SV_FROM], FIELD(f, "%s.from", path))) {
            sv->from = mf_alloc_array(r->c->arena, seq_len(w[SV_FROM]), sizeof(*sv->from));
            for (j = 0; j < seq_len(w[SV_FROM]); j++) {
                yaml_node_t *s = seq_item(r, w[SV_FROM], j);
                const char *name;
                bool dup = false;

                if (!get_status_name(r, s, FIELD(f, "%s.from[%zu]", path, j), &name)) {
                    ok = false;
                    continue;
                }
                for (k = 0; k < svc->n_status_values && !dup; k++)
                    for (l = 0; l < svc->status_values[k].n_from && !dup; l++)
                        dup = strcmp(svc->status_values[k].from[l], name) == 0;
                for (l = 0; l < sv->n_from && !dup; l++)
                    dup = strcmp(sv->from[l], name) == 0;
                if (dup) {
                    mf_error(r->c, loc_of(r, s), f, "%s is mapped twice", name);
                    ok = false;
                    continue;
                }
                if (strcmp(name, "PSA_SUCCESS") == 0)
                    success_mapped = true;
                sv->from[sv->n_from++] = name;
            }
        }
        if (ok)
            svc->n_status_values++;
    }
    if (fallback_at == NULL)
        mf_error(r->c, loc_of(r, vals), "client.status.values",
                 "no value has 'fallback: true'; one must stand for every status not mapped");
    if (!success_mapped)
        mf_error(r->c, loc_of(r, vals), "client.status.values",
                 "PSA_SUCCESS is in no value's 'from'");
}

static void read_client(struct rd *r, yaml_node_t *n)
{
    struct idl_service *svc = r->svc;
    yaml_node_t *v[C_COUNT];
    int e;

    if (!mf_map_fields(r->c, r->d, n, "client", "the client", client_fields, C_COUNT, NULL, 0, NULL,
                       v))
        return;
    if (v[C_HEADER] != NULL &&
        mf_get_string(r->c, r->d, v[C_HEADER], "client.header", &svc->header)) {
        size_t len = strlen(svc->header);
        char stem[256];

        if (len < 3 || len >= sizeof(stem) || strcmp(svc->header + len - 2, ".h") != 0 ||
            (memcpy(stem, svc->header, len - 2), stem[len - 2] = '\0', !mf_is_c_ident(stem))) {
            mf_error(r->c, loc_of(r, v[C_HEADER]), "client.header",
                     "'%s' is not a header file name (a C identifier and '.h', no folder)",
                     svc->header);
            svc->header = NULL;
        }
    }
    if (v[C_CONNECTION] != NULL &&
        mf_get_enum(r->c, r->d, v[C_CONNECTION], "client.connection", conn_names, &e))
        svc->connection = (enum idl_connection)e;
    if (v[C_STATUS] != NULL)
        read_status(r, v[C_STATUS]);
}

/* ---- methods ---- */

/* A buffer's bound: a byte count or a constant's name. */
static bool get_bound(struct rd *r, yaml_node_t *n, const char *field, uint64_t *value,
                      const char **text)
{
    struct mf_scalar s;
    size_t k;

    if (n->type != YAML_SCALAR_NODE) {
        mf_error(r->c, loc_of(r, n), field,
                 "expected a byte count or the name of a constant, got %s",
                 n->type == YAML_MAPPING_NODE ? "a mapping" : "a list");
        return false;
    }
    mf_scalar_resolve(n, &s);
    if (s.kind == MF_K_INT && !s.negative) {
        *value = s.u;
        *text = mf_printf(r->c->arena, "%" PRIu64, s.u);
        return true;
    }
    if (s.kind == MF_K_STR && mf_is_c_ident(s.text)) {
        for (k = 0; k < r->svc->n_constants; k++) {
            if (strcmp(r->svc->constants[k].name, s.text) == 0) {
                *value = r->svc->constants[k].value;
                *text = r->svc->constants[k].name;
                return true;
            }
        }
        mf_error(r->c, loc_of(r, n), field, "no constant is named %s", s.text);
        return false;
    }
    mf_error(r->c, loc_of(r, n), field,
             "'%s' is not a bound; expected a byte count or the name of a constant", s.text);
    return false;
}

static void read_param(struct rd *r, yaml_node_t *n, const char *path, bool out,
                       struct idl_param *p, bool *ok)
{
    yaml_node_t *v[P_COUNT];
    char f[256];
    int e;

    p->out = out;
    p->loc = loc_of(r, n);
    if (!mf_map_fields(r->c, r->d, n, path, "a parameter", param_fields, P_COUNT, NULL, 0, NULL,
                       v)) {
        *ok = false;
        return;
    }
    if (!get_param_name(r, v[P_NAME], FIELD(f, "%s.name", path), &p->name))
        *ok = false;
    if (!get_doc(r, v[P_DESC], FIELD(f, "%s.description", path), &p->doc))
        *ok = false;
    if (!mf_get_enum(r->c, r->d, v[P_TYPE], FIELD(f, "%s.type", path), kind_names, &e)) {
        *ok = false;
        return;
    }
    p->kind = (enum idl_kind)e;
    if (p->kind != IDL_BYTES) {
        static const int only_bytes[] = {P_MAX, P_MIN, P_SIZE_NAME, P_LENGTH};
        size_t i;

        for (i = 0; i < N_OF(only_bytes); i++) {
            if (v[only_bytes[i]] != NULL) {
                mf_error(r->c, loc_of(r, v[only_bytes[i]]),
                         FIELD(f, "%s.%s", path, param_fields[only_bytes[i]].key),
                         "only a bytes parameter has %s; a %s has a fixed size",
                         param_fields[only_bytes[i]].key, idl_kind_name(p->kind));
                *ok = false;
            }
        }
        if (p->kind == IDL_CAP)
            r->svc->uses_caps = true;
        if (p->kind == IDL_BOOL)
            r->svc->uses_bool = true;
        p->size = idl_wire_size(r->svc, p->kind);
        return;
    }
    if (v[P_MAX] == NULL) {
        mf_error(r->c, p->loc, FIELD(f, "%s.max", path),
                 "required key is missing from a bytes parameter: every buffer has a bound");
        *ok = false;
    } else if (get_bound(r, v[P_MAX], FIELD(f, "%s.max", path), &p->max, &p->max_text)) {
        if (p->max == 0 || p->max > IDL_MAX_BYTES) {
            mf_error(r->c, loc_of(r, v[P_MAX]), f,
                     "bound %" PRIu64 " is out of range; a buffer holds 1 to %u bytes", p->max,
                     IDL_MAX_BYTES);
            *ok = false;
        }
    } else {
        *ok = false;
    }
    if (v[P_MIN] != NULL) {
        if (!get_bound(r, v[P_MIN], FIELD(f, "%s.min", path), &p->min, &p->min_text)) {
            *ok = false;
        } else if (v[P_MAX] != NULL && p->max != 0 && p->min > p->max) {
            mf_error(r->c, loc_of(r, v[P_MIN]), f, "min %" PRIu64 " is above max %" PRIu64, p->min,
                     p->max);
            *ok = false;
        }
    }
    if (v[P_SIZE_NAME] != NULL) {
        if (!get_param_name(r, v[P_SIZE_NAME], FIELD(f, "%s.size_name", path), &p->size_name))
            *ok = false;
    } else if (p->name != NULL) {
        p->size_name = mf_printf(r->c->arena, "%s_size", p->name);
    }
    if (v[P_LENGTH] != NULL) {
        if (!out) {
            mf_error(r->c, loc_of(r, v[P_LENGTH]), FIELD(f, "%s.length", path),
                     "only an out buffer has a length (the bytes the service wrote)");
            *ok = false;
        } else if (!get_param_name(r, v[P_LENGTH], FIELD(f, "%s.length", path), &p->length)) {
            *ok = false;
        }
    }
    if (out && p->name != NULL)
        p->written = p->length ? p->length : mf_printf(r->c->arena, "%s_length", p->name);
}

/* Every C name a parameter adds to the stub's argument list. */
static void param_names(const struct idl_param *p, const char *names[2])
{
    names[0] = p->kind == IDL_BYTES ? p->size_name : NULL;
    names[1] = p->kind == IDL_BYTES ? p->written : NULL;
}

static void check_names(struct rd *r, struct idl_method *m, const char *path, bool *ok)
{
    const char *seen[3 * 2 * IDL_MAX_PARAMS];
    struct mf_loc at[3 * 2 * IDL_MAX_PARAMS];
    size_t n = 0, i, k, j;
    char f[256];

    for (i = 0; i < m->n_in + m->n_out; i++) {
        const struct idl_param *p = i < m->n_in ? &m->in[i] : &m->out[i - m->n_in];
        const char *extra[2], *mine[3];

        param_names(p, extra);
        mine[0] = p->name;
        mine[1] = extra[0];
        mine[2] = extra[1];
        for (j = 0; j < 3; j++) {
            if (mine[j] == NULL)
                continue;
            for (k = 0; k < n; k++) {
                if (strcmp(seen[k], mine[j]) == 0) {
                    mf_error(r->c, p->loc,
                             FIELD(f, "%s.%s[%zu]", path, p->out ? "out" : "in",
                                   p->out ? i - m->n_in : i),
                             "duplicate parameter name %s (first at line %u)", mine[j], at[k].line);
                    *ok = false;
                    break;
                }
            }
            if (k == n && n < N_OF(seen)) {
                seen[n] = mine[j];
                at[n++] = p->loc;
            }
        }
    }
}

/* Lays the parameters out on the vectors (docs/idl.md, "The wire"). */
static void layout(struct idl_method *m)
{
    size_t i, off = 0;
    unsigned vec;

    for (i = 0; i < m->n_in; i++)
        if (m->in[i].kind != IDL_BYTES)
            m->in[i].offset = off, off += m->in[i].size;
    m->in_block = off;
    vec = off > 0;
    for (i = 0; i < m->n_in; i++)
        m->in[i].vec = m->in[i].kind == IDL_BYTES ? vec++ : 0;
    m->n_in_vecs = vec;
    off = 0;
    for (i = 0; i < m->n_out; i++)
        if (m->out[i].kind != IDL_BYTES)
            m->out[i].offset = off, off += m->out[i].size;
    m->out_block = off;
    vec = off > 0;
    for (i = 0; i < m->n_out; i++)
        m->out[i].vec = m->out[i].kind == IDL_BYTES ? vec++ : 0;
    m->n_out_vecs = vec;
}

static bool read_params(struct rd *r, yaml_node_t *n, const char *path, bool out,
                        struct idl_param **params, size_t *count)
{
    char p_path[128];
    bool ok = true;
    size_t i;

    if (n == NULL)
        return true;
    if (!mf_get_seq(r->c, r->d, n, path))
        return false;
    if (seq_len(n) > IDL_MAX_PARAMS) {
        mf_error(r->c, loc_of(r, n), path, "%zu parameters; a method has at most %u in and %u out",
                 seq_len(n), IDL_MAX_PARAMS, IDL_MAX_PARAMS);
        return false;
    }
    *params = mf_alloc_array(r->c->arena, seq_len(n), sizeof(**params));
    for (i = 0; i < seq_len(n); i++) {
        snprintf(p_path, sizeof(p_path), "%s[%zu]", path, i);
        read_param(r, seq_item(r, n, i), p_path, out, &(*params)[i], &ok);
    }
    *count = seq_len(n);
    return ok;
}

static void read_method(struct rd *r, yaml_node_t *n, size_t idx)
{
    struct idl_service *svc = r->svc;
    struct idl_method *m = &svc->methods[svc->n_methods];
    yaml_node_t *v[M_COUNT];
    char path[64], f[160], upper[256];
    bool ok = true;
    uint64_t u;
    size_t i, k;

    memset(m, 0, sizeof(*m)); /* the slot of a method that failed before is reused */
    snprintf(path, sizeof(path), "methods[%zu]", idx);
    m->loc = loc_of(r, n);
    if (!mf_map_fields(r->c, r->d, n, path, "a method", method_fields, M_COUNT, NULL, 0, NULL, v))
        return;
    if (!get_ident(r, v[M_NAME], FIELD(f, "%s.name", path), &m->name))
        ok = false;
    if (!mf_get_uint(r->c, r->d, v[M_TYPE], FIELD(f, "%s.type", path), IDL_MAX_TYPE, 0, &u))
        ok = false;
    else
        m->type = (uint32_t)u;
    if (v[M_MACRO] != NULL) {
        if (!get_ident(r, v[M_MACRO], FIELD(f, "%s.macro", path), &m->macro))
            ok = false;
    } else if (m->name != NULL && svc->prefix != NULL) {
        char both[512];

        snprintf(both, sizeof(both), "%s_%s", svc->prefix, m->name);
        idl_upper(upper, sizeof(upper), both);
        m->macro = mf_strdup(r->c->arena, upper);
    }
    if (!get_doc(r, v[M_DESC], FIELD(f, "%s.description", path), &m->doc))
        ok = false;
    if (!read_params(r, v[M_IN], FIELD(f, "%s.in", path), false, &m->in, &m->n_in))
        ok = false;
    if (!read_params(r, v[M_OUT], FIELD(f, "%s.out", path), true, &m->out, &m->n_out))
        ok = false;
    if (v[M_ERRORS] != NULL && mf_get_seq(r->c, r->d, v[M_ERRORS], FIELD(f, "%s.errors", path))) {
        m->errors = mf_alloc_array(r->c->arena, seq_len(v[M_ERRORS]), sizeof(*m->errors));
        for (i = 0; i < seq_len(v[M_ERRORS]); i++) {
            yaml_node_t *s = seq_item(r, v[M_ERRORS], i);
            const char *name;

            if (!get_status_name(r, s, FIELD(f, "%s.errors[%zu]", path, i), &name))
                continue;
            for (k = 0; k < m->n_errors; k++)
                if (strcmp(m->errors[k], name) == 0)
                    break;
            if (k < m->n_errors)
                mf_error(r->c, loc_of(r, s), f, "%s is listed twice", name);
            else
                m->errors[m->n_errors++] = name;
        }
    } else if (v[M_ERRORS] != NULL) {
        ok = false;
    }
    if (!ok || m->macro == NULL) /* no macro: the prefix was wrong, and said so */
        return;
    check_names(r, m, path, &ok);
    if (!ok)
        return;
    layout(m);
    if (m->n_in_vecs + m->n_out_vecs > 4) {
        mf_error(r->c, m->loc, path,
                 "needs %u in and %u out vectors; a psa_call carries at most 4 (PSA_MAX_IOVEC): "
                 "the scalars and capabilities of each direction share one vector, every bytes "
                 "parameter has its own",
                 m->n_in_vecs, m->n_out_vecs);
        return;
    }
    for (i = 0; i < svc->n_methods; i++) {
        const struct idl_method *o = &svc->methods[i];

        if (strcmp(o->name, m->name) == 0) {
            mf_error(r->c, loc_of(r, v[M_NAME]), FIELD(f, "%s.name", path),
                     "duplicate method %s (first at line %u)", m->name, o->loc.line);
            return;
        }
        if (o->type == m->type) {
            mf_error(r->c, loc_of(r, v[M_TYPE]), FIELD(f, "%s.type", path),
                     "duplicate type %u: method %s (line %u) has it", (unsigned)m->type, o->name,
                     o->loc.line);
            return;
        }
        if (strcmp(o->macro, m->macro) == 0) {
            mf_error(r->c, v[M_MACRO] ? loc_of(r, v[M_MACRO]) : m->loc, FIELD(f, "%s.macro", path),
                     "duplicate macro %s: method %s (line %u) has it", m->macro, o->name,
                     o->loc.line);
            return;
        }
    }
    svc->n_methods++;
}

static void read_methods(struct rd *r, yaml_node_t *n)
{
    size_t i;

    if (!mf_get_seq(r->c, r->d, n, "methods"))
        return;
    if (seq_len(n) == 0) {
        mf_error(r->c, loc_of(r, n), "methods", "an interface has at least one method");
        return;
    }
    r->svc->methods = mf_alloc_array(r->c->arena, seq_len(n), sizeof(*r->svc->methods));
    for (i = 0; i < seq_len(n); i++)
        read_method(r, seq_item(r, n, i), i);
}

/* ---- the file ---- */

int idl_load(const char *path, struct idl_service **out, struct mf_diags *d)
{
    struct mf_ctx c = {mf_arena_new(), d, NULL};
    struct idl_service *svc = mf_alloc(c.arena, sizeof(*svc));
    struct mf_loc here = {path, 0, 0};
    struct rd r = {&c, NULL, svc};
    size_t before = mf_diags_count(d);
    yaml_node_t *root, *v[T_COUNT];
    struct mf_doc doc;
    uint64_t u;

    *out = NULL;
    svc->arena = c.arena;
    svc->path = mf_strdup(c.arena, path);
    r.d = &doc;
    if (!mf_doc_load(&c, path, here, "interface", &doc))
        goto fail;
    root = mf_doc_root(&doc);
    if (!mf_map_fields(&c, &doc, root, "", "an interface", top_fields, T_COUNT, NULL, 0, NULL, v) &&
        root->type != YAML_MAPPING_NODE)
        goto fail;
    if (v[T_IDL] != NULL && mf_get_uint(&c, &doc, v[T_IDL], "idl", UINT32_MAX, 0, &u) &&
        u != IDL_LANGUAGE_VERSION)
        mf_error(&c, loc_of(&r, v[T_IDL]), "idl",
                 "this psa-idl reads version %u of the language, not %" PRIu64,
                 IDL_LANGUAGE_VERSION, u);
    if (v[T_SERVICE] != NULL)
        read_service(&r, v[T_SERVICE]);
    if (v[T_CONSTANTS] != NULL)
        read_constants(&r, v[T_CONSTANTS]);
    if (v[T_ERRORS] != NULL)
        read_errors(&r, v[T_ERRORS]);
    if (v[T_CLIENT] != NULL)
        read_client(&r, v[T_CLIENT]);
    if (v[T_METHODS] != NULL)
        read_methods(&r, v[T_METHODS]);
    if (svc->header == NULL && svc->prefix != NULL)
        svc->header = mf_printf(c.arena, "%s_api.h", svc->prefix);
    if (svc->connection == IDL_CONN_STATELESS && svc->has_sid)
        mf_error(&c, loc_of(&r, v[T_SERVICE]), "client.connection",
                 "a stateless client uses <name>_HANDLE from psa_manifest/sid.h; give no sid");
    if (mf_diags_count(d) != before)
        goto fail;
    mf_doc_fini(&doc);
    *out = svc;
    return 0;
fail:
    mf_doc_fini(&doc);
    mf_arena_free(c.arena);
    return -1;
}

void idl_free(struct idl_service *svc)
{
    if (svc != NULL)
        mf_arena_free(svc->arena);
}
