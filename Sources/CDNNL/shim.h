// oneDNN's C API (Debian: libdnnl-dev), built on OpenMP (libgomp). Its GEMM and primitives run
// on as many OpenMP threads as the calling thread's setting allows; the engine sets that per
// call (see Support/GEMM.swift), since the setting is per thread and sessions train one
// solver per Dispatch thread.
#include <oneapi/dnnl/dnnl.h>

void omp_set_num_threads(int);
int omp_get_max_threads(void);
