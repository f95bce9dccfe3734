# SPDX-License-Identifier: Apache-2.0
"""TCIA stub checks (NBIA v1, v4 and the NLST host)."""
import hashlib
import io
import random
import unittest
import zipfile

from stub_checks.common import STUBS, fetch, world, put, put_json, random_bytes, unique


class Tcia(unittest.TestCase):
    def setUp(self):
        self.unit = unique("nbia")
        self.base = f"{STUBS['tcia']}/{self.unit}/nbia-api/services/v1"
        self.uid = f"1.2.840.{random.SystemRandom().randrange(10**9)}"
        self.files = [random_bytes(700 + i, 40 + i) for i in range(3)]
        for i, data in enumerate(self.files):
            put(world("tcia", self.unit, self.uid, f"f{i}.dcm"), data)
        put_json(world("tcia", self.unit, "series.json"),
                 [{"SeriesInstanceUID": self.uid, "Collection": "LIDC-IDRI", "PatientID": "P1", "Modality": "CT",
                   "ImageCount": 3, "FileSize": sum(map(len, self.files))}])

    def test_get_series_filters_and_answers_empty_for_no_match(self):
        r = fetch(f"{self.base}/getSeries?Collection=LIDC-IDRI")
        self.assertEqual((r.status, r.json()[0]["SeriesInstanceUID"]), (200, self.uid))
        none = fetch(f"{self.base}/getSeries?Collection=NOPE")
        self.assertEqual((none.status, none.body), (200, b""))
        self.assertEqual(fetch(f"{self.base}/getSeries?Colection=LIDC-IDRI").status, 400)

    def test_series_zip_is_streamed_with_md5_list(self):
        r = fetch(f"{self.base}/getImageWithMD5Hash?SeriesInstanceUID={self.uid}")
        self.assertEqual(r.status, 200)
        self.assertIsNone(r.header("Content-Length"))
        self.assertEqual(r.header("Transfer-Encoding"), "chunked")
        self.assertEqual(r.header("Content-Disposition"), f'attachment; filename="{self.uid}.zip"')
        with zipfile.ZipFile(io.BytesIO(r.body)) as archive:
            names = archive.namelist()
            self.assertEqual(names, ["00000001.dcm", "00000002.dcm", "00000003.dcm", "md5hashes.csv"])
            self.assertTrue(all(info.flag_bits & 0x08 for info in archive.infolist()))  # data descriptors
            lines = archive.read("md5hashes.csv").decode().splitlines()
            self.assertEqual(lines[0], "Filename,MD5Hash")
            listed = dict(line.split(",") for line in lines[1:])
            for i, data in enumerate(self.files):
                self.assertEqual(archive.read(f"{i + 1:08d}.dcm"), data)
                self.assertEqual(listed[f"{i + 1:08d}.dcm"], hashlib.md5(data).hexdigest())

    def test_corrupt_restricted_and_unknown_series(self):
        put(world("tcia", self.unit, "_corrupt"), f"{self.uid}/f1.dcm\n")
        r = fetch(f"{self.base}/getImageWithMD5Hash?SeriesInstanceUID={self.uid}")
        with zipfile.ZipFile(io.BytesIO(r.body)) as archive:
            listed = dict(line.split(",") for line in archive.read("md5hashes.csv").decode().splitlines()[1:])
            self.assertNotEqual(archive.read("00000002.dcm"), self.files[1])
            self.assertEqual(listed["00000002.dcm"], hashlib.md5(self.files[1]).hexdigest())
        unknown = fetch(f"{self.base}/getImageWithMD5Hash?SeriesInstanceUID=9.9.9")
        with zipfile.ZipFile(io.BytesIO(unknown.body)) as archive:
            self.assertEqual(archive.namelist(), ["md5hashes.csv"])
        put(world("tcia", self.unit, "_restricted"), f"{self.uid}\n")
        closed = fetch(f"{self.base}/getImageWithMD5Hash?SeriesInstanceUID={self.uid}")
        self.assertEqual((closed.status, closed.body),
                         (400, f"Image with given SeriesInstanceUID,{self.uid}, is not in public domain.".encode()))
        self.assertEqual(fetch(f"{self.base}/getImageWithMD5Hash").status, 400)


    def test_v4_renames_fields_is_strict_and_words_refusals_its_own_way(self):
        v4 = self.base.replace("/v1", "/v4")
        put_json(world("tcia", self.unit, "series.json"),
                 [{"SeriesInstanceUID": self.uid, "Collection": "LIDC-IDRI", "TimeStamp": "t", "CollectionURI": "u"}])
        row = fetch(f"{v4}/getSeries?Collection=LIDC-IDRI").json()[0]
        self.assertEqual((row["MaxSubmissionTimestamp"], row["DataDescriptionURI"]), ("t", "u"))
        self.assertNotIn("TimeStamp", row)
        self.assertEqual(fetch(f"{v4}/getImageWithMD5Hash?SeriesInstanceUID={self.uid}&NewFileNames=Yes").status, 400)
        put(world("tcia", self.unit, "_restricted"), f"{self.uid}\n")
        closed = fetch(f"{v4}/getImageWithMD5Hash?SeriesInstanceUID={self.uid}")
        self.assertEqual((closed.status, closed.body), (400, b"The user has not been granted the access"))
        put(world("tcia", self.unit, "_v4_gone"), "")
        self.assertEqual(fetch(f"{v4}/getSeries?Collection=LIDC-IDRI").status, 404)
        self.assertEqual(fetch(f"{self.base}/getSeries?Collection=LIDC-IDRI").status, 200)

    def test_nlst_has_its_own_host(self):
        # NLST's series live under <world>/tcia_nlst on a server of its own (api-drift-2026.md §1.4).
        put_json(world("tcia_nlst", self.unit, "series.json"), [{"SeriesInstanceUID": self.uid, "Collection": "NLST"}])
        put(world("tcia_nlst", self.unit, self.uid, "f0.dcm"), b"DICM")
        nlst = f"{STUBS['tcia_nlst']}/{self.unit}/nbia-api/services/v4"
        self.assertEqual(fetch(f"{nlst}/getSeries?Collection=NLST").json()[0]["SeriesInstanceUID"], self.uid)
        self.assertEqual(fetch(f"{nlst}/getImageWithMD5Hash?SeriesInstanceUID={self.uid}").status, 200)
        main = fetch(f"{STUBS['tcia']}/{self.unit}/nbia-api/services/v4/getSeries?Collection=NLST")
        self.assertEqual((main.status, main.body), (200, b""))
