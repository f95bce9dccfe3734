// SPDX-License-Identifier: Apache-2.0
// The one unit of cxrcat_test_pch, the target that builds the test binaries' shared precompiled
// header (tests/CMakeLists.txt); it has nothing of its own to compile.
