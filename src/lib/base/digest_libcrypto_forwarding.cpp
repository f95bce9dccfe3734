// SPDX-License-Identifier: Apache-2.0
// The libcrypto (OpenSSL) functions the digest unit calls, forwarded to libcrypto opened on first use
// (shared_library.hpp says why). A function used in digest.cpp needs its line here, or the link fails.
#include "base/shared_library.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

namespace {

// Never destroyed: a forwarder may still be called while static objects are destroyed at exit.
cxrcat::SharedLibrary& libcrypto() {
    static auto* const library = new cxrcat::SharedLibrary(CXRCAT_LIBCRYPTO_SONAME, CXRCAT_LIBCRYPTO_PACKAGE);
    return *library;
}

} // namespace

CXRCAT_FORWARD(libcrypto, const char*, OpenSSL_version, (int type), (type))
CXRCAT_FORWARD(libcrypto, const EVP_MD*, EVP_md5, (void), ())
CXRCAT_FORWARD(libcrypto, const EVP_MD*, EVP_sha1, (void), ())
CXRCAT_FORWARD(libcrypto, const EVP_MD*, EVP_sha256, (void), ())
CXRCAT_FORWARD(libcrypto, const EVP_MD*, EVP_sha512, (void), ())
CXRCAT_FORWARD(libcrypto, EVP_MD_CTX*, EVP_MD_CTX_new, (void), ())
CXRCAT_FORWARD(libcrypto, void, EVP_MD_CTX_free, (EVP_MD_CTX * ctx), (ctx))
CXRCAT_FORWARD(libcrypto, int, EVP_DigestInit_ex, (EVP_MD_CTX * ctx, const EVP_MD* type, ENGINE* impl),
               (ctx, type, impl))
CXRCAT_FORWARD(libcrypto, int, EVP_DigestUpdate, (EVP_MD_CTX * ctx, const void* d, size_t cnt), (ctx, d, cnt))
CXRCAT_FORWARD(libcrypto, int, EVP_DigestFinal_ex, (EVP_MD_CTX * ctx, unsigned char* md, unsigned* size),
               (ctx, md, size))
CXRCAT_FORWARD(libcrypto, int, EVP_EncodeBlock, (unsigned char* t, const unsigned char* f, int n), (t, f, n))
CXRCAT_FORWARD(libcrypto, int, EVP_DecodeBlock, (unsigned char* t, const unsigned char* f, int n), (t, f, n))
