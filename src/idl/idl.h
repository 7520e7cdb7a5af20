/*
 * idl.h - the interface compiler: a service interface written in YAML
 * (docs/idl.md) in, a validated model out, and from the model the client
 * header and stubs, the partition's dispatch and a reference table.
 * psa-idl is a thin command line over it; the errors go through the
 * manifest library's diagnostics, so they read as manifest errors do:
 *     FILE:LINE:COL: error: FIELD: RULE
 */
#ifndef PARTIX_IDL_H
#define PARTIX_IDL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "manifest.h"

/** The version of the IDL language this compiler reads ("idl: 1"). */
#define IDL_LANGUAGE_VERSION 1

/** The largest bound of a byte buffer: the partition keeps one of this size. */
#define IDL_MAX_BYTES 0x100000u
/** Capabilities are opaque handles of 1..IDL_MAX_CAP_SIZE bytes. */
#define IDL_MAX_CAP_SIZE 64u
/** The size of a capability when the IDL does not give one. */
#define IDL_DEFAULT_CAP_SIZE 16u
/** The longest C name an interface may give (the generated ones join several). */
#define IDL_MAX_NAME 80u
/** Parameters of one direction of a method, at most. */
#define IDL_MAX_PARAMS 16u
/** psa_call types a method may have: 0..INT16_MAX, as FF-M allows. */
#define IDL_MAX_TYPE 32767u

/** What a parameter is. */
enum idl_kind {
    IDL_U8,
    IDL_U16,
    IDL_U32,
    IDL_U64,
    IDL_I8,
    IDL_I16,
    IDL_I32,
    IDL_I64,
    IDL_BOOL,  /**< one byte, 0 or 1 */
    IDL_CAP,   /**< an opaque capability of the service's capability_size */
    IDL_BYTES, /**< a byte buffer with a bound, a vector of its own */
};

/** How a client stub reaches the service. */
enum idl_connection {
    IDL_CONN_HANDLE,    /**< the caller passes a connected handle */
    IDL_CONN_PER_CALL,  /**< the stub connects, calls and closes */
    IDL_CONN_STATELESS, /**< the stub uses the service's <NAME>_HANDLE */
};

/** One parameter of a method. */
struct idl_param {
    const char *name;
    enum idl_kind kind;
    bool out;
    const char *doc;       /**< may be NULL */
    uint64_t min, max;     /**< bytes: the bounds of its length */
    const char *max_text;  /**< bytes: the bound as C reads it (a number or a constant) */
    const char *min_text;  /**< bytes: likewise, NULL when there is no minimum */
    const char *size_name; /**< bytes: the C name of its size argument */
    const char *length;    /**< out bytes: the C name of its written-length argument, or NULL */
    const char *written;   /**< out bytes: the handler's written-length argument */
    size_t offset;         /**< scalars and capabilities: where it sits in the fixed block */
    size_t size;           /**< scalars and capabilities: its size on the wire */
    unsigned vec;          /**< the vector that carries it (in_vec or out_vec index) */
    struct mf_loc loc;
};

/** One method: a psa_call type. */
struct idl_method {
    const char *name;  /**< the C name: <prefix>_<name> */
    const char *macro; /**< the type's macro */
    uint32_t type;
    const char *doc;
    struct idl_param *in;
    size_t n_in;
    struct idl_param *out;
    size_t n_out;
    const char **errors; /**< status names the method documents */
    size_t n_errors;
    size_t in_block;  /**< bytes of in scalars and capabilities (0: no fixed in vector) */
    size_t out_block; /**< likewise out */
    unsigned n_in_vecs, n_out_vecs;
    struct mf_loc loc;
};

/** A named number of the interface (a bound, typically). */
struct idl_constant {
    const char *name;
    uint64_t value;
    const char *doc;
    struct mf_loc loc;
};

/** A status the service defines itself. */
struct idl_error {
    const char *name;
    int32_t value;
    const char *doc;
    struct mf_loc loc;
};

/** A value of the client API's own status type and the PSA statuses it stands for. */
struct idl_status_value {
    const char *name;
    int32_t value;
    const char **from; /**< PSA or service statuses mapped to it */
    size_t n_from;
    bool fallback; /**< every status no other value names */
    const char *doc;
};

/** A whole interface. */
struct idl_service {
    const char *path; /**< the .idl.yaml it was read from */
    const char *name; /**< the manifest service: <name>_SID, <name>_VERSION, <name>_HANDLE */
    bool has_sid;     /**< the IDL gives the SID and version itself */
    uint32_t sid;
    uint32_t version;
    const char *prefix; /**< of every C name */
    const char *doc;
    size_t cap_size;
    bool uses_caps, uses_bool;
    const char *header; /**< the client header's file name */
    enum idl_connection connection;
    const char *status_type; /**< the client API's status type, or NULL for psa_status_t */
    struct idl_status_value *status_values;
    size_t n_status_values;
    struct idl_constant *constants;
    size_t n_constants;
    struct idl_error *errors;
    size_t n_errors;
    struct idl_method *methods;
    size_t n_methods;
    struct mf_arena *arena; /**< owns everything above */
};

/**
 * Reads and checks the interface at @p path.  On success stores the model
 * in *out and returns 0; otherwise records every error in @p d (each at its
 * file:line:column), stores NULL and returns -1.
 */
int idl_load(const char *path, struct idl_service **out, struct mf_diags *d);

/** Frees a model returned by idl_load(); NULL is a no-op. */
void idl_free(struct idl_service *svc);

/**
 * Writes the client header (svc->header), <prefix>_client.c,
 * <prefix>_service.h and <prefix>_service.c into @p outdir, creating it if
 * needed; a file whose content is unchanged is not rewritten.  Returns 0,
 * or -1 with the failure recorded in @p d.
 */
int idl_generate(const struct idl_service *svc, const char *outdir, struct mf_diags *d);

/** Writes the client header to @p f. */
void idl_render_client_header(FILE *f, const struct idl_service *svc);
/** Writes the client stubs to @p f. */
void idl_render_client_source(FILE *f, const struct idl_service *svc);
/** Writes the partition's header (handlers to implement, the dispatch) to @p f. */
void idl_render_service_header(FILE *f, const struct idl_service *svc);
/** Writes the partition's dispatch to @p f. */
void idl_render_service_source(FILE *f, const struct idl_service *svc);
/** Writes the reference of the interface, in Markdown, to @p f. */
void idl_render_doc(FILE *f, const struct idl_service *svc);

/** The IDL spelling of a kind ("u32", "cap", "bytes"). */
const char *idl_kind_name(enum idl_kind k);

#endif /* PARTIX_IDL_H */
