/*
 * idl_int.h - what the files of the interface compiler share: the kinds'
 * C spellings and wire sizes, the PSA statuses by name, and the names the
 * generated code gives its own locals.
 */
#ifndef PARTIX_IDL_INT_H
#define PARTIX_IDL_INT_H

#include "idl.h"
#include "mf_internal.h"

/* The C type of a scalar kind ("uint32_t"); NULL for caps and bytes. */
const char *idl_c_type(enum idl_kind k);
/* Bytes of a scalar on the wire; a capability's is the service's cap_size. */
size_t idl_wire_size(const struct idl_service *svc, enum idl_kind k);
bool idl_is_signed(enum idl_kind k);

/* A status of psa/error.h (or PSA_SUCCESS) by name: true and its value. */
bool idl_psa_status(const char *name, int32_t *value);
/* The name of psa/error.h's status @p value, or NULL. */
const char *idl_psa_status_name(int32_t value);
/* The service's own status named @p name, or NULL. */
const struct idl_error *idl_find_error(const struct idl_service *svc, const char *name);

/* Names the generated code reserves for itself. */
bool idl_reserved_name(const char *name);

/* "UPPER" of an identifier, in a buffer of @p size. */
void idl_upper(char *dst, size_t size, const char *src);

/* The capability type: <prefix>_cap_t. */
void idl_cap_type(char *dst, size_t size, const struct idl_service *svc);

/*
 * Writes the C parameters of method @p m, each preceded by ", ": the
 * client stub's (@p handler false) or the partition's handler's.
 */
void idl_print_args(FILE *f, const struct idl_service *svc, const struct idl_method *m,
                    bool handler);

/* The client stub's return type: the status type or psa_status_t. */
const char *idl_ret_type(const struct idl_service *svc);

/* Writes @p text as the lines of a C comment body, each starting " * ". */
void idl_print_comment(FILE *f, const char *indent, const char *text);

/* Whether some method has an integer among its in (@p out false) or out parameters. */
bool idl_any_int(const struct idl_service *svc, bool out);

/* Writes @p text on one line: newlines become spaces, a last one is dropped. */
void idl_print_flat(FILE *f, const char *text);

/* The statuses the dispatch itself returns, for the docs. */
extern const char *const idl_dispatch_statuses[];

#endif /* PARTIX_IDL_INT_H */
