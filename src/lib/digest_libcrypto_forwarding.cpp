// SPDX-License-Identifier: Apache-2.0
// The libcrypto (OpenSSL) functions the digest unit calls, forwarded to libcrypto opened on first use
// (shared_library.hpp says why). A function used in digest.cpp needs its line here, or the link fails.
#include "shared_library.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

namespace {

cxrcat::SharedLibrary& libcrypto() {
    static cxrcat::SharedLibrary library(CXRCAT_LIBCRYPTO_SONAME, CXRCAT_LIBCRYPTO_PACKAGE);
    return library;
}

} // namespace

CXRCAT_FORWARD(libcrypto, const char*, OpenSSL_version, (int type), (type))
CXRCAT_FORWARD(libcrypto, const EVP_MD*, EVP_md5, (void), ())
CXRCAT_FORWARD(libcrypto, const EVP_MD*, EVP_sha1, (void), ())
CXRCAT_FORWARD(libcrypto, const EVP_MD*, EVP_sha256, (void), ())
CXRCAT_FORWARD(libcrypto, const EVP_MD*, EVP_sha512, (void), ())
CXRCAT_FORWARD(libcrypto, EVP_MD_CTX*, EVP_MD_CTX_new, (void), ())
CXRCAT_FORWARD(libcrypto, void, EVP_MD_CTX_free, (EVP_MD_CTX * context), (context))
CXRCAT_FORWARD(libcrypto, int, EVP_DigestInit_ex, (EVP_MD_CTX * context, const EVP_MD* type, ENGINE* engine),
               (context, type, engine))
CXRCAT_FORWARD(libcrypto, int, EVP_DigestUpdate, (EVP_MD_CTX * context, const void* bytes, size_t size),
               (context, bytes, size))
CXRCAT_FORWARD(libcrypto, int, EVP_DigestFinal_ex, (EVP_MD_CTX * context, unsigned char* digest, unsigned* size),
               (context, digest, size))
CXRCAT_FORWARD(libcrypto, int, EVP_EncodeBlock, (unsigned char* to, const unsigned char* from, int size),
               (to, from, size))
CXRCAT_FORWARD(libcrypto, int, EVP_DecodeBlock, (unsigned char* to, const unsigned char* from, int size),
               (to, from, size))
