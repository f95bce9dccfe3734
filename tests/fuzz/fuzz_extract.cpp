// SPDX-License-Identifier: Apache-2.0
// Fuzzes archive extraction. The first byte picks the destination's state (value % 3) and whether the
// archive is read from memory or from a file ((value / 3) % 2), the rest is the archive:
//   0  destination missing      1  destination empty
//   2  destination holding a file and a symlink to a directory outside it (a planted escape route)
// The archive is unpacked into parent/dest inside a fresh parent. Afterwards nothing may exist in the
// parent but dest (and, in state 2, the untouched outside directory), no symlink under dest may point
// outside it, and a refused archive must leave dest as it was.
#include "cxrcat/archive/extract.hpp"
#include "fuzz_support.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <span>
#include <string>
#include <system_error>
#include <unistd.h>

using namespace cxrcat;
using namespace cxrcat::fuzz;
namespace fs = std::filesystem;

namespace {

// One scratch directory per process, removed at exit. Held by a pointer that is never destroyed:
// a static path would be destroyed before the atexit handler (registered during its construction)
// runs, and the directory would be left behind.
const fs::path& extract_fuzz_workdir() {
    static const fs::path* const dir = [] {
        const char* tmp = std::getenv("TMPDIR"); // NOLINT(concurrency-mt-unsafe): single-threaded harness
        std::string pattern =
            std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/cxrcat-fuzz-extract-XXXXXX";
        fuzz_require(::mkdtemp(pattern.data()) != nullptr, "mkdtemp");
        auto* path = new fs::path(pattern); // NOLINT(cppcoreguidelines-owning-memory): lives until exit
        std::atexit([] {
            std::error_code ignored;
            fs::remove_all(extract_fuzz_workdir(), ignored);
        });
        return path;
    }();
    return *dir;
}

// True when a symlink at `link` (inside root) with `target` resolves, lexically, inside root.
bool extract_fuzz_link_stays_inside(const fs::path& root, const fs::path& link, const fs::path& target) {
    if (target.is_absolute()) {
        return false;
    }
    fs::path relative = (link.lexically_relative(root).parent_path() / target).lexically_normal();
    return relative.empty() || *relative.begin() != "..";
}

// Every name under dir (not following symlinks), relative and sorted.
std::vector<std::string> extract_fuzz_listing(const fs::path& dir) {
    std::vector<std::string> names;
    std::error_code ec;
    if (!fs::exists(fs::symlink_status(dir, ec))) {
        return names;
    }
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
        names.push_back(it->path().lexically_relative(dir).string());
    }
    fuzz_require(!ec, "the destination can be walked");
    std::sort(names.begin(), names.end());
    return names;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    const fs::path& work = extract_fuzz_workdir();
    const fs::path archive = work / "archive";
    const fs::path parent = work / "parent";
    const fs::path dest = parent / "dest";
    const fs::path outside = parent / "outside";
    {
        std::ofstream stream(archive, std::ios::binary | std::ios::trunc);
        stream.write(reinterpret_cast<const char*>(data + 1), // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
                     static_cast<std::streamsize>(size - 1));
        fuzz_require(stream.good(), "the archive is written");
    }
    std::error_code ec;
    fs::remove_all(parent, ec);
    fs::create_directories(parent);
    const int state = data[0] % 3;
    if (state >= 1) {
        fs::create_directory(dest);
    }
    if (state == 2) {
        fs::create_directory(outside);
        fs::create_directory_symlink("../outside", dest / "planted-link");
        std::ofstream(dest / "old") << "old";
    }
    const std::vector<std::string> before = extract_fuzz_listing(dest);

    ExtractLimits limits;
    limits.max_output_bytes = 16U << 20U; // keeps each run fast; the ratio limit also applies
    limits.reserved_names = {".cxrcat"};
    // Bit 2 of the first byte (after the state): read the archive from memory or from a file.
    const bool from_memory = (data[0] / 3) % 2 == 0;
    auto result = from_memory ? extract_archive_bytes(std::as_bytes(std::span(data + 1, size - 1)), dest, limits)
                              : extract_archive(archive, dest, limits);

    // Nothing but dest (and the planted outside directory, still empty) may exist in the parent.
    for (const auto& entry : fs::directory_iterator(parent)) {
        std::string name = entry.path().filename().string();
        if (name == "dest") {
            continue;
        }
        fuzz_require(state == 2 && name == "outside", "nothing is written beside the destination");
        fuzz_require(fs::is_empty(outside), "nothing is written through a planted symlink");
    }
    for (auto it = fs::recursive_directory_iterator(dest, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
        if (it->is_symlink() && it->path() != dest / "planted-link") {
            fuzz_require(extract_fuzz_link_stays_inside(dest, it->path(), fs::read_symlink(it->path())),
                         "no extracted symlink points outside the destination");
        }
    }
    if (result) {
        for (const auto& file : *result) {
            fs::path installed = dest / file.path;
            fuzz_require(!file.path.empty() && file.path.front() != '/', "an extracted path is relative");
            fuzz_require(fs::is_regular_file(fs::symlink_status(installed)), "an extracted file is a regular file");
            fuzz_require(fs::file_size(installed) == file.size, "an extracted file has the size reported");
        }
    } else {
        fuzz_require(extract_fuzz_listing(dest) == before, "a refused archive leaves the destination as it was");
    }
    return 0;
}
