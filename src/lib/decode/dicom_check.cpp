// SPDX-License-Identifier: Apache-2.0
// DICOM checks run in the DICOM module (dicom_module_api.hpp), opened with GDCM on the first DICOM
// file: a run that checks no DICOM never loads GDCM's dozen libraries.
#include "base/shared_library.hpp"
#include "decode/dicom_module_api.hpp"
#include "decode/format_checks.hpp"

#include <cstdlib>

namespace cxrcat::decode {

namespace {

// Where the module is: CXRCAT_DICOM_MODULE (tests, other programs), else beside the running program
// as installed (<prefix>/bin/cxrcat -> <prefix>/lib/cxrcat/, so a .deb or a moved prefix works), else
// the configured install path, else the build tree's (running from the build directory).
std::string module_path() {
    if (const char* given = std::getenv("CXRCAT_DICOM_MODULE"); given != nullptr && *given != '\0') { // NOLINT
        return given;
    }
    std::error_code ec;
    std::filesystem::path program = std::filesystem::read_symlink("/proc/self/exe", ec);
    std::filesystem::path beside = program.parent_path().parent_path() / CXRCAT_DICOM_MODULE_RELATIVE;
    for (const std::filesystem::path& candidate : {beside, std::filesystem::path(CXRCAT_DICOM_MODULE_INSTALLED)}) {
        if (!program.empty() && std::filesystem::exists(candidate, ec)) {
            return candidate.string();
        }
    }
    return CXRCAT_DICOM_MODULE_BUILT;
}

// Never destroyed: GDCM's static objects outlive ours.
CxrcatDicomCheck* dicom_entry_point() {
    static auto* const module = new SharedLibrary(module_path(), CXRCAT_GDCM_PACKAGE);
    static CxrcatDicomCheck* const entry = library_function<CxrcatDicomCheck>(*module, "cxrcat_dicom_check");
    return entry;
}

} // namespace

ImageCheck check_dicom(const std::filesystem::path& path, Contents contents) {
    CxrcatDicomResult result{};
    dicom_entry_point()(path.c_str(), contents.empty() ? nullptr : contents.data(), contents.size(), &result);
    ImageCheck out;
    out.format = ImageFormat::dicom;
    out.check = result.check;
    out.detail = result.detail;
    out.description = result.description;
    out.bit_depth = result.bits_stored > 0 ? static_cast<unsigned>(result.bits_stored) : 0;
    out.colour = result.colour;
    if (result.constant != 0) {
        out.warnings.emplace_back("constant: every decoded byte has one value");
    }
    return out;
}

} // namespace cxrcat::decode
