// SPDX-License-Identifier: Apache-2.0
// Parsing of the selection flags: --files-from, --where, --shard (K/N, or auto from a Slurm array or
// a Kubernetes Indexed Job).
#include "cxrcat/plan/selection.hpp"

#include "providers/parsers.hpp"

#include <charconv>
#include <fstream>
#include <iostream>

namespace cxrcat {

namespace {

std::optional<std::size_t> parse_shard_number(std::string_view text) {
    std::size_t value = 0;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc() || ptr != end || text.empty()) {
        return std::nullopt;
    }
    return value;
}

Error shard_usage(const std::string& message) {
    return {ErrorCode::usage,
            message,
            {"--shard K/N fetches shard K (1-based) of N, e.g. --shard 2/4",
             "--shard auto reads a Slurm array (SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_MIN, SLURM_ARRAY_TASK_COUNT) "
             "or a Kubernetes Indexed Job (JOB_COMPLETION_INDEX, with the count in CXRCAT_SHARD_COUNT)"}};
}

Result<ShardSpec> checked_shard(std::size_t index, std::size_t count, std::string origin) {
    if (count == 0 || index == 0 || index > count) {
        return shard_usage("shard " + std::to_string(index) + "/" + std::to_string(count) + " (from " + origin +
                           ") does not exist: K must be between 1 and N");
    }
    return ShardSpec{index, count, std::move(origin)};
}

Result<ShardSpec> slurm_shard(const std::function<std::optional<std::string>(const char*)>& getenv) {
    auto id_text = getenv("SLURM_ARRAY_TASK_ID");
    auto min_text = getenv("SLURM_ARRAY_TASK_MIN");
    auto count_text = getenv("SLURM_ARRAY_TASK_COUNT");
    auto step_text = getenv("SLURM_ARRAY_TASK_STEP");
    auto id = parse_shard_number(id_text.value_or(""));
    auto min = parse_shard_number(min_text.value_or("0"));
    auto count = parse_shard_number(count_text.value_or(""));
    auto step = parse_shard_number(step_text.value_or("1"));
    std::string seen = "SLURM_ARRAY_TASK_ID=" + id_text.value_or("") +
                       ", SLURM_ARRAY_TASK_MIN=" + min_text.value_or("") +
                       ", SLURM_ARRAY_TASK_COUNT=" + count_text.value_or("");
    if (!id || !min || !count || !step || *step == 0 || *id < *min || (*id - *min) % *step != 0) {
        return shard_usage("--shard auto: the Slurm array variables are not usable (" + seen + ")");
    }
    return checked_shard((*id - *min) / *step + 1, *count, "the Slurm array (" + seen + ")");
}

Result<ShardSpec> kubernetes_shard(const std::function<std::optional<std::string>(const char*)>& getenv) {
    auto index_text = getenv("JOB_COMPLETION_INDEX");
    auto count_text = getenv("CXRCAT_SHARD_COUNT");
    std::string seen =
        "JOB_COMPLETION_INDEX=" + index_text.value_or("") + ", CXRCAT_SHARD_COUNT=" + count_text.value_or("");
    auto index = parse_shard_number(index_text.value_or(""));
    auto count = parse_shard_number(count_text.value_or(""));
    if (!index || !count) {
        Error error = shard_usage("--shard auto: the Kubernetes Indexed Job variables are not usable (" + seen + ")");
        error.note("set CXRCAT_SHARD_COUNT to the Job's spec.completions");
        return error;
    }
    return checked_shard(*index + 1, *count, "the Kubernetes Indexed Job (" + seen + ")");
}

std::string files_from_line(std::string line) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
        line.pop_back();
    }
    while (line.rfind("./", 0) == 0) {
        line.erase(0, 2);
    }
    return line;
}

} // namespace

std::string ShardSpec::tag() const {
    return "shard-" + std::to_string(index) + "-of-" + std::to_string(count);
}

nlohmann::json Selection::to_json() const {
    nlohmann::json out = nlohmann::json::object();
    if (files_from) {
        out["files_from"] = *files_from;
    }
    if (!where.empty()) {
        out["where"] = where;
    }
    if (sample) {
        out["sample"] = *sample;
        out["seed"] = seed;
    }
    return out;
}

Result<ShardSpec> parse_shard(const std::string& text,
                              const std::function<std::optional<std::string>(const char*)>& getenv) {
    if (text == "auto") {
        if (getenv("SLURM_ARRAY_TASK_ID")) {
            return slurm_shard(getenv);
        }
        if (getenv("JOB_COMPLETION_INDEX")) {
            return kubernetes_shard(getenv);
        }
        return shard_usage("--shard auto: neither a Slurm array (SLURM_ARRAY_TASK_ID) nor a Kubernetes Indexed Job "
                           "(JOB_COMPLETION_INDEX) is in the environment");
    }
    auto slash = text.find('/');
    auto index =
        slash == std::string::npos ? std::nullopt : parse_shard_number(std::string_view(text).substr(0, slash));
    auto count =
        slash == std::string::npos ? std::nullopt : parse_shard_number(std::string_view(text).substr(slash + 1));
    if (!index || !count) {
        return shard_usage("invalid --shard '" + text + "': expected K/N or auto");
    }
    return checked_shard(*index, *count, "--shard " + text);
}

Result<std::vector<std::string>> parse_files_from(std::istream& input, const std::string& origin) {
    std::vector<std::string> paths;
    std::string line;
    std::size_t number = 0;
    while (std::getline(input, line)) {
        ++number;
        line = files_from_line(std::move(line));
        if (line.empty() || line.front() == '#') {
            continue;
        }
        if (!providers::is_safe_relative_path(line)) {
            return Error(ErrorCode::usage,
                         origin + ", line " + std::to_string(number) + ": '" + line +
                             "' is not a dataset-relative path",
                         {"list one path per line, relative to the dataset directory (as 'cxrcat fetch ID --dry-run' "
                          "shows them), without '..' or a leading '/'"});
        }
        paths.push_back(std::move(line));
    }
    return paths;
}

Result<std::vector<std::string>> read_files_from(const std::string& file) {
    if (file == "-") {
        return parse_files_from(std::cin, "--files-from (standard input)");
    }
    std::ifstream stream(file);
    if (!stream) {
        return Error(ErrorCode::local_io, "cannot read --files-from " + file);
    }
    return parse_files_from(stream, file);
}

Result<std::map<std::string, std::vector<std::string>>> parse_where(const std::vector<std::string>& terms) {
    std::map<std::string, std::vector<std::string>> out;
    for (const auto& term : terms) {
        auto equals = term.find('=');
        if (equals == std::string::npos || equals == 0) {
            return Error(ErrorCode::usage, "invalid --where '" + term + "': expected FIELD=VALUE",
                         {"e.g. --where Modality=CT --where PatientID=LIDC-IDRI-0001"});
        }
        out[term.substr(0, equals)].push_back(term.substr(equals + 1));
    }
    return out;
}

} // namespace cxrcat
