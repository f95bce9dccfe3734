// SPDX-License-Identifier: Apache-2.0
#include "labels/dataset_reader.hpp"

#include "archive/decompressed_file.hpp"
#include "cxrcat/base/text.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace cxrcat::labels {

std::optional<std::size_t> ReaderContext::native_index(std::string_view native) const {
    for (std::size_t i = 0; i < spec.findings.size(); ++i) {
        if (spec.findings[i].native == native) {
            return i;
        }
    }
    return std::nullopt;
}

Result<std::size_t> ReaderContext::require_native(const CsvReader& reader, std::string_view native) const {
    if (auto index = native_index(native)) {
        return *index;
    }
    return reader.error("finding \"" + std::string(native) + "\" is not in the catalog's label map of " + dataset.id +
                        " (add it to label_table.findings, mapped to a common name or null)");
}

std::optional<std::filesystem::path> ReaderContext::locate(std::string_view role) const {
    const LabelFile* file = spec.file(role);
    if (file == nullptr) {
        return std::nullopt;
    }
    for (const std::string& path : file->paths) {
        std::error_code error;
        if (std::filesystem::exists(dir / path, error)) {
            return dir / path;
        }
    }
    return std::nullopt;
}

Result<std::string> ReaderContext::read(std::string_view role) const {
    auto path = locate(role);
    if (!path) {
        return Error(ErrorCode::manual_step, dataset.id + ": label file " + std::string(role) + " is not installed");
    }
    return read_decompressed_file(*path);
}

std::string ReaderContext::display(const std::filesystem::path& path) const {
    return path.lexically_relative(dir).generic_string();
}

const DatasetReader* find_reader(std::string_view name) {
    static const std::array<const DatasetReader*, 10> k_readers{
        &k_nih_reader,  &k_chexpert_reader, &k_mimic_reader,  &k_nlm_tb_reader,   &k_vindr_reader,
        &k_rsna_reader, &k_siim_reader,     &k_ranzcr_reader, &k_padchest_reader, &k_jsrt_reader};
    auto found = std::find_if(k_readers.begin(), k_readers.end(),
                              [&](const DatasetReader* reader) { return reader->name == name; });
    return found == k_readers.end() ? nullptr : *found;
}

Result<std::size_t> CsvFile::column(std::string_view name) const {
    return require_column(*reader, header, name);
}

Result<CsvFile> open_csv(const ReaderContext& context, std::string_view role, char delimiter) {
    auto path = context.locate(role);
    if (!path) {
        return Error(ErrorCode::manual_step,
                     context.dataset.id + ": label file " + std::string(role) + " is not installed");
    }
    auto stream = DecompressedStream::open(*path);
    if (!stream) {
        return stream.error();
    }
    CsvFile file;
    file.stream = std::make_unique<DecompressedStream>(std::move(*stream));
    DecompressedStream* source = file.stream.get();
    file.reader = std::make_unique<CsvReader>([source] { return source->next(); }, context.display(*path), delimiter);
    auto header = file.reader->next();
    if (!header) {
        return header.error();
    }
    if (!*header) {
        return file.reader->error("the file is empty");
    }
    file.header = std::move(**header);
    return file;
}

Result<NativeColumns> native_columns(const ReaderContext& context, const CsvFile& file,
                                     const std::vector<std::size_t>& skip) {
    NativeColumns columns;
    for (std::size_t column = 0; column < file.header.size(); ++column) {
        if (std::find(skip.begin(), skip.end(), column) != skip.end()) {
            continue;
        }
        auto native = context.require_native(*file.reader, file.header[column]);
        if (!native) {
            return native.error();
        }
        columns.emplace_back(column, *native);
    }
    return columns;
}

Result<void> each_record(CsvFile& file, const std::function<Result<void>(const std::vector<std::string>&)>& each) {
    std::vector<std::string> record; // reused: its fields keep their capacity
    for (;;) {
        auto read = file.reader->next_into(record);
        if (!read) {
            return read.error();
        }
        if (!*read) {
            return {};
        }
        if (auto width = check_width(*file.reader, file.header, record); !width) {
            return width;
        }
        if (auto handled = each(record); !handled) {
            return handled;
        }
    }
}

std::optional<FindingValue> parse_finding_value(std::string_view text) {
    text = trim(text);
    if (text.empty()) {
        return FindingValue::not_mentioned;
    }
    if (text == "1.0" || text == "1") {
        return FindingValue::positive;
    }
    if (text == "0.0" || text == "0") {
        return FindingValue::negative;
    }
    if (text == "-1.0" || text == "-1") {
        return FindingValue::uncertain;
    }
    return std::nullopt;
}

std::string whole_years(std::string_view text) {
    text = trim(text);
    std::size_t digits = 0;
    while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits])) != 0) {
        ++digits;
    }
    std::string_view rest = text.substr(digits);
    if (digits == 0 || !(rest.empty() || rest == "Y" || rest == "y" || rest == ".0")) {
        return "";
    }
    std::string_view number = text.substr(0, digits);
    while (number.size() > 1 && number.front() == '0') {
        number.remove_prefix(1);
    }
    return std::string(number);
}

std::string sex_code(std::string_view text) {
    std::string lower = to_lower(trim(text));
    if (lower == "m" || lower == "male") {
        return "M";
    }
    if (lower == "f" || lower == "female") {
        return "F";
    }
    return "";
}

Result<void> check_width(const CsvReader& reader, const std::vector<std::string>& header,
                         const std::vector<std::string>& record) {
    if (record.size() != header.size()) {
        return reader.error("expected " + std::to_string(header.size()) + " fields as in the header, got " +
                            std::to_string(record.size()));
    }
    return {};
}

} // namespace cxrcat::labels
