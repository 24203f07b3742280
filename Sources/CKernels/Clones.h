// Function multiversioning for the kernels: each CLONES function is compiled for AVX-512,
// AVX2 and baseline x86-64, and an ifunc resolver picks one when the program loads.
//
// Under a sanitizer (swift test --sanitize=thread) the resolver would itself be instrumented
// and run before the sanitizer's runtime is up, crashing the loader, so those builds get the
// baseline code only. Other architectures have no such clones either.
#ifndef BPGRAD_CLONES_H
#define BPGRAD_CLONES_H

#if defined(__has_feature)
#if __has_feature(thread_sanitizer) || __has_feature(address_sanitizer)
#define BPGRAD_SANITIZED 1
#endif
#endif

#if defined(__x86_64__) && !defined(BPGRAD_SANITIZED)
#define CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define CLONES
#endif

#endif
