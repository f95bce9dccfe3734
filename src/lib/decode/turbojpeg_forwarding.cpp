// SPDX-License-Identifier: Apache-2.0
// The libturbojpeg functions cxrcat calls, forwarded to libturbojpeg opened on first use
// (base/shared_library.hpp says why): a command that decodes no JPEG never loads it.
#include "base/shared_library.hpp"

#include <turbojpeg.h>

namespace {

// Never destroyed: a forwarder may still be called while static objects are destroyed at exit.
cxrcat::SharedLibrary& libturbojpeg() {
    static auto* const library = new cxrcat::SharedLibrary(CXRCAT_LIBTURBOJPEG_SONAME, CXRCAT_LIBTURBOJPEG_PACKAGE);
    return *library;
}

} // namespace

CXRCAT_FORWARD(libturbojpeg, tjhandle, tjInitDecompress, (void), ())
CXRCAT_FORWARD(libturbojpeg, int, tjDestroy, (tjhandle handle), (handle))
CXRCAT_FORWARD(libturbojpeg, char*, tjGetErrorStr2, (tjhandle handle), (handle))
CXRCAT_FORWARD(libturbojpeg, int, tjGetErrorCode, (tjhandle handle), (handle))
CXRCAT_FORWARD(libturbojpeg, int, tjDecompressHeader3,
               (tjhandle handle, const unsigned char* jpegBuf, unsigned long jpegSize, int* width, int* height,
                int* jpegSubsamp, int* jpegColorspace),
               (handle, jpegBuf, jpegSize, width, height, jpegSubsamp, jpegColorspace))
CXRCAT_FORWARD(libturbojpeg, int, tjDecompress2,
               (tjhandle handle, const unsigned char* jpegBuf, unsigned long jpegSize, unsigned char* dstBuf, int width,
                int pitch, int height, int pixelFormat, int flags),
               (handle, jpegBuf, jpegSize, dstBuf, width, pitch, height, pixelFormat, flags))
