#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# cmake --install of this build into a scratch prefix, then a ten-line consumer of the installed static
# library, built once with find_package(cxrcat) (cxrcat::core) and once with pkg-config, must print the
# same ids as `cxrcat list --modality ct --format ids`.
# Usage: test_install.sh BUILD_DIR CXX_COMPILER
set -euo pipefail
build=$1 cxx=$2
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
prefix="$scratch/prefix"
cmake --install "$build" --prefix "$prefix" >"$scratch/install.log"

fail() { echo "FAIL: $*"; exit 1; }
libdir=$(dirname "$(find "$prefix" -name libcxrcat_core.a | head -1)")
[[ -f $libdir/libcxrcat_core.a ]] || fail "libcxrcat_core.a is not installed"
for f in bin/cxrcat include/cxrcat/catalog/catalog_loader.hpp include/cxrcat/catalog/query.hpp share/doc/cxrcat/LICENSE \
         share/doc/cxrcat/schemas/fetch.schema.json share/man/man1/cxrcat.1.gz \
         share/bash-completion/completions/cxrcat share/zsh/vendor-completions/_cxrcat \
         share/fish/vendor_completions.d/cxrcat.fish; do
    [[ -e $prefix/$f ]] || fail "$f is not installed"
done
[[ -f $libdir/cmake/cxrcat/cxrcatConfig.cmake && -f $libdir/pkgconfig/cxrcat.pc ]] || fail "package files missing"
# Only the public headers, and none of them exposes a C library's header.
if find "$prefix/include" -type f ! -path "$prefix/include/cxrcat/*/*.hpp" | grep .; then fail "stray headers installed"; fi
if grep -nE '#include <(curl/|openssl/|archive|spdlog/|CLI/|sys/|unistd|fcntl)' "$prefix"/include/cxrcat/*/*.hpp; then
    fail "a public header includes a C library or CLI-only header"
fi
[[ $(find "$prefix/include/cxrcat" -name '*.hpp' | wc -l) -ge 10 ]] || fail "public headers missing"

mkdir "$scratch/consumer"
cat >"$scratch/consumer/main.cpp" <<'CPP'
#include <cxrcat/catalog/catalog_loader.hpp>
#include <cxrcat/catalog/query.hpp>
#include <iostream>
int main() {
    cxrcat::LoadedCatalog loaded = cxrcat::load_catalog({});
    cxrcat::DatasetFilter filter;
    filter.modalities.push_back(cxrcat::Modality::ct);
    for (const cxrcat::Dataset* dataset : cxrcat::select_datasets(loaded.catalog, filter)) std::cout << dataset->id << '\n';
    return loaded.ok() ? 0 : 1;
}
CPP
cat >"$scratch/consumer/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.25)
project(consumer LANGUAGES CXX)
find_package(cxrcat 0.1 REQUIRED)
add_executable(consumer main.cpp)
target_link_libraries(consumer PRIVATE cxrcat::core)
CMAKE
export CXRCAT_HOME="$scratch/data" XDG_CONFIG_HOME="$scratch/config"
unset CXRCAT_CATALOG
"$prefix/bin/cxrcat" list --modality ct --format ids >"$scratch/expected"
[[ -s $scratch/expected ]] || fail "cxrcat list --modality ct printed nothing"

cmake -S "$scratch/consumer" -B "$scratch/consumer/build" -G Ninja -DCMAKE_CXX_COMPILER="$cxx" \
      -DCMAKE_PREFIX_PATH="$prefix" >"$scratch/configure.log" || { cat "$scratch/configure.log"; fail "configure"; }
cmake --build "$scratch/consumer/build" >"$scratch/build.log" || { cat "$scratch/build.log"; fail "find_package build"; }
"$scratch/consumer/build/consumer" >"$scratch/cmake.out"
diff -u "$scratch/expected" "$scratch/cmake.out" || fail "the find_package consumer printed other ids"
echo "ok: find_package(cxrcat) consumer prints $(wc -l <"$scratch/expected") ct ids"

export PKG_CONFIG_PATH="$libdir/pkgconfig"
pkg-config --exists cxrcat || fail "pkg-config does not find cxrcat"
# shellcheck disable=SC2046
"$cxx" -o "$scratch/pc-consumer" "$scratch/consumer/main.cpp" $(pkg-config --cflags --libs cxrcat)
"$scratch/pc-consumer" >"$scratch/pc.out"
diff -u "$scratch/expected" "$scratch/pc.out" || fail "the pkg-config consumer printed other ids"
echo "ok: pkg-config consumer prints the same ids (pkg-config --modversion: $(pkg-config --modversion cxrcat))"
