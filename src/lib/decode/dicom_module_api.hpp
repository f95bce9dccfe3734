// SPDX-License-Identifier: Apache-2.0
// Private to decode: the one C entry point of the DICOM module (libcxrcat-dicom.so, built from
// dicom_module.cpp and linked against GDCM). GDCM is a C++ library with hundreds of symbols, which
// cannot be forwarded one by one as the C codecs are; so GDCM lives in this module, and cxrcat opens
// the module (and with it GDCM) on the first DICOM file it checks, through SharedLibrary.
#pragma once

#include <cstddef>

// What cxrcat_dicom_check writes: NUL-terminated texts, cut to their buffers' sizes.
struct CxrcatDicomResult {
    char check[32];        // the failed check ("transfer-syntax", "pixel-length", ...), "" when the file passed
    char detail[512];      // GDCM's words or what was expected and found
    char description[128]; // "1024x1024 8-bit MONOCHROME2, JPEG Baseline (Process 1)"
    int constant;          // 1 when every decoded sample had one value
    int bits_stored;       // BitsStored (0028,0101)
    char colour[16];       // grey (MONOCHROME1/2), RGB (RGB, YBR_*), indexed (PALETTE COLOR), else ""
};

// Checks the DICOM file at path into result; returns 0 (it never throws across the C boundary). When
// contents is not null, it holds the file's size bytes, already read: the check reads from there.
extern "C" int cxrcat_dicom_check(const char* path, const void* contents, std::size_t size, CxrcatDicomResult* result);
using CxrcatDicomCheck = int(const char* path, const void* contents, std::size_t size, CxrcatDicomResult* result);
