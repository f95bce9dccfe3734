#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# cpack -G DEB from this build (no rebuild: CPack runs the install step only), then dpkg-deb --info and
# --contents, and the binary run from the package unpacked into a scratch root.
# Usage: test_package.sh BUILD_DIR
set -euo pipefail
build=$1
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
(cd "$scratch" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$scratch/out" >"$scratch/cpack.log" 2>&1) ||
    { cat "$scratch/cpack.log"; fail "cpack -G DEB"; }
deb=$(find "$scratch/out" -maxdepth 1 -name 'cxrcat_*.deb' | head -1)
[[ -n $deb ]] || { cat "$scratch/cpack.log"; fail "no cxrcat_*.deb produced"; }
echo "built $(basename "$deb") ($(stat -c %s "$deb") bytes)"

info=$(dpkg-deb --info "$deb")
depends=$(dpkg-deb --field "$deb" Depends)
echo "Depends: $depends"
# The image libraries of verify --decode are opened on first use too; GDCM is the DICOM module's.
for library in libcurl4 libssl3 libarchive13 libspng0 libturbojpeg0 zlib1g libgdcm3.0 libstdc++6 libc6; do
    [[ ", $depends," == *", $library "* || ", $depends," == *", $library,"* ]] || fail "Depends lacks $library: $depends"
done
[[ $(dpkg-deb --field "$deb" Package) == cxrcat ]] || fail "Package is not cxrcat"
grep -q "^ Architecture: $(dpkg --print-architecture)" <<<"$info" || fail "wrong architecture: $info"

contents=$(dpkg-deb --contents "$deb" | awk '{print $6}')
for path in ./usr/bin/cxrcat ./usr/share/man/man1/cxrcat.1.gz ./usr/share/bash-completion/completions/cxrcat \
            ./usr/share/zsh/vendor-completions/_cxrcat ./usr/share/fish/vendor_completions.d/cxrcat.fish \
            ./usr/share/doc/cxrcat/copyright ./usr/share/doc/cxrcat/schemas/list.schema.json \
            ./usr/include/cxrcat/catalog/catalog.hpp ./usr/lib/pkgconfig/cxrcat.pc \
            ./usr/lib/cxrcat/libcxrcat-dicom.so ./usr/share/doc/cxrcat/schemas/verify-decode.schema.json; do
    grep -qxF "$path" <<<"$contents" || fail "$path is not in the package"
done
if grep -E '^\./usr/local/|^\./home/|^\./root/' <<<"$contents"; then fail "files outside /usr"; fi

root="$scratch/root"
dpkg-deb -x "$deb" "$root"
export CXRCAT_HOME="$scratch/data" XDG_CONFIG_HOME="$scratch/config"
unset CXRCAT_CATALOG
"$root/usr/bin/cxrcat" --version | grep -q "^cxrcat " || fail "the unpacked cxrcat --version"
ids=$("$root/usr/bin/cxrcat" list --modality ct --format ids)
grep -qx lidc-idri <<<"$ids" || fail "the unpacked cxrcat lists no lidc-idri: $ids"
zcat "$root/usr/share/man/man1/cxrcat.1.gz" | grep -q '^\.TH CXRCAT 1' || fail "the packaged man page"
echo "ok: the unpacked cxrcat runs and lists $(wc -l <<<"$ids") ct datasets"
