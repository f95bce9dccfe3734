// SPDX-License-Identifier: Apache-2.0
// The ordinary (GCC, ASan + UBSan) build of the fuzz harnesses: feeds every file of the directories
// given on the command line once to the harness named first, so the seeds and every input that ever
// crashed a harness are replayed by CTest without clang. A crash is the sanitizer's report or the
// harness's abort(); the last "replay:" line names the input.
//   cxrcat_fuzz_replay NAME SEED_DIR... [--regressions DIR]   (that directory may not exist yet)
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace {

struct FuzzHarness {
    std::string_view name;
    int (*test_one_input)(const std::uint8_t* data, std::size_t size);
};

} // namespace

#include "fuzz_replay_table.inc"

namespace {

const FuzzHarness* harness_named(std::string_view name) {
    for (const auto& harness : fuzz_harnesses) {
        if (harness.name == name) {
            return &harness;
        }
    }
    return nullptr;
}

std::vector<std::filesystem::path> replay_inputs_under(const std::filesystem::path& dir) {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
        if (entry.is_regular_file() && entry.path().filename().string().front() != '.') {
            files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

} // namespace

int main(int argc, char** argv) {
    const FuzzHarness* harness = argc > 1 ? harness_named(argv[1]) : nullptr;
    if (harness == nullptr) {
        std::cerr << "replay: the first argument must name a harness:";
        for (const auto& known : fuzz_harnesses) {
            std::cerr << ' ' << known.name;
        }
        std::cerr << '\n';
        return 2;
    }
    std::vector<std::filesystem::path> inputs;
    for (int i = 2; i < argc; ++i) {
        std::string arg = argv[i];
        bool optional = arg == "--regressions" && i + 1 < argc;
        std::filesystem::path dir = optional ? argv[++i] : arg;
        if (!std::filesystem::is_directory(dir)) {
            if (optional) {
                continue;
            }
            std::cerr << "replay: " << dir.string() << " is not a directory\n";
            return 2;
        }
        auto found = replay_inputs_under(dir);
        inputs.insert(inputs.end(), found.begin(), found.end());
    }
    if (inputs.empty()) {
        std::cerr << "replay: no input found\n";
        return 2;
    }
    for (const auto& path : inputs) {
        std::cout << "replay: " << path.string() << std::endl; // flushed: a crash must follow its name
        std::ifstream stream(path, std::ios::binary);
        std::vector<char> bytes{std::istreambuf_iterator<char>(stream), std::istreambuf_iterator<char>()};
        std::vector<std::uint8_t> data(bytes.begin(), bytes.end());
        // A copy of exactly the input's size, so ASan sees a read past its end.
        auto exact = std::make_unique<std::uint8_t[]>(data.size());
        std::copy(data.begin(), data.end(), exact.get());
        harness->test_one_input(exact.get(), data.size());
    }
    std::cout << "replay: " << inputs.size() << " inputs, none crashed\n";
    return 0;
}
