// SPDX-License-Identifier: Apache-2.0
// JSRT (labels-facts.md §1.10): two tab-delimited text files, CLNDAT_EN.txt for the 154 images with
// a nodule and CNNDAT_EN.TXT for the 93 without. Their columns (Nickollee/radiology-cv
// data/clinical/README.md, which says the user's guide's schema "IS INCORRECT"):
//   CLNDAT: filename, subtlety, size mm, age, sex, x, y, malignant, location, diagnosis
//   CNNDAT: filename, age, sex, nodule
// No header line: the third-party parsers in the stored public code split the first line as data
// (`int(toks[1])`, `int(row[5])`). The nodule is the file name's: JPCLN### has one, JPCNN### has
// none. No official split, no patient id (the image's stem stands for the patient), no view. Where
// the files lie in an install is not documented, so images are found by name anywhere under the
// dataset's directory; one that is not on disk keeps its bare name (and is counted as missing).
#include "cxrcat/base/text.hpp"
#include "labels/dataset_reader.hpp"

#include <map>

namespace cxrcat::labels {

namespace {

std::vector<std::string> jsrt_roles(const LabelOptions& /*options*/) {
    return {"nodule", "non-nodule"};
}

// The columns of age and sex in each file (0-based), and the file-name prefix its rows must carry.
struct JsrtFile {
    std::string_view role;
    std::string_view prefix; // "jpcln" or "jpcnn", lower case
    std::size_t age;
    std::size_t sex;
};

// Every .IMG under the dataset directory by lower-case file name: where each image is installed.
std::map<std::string, std::string> images_on_disk(const ReaderContext& context) {
    std::map<std::string, std::string> found;
    std::error_code error;
    for (std::filesystem::recursive_directory_iterator it(context.dir, error), end; !error && it != end;
         it.increment(error)) {
        if (it->is_regular_file(error) && to_lower(it->path().extension().string()) == ".img") {
            found.emplace(to_lower(it->path().filename().string()), context.display(it->path()));
        }
    }
    return found;
}

std::string sex_of(std::string_view text) {
    std::string lower = to_lower(std::string(trim(text)));
    if (lower == "m" || lower == "male") {
        return "M";
    }
    if (lower == "f" || lower == "female") {
        return "F";
    }
    return "";
}

std::string age_of(std::string_view text) {
    std::string_view value = trim(text);
    bool digits =
        !value.empty() && value.size() <= 3 && value.find_first_not_of("0123456789") == std::string_view::npos;
    return digits ? std::string(value) : "";
}

// A file's line split at tabs; a line without any tab is split at runs of spaces.
std::vector<std::string_view> fields_of(std::string_view line) {
    std::vector<std::string_view> fields;
    bool tabs = line.find('\t') != std::string_view::npos;
    std::size_t start = 0;
    while (start <= line.size()) {
        std::size_t end = line.find(tabs ? '\t' : ' ', start);
        end = end == std::string_view::npos ? line.size() : end;
        if (tabs || end > start) {
            fields.push_back(line.substr(start, end - start));
        }
        start = end + 1;
    }
    return fields;
}

Result<void> read_file(const ReaderContext& context, const JsrtFile& spec, std::size_t nodule,
                       const std::map<std::string, std::string>& images, const NativeSink& each) {
    auto text = context.read(spec.role);
    if (!text) {
        return text.error();
    }
    std::string name = context.display(*context.locate(spec.role));
    std::string_view rest = *text;
    for (std::size_t number = 1; !rest.empty(); ++number) {
        std::size_t end = rest.find('\n');
        std::string_view line = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
        if (trim(line).empty()) {
            continue;
        }
        auto fields = fields_of(line);
        std::string file = std::string(trim(fields[0]));
        std::string lower = to_lower(file);
        if (!lower.starts_with(spec.prefix) || !lower.ends_with(".img") || fields.size() <= spec.sex) {
            return Error(ErrorCode::integrity, name + ":" + std::to_string(number) + ": expected a " +
                                                   to_upper(spec.prefix) + "###.IMG file name and at least " +
                                                   std::to_string(spec.sex + 1) + " tab-separated fields, got \"" +
                                                   std::string(line.substr(0, 60)) + "\"");
        }
        NativeRow row;
        auto on_disk = images.find(lower);
        row.row.image = on_disk != images.end() ? on_disk->second : file;
        row.row.patient = file.substr(0, file.size() - 4);
        row.row.age = age_of(fields[spec.age]);
        row.row.sex = sex_of(fields[spec.sex]);
        row.native.assign(context.spec.findings.size(), FindingValue::not_mentioned);
        row.native[nodule] = spec.prefix == "jpcln" ? FindingValue::positive : FindingValue::negative;
        each(std::move(row));
    }
    return {};
}

Result<void> read_jsrt(const ReaderContext& context, const NativeSink& each) {
    auto nodule = context.native_index("Nodule");
    if (!nodule) {
        return Error(ErrorCode::invalid_catalog, context.dataset.id + ": the label map must name Nodule");
    }
    auto images = images_on_disk(context);
    for (const JsrtFile& file : {JsrtFile{"nodule", "jpcln", 3, 4}, JsrtFile{"non-nodule", "jpcnn", 1, 2}}) {
        if (auto read = read_file(context, file, *nodule, images, each); !read) {
            return read.error();
        }
    }
    return {};
}

} // namespace

const DatasetReader k_jsrt_reader{"jsrt", {""}, jsrt_roles, read_jsrt};

} // namespace cxrcat::labels
