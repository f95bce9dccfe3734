// SPDX-License-Identifier: Apache-2.0
// LeakSanitizer's built-in suppressions (sanitizer builds only call it): leaks inside third-party
// libraries cxrcat cannot free. OpenJPEG 2.5.0 leaks its codec's allocations when GDCM abandons a
// damaged JPEG 2000 codestream (seen with a DICOM cut inside its codestream).
extern "C" const char* __lsan_default_suppressions(); // NOLINT(bugprone-reserved-identifier): the sanitizer's hook

extern "C" const char* __lsan_default_suppressions() { // NOLINT(bugprone-reserved-identifier)
    return "leak:libopenjp2.so\n";
}
