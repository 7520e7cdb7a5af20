/*
 * manifest.h - the manifest library: TF-M manifest lists and partition
 * manifests in, a validated model of the system and the generated
 * psa_manifest/ headers out.  psa-manifest and psa-spm both use it, so what
 * the tool accepts is exactly what the daemon runs.
 */
#ifndef PARTIX_MANIFEST_H
#define PARTIX_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* A position in a source file; line and col count from 1. */
struct mf_loc {
    const char *file;
    unsigned line;
    unsigned col;
};

enum mf_part_type { MF_PSA_ROT, MF_APP_ROT };
enum mf_priority { MF_PRIO_HIGH, MF_PRIO_NORMAL, MF_PRIO_LOW };
enum mf_model { MF_MODEL_IPC, MF_MODEL_SFN };
/* The SPM backend TF-M is built with (CONFIG_TFM_SPM_BACKEND): it decides
 * the model of a partition whose manifest says "model: dual". */
enum mf_backend { MF_BACKEND_IPC, MF_BACKEND_SFN };
enum mf_policy { MF_POLICY_STRICT, MF_POLICY_RELAXED };
enum mf_handling { MF_IRQ_SLIH, MF_IRQ_FLIH };
enum mf_perm { MF_PERM_RO, MF_PERM_RW };

/* FF-M versions, encoded as PSA_FRAMEWORK_VERSION is. */
#define MF_FFM_1_0 0x0100u
#define MF_FFM_1_1 0x0101u

/* TF-M's limits, which partix shares. */
#define MF_MAX_SIGNALS 28   /* services + IRQs of one partition */
#define MF_MAX_STATELESS 32 /* stateless services in the system */
#define MF_PID_BASE 256     /* PIDs below are TF-M's own */

struct mf_service {
    const char *name;
    uint32_t sid;
    const char *sid_text; /* as sid.h prints it: the manifest's string, or decimal */
    bool non_secure_clients;
    uint32_t version;
    enum mf_policy policy;
    bool connection_based;
    unsigned stateless_request; /* manifest stateless_handle: 0 = auto, else 1..32 */
    uint32_t stateless_handle;  /* encoded handle, 0 for connection-based services */
    bool mm_iovec;
    uint32_t signal;        /* IPC: 1 << (index + 4); SFN: runtime-internal, same bits */
    struct mf_loc loc;      /* the service's mapping */
    struct mf_loc name_loc; /* its values, for errors that compare them */
    struct mf_loc sid_loc;
    struct mf_loc handle_loc; /* stateless_handle, if given */
};

struct mf_irq {
    const char *source; /* as written: a number or a platform source name */
    bool source_is_number;
    uint32_t source_number;    /* valid when source_is_number */
    const char *name;          /* FF-M 1.1 name, NULL for 1.0 */
    const char *signal_name;   /* the macro: 1.0 "signal", 1.1 "<name>_SIGNAL" */
    enum mf_handling handling; /* FF-M 1.0 interrupts are SLIH */
    uint32_t signal;           /* 1 << (31 - index) */
    struct mf_loc loc;
    struct mf_loc source_loc;
    struct mf_loc name_loc; /* name (1.1) or signal (1.0) */
    int line;               /* the platform's interrupt line, after mf_platform_bind() */
};

struct mf_mmio {
    const char *name; /* named region (platform), or NULL for base/size */
    uint64_t base;
    uint64_t size;
    enum mf_perm perm;
    struct mf_loc loc;
    int region; /* named: the platform's region, after mf_platform_bind(); else -1 */
};

struct mf_dep {
    const char *service;
    struct mf_loc loc;
};

struct mf_partition {
    const char *name;
    const char *description;   /* the manifest list entry's description */
    const char *manifest_path; /* as resolved against the list's folder */
    const char *basename;      /* manifest file name without extension */
    unsigned ffm_version;      /* MF_FFM_1_0 or MF_FFM_1_1 */
    enum mf_part_type type;
    enum mf_priority priority;
    enum mf_model model;     /* as run: a "dual" manifest's is the backend's */
    bool dual;               /* the manifest says "model: dual" */
    const char *entry_point; /* IPC */
    const char *entry_init;  /* SFN, may be NULL */
    uint64_t stack_size;
    uint64_t heap_size;
    int32_t pid;
    bool pid_auto; /* assigned by the tool, not the list */
    bool ns_agent;
    bool storage; /* partix_storage (non-FF-M): the sandbox's storage profile */
    bool tpm;     /* partix_tpm (non-FF-M): the board's TPM is this partition's (docs/hrot.md) */
    struct mf_loc tpm_loc;
    struct mf_service *services;
    size_t n_services;
    struct mf_irq *irqs;
    size_t n_irqs;
    struct mf_mmio *mmio;
    size_t n_mmio;
    struct mf_dep *deps;
    size_t n_deps;
    struct mf_dep *weak_deps;
    size_t n_weak_deps;
    struct mf_loc loc;      /* the manifest's root mapping */
    struct mf_loc name_loc; /* its name's value */
    struct mf_loc list_loc; /* the "manifest" entry of the list that names it */
    size_t list_index;      /* its entry in the manifest list */
};

/* A list entry left out because its "conditional" is off. */
struct mf_skipped {
    const char *description;
    const char *conditional;
};

struct mf_system {
    const char *list_path;   /* the first manifest list */
    const char **list_paths; /* all of them, in the order they were read */
    size_t n_lists;
    struct mf_partition *partitions; /* enabled ones, in list order */
    size_t n_partitions;
    struct mf_skipped *skipped;
    size_t n_skipped;
    struct mf_arena *arena; /* owns everything above */
};

/* A -D NAME=VALUE build configuration option. */
struct mf_define {
    const char *name;
    const char *value;
};

struct mf_options {
    const struct mf_define *defines;
    size_t n_defines;
    enum mf_backend backend; /* MF_BACKEND_IPC (0) unless set */
};

struct mf_diags;

/** Creates an empty diagnostics list; NULL if out of memory. */
struct mf_diags *mf_diags_new(void);

/** Frees a diagnostics list and everything it holds. */
void mf_diags_free(struct mf_diags *d);

/** Returns the number of errors recorded (warnings are not counted). */
size_t mf_diags_count(const struct mf_diags *d);

/**
 * Returns error @p i formatted as one line without the newline:
 * "FILE:LINE:COL: error: FIELD: RULE".  Errors are ordered by file (in the
 * order files were read), then position.  NULL if there is no error @p i.
 */
const char *mf_diags_line(struct mf_diags *d, size_t i);

/** Returns the number of warnings recorded. */
size_t mf_diags_warning_count(const struct mf_diags *d);

/**
 * Returns warning @p i as one line without the newline:
 * "FILE:LINE:COL: warning: FIELD: RULE [NAME]", NAME being the warning's
 * rule.  A warning is something partix runs but TF-M's own tool rejects or
 * ignores.  Ordered as errors are; NULL if there is no warning @p i.
 */
const char *mf_diags_warning(struct mf_diags *d, size_t i);

/** Prints every error and warning, one per line, ordered by file and position, to @p out. */
void mf_diags_print(struct mf_diags *d, FILE *out);

/**
 * Reads the manifest list at @p list_path and every enabled partition
 * manifest it names, validates them one by one and as a system, and on
 * success stores the model in *out and returns 0.  On failure records every
 * error found in @p d, stores NULL and returns -1.
 */
int mf_load(const char *list_path, const struct mf_options *opt, struct mf_system **out,
            struct mf_diags *d);

/**
 * As mf_load(), for several manifest lists read as one system, as TF-M's
 * build takes its own list and extra ones (tf-m-extras ships its partitions
 * as extra lists): their entries in order, list after list; each list's
 * relative manifest paths against its own folder; partition names, PIDs,
 * SIDs and service names unique across all of them; one pid.h and one
 * sid.h for all.  @p n_lists is at least 1.
 */
int mf_load_lists(const char *const *list_paths, size_t n_lists, const struct mf_options *opt,
                  struct mf_system **out, struct mf_diags *d);

/** Frees a model returned by mf_load() or mf_load_lists(); NULL is a no-op. */
void mf_system_free(struct mf_system *sys);

/**
 * Writes psa_manifest/sid.h, psa_manifest/pid.h and one
 * psa_manifest/<basename>.h per partition under @p outdir, creating folders
 * as needed.  A file whose content is unchanged is not rewritten.  Returns 0,
 * or -1 with the failure recorded in @p d.
 */
int mf_generate(const struct mf_system *sys, const char *outdir, struct mf_diags *d);

/** Returns the service with SID @p sid, or NULL. */
const struct mf_service *mf_find_sid(const struct mf_system *sys, uint32_t sid,
                                     const struct mf_partition **owner);

/** Returns the service named @p name, or NULL. */
const struct mf_service *mf_find_service(const struct mf_system *sys, const char *name,
                                         const struct mf_partition **owner);

/** Returns the partition with id @p pid, or NULL. */
const struct mf_partition *mf_find_pid(const struct mf_system *sys, int32_t pid);

/* ---- the platform description: the simulated board ---- */

/** One interrupt source of the board. */
struct mf_irq_line {
    const char *source; /**< the name manifests use in irqs[].source */
    uint32_t number;    /**< its interrupt number, which manifests may use instead */
    struct mf_loc loc;
};

/** What answers behind an MMIO region of the board. */
enum mf_device {
    MF_DEV_MEMORY,   /**< plain shared memory */
    MF_DEV_UART,     /**< a CMSDK APB UART, transmit only: bytes sent appear in the SPM log */
    MF_DEV_WATCHDOG, /**< a CMSDK APB watchdog: interrupt, then reset on the second expiry */
    MF_DEV_NVMEM,    /**< non-volatile memory kept in a file of the state directory */
    MF_DEV_OTP,      /**< the device secrets (<state-dir>/otp), granted READ-ONLY only */
};

/** One named MMIO region of the board. */
struct mf_region {
    const char *name; /**< what manifests name in mmio_regions[].name */
    uint64_t base;    /**< its address, in partitions too */
    uint64_t size;    /**< its length in bytes */
    enum mf_device device;
    const char *irq;   /**< the interrupt source the device raises, or NULL */
    int irq_line;      /**< that source's index in irqs[], or -1 */
    const char *file;  /**< NVMEM: its file name in the state directory */
    uint32_t clock_hz; /**< watchdog: the frequency of the clock it counts (WDOGCLK) */
    struct mf_loc loc;
};

/** A platform description file (docs/platform.md). */
struct mf_platform {
    const char *path;
    const char *name;
    struct mf_irq_line *irqs;
    size_t n_irqs;
    struct mf_region *regions;
    size_t n_regions;
    const char *tpm; /**< the board's TPM: "swtpm" (also when NULL), "none", or a device path */
    struct mf_arena *arena; /**< owns everything above */
};

/**
 * Reads and validates the platform description at @p path.  On success
 * stores it in *out and returns 0; otherwise records every error in @p d,
 * stores NULL and returns -1.
 */
int mf_platform_load(const char *path, struct mf_platform **out, struct mf_diags *d);

/** Frees a platform returned by mf_platform_load(); NULL is a no-op. */
void mf_platform_free(struct mf_platform *plat);

/**
 * Connects every interrupt of @p sys to a line of @p plat (NULL: a board
 * without interrupt sources or regions), setting each mf_irq.line, and
 * every named MMIO region to the board's, setting mf_mmio.region.  A
 * source or region the board lacks, one line claimed twice (by name and by
 * number), or a numbered region partix cannot map where it is, is an error
 * at the manifest's position.  Returns 0, or -1 with the errors in @p d.
 */
int mf_platform_bind(const struct mf_platform *plat, struct mf_system *sys, struct mf_diags *d);

/** The page size partix maps regions with (regions that share one are trapped). */
#define MF_PAGE 4096u

/** The fastest watchdog clock a platform may give: 1 GHz. */
#define MF_MAX_CLOCK_HZ 1000000000u

/** The smallest otp region: the OTP layout (src/common/otp_layout.h) fits in it. */
#define MF_OTP_MIN_SIZE 416u

/** The start of the page holding address @p a. */
static inline uint64_t mf_page_floor(uint64_t a)
{
    return a / MF_PAGE * MF_PAGE;
}

/** The end of the last page of the range [@p a, @p a + @p size). */
static inline uint64_t mf_page_ceil(uint64_t a, uint64_t size)
{
    return (a + size + MF_PAGE - 1) / MF_PAGE * MF_PAGE;
}

/** Printable names of the enums, as manifests spell them. */
const char *mf_type_name(enum mf_part_type t);
const char *mf_priority_name(enum mf_priority p);
const char *mf_model_name(enum mf_model m);
const char *mf_backend_name(enum mf_backend b);
const char *mf_policy_name(enum mf_policy p);

#endif /* PARTIX_MANIFEST_H */
