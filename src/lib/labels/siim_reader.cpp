// SPDX-License-Identifier: Apache-2.0
// SIIM-ACR Pneumothorax (labels-facts.md §1.8): train-rle.csv (stage_2_train.csv in the stage-2
// download, whose form is UNCONFIRMED there) has the header `ImageId, EncodedPixels` with a space
// before EncodedPixels; `-1` means no pneumothorax, anything else is a mask, and an image with
// several masks has several rows. Images are dicom-images-train/<study>/<series>/<ImageId>.dcm, found
// by walking that folder when it is installed (TorchXRayVision builds the same basename map).
#include "cxrcat/base/text.hpp"
#include "labels/dataset_reader.hpp"

#include <map>
#include <unordered_map>

namespace cxrcat::labels {

namespace {

std::vector<std::string> siim_roles(const LabelOptions& /*options*/) {
    return {"rle"};
}

// "<ImageId>" -> its path under the installed image folder.
std::unordered_map<std::string, std::string> image_paths(const ReaderContext& context) {
    std::unordered_map<std::string, std::string> paths;
    auto folder = context.locate("images");
    if (!folder) {
        return paths;
    }
    std::error_code error;
    for (auto it = std::filesystem::recursive_directory_iterator(*folder, error);
         !error && it != std::filesystem::recursive_directory_iterator(); it.increment(error)) {
        if (it->path().extension() == ".dcm") {
            paths[it->path().stem().string()] = context.display(it->path());
        }
    }
    return paths;
}

Result<void> read_siim(const ReaderContext& context, const NativeSink& each) {
    auto pneumothorax = context.native_index("Pneumothorax");
    if (!pneumothorax) {
        return Error(ErrorCode::invalid_catalog, context.dataset.id + ": the label map must name Pneumothorax");
    }
    auto file = open_csv(context, "rle");
    auto id = file ? file->column("ImageId") : Result<std::size_t>(file.error());
    auto pixels = id ? file->column(" EncodedPixels") : id; // the distributed header's leading space
    std::map<std::string, bool> positive_of;
    auto read = pixels ? each_record(*file,
                                     [&](const std::vector<std::string>& record) -> Result<void> {
                                         std::string_view mask = trim(record[*pixels]);
                                         if (mask.empty()) {
                                             return file->reader->error(
                                                 "EncodedPixels: expected -1 or a run-length mask, got an empty field");
                                         }
                                         positive_of[record[*id]] = positive_of[record[*id]] || mask != "-1";
                                         return {};
                                     })
                       : Result<void>(pixels.error());
    if (!read) {
        return read;
    }
    std::unordered_map<std::string, std::string> paths = image_paths(context);
    for (const auto& [image, positive] : positive_of) {
        NativeRow row;
        auto path = paths.find(image);
        row.row.image = path != paths.end() ? path->second : "dicom-images-train/" + image + ".dcm";
        row.row.split = "train";
        row.native.assign(context.spec.findings.size(), FindingValue::not_mentioned);
        row.native[*pneumothorax] = positive ? FindingValue::positive : FindingValue::negative;
        each(std::move(row));
    }
    return {};
}

} // namespace

const DatasetReader k_siim_reader{"siim-acr-pneumothorax", {""}, siim_roles, read_siim};

} // namespace cxrcat::labels
