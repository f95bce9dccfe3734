# SPDX-License-Identifier: Apache-2.0
"""The IDC REST API v3 stub (version and cohort manifest)."""
import json
import os
import re

from .handler import StubHandler
from .world import consume_fault, read_int, read_json, unit_dir

IDC_API_PAGE_CAP = 5000
IDC_API_VERSION = {"idc_version": "v24", "idc_index_data_version": "24.2.2", "api_version": "3.0.0b2",
                   "build": "968e137"}
IDC_API_TERMS = ("collection_id", "analysis_result_id", "PatientID", "StudyInstanceUID", "SeriesInstanceUID",
                 "Modality", "BodyPartExamined", "Manufacturer", "ManufacturerModelName", "PatientSex",
                 "sop_class_name", "license_short_name", "source_DOI")
IDC_API_ORDER = ("collection_id", "PatientID", "StudyInstanceUID", "SeriesInstanceUID")


class IdcApiHandler(StubHandler):
    """/<unit>/v3/… (CXRCAT_IDC_API_URL = http://127.0.0.1:PORT/<unit>/v3, so parallel tests each have
    their own API). In <world>/idc_api/<unit>/: series.json (the index rows, as the API returns them),
    _version.json (GET /version, default the verbatim b2 answer), _page_size (a lower clamp of
    page_size), _manifest_answer.json + _manifest_status (a verbatim answer replacing /cohort/manifest:
    a changed API), _ratelimit / _unavailable counters.

    Shapes (provider-facts.md §1.2-1.4, from ImagingDataCommons/IDC-REST-MCP models.py, settings.py and
    tests, the IDC skill's rest_api_guide.md live outputs, and a third-party live capture of POST
    /v3/cohort/manifest): the body is {"filters":{"terms":{…},"ranges":{…}},"page":K,"page_size":N};
    since 3.0.0b3 a bare filter or an unknown key is a 422 ("goes under `filters`") and an unfiltered
    manifest a 400 "At least one filter predicate is required"; terms are exact, case-sensitive IN
    matches, with a warning naming the right case when only the case differs; rows are ordered by
    collection_id, PatientID, StudyInstanceUID, SeriesInstanceUID and paged by LIMIT page_size OFFSET
    page*page_size; page_size is clamped to 5000 silently and echoed; errors are
    {"error":{"code","message"}}; no authentication."""
    provider = "idc_api"

    def api_error(self, status, code, message):
        self.send_json(status, {"error": {"code": code, "message": message}})

    def route(self):
        match = re.fullmatch(r"/([A-Za-z0-9._-]+)/v3/(.+)", self.raw_path)
        unit = unit_dir(self.shared.root("idc_api"), match.group(1)) if match else None
        if unit is None:
            self.api_error(404, "not_found", "Not Found")
            return
        fault = consume_fault(unit)
        if fault is not None:
            status, retry_after = fault
            self.api_error(status, "unavailable" if status == 503 else "rate_limited", "Service Unavailable")
            return
        endpoint = match.group(2)
        if endpoint == "version" and self.method == "GET":
            self.send_json(200, read_json(os.path.join(unit, "_version.json"), IDC_API_VERSION))
        elif endpoint == "cohort/manifest" and self.method == "POST":
            self.manifest(unit)
        else:
            self.api_error(404, "not_found", "Not Found")

    def manifest(self, unit):
        verbatim = os.path.join(unit, "_manifest_answer.json")
        if os.path.exists(verbatim):
            with open(verbatim, "rb") as f:
                self.send_bytes(read_int(os.path.join(unit, "_manifest_status"), 200), f.read(), "application/json")
            return
        try:
            body = json.loads(self.body or b"null")
        except ValueError:
            body = None
        if not isinstance(body, dict):
            self.send_json(422, {"detail": [{"type": "model_attributes_type", "loc": ["body"],
                                             "msg": "Input should be a valid dictionary or object"}]})
            return
        unknown = sorted(set(body) - {"filters", "page", "page_size", "fields"})
        if unknown:
            self.send_json(422, {"detail": [{"type": "extra_forbidden", "loc": ["body", unknown[0]],
                                             "msg": "Extra inputs are not permitted; filters go under `filters`"}]})
            return
        filters = body.get("filters") or {}
        terms = filters.get("terms") or {} if isinstance(filters, dict) else {}
        if not isinstance(terms, dict) or not terms or not all(isinstance(v, list) for v in terms.values()):
            self.api_error(400, "invalid_query", "At least one filter predicate is required")
            return
        for attribute in terms:
            if attribute not in IDC_API_TERMS:
                self.api_error(400, "invalid_query", f"Unknown or non-term filter attribute: '{attribute}'. "
                                                     "Use list_attributes to see valid attributes.")
                return
        page, page_size = body.get("page", 0), body.get("page_size", 100)
        if not isinstance(page, int) or page < 0 or not isinstance(page_size, int) or page_size < 1:
            self.send_json(422, {"detail": [{"type": "int_type", "loc": ["body", "page"], "msg": "invalid"}]})
            return
        page_size = min(page_size, IDC_API_PAGE_CAP, read_int(os.path.join(unit, "_page_size"), IDC_API_PAGE_CAP))
        rows = read_json(os.path.join(unit, "series.json"), [])
        chosen = [r for r in rows if all(r.get(k) in v for k, v in terms.items())]
        chosen.sort(key=lambda r: tuple(str(r.get(k, "")) for k in IDC_API_ORDER))
        warnings = []
        for attribute, values in terms.items():
            for value in values:
                known = {r.get(attribute) for r in rows if isinstance(r.get(attribute), str)}
                if value not in known:
                    hint = [k for k in known if k.lower() == str(value).lower()]
                    if hint:
                        warnings.append(f"{attribute}: no match for {value!r}; did you mean {hint[0]!r}? "
                                        "(matching is case-sensitive)")
        part = chosen[page * page_size:(page + 1) * page_size]
        self.send_json(200, {
            "counts": {"patients": len({r.get("PatientID") for r in chosen}),
                       "studies": len({r.get("StudyInstanceUID") for r in chosen}),
                       "series": len(chosen), "instances": sum(r.get("instanceCount", 0) for r in chosen),
                       "size_TB": round(sum(r.get("series_size_MB", 0) for r in chosen) / 1e6, 3),
                       "filters_applied": {"terms": terms, "ranges": {}}, "warnings": warnings},
            "page": page, "page_size": page_size, "returned": len(part), "total_series": len(chosen),
            "series": part})
