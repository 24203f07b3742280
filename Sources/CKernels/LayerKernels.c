// Elementwise passes of the layers (see include/CKernels.h), compiled per instruction set
// like the solver kernels.
#include "CKernels.h"

#define CLONES __attribute__((target_clones("avx512f", "avx2", "default")))

typedef float v16 __attribute__((vector_size(64)));
typedef float v16u __attribute__((vector_size(64), aligned(4)));
typedef int i16 __attribute__((vector_size(64)));

#define LD(ptr, i) (*(const v16u *)((ptr) + (i)))
#define ST(ptr, i, v) (*(v16u *)((ptr) + (i)) = (v))

CLONES void bpg_relu(float *y, const float *x, long n) {
    long i = 0;
    const v16 zero = {0};
    for (; i + 16 <= n; i += 16) {
        v16 v = LD(x, i);
        i16 nonPositive = v <= zero;  // false for NaN, which passes through
        ST(y, i, (v16)((i16)v & ~nonPositive));
    }
    for (; i < n; i++) y[i] = x[i] <= 0 ? 0 : x[i];
}

CLONES void bpg_relu_backward(float *dx, const float *x, const float *dy, long n) {
    long i = 0;
    const v16 zero = {0};
    for (; i + 16 <= n; i += 16) {
        i16 nonPositive = LD(x, i) <= zero;
        ST(dx, i, (v16)((i16)LD(dy, i) & ~nonPositive));
    }
    for (; i < n; i++) dx[i] = x[i] <= 0 ? 0 : dy[i];
}

CLONES void bpg_sum_rows(float *dst, const float *src, long rows, long cols, int accumulate) {
    long j = 0;
    for (; j + 16 <= cols; j += 16) {
        v16 acc = accumulate ? LD(dst, j) : (v16){0};
        for (long r = 0; r < rows; r++) acc += LD(src + r * cols, j);
        ST(dst, j, acc);
    }
    for (; j < cols; j++) {
        float acc = accumulate ? dst[j] : 0;
        for (long r = 0; r < rows; r++) acc += src[r * cols + j];
        dst[j] = acc;
    }
}

void bpg_prefetch_rows(const float *base, const long *indices, long count, long rowFloats) {
    for (long r = 0; r < count; r++) {
        const char *row = (const char *)(base + indices[r] * rowFloats);
        const char *end = row + rowFloats * sizeof(float);
        for (const char *line = row; line < end; line += 64) __builtin_prefetch(line, 0, 2);
    }
}
