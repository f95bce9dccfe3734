#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Makes the image fixtures of the decode tests: intact files written by real encoders (Pillow, numpy,
nibabel, GDCM's gdcmimg/gdcmconv) and broken ones made by damaging them the way the publishers' files
are damaged (decode-facts.md §2): cut inside the data, a flipped CRC, a zero-filled chunk, a missing
end marker, a missing transfer syntax. Writes OUTDIR/<name> and OUTDIR/expected.json:
{name: {"check": the check that must fail ("" = must pass), "how": how the file was made}}.
Also OUTDIR/archives/images.zip and images.tar.gz (fetch --decode on archive members), see
archive_fixtures().

Usage: make_fixtures.py OUTDIR   (Debian: python3-pil python3-numpy python3-nibabel libgdcm-tools)
"""
import json
import pathlib
import struct
import subprocess
import sys
import tarfile
import zipfile

import nibabel
import numpy
from PIL import Image, PngImagePlugin

out = pathlib.Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
expected = {}
rng = numpy.random.default_rng(21)


def record(name, data, check, how):
    (out / name).write_bytes(data)
    expected[name] = {"check": check, "how": how}


def radiograph(side, maximum, dtype):
    """A smooth gradient plus noise: compresses like an image, decodes to many values."""
    ramp = numpy.add.outer(numpy.arange(side), numpy.arange(side)) * (maximum // (2 * side))
    return (ramp + rng.integers(0, maximum // 16, (side, side))).clip(0, maximum).astype(dtype)


def chunks(png):
    """(offset, length, type) of every PNG chunk after the signature."""
    at, found = 8, []
    while at < len(png):
        length, kind = struct.unpack(">I4s", png[at:at + 8])
        found.append((at, length, kind))
        at += 12 + length
    return found


def png_fixtures():
    grey = radiograph(256, 255, numpy.uint8)
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "cxrcat decode fixture")
    path = out / "good.png"
    Image.fromarray(grey).save(path, pnginfo=info)
    good = path.read_bytes()
    expected["good.png"] = {"check": "", "how": "Pillow: 256x256 8-bit grey gradient + noise, with a tEXt chunk"}
    Image.fromarray(radiograph(128, 65535, numpy.uint16)).save(out / "good16.png")
    expected["good16.png"] = {"check": "", "how": "Pillow: 128x128 16-bit grey (PadChest-like)"}
    idat = next(c for c in chunks(good) if c[2] == b"IDAT")
    text = next(c for c in chunks(good) if c[2] == b"tEXt")
    record("cut_in_idat.png", good[:idat[0] + 8 + idat[1] // 2], "truncated",
           "good.png cut in the middle of its IDAT data (head -c)")
    flipped = bytearray(good)
    flipped[idat[0] + 8 + idat[1]] ^= 0x01  # the first byte of IDAT's CRC
    record("crc_flipped.png", bytes(flipped), "chunk-crc", "good.png with one bit of IDAT's CRC flipped")
    zeroed = bytearray(good)
    zeroed[text[0]:text[0] + 12 + text[1]] = bytes(12 + text[1])  # PadChest's "chunk b'\\x00\\x00\\x00\\x00'"
    record("zero_filled_chunk.png", bytes(zeroed), "chunk", "good.png with its tEXt chunk zero-filled")
    flat = out / "constant.png"
    Image.fromarray(numpy.zeros((32, 32), numpy.uint8)).save(flat)
    expected["constant.png"] = {"check": "", "warning": "constant", "how": "Pillow: 32x32 all zeros"}
    # NIH ChestX-ray14 ships 519 RGBA PNGs among its 8-bit greys (decode-facts.md §1, StefanoWoerner/
    # medimeta-dataset-scripts:mimeta_pipelines/cxr14.py): they decode; only a declaration tells them apart.
    grey = radiograph(64, 255, numpy.uint8)
    Image.fromarray(numpy.dstack([grey, grey, grey, numpy.full_like(grey, 255)]), "RGBA").save(out / "rgba.png")
    expected["rgba.png"] = {"check": "", "how": "Pillow: 64x64 grey written as RGBA (NIH-like)"}


def jpeg_fixtures():
    path = out / "good.jpg"
    Image.fromarray(radiograph(256, 255, numpy.uint8)).save(path, quality=90)
    good = path.read_bytes()
    expected["good.jpg"] = {"check": "", "how": "Pillow (libjpeg-turbo): 256x256 8-bit grey, quality 90"}
    scan = good.index(b"\xff\xda")  # SOS; the entropy-coded data follows its header
    damaged = bytearray(good)
    for at in range(scan + 400, scan + 440):
        damaged[at] = 0xFF if damaged[at] != 0xFF else 0x00
    # 0xFF bytes inside the scan are markers libjpeg skips with "Corrupt JPEG data: ... extraneous
    # bytes before marker": a warning, so only a decode that stops on warnings fails.
    record("corrupt_entropy.jpg", bytes(damaged), "decode", "good.jpg with 40 bytes of scan data overwritten")
    record("no_eoi.jpg", good[:-2], "eoi", "good.jpg without its last two bytes (EOI)")


def dicom_fixtures():
    Image.fromarray(radiograph(256, 255, numpy.uint8)).save(out / "source.pgm")
    subprocess.run(["gdcmimg", "-i", str(out / "source.pgm"), "-o", str(out / "good_native.dcm")], check=True)
    subprocess.run(["gdcmconv", "--j2k", str(out / "good_native.dcm"), str(out / "good_j2k.dcm")], check=True)
    (out / "source.pgm").unlink()
    expected["good_native.dcm"] = {"check": "", "how": "gdcmimg from a 256x256 8-bit PGM (Explicit VR LE)"}
    expected["good_j2k.dcm"] = {"check": "", "how": "gdcmconv --j2k good_native.dcm (JPEG 2000 lossless)"}
    native = (out / "good_native.dcm").read_bytes()
    j2k = (out / "good_j2k.dcm").read_bytes()
    record("truncated_native.dcm", native[:-1000], "pixel-length", "good_native.dcm without its last 1000 bytes")
    record("cut_j2k.dcm", j2k[:len(j2k) * 3 // 4], "fragments",
           "good_j2k.dcm cut at 3/4 of its length, inside the JPEG 2000 codestream")
    pixel_tag = native.rindex(b"\xe0\x7f\x10\x00")
    record("no_pixel_data.dcm", native[:pixel_tag], "pixel-data", "good_native.dcm cut just before (7FE0,0010)")
    # VinDr-CXR v1.0.0 (vinbigdata-medical/vindr-cxr#3): file meta without (0002,0010). The element
    # is removed and the group length (0002,0000) lowered by as much.
    ts_at = native.index(b"\x02\x00\x10\x00UI")
    ts_size = 8 + struct.unpack("<H", native[ts_at + 6:ts_at + 8])[0]
    group_at = native.index(b"\x02\x00\x00\x00UL")
    group_length = struct.unpack("<I", native[group_at + 8:group_at + 12])[0] - ts_size
    no_ts = bytearray(native[:ts_at] + native[ts_at + ts_size:])
    no_ts[group_at + 8:group_at + 12] = struct.pack("<I", group_length)
    record("no_transfer_syntax.dcm", bytes(no_ts), "transfer-syntax",
           "good_native.dcm with (0002,0010) removed and (0002,0000) lowered to match")


def volume_fixtures():
    jsrt = (radiograph(2048, 4095, numpy.uint16)).astype(">u2").tobytes()
    record("JPCLN001.IMG", jsrt, "", "numpy: 2048x2048 big-endian 12-bit samples (JSRT's layout)")
    record("JPCLN002.IMG", jsrt[:-1], "size", "JPCLN001.IMG one byte short")
    volume = rng.integers(-1000, 1000, (4, 16, 16)).astype("<i2").tobytes()
    header = "ObjectType = Image\nNDims = 3\nDimSize = 16 16 4\nElementType = MET_SHORT\n" \
             "BinaryData = True\nBinaryDataByteOrderMSB = False\nCompressedData = False\n"
    record("good.mha", (header + "ElementDataFile = LOCAL\n").encode() + volume, "",
           "MetaImage header (LUNA16's keys) + 16x16x4 int16 data")
    record("short.mha", (header + "ElementDataFile = LOCAL\n").encode() + volume[:-100], "data-length",
           "good.mha without its last 100 bytes")
    record("good.mhd", (header + "ElementDataFile = good.raw\n").encode(), "", "MetaImage header naming good.raw")
    (out / "good.raw").write_bytes(volume)
    nifti = nibabel.Nifti1Image(rng.integers(-1000, 1000, (16, 16, 8)).astype(numpy.int16), numpy.eye(4))
    nibabel.save(nifti, out / "good.nii.gz")
    expected["good.nii.gz"] = {"check": "", "how": "nibabel: 16x16x8 int16 NIfTI-1, gzipped"}
    nii_gz = (out / "good.nii.gz").read_bytes()
    record("cut.nii.gz", nii_gz[:len(nii_gz) // 2], "gzip-trailer", "good.nii.gz cut in half")
    numpy.save(out / "good.npy", numpy.zeros((1, 8, 16, 16), numpy.float32) + 0.5)
    expected["good.npy"] = {"check": "", "warning": "", "how": "numpy.save: float32 1x8x16x16 (M3D-like)"}
    npy = (out / "good.npy").read_bytes()
    record("short.npy", npy[:-4], "data-length", "good.npy without its last 4 bytes")


def archive_fixtures():
    """An image archive as the Montgomery zip is laid out (decode-facts.md §2.2: `CXR_png/Thumbs.db`
    among its PNGs): an intact PNG, a PNG cut inside IDAT and a Thumbs.db stand-in, written by
    Python's zipfile (deflate) and tarfile (gzip) into OUTDIR/archives/."""
    archives = out / "archives"
    archives.mkdir(exist_ok=True)
    members = {"CXR_png/good.png": out / "good.png", "CXR_png/cut_in_idat.png": out / "cut_in_idat.png",
               "CXR_png/Thumbs.db": out / "Thumbs.db"}
    with zipfile.ZipFile(archives / "images.zip", "w", zipfile.ZIP_DEFLATED) as zipped:
        for name, source in members.items():
            zipped.write(source, name)
    with tarfile.open(archives / "images.tar.gz", "w:gz") as tarred:
        for name, source in members.items():
            tarred.add(source, name)


png_fixtures()
jpeg_fixtures()
dicom_fixtures()
volume_fixtures()
(out / "labels.csv").write_text("Image,Finding\ngood.png,None\n")
(out / "Thumbs.db").write_bytes(b"\xd0\xcf\x11\xe0 stand-in for a Windows thumbnail cache")
archive_fixtures()  # after Thumbs.db, which it packs
(out / "expected.json").write_text(json.dumps(expected, indent=1, sort_keys=True))
