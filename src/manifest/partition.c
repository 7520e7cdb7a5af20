/*
 * partition.c - one partition manifest: its schema, checked field by field
 * with every error reported, and the signals TF-M assigns from it.
 */
#include <inttypes.h>
#include <string.h>

#include "mf_internal.h"

enum {
    P_VERSION,
    P_NAME,
    P_TYPE,
    P_PRIORITY,
    P_MODEL,
    P_ENTRY_POINT,
    P_ENTRY_INIT,
    P_STACK,
    P_HEAP,
    P_DESCRIPTION,
    P_SERVICES,
    P_IRQS,
    P_MMIO,
    P_DEPS,
    P_CID_BASE,
    P_CID_LIMIT,
    P_COUNT
};
static const struct mf_field part_fields[P_COUNT] = {
    [P_VERSION] = {"psa_framework_version", MF_REQUIRED},
    [P_NAME] = {"name", MF_REQUIRED},
    [P_TYPE] = {"type", MF_REQUIRED},
    [P_PRIORITY] = {"priority", MF_REQUIRED},
    [P_MODEL] = {"model", 0},
    [P_ENTRY_POINT] = {"entry_point", 0},
    [P_ENTRY_INIT] = {"entry_init", 0},
    [P_STACK] = {"stack_size", MF_REQUIRED},
    [P_HEAP] = {"heap_size", 0},
    [P_DESCRIPTION] = {"description", 0},
    [P_SERVICES] = {"services", 0},
    [P_IRQS] = {"irqs", 0},
    [P_MMIO] = {"mmio_regions", 0},
    [P_DEPS] = {"dependencies", 0},
    [P_CID_BASE] = {"client_id_base", 0}, /* TF-M extension for mailbox NS agents */
    [P_CID_LIMIT] = {"client_id_limit", 0},
};

enum {
    S_NAME,
    S_SID,
    S_NSC,
    S_DESCRIPTION,
    S_VERSION,
    S_POLICY,
    S_CONN,
    S_STATELESS,
    S_MMIOVEC,
    S_COUNT
};
static const struct mf_field svc_fields[S_COUNT] = {
    [S_NAME] = {"name", MF_REQUIRED},
    [S_SID] = {"sid", MF_REQUIRED},
    [S_NSC] = {"non_secure_clients", MF_REQUIRED},
    [S_DESCRIPTION] = {"description", 0},
    [S_VERSION] = {"version", 0},
    [S_POLICY] = {"version_policy", 0},
    [S_CONN] = {"connection_based", 0}, /* required in 1.1, checked below */
    [S_STATELESS] = {"stateless_handle", 0},
    [S_MMIOVEC] = {"mm_iovec", 0},
};

enum { Q_SOURCE, Q_SIGNAL, Q_NAME, Q_HANDLING, Q_DESCRIPTION, Q_CID_BASE, Q_CID_LIMIT, Q_COUNT };
static const struct mf_field irq_fields[Q_COUNT] = {
    [Q_SOURCE] = {"source", MF_REQUIRED},
    [Q_SIGNAL] = {"signal", 0},
    [Q_NAME] = {"name", 0},
    [Q_HANDLING] = {"handling", 0},
    [Q_DESCRIPTION] = {"description", 0},
    [Q_CID_BASE] = {"client_id_base", 0},
    [Q_CID_LIMIT] = {"client_id_limit", 0},
};

enum { M_NAME, M_BASE, M_SIZE, M_PERMISSION, M_COUNT };
static const struct mf_field mmio_fields[M_COUNT] = {
    [M_NAME] = {"name", 0},
    [M_BASE] = {"base", 0},
    [M_SIZE] = {"size", 0},
    [M_PERMISSION] = {"permission", MF_REQUIRED},
};

static const char *const type_names[] = {"PSA-ROT", "APPLICATION-ROT", NULL};
static const char *const priority_names[] = {"HIGH", "NORMAL", "LOW", NULL};
static const char *const model_names[] = {"IPC", "SFN", NULL};
/* What "model" may say: TF-M's "dual" (lower case) takes the backend's. */
enum { MODEL_WRITTEN_DUAL = 2 };
static const char *const model_spellings[] = {"IPC", "SFN", "dual", NULL};
static const char *const backend_names[] = {"IPC", "SFN", NULL};
static const char *const policy_names[] = {"STRICT", "RELAXED", NULL};
static const char *const handling_names[] = {"SLIH", "FLIH", NULL};
static const char *const perm_names[] = {"READ-ONLY", "READ-WRITE", NULL};
static const char *const mmiovec_names[] = {"disable", "enable", NULL};

const char *mf_type_name(enum mf_part_type t)
{
    return type_names[t];
}

const char *mf_priority_name(enum mf_priority p)
{
    return priority_names[p];
}

const char *mf_model_name(enum mf_model m)
{
    return model_names[m];
}

const char *mf_backend_name(enum mf_backend b)
{
    return backend_names[b];
}

const char *mf_policy_name(enum mf_policy p)
{
    return policy_names[p];
}

/* One partition manifest being read. */
struct part_reader {
    struct mf_ctx *c;
    struct mf_doc *d;
    struct mf_partition *p;
    bool ok;
    bool version_known; /* else the checks that depend on the version are skipped */
    struct mf_loc model_loc;
};

/*
 * TF-M's tool takes sizes as strings: it fails on a YAML integer with a
 * TypeError.  partix reads both, and says where the manifest will not port.
 */
static void warn_size_not_string(struct part_reader *r, yaml_node_t *n, const char *field)
{
    struct mf_scalar s;

    if (n->type != YAML_SCALAR_NODE)
        return;
    mf_scalar_resolve(n, &s);
    if (s.kind == MF_K_INT && !s.quoted)
        mf_warning(r->c, mf_loc_of(r->d, n), field, "tfm-string",
                   "TF-M's tfm_parse_manifest_list.py takes %s as a string and fails on the "
                   "YAML integer %s with a TypeError; quote it: \"%s\"",
                   field, s.text, s.text);
}

#define FIELD(buf, ...) (snprintf(buf, sizeof(buf), __VA_ARGS__), buf)

static size_t seq_len(const yaml_node_t *n)
{
    return (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
}

static yaml_node_t *seq_item(struct mf_doc *d, const yaml_node_t *n, size_t i)
{
    return mf_node(d, n->data.sequence.items.start[i]);
}

/*
 * PyYAML reads 1.0 and 1.1 as floats and TF-M compares them with 1.0 and
 * 1.1.  A quoted "1.0" is reported, then read as the version it names, so
 * the rest of the manifest is checked as it was meant.
 */
static bool read_ffm_version(struct part_reader *r, yaml_node_t *n)
{
    struct mf_scalar s;

    r->version_known = true;
    if (n->type == YAML_SCALAR_NODE) {
        mf_scalar_resolve(n, &s);
        if ((s.kind == MF_K_FLOAT && s.f == 1.0) ||
            (s.kind == MF_K_INT && !s.negative && s.u == 1)) {
            r->p->ffm_version = MF_FFM_1_0;
            return true;
        }
        if (s.kind == MF_K_FLOAT && s.f == 1.1) {
            r->p->ffm_version = MF_FFM_1_1;
            return true;
        }
        if (s.quoted && (strcmp(s.text, "1.0") == 0 || strcmp(s.text, "1.1") == 0)) {
            r->p->ffm_version = s.text[2] == '0' ? MF_FFM_1_0 : MF_FFM_1_1;
            mf_error(r->c, mf_loc_of(r->d, n), "psa_framework_version",
                     "the string '%s' is not a version; write the number %s without quotes "
                     "(TF-M's tool rejects the string)",
                     s.text, s.text);
            return false;
        }
        mf_error(r->c, mf_loc_of(r->d, n), "psa_framework_version",
                 "'%s' is not supported; expected 1.0 or 1.1, the FF-M versions partix and "
                 "TF-M support",
                 s.text);
    } else {
        mf_error(r->c, mf_loc_of(r->d, n), "psa_framework_version",
                 "expected 1.0 or 1.1, the FF-M versions partix and TF-M support");
    }
    r->version_known = false;
    return false;
}

static bool read_signed_int(struct part_reader *r, yaml_node_t *n, const char *field)
{
    struct mf_scalar s;
    uint64_t v;

    if (n->type == YAML_SCALAR_NODE) {
        mf_scalar_resolve(n, &s);
        if (s.kind == MF_K_INT && s.u <= (uint64_t)INT32_MAX + s.negative)
            return true;
        if (s.kind == MF_K_STR && s.text[0] == '-' && mf_parse_c_int(s.text + 1, &v) &&
            v <= (uint64_t)INT32_MAX + 1)
            return true;
        if (s.kind == MF_K_STR && mf_parse_c_int(s.text, &v) && v <= INT32_MAX)
            return true;
    }
    mf_error(r->c, mf_loc_of(r->d, n), field, "expected a 32-bit signed integer (a client ID)");
    return false;
}

static void read_service(struct part_reader *r, yaml_node_t *n, size_t idx, struct mf_service *svc)
{
    struct mf_ctx *c = r->c;
    struct mf_doc *d = r->d;
    bool v10 = r->p->ffm_version == MF_FFM_1_0;
    yaml_node_t *v[S_COUNT];
    char path[64], f[96];
    uint64_t u;
    int e;

    snprintf(path, sizeof(path), "services[%zu]", idx);
    svc->loc = mf_loc_of(d, n);
    svc->version = 1;
    svc->connection_based = true;
    r->ok &= mf_map_fields(c, d, n, path, "a service", svc_fields, S_COUNT, NULL, 0, NULL, v);
    if (n->type != YAML_MAPPING_NODE)
        return;
    if (v[S_NAME] != NULL) {
        svc->name_loc = mf_loc_of(d, v[S_NAME]);
        r->ok &= mf_get_ident(c, d, v[S_NAME], FIELD(f, "%s.name", path), &svc->name);
    }
    if (v[S_SID] != NULL) {
        svc->sid_loc = mf_loc_of(d, v[S_SID]);
        if (mf_get_uint(c, d, v[S_SID], FIELD(f, "%s.sid", path), UINT32_MAX, 0, &u)) {
            struct mf_scalar s;

            svc->sid = (uint32_t)u;
            mf_scalar_resolve(v[S_SID], &s);
            /* sid.h pastes a string SID as written and prints an integer in decimal */
            svc->sid_text = s.kind == MF_K_STR ? mf_strdup(c->arena, s.text)
                                               : mf_printf(c->arena, "%" PRIu64, u);
        } else {
            r->ok = false;
        }
    }
    if (v[S_NSC] != NULL)
        r->ok &= mf_get_bool(c, d, v[S_NSC], FIELD(f, "%s.non_secure_clients", path),
                             &svc->non_secure_clients);
    if (v[S_DESCRIPTION] != NULL) {
        const char *s;
        r->ok &= mf_get_string(c, d, v[S_DESCRIPTION], FIELD(f, "%s.description", path), &s);
    }
    if (v[S_VERSION] != NULL) {
        if (mf_get_uint(c, d, v[S_VERSION], FIELD(f, "%s.version", path), UINT32_MAX, 0, &u)) {
            if (u == 0) {
                mf_error(c, mf_loc_of(d, v[S_VERSION]), f,
                         "0 is PSA_VERSION_NONE; a service version is at least 1");
                r->ok = false;
            }
            svc->version = (uint32_t)u;
        } else {
            r->ok = false;
        }
    }
    if (v[S_POLICY] != NULL) {
        if (mf_get_enum(c, d, v[S_POLICY], FIELD(f, "%s.version_policy", path), policy_names, &e))
            svc->policy = (enum mf_policy)e;
        else
            r->ok = false;
    }
    if (v[S_CONN] != NULL) {
        if (!mf_get_bool(c, d, v[S_CONN], FIELD(f, "%s.connection_based", path),
                         &svc->connection_based)) {
            r->ok = false;
        } else if (v10 && !svc->connection_based) {
            mf_error(c, mf_loc_of(d, v[S_CONN]), f,
                     "FF-M 1.0 has no stateless services; use psa_framework_version 1.1");
            r->ok = false;
        }
    } else if (!v10 && r->version_known) {
        mf_error(c, svc->loc, FIELD(f, "%s.connection_based", path),
                 "required in FF-M 1.1: true for psa_connect/psa_close, false for a stateless "
                 "service called through its handle");
        r->ok = false;
    }
    if (v[S_STATELESS] != NULL) {
        yaml_node_t *h = v[S_STATELESS];
        struct mf_scalar s;

        FIELD(f, "%s.stateless_handle", path);
        svc->handle_loc = mf_loc_of(d, h);
        if (h->type == YAML_SCALAR_NODE)
            mf_scalar_resolve(h, &s);
        if (v10 || svc->connection_based) {
            mf_error(c, mf_loc_of(d, h), f,
                     "only a stateless service (FF-M 1.1, connection_based: false) has a "
                     "stateless handle");
            r->ok = false;
        } else if (h->type == YAML_SCALAR_NODE && strcmp(s.text, "auto") == 0) {
            svc->stateless_request = 0;
        } else if (h->type == YAML_SCALAR_NODE && s.kind == MF_K_INT && !s.negative && s.u >= 1 &&
                   s.u <= MF_MAX_STATELESS) {
            svc->stateless_request = (unsigned)s.u;
        } else {
            mf_error(c, mf_loc_of(d, h), f, "%s%s%sexpected auto or an integer from 1 to %d",
                     h->type == YAML_SCALAR_NODE ? "'" : "",
                     h->type == YAML_SCALAR_NODE ? s.text : "",
                     h->type == YAML_SCALAR_NODE ? "' is not valid; " : "", MF_MAX_STATELESS);
            r->ok = false;
        }
    }
    if (!svc->connection_based && v[S_VERSION] != NULL && v[S_VERSION]->type == YAML_SCALAR_NODE) {
        struct mf_scalar s;

        mf_scalar_resolve(v[S_VERSION], &s);
        if (s.kind == MF_K_STR) /* TF-M masks it into the handle: an int & a str */
            mf_warning(c, mf_loc_of(d, v[S_VERSION]), FIELD(f, "%s.version", path), "tfm-integer",
                       "TF-M's tfm_parse_manifest_list.py encodes a stateless service's version "
                       "into its handle and fails on the string '%s' with a TypeError; write it "
                       "without quotes",
                       s.text);
    }
    if (!svc->connection_based && svc->version > 0xff) {
        mf_error(c, mf_loc_of(d, v[S_VERSION]), FIELD(f, "%s.version", path),
                 "a stateless service's version is at most 255: it is bits 15:8 of its handle");
        r->ok = false;
    }
    if (v[S_MMIOVEC] != NULL) {
        FIELD(f, "%s.mm_iovec", path);
        if (v10) {
            mf_error(c, mf_loc_of(d, v[S_MMIOVEC]), f, "MM-IOVEC needs psa_framework_version 1.1");
            r->ok = false;
        } else if (mf_get_enum(c, d, v[S_MMIOVEC], f, mmiovec_names, &e)) {
            svc->mm_iovec = e == 1;
        } else {
            r->ok = false;
        }
    }
}

static void read_irq(struct part_reader *r, yaml_node_t *n, size_t idx, struct mf_irq *irq)
{
    struct mf_ctx *c = r->c;
    struct mf_doc *d = r->d;
    bool v10 = r->p->ffm_version == MF_FFM_1_0;
    yaml_node_t *v[Q_COUNT];
    char path[64], f[96];
    int e;

    snprintf(path, sizeof(path), "irqs[%zu]", idx);
    irq->loc = mf_loc_of(d, n);
    r->ok &= mf_map_fields(c, d, n, path, "an interrupt", irq_fields, Q_COUNT, NULL, 0, NULL, v);
    if (n->type != YAML_MAPPING_NODE)
        return;
    if (v[Q_SOURCE] != NULL) {
        struct mf_scalar s;
        uint64_t u;

        FIELD(f, "%s.source", path);
        irq->source_loc = mf_loc_of(d, v[Q_SOURCE]);
        if (v[Q_SOURCE]->type == YAML_SCALAR_NODE) {
            mf_scalar_resolve(v[Q_SOURCE], &s);
            irq->source = mf_strdup(c->arena, s.text);
            if (s.kind == MF_K_INT && !s.negative && s.u <= UINT32_MAX) {
                irq->source_is_number = true;
                irq->source_number = (uint32_t)s.u;
            } else if (s.kind == MF_K_STR && mf_parse_c_int(s.text, &u) && u <= UINT32_MAX) {
                irq->source_is_number = true;
                irq->source_number = (uint32_t)u;
            } else if (!(s.kind == MF_K_STR && mf_is_c_ident(s.text))) {
                mf_error(c, mf_loc_of(d, v[Q_SOURCE]), f,
                         "expected an interrupt number or the name of a platform interrupt "
                         "source");
                r->ok = false;
            }
        } else {
            mf_error(c, mf_loc_of(d, v[Q_SOURCE]), f,
                     "expected an interrupt number or source name");
            r->ok = false;
        }
    }
    if (!r->version_known) {
        /* the form cannot be checked; take whatever names the signal */
        irq->name_loc = irq->loc;
        if (v[Q_NAME] != NULL &&
            mf_get_ident(c, d, v[Q_NAME], FIELD(f, "%s.name", path), &irq->name)) {
            irq->signal_name = mf_printf(c->arena, "%s_SIGNAL", irq->name);
            irq->name_loc = mf_loc_of(d, v[Q_NAME]);
        } else if (v[Q_SIGNAL] != NULL) {
            r->ok &=
                mf_get_ident(c, d, v[Q_SIGNAL], FIELD(f, "%s.signal", path), &irq->signal_name);
            irq->name_loc = mf_loc_of(d, v[Q_SIGNAL]);
        }
        return;
    }
    if (v10) {
        irq->handling = MF_IRQ_SLIH;
        if (v[Q_NAME] != NULL || v[Q_HANDLING] != NULL) {
            mf_error(c, mf_loc_of(d, v[Q_NAME] ? v[Q_NAME] : v[Q_HANDLING]),
                     FIELD(f, "%s.%s", path, v[Q_NAME] ? "name" : "handling"),
                     "name and handling are FF-M 1.1; an FF-M 1.0 interrupt has source and "
                     "signal");
            r->ok = false;
        }
        if (v[Q_SIGNAL] == NULL) {
            mf_error(c, irq->loc, FIELD(f, "%s.signal", path),
                     "required key is missing from an FF-M 1.0 interrupt");
            r->ok = false;
        } else {
            r->ok &=
                mf_get_ident(c, d, v[Q_SIGNAL], FIELD(f, "%s.signal", path), &irq->signal_name);
        }
        return;
    }
    if (v[Q_SIGNAL] != NULL) {
        mf_error(c, mf_loc_of(d, v[Q_SIGNAL]), FIELD(f, "%s.signal", path),
                 "signal is FF-M 1.0; an FF-M 1.1 interrupt has name (its signal is "
                 "<name>_SIGNAL) and handling");
        r->ok = false;
    }
    if (v[Q_NAME] == NULL) {
        mf_error(c, irq->loc, FIELD(f, "%s.name", path),
                 "required key is missing from an FF-M 1.1 interrupt");
        r->ok = false;
    } else if (mf_get_ident(c, d, v[Q_NAME], FIELD(f, "%s.name", path), &irq->name)) {
        irq->name_loc = mf_loc_of(d, v[Q_NAME]);
        irq->signal_name = mf_printf(c->arena, "%s_SIGNAL", irq->name);
    } else {
        r->ok = false;
    }
    if (v[Q_HANDLING] == NULL) {
        mf_error(c, irq->loc, FIELD(f, "%s.handling", path),
                 "required key is missing from an FF-M 1.1 interrupt (FLIH or SLIH)");
        r->ok = false;
    } else if (mf_get_enum(c, d, v[Q_HANDLING], FIELD(f, "%s.handling", path), handling_names,
                           &e)) {
        irq->handling = (enum mf_handling)e;
    } else {
        r->ok = false;
    }
}

static void read_mmio(struct part_reader *r, yaml_node_t *n, size_t idx, struct mf_mmio *m)
{
    struct mf_ctx *c = r->c;
    struct mf_doc *d = r->d;
    yaml_node_t *v[M_COUNT];
    char path[64], f[96];
    uint64_t u;
    int e;

    snprintf(path, sizeof(path), "mmio_regions[%zu]", idx);
    m->loc = mf_loc_of(d, n);
    r->ok &= mf_map_fields(c, d, n, path, "an MMIO region", mmio_fields, M_COUNT, NULL, 0, NULL, v);
    if (n->type != YAML_MAPPING_NODE)
        return;
    if (v[M_PERMISSION] != NULL) {
        if (mf_get_enum(c, d, v[M_PERMISSION], FIELD(f, "%s.permission", path), perm_names, &e))
            m->perm = (enum mf_perm)e;
        else
            r->ok = false;
    }
    if (v[M_NAME] != NULL) {
        r->ok &= mf_get_ident(c, d, v[M_NAME], FIELD(f, "%s.name", path), &m->name);
        if (v[M_BASE] != NULL || v[M_SIZE] != NULL) {
            mf_error(c, mf_loc_of(d, v[M_BASE] ? v[M_BASE] : v[M_SIZE]),
                     FIELD(f, "%s.%s", path, v[M_BASE] ? "base" : "size"),
                     "a region is either named (name) or numbered (base and size), not both");
            r->ok = false;
        }
        return;
    }
    if (v[M_BASE] == NULL || v[M_SIZE] == NULL) {
        mf_error(c, m->loc, FIELD(f, "%s.%s", path, v[M_BASE] ? "size" : "base"),
                 "required key is missing: a region needs a name, or both base and size");
        r->ok = false;
        return;
    }
    if (mf_get_uint(c, d, v[M_BASE], FIELD(f, "%s.base", path), UINT32_MAX, 0, &u))
        m->base = u;
    else
        r->ok = false;
    if (mf_get_uint(c, d, v[M_SIZE], FIELD(f, "%s.size", path), UINT32_MAX, 0, &u)) {
        m->size = u;
        if (u == 0) {
            mf_error(c, mf_loc_of(d, v[M_SIZE]), f, "a region's size must not be 0");
            r->ok = false;
        } else if (m->base + u > (uint64_t)UINT32_MAX + 1) {
            mf_error(c, mf_loc_of(d, v[M_SIZE]), f,
                     "base + size passes the end of the 32-bit address space");
            r->ok = false;
        }
    } else {
        r->ok = false;
    }
}

static void read_deps(struct part_reader *r, yaml_node_t *n, const char *key, struct mf_dep **out,
                      size_t *count)
{
    char f[96];
    size_t i, j;

    if (!mf_get_seq(r->c, r->d, n, key)) {
        r->ok = false;
        return;
    }
    *count = seq_len(n);
    *out = mf_alloc_array(r->c->arena, *count, sizeof(**out));
    for (i = 0; i < *count; i++) {
        yaml_node_t *it = seq_item(r->d, n, i);

        (*out)[i].loc = mf_loc_of(r->d, it);
        if (!mf_get_ident(r->c, r->d, it, FIELD(f, "%s[%zu]", key, i), &(*out)[i].service)) {
            r->ok = false;
            continue;
        }
        for (j = 0; j < i; j++) {
            if ((*out)[j].service != NULL && strcmp((*out)[j].service, (*out)[i].service) == 0) {
                mf_error(r->c, (*out)[i].loc, f, "%s is already listed at line %u",
                         (*out)[i].service, (*out)[j].loc.line);
                r->ok = false;
            }
        }
    }
}

static yaml_node_t *find_key(struct mf_doc *d, yaml_node_t *map, const char *key)
{
    yaml_node_pair_t *pair;

    for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
        yaml_node_t *k = mf_node(d, pair->key);

        if (k->type == YAML_SCALAR_NODE && strcmp((const char *)k->data.scalar.value, key) == 0)
            return mf_node(d, pair->value);
    }
    return NULL;
}

static bool registered(const struct mf_list_item *item, const char *attr)
{
    size_t i;

    for (i = 0; i < item->n_non_ffm; i++)
        if (item->non_ffm[i] != NULL && strcmp(item->non_ffm[i], attr) == 0)
            return true;
    return false;
}

static void read_lists(struct part_reader *r, yaml_node_t **v)
{
    struct mf_partition *p = r->p;
    size_t i;

    if (v[P_SERVICES] != NULL && mf_get_seq(r->c, r->d, v[P_SERVICES], "services")) {
        p->n_services = seq_len(v[P_SERVICES]);
        p->services = mf_alloc_array(r->c->arena, p->n_services, sizeof(*p->services));
        for (i = 0; i < p->n_services; i++)
            read_service(r, seq_item(r->d, v[P_SERVICES], i), i, &p->services[i]);
    } else if (v[P_SERVICES] != NULL) {
        r->ok = false;
    }
    if (v[P_IRQS] != NULL && mf_get_seq(r->c, r->d, v[P_IRQS], "irqs")) {
        p->n_irqs = seq_len(v[P_IRQS]);
        p->irqs = mf_alloc_array(r->c->arena, p->n_irqs, sizeof(*p->irqs));
        for (i = 0; i < p->n_irqs; i++)
            read_irq(r, seq_item(r->d, v[P_IRQS], i), i, &p->irqs[i]);
    } else if (v[P_IRQS] != NULL) {
        r->ok = false;
    }
    if (v[P_MMIO] != NULL && mf_get_seq(r->c, r->d, v[P_MMIO], "mmio_regions")) {
        p->n_mmio = seq_len(v[P_MMIO]);
        p->mmio = mf_alloc_array(r->c->arena, p->n_mmio, sizeof(*p->mmio));
        for (i = 0; i < p->n_mmio; i++)
            read_mmio(r, seq_item(r->d, v[P_MMIO], i), i, &p->mmio[i]);
    } else if (v[P_MMIO] != NULL) {
        r->ok = false;
    }
    if (v[P_DEPS] != NULL)
        read_deps(r, v[P_DEPS], "dependencies", &p->deps, &p->n_deps);
}

/* The backend's model, which a "dual" partition takes (IPC unless told). */
static enum mf_model backend_model(const struct mf_ctx *c)
{
    return c->opt != NULL && c->opt->backend == MF_BACKEND_SFN ? MF_MODEL_SFN : MF_MODEL_IPC;
}

static void read_model(struct part_reader *r, yaml_node_t **v)
{
    struct mf_ctx *c = r->c;
    struct mf_partition *p = r->p;
    const char *ignored;
    int e;

    p->model = MF_MODEL_IPC;
    if (v[P_MODEL] != NULL) {
        if (!mf_get_enum(c, r->d, v[P_MODEL], "model", model_spellings, &e)) {
            r->ok = false;
            return;
        }
        r->model_loc = mf_loc_of(r->d, v[P_MODEL]);
        p->dual = e == MODEL_WRITTEN_DUAL;
        p->model = p->dual ? backend_model(c) : (enum mf_model)e;
        if (p->ffm_version == MF_FFM_1_0 && (p->model == MF_MODEL_SFN || p->dual)) {
            mf_error(c, mf_loc_of(r->d, v[P_MODEL]), "model",
                     "%s needs psa_framework_version 1.1; FF-M 1.0 partitions are IPC",
                     p->dual ? "dual" : "SFN");
            r->ok = false;
            p->model = MF_MODEL_IPC; /* check the rest as the IPC partition it must be */
            p->dual = false;
        }
    } else if (p->ffm_version == MF_FFM_1_1 && r->version_known) {
        mf_error(c, p->loc, "model", "required key is missing: FF-M 1.1 partitions say IPC or SFN");
        r->ok = false;
        return;
    }
    if (p->model == MF_MODEL_IPC) {
        /* TF-M runs an IPC partition from entry_point and ignores entry_init:
         * a dual partition has both, one per backend. */
        if (v[P_ENTRY_INIT] != NULL) {
            r->ok &= mf_get_ident(c, r->d, v[P_ENTRY_INIT], "entry_init", &ignored);
            if (!p->dual)
                mf_warning(c, mf_loc_of(r->d, v[P_ENTRY_INIT]), "entry_init", "tfm-ignored",
                           "an IPC partition runs from entry_point; TF-M ignores entry_init, "
                           "which FF-M has for SFN partitions (model: dual runs either)");
        }
        if (v[P_ENTRY_POINT] == NULL) {
            mf_error(c, p->loc, "entry_point",
                     "required key is missing: an IPC partition names its entry function%s",
                     p->dual ? " (a dual partition is IPC under the IPC backend)" : "");
            r->ok = false;
        } else {
            r->ok &= mf_get_ident(c, r->d, v[P_ENTRY_POINT], "entry_point", &p->entry_point);
        }
    } else {
        if (v[P_ENTRY_POINT] != NULL && p->dual) {
            r->ok &= mf_get_ident(c, r->d, v[P_ENTRY_POINT], "entry_point", &ignored);
        } else if (v[P_ENTRY_POINT] != NULL) {
            mf_error(c, mf_loc_of(r->d, v[P_ENTRY_POINT]), "entry_point",
                     "entry_point is for IPC partitions; an SFN partition has an optional "
                     "entry_init and one <service>_sfn function per service");
            r->ok = false;
        }
        if (v[P_ENTRY_INIT] != NULL)
            r->ok &= mf_get_ident(c, r->d, v[P_ENTRY_INIT], "entry_init", &p->entry_init);
    }
}

/* TF-M's assignment: services from bit 4 up, interrupts from bit 31 down. */
static void assign_signals(struct part_reader *r, yaml_node_t **v)
{
    struct mf_partition *p = r->p;
    size_t i, j, total = p->n_services + p->n_irqs;

    if (total > MF_MAX_SIGNALS) {
        bool in_svc = p->n_services > MF_MAX_SIGNALS;
        size_t k = in_svc ? MF_MAX_SIGNALS : MF_MAX_SIGNALS - p->n_services;
        struct mf_loc loc = in_svc ? p->services[k].loc : p->irqs[k].loc;
        char f[64];

        mf_error(r->c, loc, FIELD(f, "%s[%zu]", in_svc ? "services" : "irqs", k),
                 "%s has %zu services and interrupts; a partition has at most %d signals", p->name,
                 total, MF_MAX_SIGNALS);
        r->ok = false;
        (void)v;
        return;
    }
    for (i = 0; i < p->n_services; i++)
        p->services[i].signal = 1u << (i + 4);
    for (i = 0; i < p->n_irqs; i++)
        p->irqs[i].signal = 1u << (31 - i);
    /* every signal macro of the generated header must be distinct */
    for (i = 0; i < p->n_irqs; i++) {
        const char *sig = p->irqs[i].signal_name;
        char f[64];

        if (sig == NULL)
            continue;
        for (j = 0; j < i; j++) {
            if (p->irqs[j].signal_name != NULL && strcmp(p->irqs[j].signal_name, sig) == 0) {
                mf_error(r->c, p->irqs[i].name_loc,
                         FIELD(f, "irqs[%zu].%s", i, p->irqs[i].name ? "name" : "signal"),
                         "signal %s is already defined by irqs[%zu]", sig, j);
                r->ok = false;
            }
        }
        for (j = 0; j < p->n_services; j++) {
            const char *name = p->services[j].name;
            size_t len = name ? strlen(name) : 0;

            if (name != NULL && strncmp(sig, name, len) == 0 && strcmp(sig + len, "_SIGNAL") == 0) {
                mf_error(r->c, p->irqs[i].name_loc,
                         FIELD(f, "irqs[%zu].%s", i, p->irqs[i].name ? "name" : "signal"),
                         "signal %s is already the signal of service %s", sig, name);
                r->ok = false;
            }
        }
    }
}

static const char *basename_of(struct mf_arena *a, const char *path)
{
    const char *b = strrchr(path, '/'), *dot;

    b = b ? b + 1 : path;
    dot = strrchr(b, '.');
    if (dot == NULL || dot == b)
        return mf_strdup(a, b);
    return mf_printf(a, "%.*s", (int)(dot - b), b);
}

bool mf_read_partition(struct mf_ctx *c, const struct mf_list_item *item, struct mf_partition *p)
{
    struct part_reader r = {c, NULL, p, true, true, {NULL, 0, 0}};
    bool complete = false;
    yaml_node_t *v[P_COUNT], *root, *n;
    struct mf_doc d;
    uint64_t u;
    int e;

    p->manifest_path = item->manifest;
    p->description = item->description;
    p->basename = basename_of(c->arena, item->manifest);
    p->pid = item->pid;
    p->list_loc = item->manifest_loc;
    char ref_field[64];

    snprintf(ref_field, sizeof(ref_field), "manifest_list[%zu].manifest", item->index);
    p->list_index = item->index;
    if (!mf_doc_load(c, item->manifest, item->manifest_loc, ref_field, &d)) {
        mf_doc_fini(&d);
        return false;
    }
    r.d = &d;
    root = mf_doc_root(&d);
    p->loc = mf_loc_of(&d, root);
    r.ok = mf_map_fields(c, &d, root, "", "a partition manifest", part_fields, P_COUNT,
                         item->non_ffm, item->n_non_ffm,
                         "other attributes must be registered in non_ffm_attributes of the "
                         "manifest list entry",
                         v);
    if (root->type != YAML_MAPPING_NODE)
        goto out;
    /* The version decides which keys are valid, so read it first. */
    p->ffm_version = MF_FFM_1_1;
    if (v[P_VERSION] != NULL)
        r.ok &= read_ffm_version(&r, v[P_VERSION]);
    else
        r.version_known = false;
    if (v[P_NAME] != NULL) {
        p->name_loc = mf_loc_of(&d, v[P_NAME]);
        r.ok &= mf_get_ident(c, &d, v[P_NAME], "name", &p->name);
    }
    if (p->name == NULL) {
        p->name = p->basename;
        p->name_loc = p->loc;
    }
    if (v[P_TYPE] != NULL) {
        if (mf_get_enum(c, &d, v[P_TYPE], "type", type_names, &e))
            p->type = (enum mf_part_type)e;
        else
            r.ok = false;
    }
    if (v[P_PRIORITY] != NULL) {
        if (mf_get_enum(c, &d, v[P_PRIORITY], "priority", priority_names, &e))
            p->priority = (enum mf_priority)e;
        else
            r.ok = false;
    }
    read_model(&r, v);
    if (v[P_STACK] != NULL) {
        if (!mf_get_uint(c, &d, v[P_STACK], "stack_size", UINT32_MAX, MF_NUM_SYMBOL, &u)) {
            r.ok = false;
        } else if (u == 0) {
            mf_error(c, mf_loc_of(&d, v[P_STACK]), "stack_size", "a stack of 0 bytes cannot run");
            r.ok = false;
        } else {
            p->stack_size = u;
            warn_size_not_string(&r, v[P_STACK], "stack_size");
        }
    }
    if (v[P_HEAP] != NULL) {
        if (mf_get_uint(c, &d, v[P_HEAP], "heap_size", UINT32_MAX, MF_NUM_SYMBOL, &p->heap_size))
            warn_size_not_string(&r, v[P_HEAP], "heap_size");
        else
            r.ok = false;
    }
    if (v[P_DESCRIPTION] != NULL) {
        const char *s;
        r.ok &= mf_get_string(c, &d, v[P_DESCRIPTION], "description", &s);
    }
    if (v[P_CID_BASE] != NULL)
        r.ok &= read_signed_int(&r, v[P_CID_BASE], "client_id_base");
    if (v[P_CID_LIMIT] != NULL)
        r.ok &= read_signed_int(&r, v[P_CID_LIMIT], "client_id_limit");
    read_lists(&r, v);
    if (registered(item, "weak_dependencies") &&
        (n = find_key(&d, root, "weak_dependencies")) != NULL)
        read_deps(&r, n, "weak_dependencies", &p->weak_deps, &p->n_weak_deps);
    if (registered(item, "ns_agent") && (n = find_key(&d, root, "ns_agent")) != NULL)
        r.ok &= mf_get_bool(c, &d, n, "ns_agent", &p->ns_agent);
    if (registered(item, "partix_storage") && (n = find_key(&d, root, "partix_storage")) != NULL)
        r.ok &= mf_get_bool(c, &d, n, "partix_storage", &p->storage);
    if (registered(item, "partix_tpm") && (n = find_key(&d, root, "partix_tpm")) != NULL) {
        r.ok &= mf_get_bool(c, &d, n, "partix_tpm", &p->tpm);
        p->tpm_loc = mf_loc_of(&d, n);
    }
    if ((!item->has_pid || item->pid >= MF_PID_BASE) && p->n_services == 0 && p->n_irqs == 0 &&
        v[P_SERVICES] == NULL && v[P_IRQS] == NULL) {
        mf_error(c, p->loc, "services",
                 "%s declares no service and no interrupt; a partition needs at least one",
                 p->name);
        r.ok = false;
    } else if ((!item->has_pid || item->pid >= MF_PID_BASE) && p->n_services == 0 &&
               p->n_irqs == 0) {
        mf_error(c, mf_loc_of(&d, v[P_SERVICES] ? v[P_SERVICES] : v[P_IRQS]),
                 v[P_SERVICES] ? "services" : "irqs",
                 "%s declares no service and no interrupt; a partition needs at least one",
                 p->name);
        r.ok = false;
    }
    /* TF-M's SFN backend runs no IPC partition but its own (PIDs below
     * 256) and NS agents; "dual" ones become SFN there. */
    if (p->model == MF_MODEL_IPC && backend_model(c) == MF_MODEL_SFN && !p->ns_agent &&
        (!item->has_pid || item->pid >= MF_PID_BASE) &&
        (v[P_MODEL] != NULL ? r.model_loc.file != NULL : p->ffm_version == MF_FFM_1_0)) {
        mf_error(c, v[P_MODEL] != NULL ? r.model_loc : p->loc, "model",
                 "the SFN backend (--backend sfn) runs no IPC partition; write model: SFN, or "
                 "model: dual for a partition that runs either way");
        r.ok = false;
    }
    assign_signals(&r, v);
    complete = v[P_SERVICES] == NULL || v[P_SERVICES]->type == YAML_SEQUENCE_NODE;
    for (size_t i = 0; complete && i < p->n_services; i++)
        complete = p->services[i].name != NULL;
out:
    mf_doc_fini(&d);
    return complete;
}
