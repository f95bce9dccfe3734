# SPDX-License-Identifier: Apache-2.0
"""The TCIA stub: the NBIA REST API (getSeries, getImageWithMD5Hash) on the main host and on NLST's own."""
import hashlib
import io
import os
import re
import zipfile

from .handler import StubHandler
from .world import consume_drop, consume_fault, flag, read_json, read_lines, safe_segment, unit_dir, unit_subdir

# getSeries accepts these parameters and no others: the NBIA V4 server code answers 400 "Invalid query
# parameter" for anything else (provider-facts.md §4, "Fields (CODE)"); tcia_utils nbia.py getSeries sends
# the same names (Collection, PatientID, StudyInstanceUID, SeriesInstanceUID, Modality, BodyPartExamined,
# Manufacturer, ManufacturerModelName).
NBIA_SERIES_PARAMS = ("Collection", "format", "PatientID", "StudyInstanceUID", "Modality", "BodyPartExamined",
                      "ManufacturerModelName", "Manufacturer", "SeriesInstanceUID")


class _ZipSink(io.RawIOBase):
    """An unseekable sink: zipfile then writes every member with a data descriptor (sizes after the data),
    as java.util.zip.ZipOutputStream does when NBIA streams a zip it cannot seek back into."""

    def __init__(self):
        super().__init__()
        self.parts = []

    def writable(self):
        return True

    def write(self, data):
        self.parts.append(bytes(data))
        return len(data)

    def take(self):
        data, self.parts = b"".join(self.parts), []
        return data


class TciaHandler(StubHandler):
    """/<unit>/nbia-api/services/{v1,v4}/… (CXRCAT_TCIA_URL = http://127.0.0.1:PORT/<unit>/nbia-api/services/v4, so
    parallel tests each have their own API); _v1_gone / _v4_gone make a version answer 404. In
    <world>/tcia/<unit>/: series.json (the getSeries rows, as NBIA returns them), one directory per
    SeriesInstanceUID holding the series' DICOM files (served in name order), _corrupt (lines
    "<SeriesInstanceUID>/<file>": served with altered bytes while md5hashes.csv keeps the recorded MD5, i.e.
    storage that no longer matches NBIA's database), _restricted (one SeriesInstanceUID per line: not public),
    _ratelimit / _unavailable / _drop.

    Shapes:
    - getSeries (provider-facts.md §4, a live capture of …/v1/getSeries?Collection=LIDC-IDRI on 2026-09-17;
      tcia_utils nbia.py queryData; MONAI apps/tcia/utils.py get_tcia_metadata): a JSON array of series
      objects (SeriesInstanceUID, StudyInstanceUID, Modality, Collection, PatientID, ImageCount, FileSize,
      …); no match is a 200 with an EMPTY body, which both clients take for "no results"; no token.
    - getImageWithMD5Hash (CBIIT NBIA server code V1_getImageWithMD5Hash.java, provider-facts.md §4): a zip
      built by ZipOutputStream inside a StreamingOutput, Content-Type application/octet-stream,
      Content-Disposition attachment; filename="<uid>.zip", NO Content-Length (chunked here) and no Range
      support; members named String.format("%08d", n) + the stored file's extension; then md5hashes.csv
      (FormatOutput.toCsv over columns Filename,MD5Hash: a header line, then one row per member in HashMap
      order, here reversed) holding the MD5s NBIA's database recorded (dto.getMD5Hash()). An unknown
      series gives a zip of md5hashes.csv alone (getImageAndMD5Hash finds no rows); a missing parameter
      is 400 "A parameter, SeriesInstanceUID, is required for this API call."; a series that is not public
      is 400 "Image with given SeriesInstanceUID,<uid>, is not in public domain." (both with Content-Type
      application/json, as the server sets, though the entity is plain text)."""
    provider = "tcia"

    def route(self):
        match = re.fullmatch(r"/([A-Za-z0-9._-]+)/nbia-api/services/(v1|v4)/([A-Za-z0-9]+)", self.raw_path)
        unit = unit_dir(self.shared.root(self.provider), match.group(1)) if match else None
        # _v1_gone / _v4_gone: that version answers 404 everywhere (v1 is "in the process of being
        # deprecated", RBVI/ChimeraX#201; some endpoints "were not migrated to v4", tcia_utils setApiUrl).
        if unit is None or self.method not in ("GET", "HEAD") or flag(unit, f"_{match.group(2)}_gone"):
            self.send_text(404, "Not Found\n")
            return
        self.version = match.group(2)
        fault = consume_fault(unit)
        if fault is not None:
            status, retry_after = fault
            self.send_text(status, "Service Unavailable\n",
                           headers=[("Retry-After", retry_after)] if retry_after else [])
            return
        endpoint = match.group(3)
        if endpoint == "getSeries":
            self.series(unit)
        elif endpoint == "getImageWithMD5Hash":
            self.image_with_md5(unit)
        else:
            self.send_text(404, "Not Found\n")

    def series(self, unit):
        unknown = sorted(set(self.query) - set(NBIA_SERIES_PARAMS))
        if unknown:
            self.send_text(400, f"Invalid query parameter: {unknown[0]}\n")
            return
        rows = read_json(os.path.join(unit, "series.json"), [])
        terms = {k: v[0] for k, v in self.query.items() if k != "format"}
        chosen = [r for r in rows if all(str(r.get(k, "")) == v for k, v in terms.items())]
        if not chosen:
            self.send_bytes(200, b"", "application/json")
            return
        if self.version == "v4":
            # V4_getSeries (CBIIT/NBIA-TCIA 3ca30907) renames TimeStamp and CollectionURI.
            renames = {"TimeStamp": "MaxSubmissionTimestamp", "CollectionURI": "DataDescriptionURI"}
            chosen = [{renames.get(k, k): v for k, v in row.items()} for row in chosen]
        self.send_json(200, chosen)

    def image_with_md5(self, unit):
        sid = self.q("SeriesInstanceUID")
        unknown = sorted(set(self.query) - {"SeriesInstanceUID"})
        if self.version == "v4" and unknown:
            # v4 getImageWithMD5Hash allows only SeriesInstanceUID (api-drift-2026.md §1.2).
            self.send_text(400, f"Invalid query parameter: {unknown[0]}\n")
            return
        if sid is None:
            self.send_bytes(400, b"A parameter, SeriesInstanceUID, is required for this API call.",
                            "application/json")
            return
        if sid in read_lines(os.path.join(unit, "_restricted")):
            # v4 words the refusal differently (api-drift-2026.md §1.2: 400 "The user has not been granted
            # the access …"; the rest of the sentence is not in the reference, so it is left out here).
            text = ("The user has not been granted the access" if self.version == "v4"
                    else f"Image with given SeriesInstanceUID,{sid}, is not in public domain.")
            self.send_bytes(400, text.encode(), "application/json")
            return
        directory = unit_subdir(unit, sid) if safe_segment(sid) else None
        names = sorted(os.listdir(directory)) if directory else []
        corrupt = set(read_lines(os.path.join(unit, "_corrupt")))
        self.start_chunked(200, [("Content-Type", "application/octet-stream"),
                                 ("Content-Disposition", f'attachment; filename="{sid}.zip"')])
        drop = consume_drop(unit)
        sink = _ZipSink()
        hashes = {}
        with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for counter, name in enumerate(names, start=1):
                with open(os.path.join(directory, name), "rb") as f:
                    data = f.read()
                member = f"{counter:08d}{os.path.splitext(name)[1]}"
                hashes[member] = hashlib.md5(data).hexdigest()
                if f"{sid}/{name}" in corrupt:
                    data = bytes([data[0] ^ 0xFF]) + data[1:] if data else b"\xff"
                archive.writestr(member, data)
                if not self.send_chunk(sink.take(), drop):
                    return
            rows = "".join(f"{m},{h}\n" for m, h in reversed(list(hashes.items())))
            archive.writestr("md5hashes.csv", "Filename,MD5Hash\n" + rows)
        if self.send_chunk(sink.take(), drop):
            self.send_chunk(b"", None)

    def start_chunked(self, status, headers):
        """A streamed answer: Transfer-Encoding chunked, no Content-Length."""
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.sent = True
        self.stats.set_status(self.entry, status)

    def send_chunk(self, data, drop):
        """One chunk (b"" ends the body). With drop (bytes left before the connection is cut), stops early
        and closes; returns False once cut."""
        if self.head:
            return True
        if drop is not None:
            sent = self.entry.get("bytes_sent", 0)
            if sent + len(data) >= drop:
                self.write(f"{drop - sent:x}\r\n".encode() + data[:max(0, drop - sent)])
                self.close_connection = True
                return False
        self.write(f"{len(data):x}\r\n".encode() + data + b"\r\n" if data else b"0\r\n\r\n")
        return True


class TciaNlstHandler(TciaHandler):
    """NLST's own NBIA host (CXRCAT_TCIA_NLST_URL = http://127.0.0.1:PORT/<unit>/nbia-api/services/v4), the same API
    as TciaHandler over <world>/tcia_nlst/<unit>/. NLST is "on a separate system because of how large it is"
    (tcia_utils#21, kirbyju 2025-01-18) and tcia_utils reaches it with api_url="nlst" at
    https://nlst.cancerimagingarchive.net/nbia-api/services/v4/ (api-drift-2026.md §1.4), so a test puts the NLST
    series here and not under <world>/tcia. What the main host answers for getSeries?Collection=NLST is not in the
    references: a unit without NLST rows answers NBIA's generic "no results" (an empty 200); getImage of an NLST
    series on the main host is a 400 (tcia_utils#21), which a test gets with _restricted there."""
    provider = "tcia_nlst"
