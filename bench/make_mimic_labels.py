#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Writes MIMIC-CXR-JPG's three label tables at their real size and shape into DIR (bench section 10):
mimic-cxr-2.0.0-metadata.csv.gz (377,110 images), -chexpert.csv.gz (227,827 labelled studies) and
-split.csv.gz (a row for every image), with the columns, value encodings and view mix of
../shared/reference/labels-facts.md §1.4 (ViewPosition AP 147,169 / PA 96,155 / LATERAL 82,852 /
LL 35,129 / 15,769 empty / rest rare; values 1.0, 0.0, -1.0, empty). Ids are generated, deterministic.
Usage: make_mimic_labels.py DIR"""
import gzip
import os
import random
import sys

IMAGES, STUDIES = 377_110, 227_827
VIEWS = [("AP", 147_169), ("PA", 96_155), ("LATERAL", 82_852), ("LL", 35_129), ("", 15_769)]
FINDINGS = ["Atelectasis", "Cardiomegaly", "Consolidation", "Edema", "Enlarged Cardiomediastinum", "Fracture",
            "Lung Lesion", "Lung Opacity", "No Finding", "Pleural Effusion", "Pleural Other", "Pneumonia",
            "Pneumothorax", "Support Devices"]
META = ("dicom_id,subject_id,study_id,PerformedProcedureStepDescription,ViewPosition,Rows,Columns,StudyDate,"
        "StudyTime,ProcedureCodeSequence_CodeMeaning,ViewCodeSequence_CodeMeaning,"
        "PatientOrientationCodeSequence_CodeMeaning\n")


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    rng = random.Random(20)
    views = [v for v, n in VIEWS for _ in range(n)]
    views += ["PA LLD"] * (IMAGES - len(views))  # the rare codes (RoentGen-v2#3) make up the rest
    rng.shuffle(views)
    # Studies of ~1.65 images each, ~3.5 studies a patient (65,379 subjects in the real metadata).
    studies = []
    subject = 10_000_000
    for s in range(int(IMAGES / 1.655)):
        if s % 4 == 0:
            subject += rng.randint(1, 1500)
        studies.append((str(subject), str(50_000_000 + s * 17 + rng.randint(0, 16))))
    with gzip.open(os.path.join(out, "mimic-cxr-2.0.0-metadata.csv.gz"), "wt", compresslevel=6) as meta, \
            gzip.open(os.path.join(out, "mimic-cxr-2.0.0-split.csv.gz"), "wt", compresslevel=6) as split:
        meta.write(META)
        split.write("dicom_id,study_id,subject_id,split\n")
        for i in range(IMAGES):
            subj, study = studies[i % len(studies)]
            dicom = "%08x-%08x-%08x-%08x-%08x" % tuple(rng.getrandbits(32) for _ in range(5))
            meta.write(f"{dicom},{subj},{study},CHEST (PA AND LAT),{views[i]},3056,2544,21800506,213014.531,"
                       f"CHEST (PA AND LAT),postero-anterior,Erect\n")
            part = "test" if i % 73 == 0 else "validate" if i % 126 == 1 else "train"
            split.write(f"{dicom},{study},{subj},{part}\n")
    values = ["1.0", "0.0", "-1.0"] + [""] * 9
    with gzip.open(os.path.join(out, "mimic-cxr-2.0.0-chexpert.csv.gz"), "wt", compresslevel=6) as labels:
        labels.write("subject_id,study_id," + ",".join(FINDINGS) + "\n")
        for subj, study in studies[:STUDIES]:
            labels.write(f"{subj},{study}," + ",".join(rng.choice(values) for _ in FINDINGS) + "\n")


if __name__ == "__main__":
    main()
