#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""The baseline of bench section 10: what a researcher writes with pandas for the work of
`cxrcat labels mimic-cxr-jpg --view PA` — read the three MIMIC-CXR-JPG tables, join labels (per
study) onto images, build the image paths, keep PA, write CSV. Usage: pandas_mimic_labels.py DIR OUT"""
import os
import sys

import pandas as pd


def main():
    src, out = sys.argv[1], sys.argv[2]
    meta = pd.read_csv(os.path.join(src, "mimic-cxr-2.0.0-metadata.csv.gz"), dtype=str, keep_default_na=False)
    split = pd.read_csv(os.path.join(src, "mimic-cxr-2.0.0-split.csv.gz"), dtype=str, keep_default_na=False)
    labels = pd.read_csv(os.path.join(src, "mimic-cxr-2.0.0-chexpert.csv.gz"), dtype={"subject_id": str, "study_id": str})
    meta = meta[meta["ViewPosition"] == "PA"]
    table = meta.merge(split[["dicom_id", "split"]], on="dicom_id", how="left")
    table = table.merge(labels.drop(columns=["subject_id"]), on="study_id", how="left")
    table["image"] = ("files/p" + table["subject_id"].str[:2] + "/p" + table["subject_id"] + "/s" +
                      table["study_id"] + "/" + table["dicom_id"] + ".jpg")
    findings = [c for c in labels.columns if c not in ("subject_id", "study_id")]
    columns = ["image", "subject_id", "study_id", "ViewPosition", "split"] + findings
    table[columns].to_csv(out, index=False)


if __name__ == "__main__":
    main()
