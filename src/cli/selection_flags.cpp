// SPDX-License-Identifier: Apache-2.0
#include "selection_flags.hpp"

#include <cstdlib>

namespace cxrcat::cli {

void add_selection_flags(CLI::App& command, SelectionFlags& flags, bool with_shard) {
    command
        .add_option("--files-from", flags.files_from,
                    "Only the dataset-relative paths listed in FILE, one a line ('-' = standard input); an unknown "
                    "path stops before anything is downloaded (exit 3)")
        ->type_name("FILE");
    command
        .add_option("--where", flags.where,
                    "Only files whose metadata has FIELD=VALUE (repeatable: values of one field are alternatives, "
                    "fields combine with AND); IDC: PatientID, StudyInstanceUID, SeriesInstanceUID, Modality; "
                    "PhysioNet patient folders: subject_id, study_id; datasets with label files (cxrcat labels): view, "
                    "split, sex, labeler, finding.NAME=1|0|-1|none, read from the label files fetched first")
        ->type_name("FIELD=VALUE");
    flags.sample_option =
        command
            .add_option("--sample", flags.sample,
                        "A deterministic sample of N units (files; series for IDC; patients where the source is "
                        "laid out per patient): the same on every machine and run")
            ->type_name("N")
            ->check(CLI::PositiveNumber);
    command.add_option("--seed", flags.seed, "Seed of --sample (a different seed draws another sample)")
        ->type_name("S")
        ->capture_default_str();
    if (with_shard) {
        command
            .add_option("--shard", flags.shard,
                        "Fetch shard K of N (1-based) of each dataset's selected files, balanced by bytes; 'auto' "
                        "reads a Slurm array (SLURM_ARRAY_TASK_ID/MIN/COUNT) or a Kubernetes Indexed Job "
                        "(JOB_COMPLETION_INDEX with CXRCAT_SHARD_COUNT)")
            ->type_name("K/N|auto");
    }
}

Result<Selection> make_selection(const AppContext& context, const SelectionFlags& flags) {
    Selection selection;
    if (!flags.files_from.empty()) {
        auto paths = read_files_from(flags.files_from);
        if (!paths) {
            return paths.error();
        }
        selection.files_from = std::move(*paths);
    }
    auto where = parse_where(flags.where);
    if (!where) {
        return where.error();
    }
    selection.where = std::move(*where);
    if (flags.sample_option != nullptr && flags.sample_option->count() > 0) {
        selection.sample = flags.sample;
    }
    selection.seed = flags.seed;
    if (!flags.shard.empty()) {
        auto shard = parse_shard(flags.shard, [](const char* name) -> std::optional<std::string> {
            const char* value = std::getenv(name); // NOLINT(concurrency-mt-unsafe): read before threads start
            return value != nullptr ? std::optional<std::string>(value) : std::nullopt;
        });
        if (!shard) {
            return shard.error();
        }
        if (flags.shard == "auto") {
            context.notice("--shard auto: shard " + std::to_string(shard->index) + "/" + std::to_string(shard->count) +
                           " from " + shard->origin);
        }
        selection.shard = std::move(*shard);
    }
    return selection;
}

} // namespace cxrcat::cli
