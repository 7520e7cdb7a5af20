/*
 * idl_common.c - the kinds, the PSA statuses and the reserved names that the
 * parser and the generators agree on.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "idl_int.h"

static const struct {
    const char *name;
    const char *c_type;
    size_t size;
    bool is_signed;
} kinds[] = {
    [IDL_U8] = {"u8", "uint8_t", 1, false},    [IDL_U16] = {"u16", "uint16_t", 2, false},
    [IDL_U32] = {"u32", "uint32_t", 4, false}, [IDL_U64] = {"u64", "uint64_t", 8, false},
    [IDL_I8] = {"i8", "int8_t", 1, true},      [IDL_I16] = {"i16", "int16_t", 2, true},
    [IDL_I32] = {"i32", "int32_t", 4, true},   [IDL_I64] = {"i64", "int64_t", 8, true},
    [IDL_BOOL] = {"bool", "bool", 1, false},   [IDL_CAP] = {"cap", NULL, 0, false},
    [IDL_BYTES] = {"bytes", NULL, 0, false},
};

const char *idl_kind_name(enum idl_kind k)
{
    return kinds[k].name;
}

const char *idl_c_type(enum idl_kind k)
{
    return kinds[k].c_type;
}

size_t idl_wire_size(const struct idl_service *svc, enum idl_kind k)
{
    return k == IDL_CAP ? svc->cap_size : kinds[k].size;
}

bool idl_is_signed(enum idl_kind k)
{
    return kinds[k].is_signed;
}

static const struct {
    const char *name;
    int32_t value;
} psa_statuses[] = {
    {"PSA_SUCCESS", 0},
    {"PSA_ERROR_PROGRAMMER_ERROR", -129},
    {"PSA_ERROR_CONNECTION_REFUSED", -130},
    {"PSA_ERROR_CONNECTION_BUSY", -131},
    {"PSA_ERROR_GENERIC_ERROR", -132},
    {"PSA_ERROR_NOT_PERMITTED", -133},
    {"PSA_ERROR_NOT_SUPPORTED", -134},
    {"PSA_ERROR_INVALID_ARGUMENT", -135},
    {"PSA_ERROR_INVALID_HANDLE", -136},
    {"PSA_ERROR_BAD_STATE", -137},
    {"PSA_ERROR_BUFFER_TOO_SMALL", -138},
    {"PSA_ERROR_ALREADY_EXISTS", -139},
    {"PSA_ERROR_DOES_NOT_EXIST", -140},
    {"PSA_ERROR_INSUFFICIENT_MEMORY", -141},
    {"PSA_ERROR_INSUFFICIENT_STORAGE", -142},
    {"PSA_ERROR_INSUFFICIENT_DATA", -143},
    {"PSA_ERROR_SERVICE_FAILURE", -144},
    {"PSA_ERROR_COMMUNICATION_FAILURE", -145},
    {"PSA_ERROR_STORAGE_FAILURE", -146},
    {"PSA_ERROR_HARDWARE_FAILURE", -147},
    {"PSA_ERROR_INVALID_SIGNATURE", -149},
    {"PSA_ERROR_CORRUPTION_DETECTED", -151},
    {"PSA_ERROR_DATA_CORRUPT", -152},
    {"PSA_ERROR_DATA_INVALID", -153},
};

bool idl_psa_status(const char *name, int32_t *value)
{
    size_t i;

    for (i = 0; i < sizeof(psa_statuses) / sizeof(psa_statuses[0]); i++) {
        if (strcmp(name, psa_statuses[i].name) == 0) {
            *value = psa_statuses[i].value;
            return true;
        }
    }
    return false;
}

const char *idl_psa_status_name(int32_t value)
{
    size_t i;

    for (i = 0; i < sizeof(psa_statuses) / sizeof(psa_statuses[0]); i++)
        if (psa_statuses[i].value == value)
            return psa_statuses[i].name;
    return NULL;
}

const struct idl_error *idl_find_error(const struct idl_service *svc, const char *name)
{
    size_t i;

    for (i = 0; i < svc->n_errors; i++)
        if (strcmp(svc->errors[i].name, name) == 0)
            return &svc->errors[i];
    return NULL;
}

const char *const idl_dispatch_statuses[] = {
    "PSA_ERROR_INVALID_ARGUMENT",      "PSA_ERROR_BUFFER_TOO_SMALL", "PSA_ERROR_NOT_SUPPORTED",
    "PSA_ERROR_COMMUNICATION_FAILURE", "PSA_ERROR_SERVICE_FAILURE",  NULL,
};

bool idl_reserved_name(const char *name)
{
    static const char *const words[] = {
        "auto",          "break",    "case",     "char",     "const",     "continue",
        "default",       "do",       "double",   "else",     "enum",      "extern",
        "float",         "for",      "goto",     "if",       "inline",    "int",
        "long",          "register", "restrict", "return",   "short",     "signed",
        "sizeof",        "static",   "struct",   "switch",   "typedef",   "union",
        "unsigned",      "void",     "volatile", "while",    "_Bool",     "_Complex",
        "_Alignas",      "_Alignof", "_Atomic",  "_Generic", "_Noreturn", "_Static_assert",
        "_Thread_local", "bool",     "true",     "false",    "NULL",      "handle",
        "msg",           NULL,
    };
    size_t i;

    if (strncmp(name, "idl_", 4) == 0)
        return true;
    for (i = 0; words[i] != NULL; i++)
        if (strcmp(name, words[i]) == 0)
            return true;
    return false;
}

void idl_upper(char *dst, size_t size, const char *src)
{
    size_t i;

    for (i = 0; src[i] != '\0' && i + 1 < size; i++)
        dst[i] = (char)toupper((unsigned char)src[i]);
    dst[i] = '\0';
}

void idl_cap_type(char *dst, size_t size, const struct idl_service *svc)
{
    snprintf(dst, size, "%s_cap_t", svc->prefix);
}

void idl_print_args(FILE *f, const struct idl_service *svc, const struct idl_method *m,
                    bool handler)
{
    char cap[300];
    size_t i;

    idl_cap_type(cap, sizeof(cap), svc);
    for (i = 0; i < m->n_in; i++) {
        const struct idl_param *p = &m->in[i];

        if (p->kind == IDL_BYTES)
            fprintf(f, ", const uint8_t *%s, size_t %s", p->name, p->size_name);
        else if (p->kind == IDL_CAP)
            fprintf(f, ", const %s *%s", cap, p->name);
        else
            fprintf(f, ", %s %s", idl_c_type(p->kind), p->name);
    }
    for (i = 0; i < m->n_out; i++) {
        const struct idl_param *p = &m->out[i];

        if (p->kind == IDL_BYTES && (handler || p->length != NULL))
            fprintf(f, ", uint8_t *%s, size_t %s, size_t *%s", p->name, p->size_name, p->written);
        else if (p->kind == IDL_BYTES)
            fprintf(f, ", uint8_t *%s, size_t *%s", p->name, p->size_name);
        else if (p->kind == IDL_CAP)
            fprintf(f, ", %s *%s", cap, p->name);
        else
            fprintf(f, ", %s *%s", idl_c_type(p->kind), p->name);
    }
}

const char *idl_ret_type(const struct idl_service *svc)
{
    return svc->status_type ? svc->status_type : "psa_status_t";
}

void idl_print_comment(FILE *f, const char *indent, const char *text)
{
    const char *p = text, *nl;

    while (*p != '\0') {
        nl = strchr(p, '\n');
        if (nl == NULL)
            nl = p + strlen(p);
        if (nl == p)
            fprintf(f, "%s *\n", indent);
        else
            fprintf(f, "%s * %.*s\n", indent, (int)(nl - p), p);
        p = *nl ? nl + 1 : nl;
    }
}

/* Whether some method has an integer among its in (or out) parameters. */
bool idl_any_int(const struct idl_service *svc, bool out)
{
    size_t i, k;

    for (i = 0; i < svc->n_methods; i++) {
        const struct idl_method *m = &svc->methods[i];
        const struct idl_param *ps = out ? m->out : m->in;
        size_t n = out ? m->n_out : m->n_in;

        for (k = 0; k < n; k++)
            if (ps[k].kind != IDL_BYTES && ps[k].kind != IDL_CAP && ps[k].kind != IDL_BOOL)
                return true;
    }
    return false;
}

void idl_print_flat(FILE *f, const char *text)
{
    const char *p;

    for (p = text; *p != '\0'; p++) {
        if (*p == '\n' && p[1] == '\0')
            break;
        fputc(*p == '\n' ? ' ' : *p, f);
    }
}
