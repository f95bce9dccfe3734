// SPDX-License-Identifier: Apache-2.0
// RSNA Pneumonia Detection Challenge, Kaggle stage 2 (labels-facts.md §1.7):
// stage_2_train_labels.csv `patientId,x,y,width,height,Target` has one row per box (boxes ignored
// here: one row per image, Target 1 when any row says so) and stage_2_detailed_class_info.csv
// `patientId,class` the class: `Lung Opacity`, `Normal` or `No Lung Opacity / Not Normal`. Images
// are stage_2_train_images/<patientId>.dcm. `patientId` is an image, not a patient. RSNA's own
// pneumonia-challenge-dataset-mappings_2018.json (entries `img_id` = NIH file name, `subset_img_id` =
// patientId), when installed, gives each image its NIH source and so its NIH patient.
#include "labels/dataset_reader.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <unordered_map>

namespace cxrcat::labels {

namespace {

std::vector<std::string> rsna_roles(const LabelOptions& /*options*/) {
    return {"boxes", "classes"};
}

// patientId -> NIH file name, from the mapping when it is installed.
Result<std::unordered_map<std::string, std::string>> read_nih_mapping(const ReaderContext& context) {
    std::unordered_map<std::string, std::string> mapping;
    if (!context.locate("nih_mapping")) {
        return mapping;
    }
    auto text = context.read("nih_mapping");
    if (!text) {
        return text.error();
    }
    nlohmann::json document = nlohmann::json::parse(*text, nullptr, false);
    std::string name = context.display(*context.locate("nih_mapping"));
    if (!document.is_array()) {
        return Error(ErrorCode::integrity, name + ": expected a JSON array of {img_id, subset_img_id, ...}");
    }
    for (const nlohmann::json& entry : document) {
        if (!entry.is_object() || !entry.contains("img_id") || !entry.contains("subset_img_id") ||
            !entry["img_id"].is_string() || !entry["subset_img_id"].is_string()) {
            return Error(ErrorCode::integrity, name + ": an entry without string img_id and subset_img_id");
        }
        mapping[entry["subset_img_id"].get<std::string>()] = entry["img_id"].get<std::string>();
    }
    return mapping;
}

// NIH's patient from its file name `{PatientID:08d}_{nnn}.png` (labels-facts.md §1.1), or "".
std::string nih_patient(const std::string& image) {
    std::string digits = image.substr(0, image.find('_'));
    if (digits.empty() || digits.size() > 8 || digits.find_first_not_of("0123456789") != std::string::npos) {
        return "";
    }
    return std::to_string(std::stoul(digits));
}

Result<void> read_rsna(const ReaderContext& context, const NativeSink& each) {
    auto opacity = context.native_index("Lung Opacity");
    auto normal = context.native_index("Normal");
    auto other = context.native_index("No Lung Opacity / Not Normal");
    if (!opacity || !normal || !other) {
        return Error(ErrorCode::invalid_catalog, context.dataset.id + ": the label map must name Lung Opacity, Normal "
                                                                      "and No Lung Opacity / Not Normal");
    }
    std::map<std::string, std::string> class_of; // patientId -> class, in patientId order
    auto classes = open_csv(context, "classes");
    auto id = classes ? classes->column("patientId") : Result<std::size_t>(classes.error());
    auto label = id ? classes->column("class") : id;
    auto read = label ? each_record(*classes,
                                    [&](const std::vector<std::string>& record) -> Result<void> {
                                        class_of[record[*id]] = record[*label];
                                        return {};
                                    })
                      : Result<void>(label.error());
    if (!read) {
        return read;
    }
    std::map<std::string, bool> target_of; // patientId -> any box row with Target 1
    auto boxes = open_csv(context, "boxes");
    auto box_id = boxes ? boxes->column("patientId") : Result<std::size_t>(boxes.error());
    auto target = box_id ? boxes->column("Target") : box_id;
    read = target ? each_record(*boxes,
                                [&](const std::vector<std::string>& record) -> Result<void> {
                                    if (record[*target] != "0" && record[*target] != "1") {
                                        return boxes->reader->error("Target: expected 0 or 1, got \"" +
                                                                    record[*target] + "\"");
                                    }
                                    target_of[record[*box_id]] = target_of[record[*box_id]] || record[*target] == "1";
                                    return {};
                                })
                  : Result<void>(target.error());
    auto mapping =
        read ? read_nih_mapping(context) : Result<std::unordered_map<std::string, std::string>>(read.error());
    if (!mapping) {
        return mapping.error();
    }
    for (const auto& [patient_id, positive] : target_of) {
        NativeRow row;
        row.row.image = "stage_2_train_images/" + patient_id + ".dcm";
        row.row.split = "train";
        auto nih = mapping->find(patient_id);
        if (nih != mapping->end()) {
            row.row.source_image = "nih-cxr14:" + nih->second;
            row.row.patient = nih_patient(nih->second);
        }
        row.native.assign(context.spec.findings.size(), FindingValue::not_mentioned);
        row.native[*opacity] = positive ? FindingValue::positive : FindingValue::negative;
        auto found = class_of.find(patient_id);
        if (found != class_of.end()) {
            row.native[*normal] = found->second == "Normal" ? FindingValue::positive : FindingValue::negative;
            row.native[*other] =
                found->second == "No Lung Opacity / Not Normal" ? FindingValue::positive : FindingValue::negative;
        }
        each(std::move(row));
    }
    return {};
}

} // namespace

const DatasetReader k_rsna_reader{"rsna-pneumonia", {""}, rsna_roles, read_rsna};

} // namespace cxrcat::labels
