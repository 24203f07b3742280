// Elementwise passes of the layers (see include/CKernels.h), compiled per instruction set
// like the solver kernels.
#include "CKernels.h"
#include <string.h>

#include "Clones.h"

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

CLONES void bpg_add_bias_rows(float *y, const float *bias, long rows, long cols, int relu) {
    const v16 zero = {0};
    for (long r = 0; r < rows; r++) {
        float *row = y + r * cols;
        long j = 0;
        for (; j + 16 <= cols; j += 16) {
            v16 v = LD(row, j) + LD(bias, j);
            if (relu) v = (v16)((i16)v & ~(i16)(v <= zero));
            ST(row, j, v);
        }
        for (; j < cols; j++) {
            const float v = row[j] + bias[j];
            row[j] = relu && v <= 0 ? 0 : v;
        }
    }
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

CLONES void bpg_relu_backward_sum_rows(float *dx, const float *y, const float *dy, long rows, long cols, float *sum,
                                       int accumulate) {
    const v16 zero = {0};
    long j = 0;
    for (; j + 16 <= cols; j += 16) {
        v16 acc = accumulate ? LD(sum, j) : zero;
        for (long r = 0; r < rows; r++) {
            const long at = r * cols + j;
            i16 nonPositive = LD(y, at) <= zero;
            v16 g = (v16)((i16)LD(dy, at) & ~nonPositive);
            ST(dx, at, g);
            acc += g;
        }
        ST(sum, j, acc);
    }
    for (; j < cols; j++) {
        float acc = accumulate ? sum[j] : 0;
        for (long r = 0; r < rows; r++) {
            const float g = y[r * cols + j] <= 0 ? 0 : dy[r * cols + j];
            dx[r * cols + j] = g;
            acc += g;
        }
        sum[j] = acc;
    }
}

void bpg_gather_rows(float *dst, const float *src, const long *indices, long n, long d) {
    enum { ahead = 4 };
    const long bytes = d * (long)sizeof(float);
    for (long k = 0; k < n && k < ahead; k++)
        for (long b = 0; b < bytes; b += 64) __builtin_prefetch((const char *)(src + indices[k] * d) + b);
    for (long k = 0; k < n; k++) {
        if (k + ahead < n) {
            const char *next = (const char *)(src + indices[k + ahead] * d);
            for (long b = 0; b < bytes; b += 64) __builtin_prefetch(next + b);
        }
        memcpy(dst + k * d, src + indices[k] * d, (size_t)bytes);
    }
}

// b / 255 in Float, rounded as the division rounds it, without dividing: the product in double
// differs from the exact quotient by far less than the distance from any b / 255 (b < 256) to
// a rounding boundary of Float, so converting it rounds the same way. A test checks all 256.
static inline float unit_byte(unsigned char b) { return (float)((double)b * (1.0 / 255.0)); }

CLONES void bpg_unit_bytes_to_float(float *dst, const unsigned char *src, long n) {
    for (long i = 0; i < n; i++) dst[i] = unit_byte(src[i]);
}

CLONES void bpg_gather_unit_bytes(float *dst, const unsigned char *src, const long *indices, long n, long d) {
    enum { ahead = 8 };
    for (long k = 0; k < n && k < ahead; k++)
        for (long b = 0; b < d; b += 64) __builtin_prefetch(src + indices[k] * d + b);
    for (long k = 0; k < n; k++) {
        if (k + ahead < n) {
            const unsigned char *next = src + indices[k + ahead] * d;
            for (long b = 0; b < d; b += 64) __builtin_prefetch(next + b);
        }
        const unsigned char *row = src + indices[k] * d;
        float *out = dst + k * d;
        for (long j = 0; j < d; j++) out[j] = unit_byte(row[j]);
    }
}

// Selects, not branches: on real activations the winner is unpredictable. The 2x2, stride 2
// case (LeNet's) gets its own loop, which the compiler vectorises across output columns.
CLONES void bpg_maxpool_forward(const float *x, float *y, int *argmax, long planes, long h, long w, long size,
                                long stride, long oh, long ow) {
    for (long p = 0; p < planes; p++) {
        const float *src = x + p * h * w;
        const int base = (int)(p * h * w);
        float *out = y + p * oh * ow;
        int *arg = argmax + p * oh * ow;
        if (size == 2 && stride == 2) {
            for (long r = 0; r < oh; r++) {
                const float *r0 = src + 2 * r * w, *r1 = r0 + w;
                const int i0 = (int)(2 * r * w), i1 = i0 + (int)w;
                for (long c = 0; c < ow; c++) {
                    float best = r0[2 * c];
                    int at = i0 + (int)(2 * c);
                    float v = r0[2 * c + 1];
                    at = v > best ? i0 + (int)(2 * c + 1) : at; best = v > best ? v : best;
                    v = r1[2 * c];
                    at = v > best ? i1 + (int)(2 * c) : at; best = v > best ? v : best;
                    v = r1[2 * c + 1];
                    at = v > best ? i1 + (int)(2 * c + 1) : at; best = v > best ? v : best;
                    out[r * ow + c] = best;
                    arg[r * ow + c] = base + at;
                }
            }
            continue;
        }
        for (long r = 0; r < oh; r++) {
            for (long c = 0; c < ow; c++) {
                int at = (int)((r * stride) * w + c * stride);
                float best = src[at];
                for (long i = 0; i < size; i++) {
                    const long row = (r * stride + i) * w + c * stride;
                    for (long j = 0; j < size; j++) {
                        const float v = src[row + j];
                        at = v > best ? (int)(row + j) : at;
                        best = v > best ? v : best;
                    }
                }
                out[r * ow + c] = best;
                arg[r * ow + c] = base + at;
            }
        }
    }
}

void bpg_maxpool_backward(const float *dy, const int *argmax, float *dx, long n, long inputCount) {
    memset(dx, 0, sizeof(float) * inputCount);
    for (long o = 0; o < n; o++) dx[argmax[o]] += dy[o];
}
