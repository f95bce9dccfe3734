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
#include "labels/jsrt_line.hpp"

#include <map>

namespace cxrcat::labels {

namespace {

std::vector<std::string> jsrt_roles(const LabelOptions& /*options*/) {
    return {"nodule", "non-nodule"};
}

// Each file: its role in the catalog's label table and the layout of its lines.
struct JsrtFile {
    std::string_view role;
    JsrtColumns columns;
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
        auto parsed = parse_jsrt_line(line, spec.columns);
        if (!parsed) {
            return Error(ErrorCode::integrity,
                         name + ":" + std::to_string(number) + ": expected a " +
                             to_upper(std::string(spec.columns.prefix)) + "###.IMG file name and at least " +
                             std::to_string(spec.columns.sex + 1) + " tab-separated fields, got \"" +
                             std::string(line.substr(0, 60)) + "\"");
        }
        NativeRow row;
        auto on_disk = images.find(to_lower(parsed->file));
        row.row.image = on_disk != images.end() ? on_disk->second : parsed->file;
        row.row.patient = parsed->file.substr(0, parsed->file.size() - 4);
        row.row.age = parsed->age;
        row.row.sex = parsed->sex;
        row.native.assign(context.spec.findings.size(), FindingValue::not_mentioned);
        row.native[nodule] = spec.columns.prefix == "jpcln" ? FindingValue::positive : FindingValue::negative;
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
    for (const JsrtFile& file : {JsrtFile{"nodule", {"jpcln", 3, 4}}, JsrtFile{"non-nodule", {"jpcnn", 1, 2}}}) {
        if (auto read = read_file(context, file, *nodule, images, each); !read) {
            return read.error();
        }
    }
    return {};
}

} // namespace

const DatasetReader k_jsrt_reader{"jsrt", {""}, jsrt_roles, read_jsrt};

} // namespace cxrcat::labels
