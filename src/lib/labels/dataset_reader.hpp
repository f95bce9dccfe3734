// SPDX-License-Identifier: Apache-2.0
// Private: what every dataset's label reader shares. A reader turns its dataset's files into rows
// whose findings are in the dataset's own names (the catalog's map order); label_table.cpp then maps
// them onto the output columns. Readers are registered by the name a catalog entry's
// label_table.reader gives.
#pragma once

#include "archive/decompressed_file.hpp"
#include "cxrcat/labels/label_table.hpp"
#include "labels/csv_reader.hpp"

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cxrcat::labels {

struct ReaderContext {
    const Dataset& dataset;
    const LabelTableSpec& spec;
    std::filesystem::path dir;
    const LabelOptions& options;

    // The position of a native finding name in spec.findings, or nullopt.
    [[nodiscard]] std::optional<std::size_t> native_index(std::string_view native) const;
    // As native_index, but a name the catalog's map lacks is an integrity error at reader's record.
    [[nodiscard]] Result<std::size_t> require_native(const CsvReader& reader, std::string_view native) const;
    // The first of role's paths that exists under dir, or nullopt.
    [[nodiscard]] std::optional<std::filesystem::path> locate(std::string_view role) const;
    // The decompressed text of role's file (a role the reader checked beforehand).
    [[nodiscard]] Result<std::string> read(std::string_view role) const;
    // The path of role's file relative to dir, for rows and messages.
    [[nodiscard]] std::string display(const std::filesystem::path& path) const;
};

// One image's row with its findings in the dataset's own names: native[i] is spec.findings[i].
struct NativeRow {
    LabelRow row; // its findings are left empty
    std::vector<FindingValue> native;
};

using NativeSink = std::function<void(NativeRow&&)>;

struct DatasetReader {
    std::string_view name;
    std::vector<std::string_view> labelers; // the first is the default (""); others by --labeler
    // The roles that must be installed for options (the rest are optional).
    std::vector<std::string> (*required_roles)(const LabelOptions& options);
    Result<void> (*read)(const ReaderContext& context, const NativeSink& each);
};

// The reader a catalog entry names, or nullptr.
[[nodiscard]] const DatasetReader* find_reader(std::string_view name);

// The readers of each dataset (one file each).
extern const DatasetReader k_nih_reader;
extern const DatasetReader k_chexpert_reader;
extern const DatasetReader k_mimic_reader;
extern const DatasetReader k_nlm_tb_reader;
extern const DatasetReader k_vindr_reader;
extern const DatasetReader k_rsna_reader;
extern const DatasetReader k_siim_reader;
extern const DatasetReader k_ranzcr_reader;
extern const DatasetReader k_padchest_reader;
extern const DatasetReader k_jsrt_reader;

// A label table opened for reading, streamed: the decompressed file, its reader, the header.
struct CsvFile {
    std::unique_ptr<DecompressedStream> stream; // on the heap: the reader keeps pulling from it after a move
    std::unique_ptr<CsvReader> reader;
    std::vector<std::string> header;

    // The index of column name; an integrity error naming the file and the header when absent.
    [[nodiscard]] Result<std::size_t> column(std::string_view name) const;
};

// Opens role's file (decompressed) and reads its header. Errors: those of reading, an empty file.
[[nodiscard]] Result<CsvFile> open_csv(const ReaderContext& context, std::string_view role, char delimiter = ',');

// Every column of file's header but those in skip, with the position of its name in the catalog's
// map (as native_index). Errors: a column name the map lacks (integrity, at the header).
using NativeColumns = std::vector<std::pair<std::size_t, std::size_t>>; // column -> native index
[[nodiscard]] Result<NativeColumns> native_columns(const ReaderContext& context, const CsvFile& file,
                                                   const std::vector<std::size_t>& skip);

// Calls each(record) for every record after the header, each as wide as the header; stops at the
// first error (a malformed record, a width other than the header's, or one each returns).
[[nodiscard]] Result<void> each_record(CsvFile& file,
                                       const std::function<Result<void>(const std::vector<std::string>&)>& each);

// Shared value readers.
// "1.0"/"1" positive, "0.0"/"0" negative, "-1.0"/"-1" uncertain, "" not mentioned; nullopt otherwise.
[[nodiscard]] std::optional<FindingValue> parse_finding_value(std::string_view text);
// Whole years from "58", "058", "058Y" (DICOM age string), "27.0"; "" when not a number.
[[nodiscard]] std::string whole_years(std::string_view text);
// "M"/"Male"/"F"/"Female" (any case) as M or F; "" otherwise ("O", "Unknown").
[[nodiscard]] std::string sex_code(std::string_view text);
// A record with as many fields as the header, else an integrity error naming both counts.
[[nodiscard]] Result<void> check_width(const CsvReader& reader, const std::vector<std::string>& header,
                                       const std::vector<std::string>& record);

} // namespace cxrcat::labels
