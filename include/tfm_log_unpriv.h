/*
 * tfm_log_unpriv.h - TF-M's secure partition logging from v2.3 on (it
 * replaced tfm_sp_log.h, which partix keeps for 2.1 LTS and 2.2 code).
 *
 * ERROR_UNPRIV, NOTICE_UNPRIV, WARN_UNPRIV, INFO_UNPRIV and VERBOSE_UNPRIV
 * take printf arguments and are compiled in when their level is at most
 * LOG_LEVEL_UNPRIV (TF-M's build defines it; partix defaults to
 * LOG_LEVEL_INFO).  Each message reaches psa-spm's log as a line tagged with
 * the partition's name; the _RAW forms add to the current line without a
 * level, and a line ends at its "\n".  A conversion that TF-M's partition
 * formatter cannot print is logged as a warning, once per call site.
 */
#ifndef TFM_LOG_UNPRIV_H
#define TFM_LOG_UNPRIV_H

#include <stdbool.h>
#include <stdint.h>

#include "tfm_vprintf.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifndef LOG_LEVEL_UNPRIV
#define LOG_LEVEL_UNPRIV LOG_LEVEL_INFO
#endif

/**
 * Logs @p fmt, which starts with a LOG_MARKER_*, and its arguments, as
 * TF-M's function of that name does.
 */
__attribute__((format(printf, 1, 2))) void tfm_log_unpriv(const char *fmt, ...);

/**
 * tfm_log_unpriv() for the macros below: @p file and @p line name the call
 * site in the warning about a conversion TF-M cannot print.
 */
__attribute__((format(printf, 3, 4))) void partix_log_unpriv_at(const char *file, int line,
                                                                const char *fmt, ...);

#define PARTIX_LOG_UNPRIV_(...) partix_log_unpriv_at(__FILE__, __LINE__, __VA_ARGS__)
/* a message below the level: checked by the compiler, never run */
#define PARTIX_NO_LOG_UNPRIV_(...)                                                                 \
    do {                                                                                           \
        if (false)                                                                                 \
            partix_log_unpriv_at(__FILE__, __LINE__, __VA_ARGS__);                                 \
    } while (false)

#if LOG_LEVEL_UNPRIV >= LOG_LEVEL_ERROR
#define ERROR_UNPRIV(...) PARTIX_LOG_UNPRIV_(LOG_MARKER_ERROR __VA_ARGS__)
#define ERROR_UNPRIV_RAW(...) PARTIX_LOG_UNPRIV_(LOG_MARKER_RAW __VA_ARGS__)
#else
#define ERROR_UNPRIV(...) PARTIX_NO_LOG_UNPRIV_(LOG_MARKER_ERROR __VA_ARGS__)
#define ERROR_UNPRIV_RAW(...) PARTIX_NO_LOG_UNPRIV_(LOG_MARKER_RAW __VA_ARGS__)
#endif

#if LOG_LEVEL_UNPRIV >= LOG_LEVEL_NOTICE
#define NOTICE_UNPRIV(...) PARTIX_LOG_UNPRIV_(LOG_MARKER_NOTICE __VA_ARGS__)
#define NOTICE_UNPRIV_RAW(...) PARTIX_LOG_UNPRIV_(LOG_MARKER_RAW __VA_ARGS__)
#else
#define NOTICE_UNPRIV(...) PARTIX_NO_LOG_UNPRIV_(LOG_MARKER_NOTICE __VA_ARGS__)
#define NOTICE_UNPRIV_RAW(...) PARTIX_NO_LOG_UNPRIV_(LOG_MARKER_RAW __VA_ARGS__)
#endif

#if LOG_LEVEL_UNPRIV >= LOG_LEVEL_WARNING
#define WARN_UNPRIV(...) PARTIX_LOG_UNPRIV_(LOG_MARKER_WARNING __VA_ARGS__)
#define WARN_UNPRIV_RAW(...) PARTIX_LOG_UNPRIV_(LOG_MARKER_RAW __VA_ARGS__)
#else
#define WARN_UNPRIV(...) PARTIX_NO_LOG_UNPRIV_(LOG_MARKER_WARNING __VA_ARGS__)
#define WARN_UNPRIV_RAW(...) PARTIX_NO_LOG_UNPRIV_(LOG_MARKER_RAW __VA_ARGS__)
#endif

#if LOG_LEVEL_UNPRIV >= LOG_LEVEL_INFO
#define INFO_UNPRIV(...) PARTIX_LOG_UNPRIV_(LOG_MARKER_INFO __VA_ARGS__)
#define INFO_UNPRIV_RAW(...) PARTIX_LOG_UNPRIV_(LOG_MARKER_RAW __VA_ARGS__)
#else
#define INFO_UNPRIV(...) PARTIX_NO_LOG_UNPRIV_(LOG_MARKER_INFO __VA_ARGS__)
#define INFO_UNPRIV_RAW(...) PARTIX_NO_LOG_UNPRIV_(LOG_MARKER_RAW __VA_ARGS__)
#endif

#if LOG_LEVEL_UNPRIV >= LOG_LEVEL_VERBOSE
#define VERBOSE_UNPRIV(...) PARTIX_LOG_UNPRIV_(LOG_MARKER_VERBOSE __VA_ARGS__)
#define VERBOSE_UNPRIV_RAW(...) PARTIX_LOG_UNPRIV_(LOG_MARKER_RAW __VA_ARGS__)
#else
#define VERBOSE_UNPRIV(...) PARTIX_NO_LOG_UNPRIV_(LOG_MARKER_VERBOSE __VA_ARGS__)
#define VERBOSE_UNPRIV_RAW(...) PARTIX_NO_LOG_UNPRIV_(LOG_MARKER_RAW __VA_ARGS__)
#endif

#ifdef __cplusplus
}
#endif

#endif /* TFM_LOG_UNPRIV_H */
