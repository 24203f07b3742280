// 2-D convolution through oneDNN's primitives (see include/CKernels.h): the layer keeps its
// plain [N, C, H, W] activations and [F, C, k, k] weights, and oneDNN runs its JIT direct
// convolution on the blocked layouts it prefers, with reorders in between. Plain layouts on
// both sides would make oneDNN fall back to im2col plus GEMM, four times slower on LeNet.
#include "CKernels.h"
#include <oneapi/dnnl/dnnl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// A tensor as the layer sees it (plain, caller's buffer) and as a primitive wants it.
typedef struct {
    dnnl_memory_t user;      // plain layout; data handle set per call
    dnnl_memory_t internal;  // the primitive's layout, owned (NULL when it is the plain one)
    dnnl_primitive_t toInternal, toUser;
} tensor;

struct bpg_conv {
    dnnl_engine_t engine;
    dnnl_stream_t stream;
    dnnl_primitive_t forward, backwardData, backwardWeights;
    tensor src, weights, bias, dst;                  // forward
    tensor bdDiffDst, bdWeights, bdDiffSrc;          // backward data
    tensor bwSrc, bwDiffDst, bwDiffWeights, bwDiffBias;  // backward weights
    long weightCount, filters;
    // Reorders that backward can skip: the forward's reordered input (when backward weights
    // wants the same layout and gets the same x) and backward weights' reordered output
    // gradient (when backward data wants the same layout).
    int sameSrc, sameDiffDst;
    const float *lastX;
    float *scratchWeights, *scratchBias;             // plain gradients before they are added
};

#define TRY(call)                                                                              \
    do {                                                                                       \
        dnnl_status_t s_ = (call);                                                             \
        if (s_ != dnnl_success) {                                                              \
            snprintf(error, errorSize, "%s failed with oneDNN status %d", #call, (int)s_);     \
            goto fail;                                                                         \
        }                                                                                      \
    } while (0)

static dnnl_status_t reorder(dnnl_engine_t e, dnnl_memory_t from, dnnl_memory_t to, dnnl_primitive_t *out) {
    const dnnl_memory_desc_t *a, *b;
    dnnl_memory_get_memory_desc(from, &a);
    dnnl_memory_get_memory_desc(to, &b);
    dnnl_primitive_desc_t pd;
    dnnl_status_t s = dnnl_reorder_primitive_desc_create(&pd, a, e, b, e, NULL);
    if (s != dnnl_success) return s;
    s = dnnl_primitive_create(out, pd);
    dnnl_primitive_desc_destroy(pd);
    return s;
}

// Plain memory for `plainMd` and, when `wanted` differs, an owned buffer in that layout with
// reorders both ways as `directions` asks (1: to internal, 2: to user, 3: both).
static dnnl_status_t makeTensor(dnnl_engine_t e, tensor *t, const dnnl_memory_desc_t *plainMd,
                                const dnnl_memory_desc_t *wanted, int directions) {
    memset(t, 0, sizeof *t);
    dnnl_status_t s = dnnl_memory_create(&t->user, plainMd, e, DNNL_MEMORY_NONE);
    if (s != dnnl_success || dnnl_memory_desc_equal(plainMd, wanted)) return s;
    if ((s = dnnl_memory_create(&t->internal, wanted, e, DNNL_MEMORY_ALLOCATE)) != dnnl_success) return s;
    if ((directions & 1) && (s = reorder(e, t->user, t->internal, &t->toInternal)) != dnnl_success) return s;
    if ((directions & 2) && (s = reorder(e, t->internal, t->user, &t->toUser)) != dnnl_success) return s;
    return dnnl_success;
}

static void freeTensor(tensor *t) {
    if (t->toInternal) dnnl_primitive_destroy(t->toInternal);
    if (t->toUser) dnnl_primitive_destroy(t->toUser);
    if (t->internal) dnnl_memory_destroy(t->internal);
    if (t->user) dnnl_memory_destroy(t->user);
}

static dnnl_status_t run1(dnnl_stream_t st, dnnl_primitive_t p, dnnl_memory_t from, dnnl_memory_t to) {
    dnnl_exec_arg_t args[2] = {{DNNL_ARG_FROM, from}, {DNNL_ARG_TO, to}};
    return dnnl_primitive_execute(p, st, 2, args);
}

// Binds `data` to the plain side and, for an input, reorders it in; returns the memory the
// primitive reads or writes.
static dnnl_status_t bindIn(dnnl_stream_t st, tensor *t, const void *data, dnnl_memory_t *out) {
    dnnl_status_t s = dnnl_memory_set_data_handle(t->user, (void *)data);
    if (s != dnnl_success) return s;
    if (!t->internal) { *out = t->user; return dnnl_success; }
    *out = t->internal;
    return run1(st, t->toInternal, t->user, t->internal);
}

static dnnl_memory_t bindOut(tensor *t, void *data) {
    dnnl_memory_set_data_handle(t->user, data);
    return t->internal ? t->internal : t->user;
}

static dnnl_status_t flushOut(dnnl_stream_t st, tensor *t) {
    return t->internal ? run1(st, t->toUser, t->internal, t->user) : dnnl_success;
}

/// The three primitive descriptors of a convolution and its plain memory descriptors: what
/// bpg_conv_create builds on and bpg_conv_plan_bytes measures (no memory is allocated here).
typedef struct {
    dnnl_primitive_desc_t fpd, dpd, wpd;
    dnnl_memory_desc_t srcPlain, weiPlain, biasPlain, dstPlain;
} conv_descs;

static void freeDescs(conv_descs *d) {
    if (d->fpd) dnnl_primitive_desc_destroy(d->fpd);
    if (d->wpd) dnnl_primitive_desc_destroy(d->wpd);
    if (d->dpd) dnnl_primitive_desc_destroy(d->dpd);
}

static dnnl_status_t makeDescs(conv_descs *d, dnnl_engine_t engine, long batch, long channels, long height, long width,
                               long filters, long kernel, long stride, long padding, int needInputGradient) {
    memset(d, 0, sizeof *d);
    const long oh = (height + 2 * padding - kernel) / stride + 1, ow = (width + 2 * padding - kernel) / stride + 1;
    dnnl_dims_t srcDims = {batch, channels, height, width}, weiDims = {filters, channels, kernel, kernel};
    dnnl_dims_t biasDims = {filters}, dstDims = {batch, filters, oh, ow};
    dnnl_dims_t strides = {stride, stride}, pad = {padding, padding};
    dnnl_memory_desc_t srcAny, weiAny, dstAny;
    dnnl_status_t s;
#define STEP(call) if ((s = (call)) != dnnl_success) return s
    STEP(dnnl_memory_desc_init_by_tag(&d->srcPlain, 4, srcDims, dnnl_f32, dnnl_nchw));
    STEP(dnnl_memory_desc_init_by_tag(&d->weiPlain, 4, weiDims, dnnl_f32, dnnl_oihw));
    STEP(dnnl_memory_desc_init_by_tag(&d->biasPlain, 1, biasDims, dnnl_f32, dnnl_x));
    STEP(dnnl_memory_desc_init_by_tag(&d->dstPlain, 4, dstDims, dnnl_f32, dnnl_nchw));
    const int image = channels <= 3;
    STEP(dnnl_memory_desc_init_by_tag(&srcAny, 4, srcDims, dnnl_f32, image ? dnnl_nchw : dnnl_nhwc));
    STEP(dnnl_memory_desc_init_by_tag(&weiAny, 4, weiDims, dnnl_f32, dnnl_format_tag_any));
    STEP(dnnl_memory_desc_init_by_tag(&dstAny, 4, dstDims, dnnl_f32, image ? dnnl_format_tag_any : dnnl_nhwc));
    dnnl_convolution_desc_t fd, dd, wd;
    STEP(dnnl_convolution_forward_desc_init(&fd, dnnl_forward_training, dnnl_convolution_direct, &srcAny, &weiAny,
                                            &d->biasPlain, &dstAny, strides, pad, pad));
    STEP(dnnl_primitive_desc_create(&d->fpd, &fd, NULL, engine, NULL));
    STEP(dnnl_convolution_backward_weights_desc_init(&wd, dnnl_convolution_direct, &srcAny, &weiAny, &d->biasPlain,
                                                     &dstAny, strides, pad, pad));
    STEP(dnnl_primitive_desc_create(&d->wpd, &wd, NULL, engine, d->fpd));
    if (needInputGradient) {
        STEP(dnnl_convolution_backward_data_desc_init(&dd, dnnl_convolution_direct, &srcAny, &weiAny, &dstAny,
                                                      strides, pad, pad));
        STEP(dnnl_primitive_desc_create(&d->dpd, &dd, NULL, engine, d->fpd));
    }
#undef STEP
    return dnnl_success;
}

static const dnnl_memory_desc_t *md(dnnl_primitive_desc_t pd, dnnl_query_t what) {
    return dnnl_primitive_desc_query_md(pd, what, 0);
}

/// Bytes of a tensor's internal copy: its size when the primitive wants another layout.
static long internalBytes(const dnnl_memory_desc_t *plain, const dnnl_memory_desc_t *wanted) {
    return dnnl_memory_desc_equal(plain, wanted) ? 0 : (long)dnnl_memory_desc_get_size(wanted);
}

/// What a primitive keeps besides its arguments (its scratchpad, in oneDNN's default mode).
static long consumption(dnnl_primitive_desc_t pd) {
    int64_t bytes = 0;
    if (!pd || dnnl_primitive_desc_query(pd, dnnl_query_memory_consumption_s64, 0, &bytes) != dnnl_success) return 0;
    return (long)bytes;
}

long bpg_conv_plan_bytes(long batch, long channels, long height, long width, long filters, long kernel, long stride,
                         long padding, int needInputGradient) {
    dnnl_engine_t engine = NULL;
    if (dnnl_engine_create(&engine, dnnl_cpu, 0) != dnnl_success) return -1;
    conv_descs d;
    long total = -1;
    if (makeDescs(&d, engine, batch, channels, height, width, filters, kernel, stride, padding, needInputGradient) == dnnl_success) {
        total = internalBytes(&d.srcPlain, md(d.fpd, dnnl_query_src_md)) + internalBytes(&d.weiPlain, md(d.fpd, dnnl_query_weights_md))
              + internalBytes(&d.dstPlain, md(d.fpd, dnnl_query_dst_md))
              + internalBytes(&d.srcPlain, md(d.wpd, dnnl_query_src_md)) + internalBytes(&d.dstPlain, md(d.wpd, dnnl_query_diff_dst_md))
              + internalBytes(&d.weiPlain, md(d.wpd, dnnl_query_diff_weights_md))
              + consumption(d.fpd) + consumption(d.wpd) + consumption(d.dpd)
              + (long)sizeof(float) * (filters * channels * kernel * kernel + filters);
        if (d.dpd) {
            total += internalBytes(&d.dstPlain, md(d.dpd, dnnl_query_diff_dst_md)) + internalBytes(&d.weiPlain, md(d.dpd, dnnl_query_weights_md))
                   + internalBytes(&d.srcPlain, md(d.dpd, dnnl_query_diff_src_md));
        }
    }
    freeDescs(&d);
    dnnl_engine_destroy(engine);
    return total;
}

bpg_conv *bpg_conv_create(long batch, long channels, long height, long width, long filters, long kernel,
                          long stride, long padding, int needInputGradient, char *error, long errorSize) {
    bpg_conv *c = calloc(1, sizeof *c);
    conv_descs d = {0};
    if (!c) { snprintf(error, errorSize, "out of memory"); return NULL; }
    TRY(dnnl_engine_create(&c->engine, dnnl_cpu, 0));
    TRY(dnnl_stream_create(&c->stream, c->engine, dnnl_stream_default_flags));
    TRY(makeDescs(&d, c->engine, batch, channels, height, width, filters, kernel, stride, padding, needInputGradient));
    dnnl_primitive_desc_t fpd = d.fpd, wpd = d.wpd, dpd = d.dpd;
    TRY(dnnl_primitive_create(&c->forward, fpd));
    TRY(makeTensor(c->engine, &c->src, &d.srcPlain, md(fpd, dnnl_query_src_md), 1));
    TRY(makeTensor(c->engine, &c->weights, &d.weiPlain, md(fpd, dnnl_query_weights_md), 1));
    TRY(makeTensor(c->engine, &c->bias, &d.biasPlain, &d.biasPlain, 0));
    TRY(makeTensor(c->engine, &c->dst, &d.dstPlain, md(fpd, dnnl_query_dst_md), 2));

    TRY(dnnl_primitive_create(&c->backwardWeights, wpd));
    TRY(makeTensor(c->engine, &c->bwSrc, &d.srcPlain, md(wpd, dnnl_query_src_md), 1));
    TRY(makeTensor(c->engine, &c->bwDiffDst, &d.dstPlain, md(wpd, dnnl_query_diff_dst_md), 1));
    TRY(makeTensor(c->engine, &c->bwDiffWeights, &d.weiPlain, md(wpd, dnnl_query_diff_weights_md), 2));
    TRY(makeTensor(c->engine, &c->bwDiffBias, &d.biasPlain, &d.biasPlain, 0));

    if (needInputGradient) {
        TRY(dnnl_primitive_create(&c->backwardData, dpd));
        TRY(makeTensor(c->engine, &c->bdDiffDst, &d.dstPlain, md(dpd, dnnl_query_diff_dst_md), 1));
        TRY(makeTensor(c->engine, &c->bdWeights, &d.weiPlain, md(dpd, dnnl_query_weights_md), 1));
        TRY(makeTensor(c->engine, &c->bdDiffSrc, &d.srcPlain, md(dpd, dnnl_query_diff_src_md), 2));
    }
    {
        c->sameSrc = c->src.internal && c->bwSrc.internal &&
                     dnnl_memory_desc_equal(md(fpd, dnnl_query_src_md), md(wpd, dnnl_query_src_md));
        c->sameDiffDst = needInputGradient && c->bwDiffDst.internal && c->bdDiffDst.internal &&
                         dnnl_memory_desc_equal(md(wpd, dnnl_query_diff_dst_md), md(dpd, dnnl_query_diff_dst_md));
    }
    c->filters = filters;
    c->weightCount = filters * channels * kernel * kernel;
    c->scratchWeights = malloc(sizeof(float) * c->weightCount);
    c->scratchBias = malloc(sizeof(float) * filters);
    if (!c->scratchWeights || !c->scratchBias) { snprintf(error, errorSize, "out of memory"); goto fail; }
    freeDescs(&d);
    return c;
fail:
    freeDescs(&d);
    bpg_conv_destroy(c);
    return NULL;
}

void bpg_conv_destroy(bpg_conv *c) {
    if (!c) return;
    tensor *all[] = {&c->src, &c->weights, &c->bias, &c->dst, &c->bdDiffDst, &c->bdWeights, &c->bdDiffSrc,
                     &c->bwSrc, &c->bwDiffDst, &c->bwDiffWeights, &c->bwDiffBias};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) freeTensor(all[i]);
    if (c->forward) dnnl_primitive_destroy(c->forward);
    if (c->backwardData) dnnl_primitive_destroy(c->backwardData);
    if (c->backwardWeights) dnnl_primitive_destroy(c->backwardWeights);
    if (c->stream) dnnl_stream_destroy(c->stream);
    if (c->engine) dnnl_engine_destroy(c->engine);
    free(c->scratchWeights);
    free(c->scratchBias);
    free(c);
}

int bpg_conv_forward(bpg_conv *c, const float *x, const float *weight, const float *bias, float *y) {
    dnnl_memory_t src, wei, b;
    dnnl_status_t s;
    c->lastX = x;
    if ((s = bindIn(c->stream, &c->src, x, &src)) != dnnl_success) return s;
    if ((s = bindIn(c->stream, &c->weights, weight, &wei)) != dnnl_success) return s;
    if ((s = bindIn(c->stream, &c->bias, bias, &b)) != dnnl_success) return s;
    dnnl_memory_t dst = bindOut(&c->dst, y);
    dnnl_exec_arg_t args[4] = {{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, wei}, {DNNL_ARG_BIAS, b}, {DNNL_ARG_DST, dst}};
    if ((s = dnnl_primitive_execute(c->forward, c->stream, 4, args)) != dnnl_success) return s;
    return flushOut(c->stream, &c->dst);
}

int bpg_conv_backward(bpg_conv *c, const float *x, const float *dy, const float *weight, float *dWeight,
                      float *dBias, float *dx, int accumulate) {
    dnnl_memory_t src, diffDst, diffWei, diffBias;
    dnnl_status_t s;
    // Weight and bias gradients land in scratch, then are added to (or copied over) the
    // layer's: oneDNN's primitives overwrite their outputs.
    if (c->sameSrc && x == c->lastX) src = c->src.internal;
    else if ((s = bindIn(c->stream, &c->bwSrc, x, &src)) != dnnl_success) return s;
    if ((s = bindIn(c->stream, &c->bwDiffDst, dy, &diffDst)) != dnnl_success) return s;
    float *wTarget = accumulate ? c->scratchWeights : dWeight, *bTarget = accumulate ? c->scratchBias : dBias;
    diffWei = bindOut(&c->bwDiffWeights, wTarget);
    diffBias = bindOut(&c->bwDiffBias, bTarget);
    dnnl_exec_arg_t wargs[4] = {{DNNL_ARG_SRC, src}, {DNNL_ARG_DIFF_DST, diffDst}, {DNNL_ARG_DIFF_WEIGHTS, diffWei},
                                {DNNL_ARG_DIFF_BIAS, diffBias}};
    if ((s = dnnl_primitive_execute(c->backwardWeights, c->stream, 4, wargs)) != dnnl_success) return s;
    if ((s = flushOut(c->stream, &c->bwDiffWeights)) != dnnl_success) return s;
    if (accumulate) {
        for (long i = 0; i < c->weightCount; i++) dWeight[i] += c->scratchWeights[i];
        for (long i = 0; i < c->filters; i++) dBias[i] += c->scratchBias[i];
    }
    if (!dx) return dnnl_success;
    if (!c->backwardData) return dnnl_invalid_arguments;
    dnnl_memory_t bdDiffDst, wei;
    if (c->sameDiffDst) bdDiffDst = diffDst;
    else if ((s = bindIn(c->stream, &c->bdDiffDst, dy, &bdDiffDst)) != dnnl_success) return s;
    if ((s = bindIn(c->stream, &c->bdWeights, weight, &wei)) != dnnl_success) return s;
    dnnl_memory_t diffSrc = bindOut(&c->bdDiffSrc, dx);
    dnnl_exec_arg_t dargs[3] = {{DNNL_ARG_DIFF_DST, bdDiffDst}, {DNNL_ARG_WEIGHTS, wei}, {DNNL_ARG_DIFF_SRC, diffSrc}};
    if ((s = dnnl_primitive_execute(c->backwardData, c->stream, 3, dargs)) != dnnl_success) return s;
    return flushOut(c->stream, &c->bdDiffSrc);
}
