/*
 * tfm_sp_log.h - TF-M's secure partition logging, for partix partitions.
 *
 * LOG_ERRFMT / LOG_INFFMT / LOG_DBGFMT take printf arguments; the LOG_*SIG
 * spellings (used by the pico2w guide) are the same macros.  A message is
 * compiled in when its level is at most TFM_PARTITION_LOG_LEVEL (default:
 * TFM_PARTITION_LOG_LEVEL_INFO) and reaches psa-spm's log as one line tagged
 * with the partition's name; a trailing "\r\n" or "\n" is dropped.  A
 * conversion that TF-M's partition formatter cannot print (%zu, %.*s, %c,
 * %p...) is logged as a warning, once per call site.  TF-M v2.3 and later
 * replace this header with tfm_log_unpriv.h, which partix provides too.
 */
#ifndef TFM_SP_LOG_H
#define TFM_SP_LOG_H

#ifdef __cplusplus
extern "C" {
#endif

#define TFM_PARTITION_LOG_LEVEL_DEBUG 3
#define TFM_PARTITION_LOG_LEVEL_INFO 2
#define TFM_PARTITION_LOG_LEVEL_ERROR 1
#define TFM_PARTITION_LOG_LEVEL_SILENCE 0

#ifndef TFM_PARTITION_LOG_LEVEL
#define TFM_PARTITION_LOG_LEVEL TFM_PARTITION_LOG_LEVEL_INFO
#endif

/**
 * Sends one formatted line at @p level to the SPM's log.  Returns the
 * number of characters formatted (as printf does), or -1.
 */
int partix_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/**
 * partix_log() for the macros below: @p file and @p line name the call site
 * in the warning about a conversion TF-M cannot print.
 */
int partix_log_at(const char *file, int line, int level, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#if TFM_PARTITION_LOG_LEVEL >= TFM_PARTITION_LOG_LEVEL_DEBUG
#define LOG_DBGFMT(...)                                                                            \
    partix_log_at(__FILE__, __LINE__, TFM_PARTITION_LOG_LEVEL_DEBUG, __VA_ARGS__)
#else
#define LOG_DBGFMT(...) ((void)0)
#endif

#if TFM_PARTITION_LOG_LEVEL >= TFM_PARTITION_LOG_LEVEL_INFO
#define LOG_INFFMT(...) partix_log_at(__FILE__, __LINE__, TFM_PARTITION_LOG_LEVEL_INFO, __VA_ARGS__)
#else
#define LOG_INFFMT(...) ((void)0)
#endif

#if TFM_PARTITION_LOG_LEVEL >= TFM_PARTITION_LOG_LEVEL_ERROR
#define LOG_ERRFMT(...)                                                                            \
    partix_log_at(__FILE__, __LINE__, TFM_PARTITION_LOG_LEVEL_ERROR, __VA_ARGS__)
#else
#define LOG_ERRFMT(...) ((void)0)
#endif

#define LOG_DBGSIG LOG_DBGFMT
#define LOG_INFSIG LOG_INFFMT
#define LOG_ERRSIG LOG_ERRFMT

#ifdef __cplusplus
}
#endif

#endif /* TFM_SP_LOG_H */
