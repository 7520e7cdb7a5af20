/*
 * tm_port.h - the build configuration of partix's TinyMaix-compatible engine.
 *
 * TinyMaix programs edit their copy of this file to choose the model type;
 * with partix-tinymaix one installed library serves every type, so a program
 * chooses by defining TM_MDL_TYPE before including "tinymaix.h" (or with
 * -DTM_MDL_TYPE=TM_MDL_FP32).  The other settings are fixed properties of
 * the library, kept under TinyMaix's names so that code testing them builds.
 */
#ifndef TM_PORT_H
#define TM_PORT_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define TM_ARCH_CPU (0)
#define TM_ARCH_ARM_SIMD (1)
#define TM_ARCH_ARM_NEON (2)
#define TM_ARCH_ARM_MVEI (3)
#define TM_ARCH_RV32P (4)
#define TM_ARCH_RV64V (5)
#define TM_ARCH_CSKYV2 (6)
#define TM_ARCH_X86_SSE2 (7)

#define TM_OPT0 (0)
#define TM_OPT1 (1)
#define TM_OPT2 (2)

#ifndef TM_ARCH
#define TM_ARCH TM_ARCH_CPU
#endif
#ifndef TM_OPT_LEVEL
#define TM_OPT_LEVEL TM_OPT0
#endif
#ifndef TM_MDL_TYPE
#define TM_MDL_TYPE TM_MDL_INT8
#endif
/* The engine's arithmetic is TinyMaix's float requantization (TM_FASTSCALE 0). */
#define TM_FASTSCALE (0)
#define TM_LOCAL_MATH (0)
#define TM_ENABLE_STAT (1)
/* TinyMaix's static scratch limits; the engine sizes its scratch per model
 * at load instead and enforces none of these. */
#define TM_MAX_CSIZE (1000)
#define TM_MAX_KSIZE (5 * 5)
#define TM_MAX_KCSIZE (3 * 3 * 256)

#define TM_INLINE __attribute__((always_inline)) static inline
#define TM_WEAK __attribute__((weak))

#define tm_malloc(x) malloc(x)
#define tm_free(x) free(x)

#define TM_PRINTF(...) printf(__VA_ARGS__)
#define TM_DBG(...)                                                                                \
    do {                                                                                           \
        TM_PRINTF("###L%d: ", __LINE__);                                                           \
        TM_PRINTF(__VA_ARGS__);                                                                    \
    } while (0)
#define TM_DBGL() TM_PRINTF("###L%d\n", __LINE__)

#define TM_GET_US() ((uint32_t)((uint64_t)clock() * 1000000 / CLOCKS_PER_SEC))
#define TM_DBGT_INIT()                                                                             \
    uint32_t _start, _finish;                                                                      \
    float _time;                                                                                   \
    _start = TM_GET_US()
#define TM_DBGT_START() _start = TM_GET_US()
#define TM_DBGT(x)                                                                                 \
    do {                                                                                           \
        _finish = TM_GET_US();                                                                     \
        _time = (float)(_finish - _start) / 1000.0f;                                               \
        TM_PRINTF("===%s use %.3f ms\n", (x), (double)_time);                                      \
        _start = TM_GET_US();                                                                      \
    } while (0)

#define TM_EN_PERF 0
#define TM_GET_TICK(x)
#define TM_TICK_PERUS
#define TM_PERF_REG(x)
#define TM_PERF_EXTREG(x)
#define TM_PERF_INIT(x)
#define TM_PERF_START(x)
#define TM_PERF_ADD(x)
#define TM_PERF_PRINT(x)

#endif
