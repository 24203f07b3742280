// The solvers' update loops (see include/CKernels.h). Each is compiled three times by
// target_clones and the loader picks the widest the CPU supports: 16 floats per AVX-512
// register, two AVX2 registers, or four SSE ones, all from the same 16-lane vector code.
#include "CKernels.h"
#include <string.h>
#include <xmmintrin.h>

#include "Clones.h"

typedef float v16 __attribute__((vector_size(64)));
typedef float v16u __attribute__((vector_size(64), aligned(4)));

#define LD(ptr, i) (*(const v16u *)((ptr) + (i)))
#define ST(ptr, i, v) (*(v16u *)((ptr) + (i)) = (v))
#define SQRT(v) __builtin_elementwise_sqrt(v)

// Macros rather than functions: a function taking a 64-byte vector changes the ABI in the
// clones without AVX-512, and the compiler refuses it even when inlined.

// Sum of 16 lanes in tree order: 8 + 8, 4 + 4, then pairs.
#define HSUM(v)                                                                                \
    ({                                                                                         \
        v16 h_ = (v);                                                                          \
        float s8_[8], s4_[4];                                                                  \
        for (int k_ = 0; k_ < 8; k_++) s8_[k_] = h_[k_] + h_[k_ + 8];                          \
        for (int k_ = 0; k_ < 4; k_++) s4_[k_] = s8_[k_] + s8_[k_ + 4];                        \
        (s4_[0] + s4_[2]) + (s4_[1] + s4_[3]);                                                 \
    })

/// PyTorch's lerp_, which picks its formula by the weight to stay exact at both ends.
#define LERP(a, b, w, low, oneMinusW) ((low) ? (a) + (w) * ((b) - (a)) : (b) - ((b) - (a)) * (oneMinusW))

// MXCSR's flush-to-zero and denormals-are-zero bits. Moment estimates of weights whose
// gradient is (nearly) always zero, such as those of Fashion-MNIST's blank border pixels,
// decay geometrically into the denormal range below 1.2e-38, where every operation on them
// takes a microcode assist of about a hundred cycles: that made Adam's update four times
// slower after a few thousand steps. Values that small are zero to any solver (JAX/XLA flush
// them on CPUs too); the caller's MXCSR is restored on return.
#define FLUSH_DENORMALS 0x8040u

// One fused pass: g = grad + wd*x, BODY sets d from g (reading and writing state at I through
// S1..S3), x += d; ||g||^2 and ||d||^2 summed in 16 float lanes per block of 1024, then in
// double. The last partial group runs the same BODY on zero-padded copies (a zero lane yields
// a zero step in every solver) and only its real lanes are written back.
#define SOLVER_LOOP(S1, S2, S3, BODY)                                                          \
    bpg_sums r = {0, 0};                                                                       \
    long i = 0;                                                                                \
    const unsigned csr_ = _mm_getcsr();                                                        \
    _mm_setcsr(csr_ | FLUSH_DENORMALS);                                                        \
    const int decay = wd != 0;                                                                 \
    while (i + 16 <= n) {                                                                      \
        v16 ga = {0}, da = {0};                                                                \
        long end = i + 1024 < n ? i + 1024 : n;                                                \
        for (; i + 16 <= end; i += 16) {                                                       \
            const long I = i;                                                                  \
            float *s1 = S1, *s2 = S2, *s3 = S3;                                                \
            v16 x = LD(p, I), gv = LD(g, I), d;                                                \
            if (decay) gv = gv + wd * x;                                                       \
            BODY;                                                                              \
            ST(p, I, x + d);                                                                   \
            ga += gv * gv;                                                                     \
            da += d * d;                                                                       \
        }                                                                                      \
        r.gradSquared += HSUM(ga);                                                             \
        r.stepSquared += HSUM(da);                                                             \
    }                                                                                          \
    if (i < n) {                                                                               \
        const long k = n - i, I = 0;                                                           \
        float tp[16] = {0}, tg[16] = {0}, t1[16] = {0}, t2[16] = {0}, t3[16] = {0};            \
        float *o1 = S1, *o2 = S2, *o3 = S3;                                                    \
        memcpy(tp, p + i, k * 4);                                                              \
        memcpy(tg, g + i, k * 4);                                                              \
        if (o1) memcpy(t1, o1 + i, k * 4);                                                     \
        if (o2) memcpy(t2, o2 + i, k * 4);                                                     \
        if (o3) memcpy(t3, o3 + i, k * 4);                                                     \
        float *s1 = o1 ? t1 : 0, *s2 = o2 ? t2 : 0, *s3 = o3 ? t3 : 0;                         \
        v16 x = LD(tp, 0), gv = LD(tg, 0), d;                                                  \
        if (decay) gv = gv + wd * x;                                                           \
        BODY;                                                                                  \
        ST(tp, 0, x + d);                                                                      \
        v16 gg = gv * gv, dd = d * d;                                                          \
        r.gradSquared += HSUM(gg);                                                             \
        r.stepSquared += HSUM(dd);                                                             \
        memcpy(p + i, tp, k * 4);                                                              \
        if (o1) memcpy(o1 + i, t1, k * 4);                                                     \
        if (o2) memcpy(o2 + i, t2, k * 4);                                                     \
        if (o3) memcpy(o3 + i, t3, k * 4);                                                     \
        (void)s1; (void)s2; (void)s3;                                                          \
    }                                                                                          \
    _mm_setcsr(csr_);                                                                          \
    return r;

CLONES bpg_sums bpg_sgd(float *p, const float *g, float *b, long n, float wd, float lr, float mu, float keep,
                        int first, int nesterov) {
    if (!b) {
        SOLVER_LOOP(0, 0, 0, { d = -lr * gv; })
    }
    if (first) {
        SOLVER_LOOP(b, 0, 0, {
            v16 bv = gv;
            ST(s1, I, bv);
            d = -lr * (nesterov ? gv + mu * bv : bv);
        })
    }
    SOLVER_LOOP(b, 0, 0, {
        v16 bv = mu * LD(s1, I) + keep * gv;
        ST(s1, I, bv);
        d = -lr * (nesterov ? gv + mu * bv : bv);
    })
}

CLONES bpg_sums bpg_adam(float *p, const float *g, float *m, float *v, long n, float wd, float negStep,
                         float bc2Sqrt, float w1, float b2, float w2, float eps) {
    const int low = w1 < 0.5f;
    const float omw = 1 - w1, invBc2 = 1 / bc2Sqrt;
    SOLVER_LOOP(m, v, 0, {
        v16 mv = LERP(LD(s1, I), gv, w1, low, omw);
        v16 vv = LD(s2, I) * b2 + w2 * gv * gv;
        ST(s1, I, mv);
        ST(s2, I, vv);
        // sqrt(v) / bc2Sqrt as sqrt(v) * (1 / bc2Sqrt): one division less per lane (the update is
        // bound by the divider, 12% faster), within one rounding of PyTorch's quotient.
        d = negStep * (mv / (SQRT(vv) * invBc2 + eps));
    })
}

CLONES bpg_sums bpg_adagrad(float *p, const float *g, float *s, long n, float wd, float c, float eps) {
    SOLVER_LOOP(s, 0, 0, {
        v16 sv = LD(s1, I) + gv * gv;
        ST(s1, I, sv);
        d = -c * (gv / (SQRT(sv) + eps));
    })
}

CLONES bpg_sums bpg_adadelta(float *p, const float *g, float *s, float *u, long n, float wd, float lr, float rho,
                             float w, float eps) {
    SOLVER_LOOP(s, u, 0, {
        v16 sv = LD(s1, I) * rho + w * gv * gv;
        v16 std = SQRT(sv + eps);
        v16 uv = LD(s2, I);
        v16 delta = SQRT(uv + eps) / std * gv;
        ST(s1, I, sv);
        ST(s2, I, uv * rho + w * delta * delta);
        d = -lr * delta;
    })
}

CLONES bpg_sums bpg_rmsprop(float *p, const float *g, float *s, float *c, float *b, long n, float wd, float lr,
                            float alpha, float w, float eps, float mu) {
    const int low = w < 0.5f;
    const float omw = 1 - w;
    if (c && b) {
        SOLVER_LOOP(s, c, b, {
            v16 sv = LD(s1, I) * alpha + w * gv * gv;
            ST(s1, I, sv);
            v16 cv = LERP(LD(s2, I), gv, w, low, omw);
            ST(s2, I, cv);
            v16 avg = SQRT(sv - cv * cv) + eps;
            v16 bv = LD(s3, I) * mu + gv / avg;
            ST(s3, I, bv);
            d = -lr * bv;
        })
    }
    if (c) {
        SOLVER_LOOP(s, c, 0, {
            v16 sv = LD(s1, I) * alpha + w * gv * gv;
            ST(s1, I, sv);
            v16 cv = LERP(LD(s2, I), gv, w, low, omw);
            ST(s2, I, cv);
            v16 avg = SQRT(sv - cv * cv) + eps;
            d = -lr * (gv / avg);
        })
    }
    if (b) {
        SOLVER_LOOP(s, b, 0, {
            v16 sv = LD(s1, I) * alpha + w * gv * gv;
            ST(s1, I, sv);
            v16 avg = SQRT(sv) + eps;
            v16 bv = LD(s2, I) * mu + gv / avg;
            ST(s2, I, bv);
            d = -lr * bv;
        })
    }
    SOLVER_LOOP(s, 0, 0, {
        v16 sv = LD(s1, I) * alpha + w * gv * gv;
        ST(s1, I, sv);
        v16 avg = SQRT(sv) + eps;
        d = -lr * (gv / avg);
    })
}

CLONES bpg_sums bpg_bpgrad(float *p, const float *g, float *v, long n, float wd, float mu, float scale, float e,
                           int reference) {
    if (!reference) {
        SOLVER_LOOP(v, 0, 0, {
            v16 vv = mu * LD(s1, I) - scale * gv;
            ST(s1, I, vv);
            d = vv;
        })
    }
    SOLVER_LOOP(v, 0, 0, {
        v16 vv = mu * LD(s1, I) - scale * gv;
        ST(s1, I, vv);
        d = e * vv;
    })
}

CLONES double bpg_norm_squared(const float *g, const float *p, long n, float wd) {
    double total = 0;
    long i = 0;
    while (i + 16 <= n) {
        v16 acc = {0};
        long end = i + 1024 < n ? i + 1024 : n;
        for (; i + 16 <= end; i += 16) {
            v16 gv = LD(g, i);
            if (wd != 0) gv = gv + wd * LD(p, i);
            acc += gv * gv;
        }
        total += HSUM(acc);
    }
    for (; i < n; i++) {
        float gv = g[i];
        if (wd != 0) gv = gv + wd * p[i];
        total += (double)gv * gv;
    }
    return total;
}

CLONES void bpg_stream_copy(float *dst, const float *src, long n) {
    long i = 0;
    for (; i + 16 <= n; i += 16) ST(dst, i, LD(src, i));
    for (; i < n; i++) dst[i] = src[i];
}

CLONES void bpg_stream_triad(float *a, const float *b, const float *c, float s, long n) {
    long i = 0;
    for (; i + 16 <= n; i += 16) ST(a, i, LD(b, i) + s * LD(c, i));
    for (; i < n; i++) a[i] = b[i] + s * c[i];
}
