// SPDX-License-Identifier: Apache-2.0
// The zlib functions cxrcat calls (the start of a .nii.gz), forwarded to zlib opened on first use
// (base/shared_library.hpp says why).
#include "base/shared_library.hpp"

#include <zlib.h>

namespace {

// Never destroyed: a forwarder may still be called while static objects are destroyed at exit.
cxrcat::SharedLibrary& zlib() {
    static auto* const library = new cxrcat::SharedLibrary(CXRCAT_ZLIB_SONAME, CXRCAT_ZLIB_PACKAGE);
    return *library;
}

} // namespace

CXRCAT_FORWARD(zlib, int, inflateInit2_, (z_streamp strm, int windowBits, const char* version, int stream_size),
               (strm, windowBits, version, stream_size))
CXRCAT_FORWARD(zlib, int, inflate, (z_streamp strm, int flush), (strm, flush))
CXRCAT_FORWARD(zlib, int, inflateEnd, (z_streamp strm), (strm))
