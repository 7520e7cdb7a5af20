/*
 * tfm_vprintf.h - TF-M's log levels and the markers that open a log
 * format string (TF-M v2.2 and later; tfm_log_unpriv.h uses them).
 *
 * A marker is one byte holding the level; LOG_MARKER_RAW continues the
 * current line without a level.
 */
#ifndef TFM_VPRINTF_H
#define TFM_VPRINTF_H

#include <stdint.h>

#define LOG_LEVEL_NONE UINT8_C(0)
#define LOG_LEVEL_ERROR UINT8_C(10)
#define LOG_LEVEL_NOTICE UINT8_C(20)
#define LOG_LEVEL_WARNING UINT8_C(30)
#define LOG_LEVEL_INFO UINT8_C(40)
#define LOG_LEVEL_VERBOSE UINT8_C(50)

#define LOG_MARKER_ERROR "\xa"    /* 10 */
#define LOG_MARKER_NOTICE "\x14"  /* 20 */
#define LOG_MARKER_WARNING "\x1e" /* 30 */
#define LOG_MARKER_INFO "\x28"    /* 40 */
#define LOG_MARKER_VERBOSE "\x32" /* 50 */
#define LOG_MARKER_RAW "\x3c"     /* 60 */

#endif /* TFM_VPRINTF_H */
