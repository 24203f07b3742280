// zlib's gzip reader (Debian: zlib1g-dev).
#include <zlib.h>
