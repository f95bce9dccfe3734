// SPDX-License-Identifier: Apache-2.0
// The NLM tuberculosis sets, Montgomery and Shenzhen (labels-facts.md §1.11, §1.12): the label is
// the file name's last digit, CXR_png/<stem>_0.png normal and <stem>_1.png tuberculosis
// (TorchXRayVision NLMTB_Dataset reads it the same way); sex and age come from the free-text
// ClinicalReadings/<stem>.txt beside it. Neither set has an official split or a patient id: the
// image's stem without its label digit stands for the patient.
#include "archive/decompressed_file.hpp"
#include "labels/clinical_reading.hpp"
#include "labels/dataset_reader.hpp"

#include <algorithm>

namespace cxrcat::labels {

namespace {

std::vector<std::string> nlm_tb_roles(const LabelOptions& /*options*/) {
    return {"images"};
}

Result<void> read_nlm_tb(const ReaderContext& context, const NativeSink& each) {
    std::filesystem::path images = *context.locate("images");
    std::optional<std::filesystem::path> readings = context.locate("readings");
    auto tuberculosis = context.native_index("Tuberculosis");
    if (!tuberculosis) {
        return Error(ErrorCode::invalid_catalog, context.dataset.id + ": the label map must name Tuberculosis");
    }
    std::vector<std::filesystem::path> files;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(images, error)) {
        if (entry.is_regular_file() && entry.path().extension() == ".png") {
            files.push_back(entry.path());
        }
    }
    if (error) {
        return Error(ErrorCode::local_io, "cannot list " + images.string() + ": " + error.message());
    }
    std::sort(files.begin(), files.end());
    for (const std::filesystem::path& file : files) {
        std::string stem = file.stem().string();
        if (stem.size() < 3 || stem[stem.size() - 2] != '_' || (stem.back() != '0' && stem.back() != '1')) {
            return Error(ErrorCode::integrity,
                         context.display(file) + ": expected a name ending in _0 or _1 (the label)");
        }
        NativeRow row;
        row.native.assign(context.spec.findings.size(), FindingValue::not_mentioned);
        row.native[*tuberculosis] = stem.back() == '1' ? FindingValue::positive : FindingValue::negative;
        row.row.image = context.display(file);
        row.row.patient = stem.substr(0, stem.size() - 2);
        if (readings) {
            if (auto text = read_decompressed_file(*readings / (stem + ".txt"))) {
                ClinicalReading reading = parse_clinical_reading(*text);
                row.row.sex = reading.sex;
                row.row.age = reading.age;
            }
        }
        each(std::move(row));
    }
    return {};
}

} // namespace

const DatasetReader k_nlm_tb_reader{"nlm-tb", {""}, nlm_tb_roles, read_nlm_tb};

} // namespace cxrcat::labels
