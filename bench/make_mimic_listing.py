#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Writes DIR/SHA256SUMS.txt for the MIMIC-CXR-JPG-size label tables make_mimic_labels.py wrote into DIR
(bench section 11): one line per image in PhysioNet's layout files/p<first two digits of the subject>/
p<subject>/s<study>/<dicom_id>.jpg (labels-facts.md §2, MIT-LCP/mimic-cxr), as `sha256sum` prints it,
plus the real digests of the label tables themselves, which the first run downloads. The images'
digests are made up (the images are never downloaded: the bench plans with --dry-run).
Usage: make_mimic_listing.py DIR"""
import csv
import gzip
import hashlib
import os
import sys


def main():
    folder = sys.argv[1]
    with open(os.path.join(folder, "SHA256SUMS.txt"), "w") as listing:
        for name in sorted(os.listdir(folder)):
            if name.endswith(".csv.gz"):
                with open(os.path.join(folder, name), "rb") as table:
                    listing.write(f"{hashlib.sha256(table.read()).hexdigest()}  {name}\n")
        with gzip.open(os.path.join(folder, "mimic-cxr-2.0.0-metadata.csv.gz"), "rt") as meta:
            for row in csv.DictReader(meta):
                subject = row["subject_id"]
                path = f"files/p{subject[:2]}/p{subject}/s{row['study_id']}/{row['dicom_id']}.jpg"
                listing.write(f"{hashlib.sha256(path.encode()).hexdigest()}  {path}\n")


if __name__ == "__main__":
    main()
