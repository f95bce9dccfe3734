// SPDX-License-Identifier: Apache-2.0
// The start-up baseline of bench/run_benchmarks.sh: a C++ program that links the libraries cxrcat
// links (libcurl, OpenSSL, libarchive, spdlog, CLI11, nlohmann/json, libstdc++) and does nothing.
// `cxrcat list` minus this program is the part of start-up that cxrcat itself controls: loading
// and relocating the shared libraries is paid by both.
#include <CLI/CLI.hpp>
#include <archive.h>
#include <curl/curl.h>
#include <nlohmann/json.hpp>
#include <openssl/crypto.h>
#include <spdlog/spdlog.h>

#include <cstdio>

int main(int argc, char** argv) {
    // Never true when run as the benchmark runs it; it keeps every library a real dependency (the
    // linker drops a library none of whose symbols is used).
    if (argc > 1000) {
        CLI::App app("baseline");
        spdlog::info("{} {} {} {}", curl_version(), OpenSSL_version(OPENSSL_VERSION), archive_version_string(),
                     nlohmann::json::parse(argv[1]).dump());
        return app.get_name().empty() ? 1 : 0;
    }
    return 0;
}
