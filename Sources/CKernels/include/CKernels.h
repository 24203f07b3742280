// Elementwise numeric kernels of the engine, in C so that each is compiled for several
// instruction sets (AVX-512, AVX2, baseline x86-64) and the best is picked when the program
// loads (function multiversioning). Swift compiles for the baseline only, and its SIMD types
// then run at SSE width.
//
// Floating-point operations keep the order of the Swift/PyTorch formulas they replace:
// the target is built with -ffp-contract=off (no fused multiply-adds the formulas don't have)
// and without fast-math, so every clone gives the same bits.
#ifndef BPGRAD_CKERNELS_H
#define BPGRAD_CKERNELS_H

#include <stddef.h>

/// ||g||^2 and ||d||^2 of a solver update (g with weight decay added, d the step taken).
typedef struct {
    double gradSquared;
    double stepSquared;
} bpg_sums;

/// SGD: g = grad + wd*x; without momentum d = -lr*g; with momentum
/// b = first ? g : mu*b + keep*g, d = -lr*(nesterov ? g + mu*b : b).
bpg_sums bpg_sgd(float *p, const float *g, float *b, long n, float wd, float lr, float mu, float keep,
                 int first, int nesterov);
/// Adam: m = lerp(m, g, w1); v = v*b2 + w2*g*g; d = negStep*(m/(sqrt(v)*(1/bc2Sqrt) + eps)).
bpg_sums bpg_adam(float *p, const float *g, float *m, float *v, long n, float wd, float negStep, float bc2Sqrt,
                  float w1, float b2, float w2, float eps);
/// Adagrad: s += g*g; d = -c*(g/(sqrt(s) + eps)).
bpg_sums bpg_adagrad(float *p, const float *g, float *s, long n, float wd, float c, float eps);
/// Adadelta: s = s*rho + w*g*g; delta = sqrt(u + eps)/sqrt(s + eps)*g; u = u*rho + w*delta^2; d = -lr*delta.
bpg_sums bpg_adadelta(float *p, const float *g, float *s, float *u, long n, float wd, float lr, float rho,
                      float w, float eps);
/// RMSprop: s = s*alpha + w*g*g; c = lerp(c, g, w) (centered, c non-null); a = sqrt(s [- c*c]) + eps;
/// with momentum (b non-null) b = b*mu + g/a, d = -lr*b; else d = -lr*(g/a).
bpg_sums bpg_rmsprop(float *p, const float *g, float *s, float *c, float *b, long n, float wd, float lr,
                     float alpha, float w, float eps, float mu);
/// BPGrad: v = mu*v - scale*g; d = e*v (reference placement) or d = v (paper placement; e unused).
bpg_sums bpg_bpgrad(float *p, const float *g, float *v, long n, float wd, float mu, float scale, float e,
                    int reference);
/// ||grad + wd*x||^2.
double bpg_norm_squared(const float *g, const float *p, long n, float wd);

/// Streaming kernels for `bench`'s memory-bandwidth reference: dst = src and a = b + s*c.
void bpg_stream_copy(float *dst, const float *src, long n);
void bpg_stream_triad(float *a, const float *b, const float *c, float s, long n);

/// y = max(x, 0), NaN propagating (as Swift's max(x, 0) and torch.relu).
void bpg_relu(float *y, const float *x, long n);

/// y[r][j] += bias[j] over `rows` rows of `cols`, then, with `relu`, y = y <= 0 ? 0 : y (NaN
/// passes, as in bpg_relu): a dense layer's output after its product, in one pass.
void bpg_add_bias_rows(float *y, const float *bias, long rows, long cols, int relu);
/// dx = x <= 0 ? 0 : dy (NaN inputs pass the gradient, as before).
void bpg_relu_backward(float *dx, const float *x, const float *dy, long n);
/// dst[j] = (accumulate ? dst[j] : 0) + src[0][j] + src[1][j] + ... over `rows` rows of `cols`,
/// added in row order (the bias gradient of a dense layer).
void bpg_sum_rows(float *dst, const float *src, long rows, long cols, int accumulate);

/// bpg_relu_backward then bpg_sum_rows in one pass, for a dense layer that applies its ReLU:
/// dx = dy where y > 0 (y the ReLU's output; NaN passes dy, as above), 0 elsewhere, and
/// sum[j] = (accumulate ? sum[j] : 0) + dx[0][j] + dx[1][j] + ..., added in row order.
void bpg_relu_backward_sum_rows(float *dx, const float *y, const float *dy, long rows, long cols, float *sum,
                                int accumulate);

/// dst row k = src row indices[k], for n rows of d floats (a minibatch from a shuffled
/// dataset), prefetching the rows a few ahead: each is a random read from a dataset far larger
/// than the caches.
void bpg_gather_rows(float *dst, const float *src, const long *indices, long n, long d);

/// dst[i] = src[i] / 255 exactly as a Float division rounds it, for n bytes (image pixels).
void bpg_unit_bytes_to_float(float *dst, const unsigned char *src, long n);

/// bpg_gather_rows for byte rows: dst row k = src row indices[k] / 255, for n rows of d bytes.
void bpg_gather_unit_bytes(float *dst, const unsigned char *src, const long *indices, long n, long d);

/// Max pooling over `planes` planes of h x w: y[o] is the largest value of each size x size
/// window (stride apart), the first in row order on ties, and a NaN only where it comes first;
/// argmax[o] is its index counted from x.
void bpg_maxpool_forward(const float *x, float *y, int *argmax, long planes, long h, long w, long size, long stride,
                         long oh, long ow);
/// dx = 0, then dx[argmax[o]] += dy[o] for each of the n outputs.
void bpg_maxpool_backward(const float *dy, const int *argmax, float *dx, long n, long inputCount);

/// A 2-D convolution of one batch size through oneDNN's primitives, on plain [N, C, H, W]
/// activations, [F, C, k, k] weights and [F] biases. Create returns NULL and writes a message
/// into `error` when oneDNN refuses. Calls return 0 (dnnl_success) or oneDNN's status.
typedef struct bpg_conv bpg_conv;
bpg_conv *bpg_conv_create(long batch, long channels, long height, long width, long filters, long kernel,
                          long stride, long padding, int needInputGradient, char *error, long errorSize);
void bpg_conv_destroy(bpg_conv *conv);
/// Bytes that bpg_conv_create would allocate for this convolution besides its plain arguments
/// (the copies in oneDNN's preferred layouts, the primitives' own memory, the gradient
/// scratch), worked out from the primitive descriptors without allocating them; -1 when oneDNN
/// refuses the shape (the layer then runs im2col).
long bpg_conv_plan_bytes(long batch, long channels, long height, long width, long filters, long kernel, long stride,
                         long padding, int needInputGradient);
int bpg_conv_forward(bpg_conv *conv, const float *x, const float *weight, const float *bias, float *y);
/// Weight and bias gradients are added (accumulate) or written; dx may be NULL (not needed).
/// Reads the same x the last forward did.
int bpg_conv_backward(bpg_conv *conv, const float *x, const float *dy, const float *weight, float *dWeight,
                      float *dBias, float *dx, int accumulate);

#endif
