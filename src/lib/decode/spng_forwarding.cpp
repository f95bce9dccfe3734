// SPDX-License-Identifier: Apache-2.0
// The libspng functions cxrcat calls, forwarded to libspng opened on first use (base/shared_library.hpp
// says why): a command that decodes no PNG never loads it.
#include "base/shared_library.hpp"

#include <spng.h>

namespace {

// Never destroyed: a forwarder may still be called while static objects are destroyed at exit.
cxrcat::SharedLibrary& libspng() {
    static auto* const library = new cxrcat::SharedLibrary(CXRCAT_LIBSPNG_SONAME, CXRCAT_LIBSPNG_PACKAGE);
    return *library;
}

} // namespace

CXRCAT_FORWARD(libspng, spng_ctx*, spng_ctx_new, (int flags), (flags))
CXRCAT_FORWARD(libspng, void, spng_ctx_free, (spng_ctx * ctx), (ctx))
CXRCAT_FORWARD(libspng, int, spng_set_png_file, (spng_ctx * ctx, FILE* file), (ctx, file))
CXRCAT_FORWARD(libspng, int, spng_set_png_buffer, (spng_ctx * ctx, const void* buf, size_t size), (ctx, buf, size))
CXRCAT_FORWARD(libspng, int, spng_set_crc_action, (spng_ctx * ctx, int critical, int ancillary),
               (ctx, critical, ancillary))
CXRCAT_FORWARD(libspng, int, spng_get_ihdr, (spng_ctx * ctx, struct spng_ihdr* ihdr), (ctx, ihdr))
CXRCAT_FORWARD(libspng, int, spng_decoded_image_size, (spng_ctx * ctx, int fmt, size_t* len), (ctx, fmt, len))
CXRCAT_FORWARD(libspng, int, spng_decode_image, (spng_ctx * ctx, void* out, size_t len, int fmt, int flags),
               (ctx, out, len, fmt, flags))
CXRCAT_FORWARD(libspng, int, spng_decode_row, (spng_ctx * ctx, void* out, size_t len), (ctx, out, len))
CXRCAT_FORWARD(libspng, int, spng_decode_chunks, (spng_ctx * ctx), (ctx))
CXRCAT_FORWARD(libspng, const char*, spng_strerror, (int err), (err))
