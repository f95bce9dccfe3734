#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Runs every command that has a --format json/jsonl output and validates what it printed against its
schema in schemas/. Each schema there must be exercised by at least one real output.

Usage: check_outputs.py CXRCAT_BINARY SCHEMAS_DIR CATALOG_SCHEMA
Needs the loopback nginx (CTest fixture http_servers, CXRCAT_TEST_SERVERS) for fetch, check, verify and
sync; without it exits 77 (skipped), or 1 under CXRCAT_REQUIRE_SERVERS=1. Runs with Debian's
/usr/bin/python3 (python3-jsonschema).
"""
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

import jsonschema

failures = []
used_schemas = set()


def load_validators(schemas_dir, catalog_schema_path):
    """One validator per schemas/*.schema.json; refs between them and to the catalog schema resolve by $id."""
    catalog_schema = json.loads(pathlib.Path(catalog_schema_path).read_text(encoding="utf-8"))
    schemas = {}
    for path in sorted(pathlib.Path(schemas_dir).glob("*.schema.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator.check_schema(schema)
        expected_id = "https://cxrcat.invalid/schemas/" + path.name
        if schema.get("$id") != expected_id:
            failures.append(f"{path}: $id must be {expected_id}")
        schemas[path.name[: -len(".schema.json")]] = schema
    store = {s["$id"]: s for s in schemas.values()}
    store[catalog_schema["$id"]] = catalog_schema
    validators = {}
    for name, schema in schemas.items():
        try:  # jsonschema >= 4.18 resolves through a referencing.Registry
            import referencing

            registry = referencing.Registry().with_resources(
                [(uri, referencing.Resource.from_contents(s)) for uri, s in store.items()])
            validators[name] = jsonschema.Draft202012Validator(schema, registry=registry)
        except ImportError:  # Debian 12's 4.10
            resolver = jsonschema.RefResolver.from_schema(schema, store=store)
            validators[name] = jsonschema.Draft202012Validator(schema, resolver=resolver)
    return validators


class Runner:
    def __init__(self, binary, env, cwd):
        self.binary, self.env, self.cwd = binary, env, cwd

    def json(self, args, schema, validators, expect_exit=0, jsonl=False):
        """Runs cxrcat ARGS, checks its exit code, validates stdout against schema and returns the document."""
        done = subprocess.run([self.binary, *args], env=self.env, cwd=self.cwd, capture_output=True, text=True,
                              timeout=120)
        label = "cxrcat " + " ".join(args)
        if done.returncode != expect_exit:
            failures.append(f"{label}: exit {done.returncode}, expected {expect_exit}; stderr: {done.stderr.strip()}")
        try:
            docs = [json.loads(line) for line in done.stdout.splitlines()] if jsonl else [json.loads(done.stdout)]
        except ValueError as error:
            failures.append(f"{label}: stdout is not JSON ({error}): {done.stdout[:200]!r}")
            return None
        if not docs:
            failures.append(f"{label}: printed nothing")
        used_schemas.add(schema)
        for index, doc in enumerate(docs):
            for error in validators[schema].iter_errors(doc):
                where = "/" + "/".join(str(p) for p in error.absolute_path)
                failures.append(f"{label}: {schema}.schema.json: line {index + 1}: {where}: {error.message[:300]}")
            if isinstance(doc, dict) and "exit_code" in doc and doc["exit_code"] != done.returncode:
                failures.append(f"{label}: exit_code {doc['exit_code']} in the output, process exited {done.returncode}")
        return docs if jsonl else docs[0]


def expect(condition, message):
    if not condition:
        failures.append(message)


def write_catalog(path, servers):
    hello = servers["files"]["hello.txt"]
    small = servers["files"]["small.bin"]
    access = {"class": "open", "terms": "Cite the schema test.", "terms_url": "https://example.org/terms"}
    datasets = [
        {"id": "schema-good", "name": "Schema test (good)", "modality": "cxr", "category": "general",
         "license": {"name": "CC-BY-4.0"}, "access": access,
         "sources": [{"provider": "http", "files": [
             {"path": "hello.txt", "url": servers["http"] + "/files/hello.txt", "size": hello["size"],
              "sha256": hello["sha256"]}]}]},
        # small.bin announced with hello.txt's digest: an integrity failure, so a failed record is validated too.
        {"id": "schema-bad", "name": "Schema test (bad digest)", "modality": "ct", "category": "general",
         "license": {"name": "CC-BY-4.0"}, "access": access,
         "sources": [{"provider": "http", "files": [
             {"path": "small.bin", "url": servers["http"] + "/files/small.bin", "size": small["size"],
              "sha256": hello["sha256"]}]}]},
    ]
    path.write_text(json.dumps({"datasets": datasets}), encoding="utf-8")


def check_live(run, v):
    """check --live without the provider stubs: every base URL on a port nothing listens on (exit 6), then
    the IDC API pointed at nginx's static files, which answer /version with a 404 (a drift, exit 5)."""
    names = ["zenodo", "physionet", "kaggle", "huggingface", "idc", "tcia"]
    nowhere = "http://127.0.0.1:1"
    env = {**run.env, "CXRCAT_ZENODO_URL": nowhere, "CXRCAT_PHYSIONET_URL": nowhere, "CXRCAT_KAGGLE_URL": nowhere,
           "HF_ENDPOINT": nowhere, "CXRCAT_IDC_API_URL": nowhere + "/v3", "CXRCAT_TCIA_URL": nowhere + "/v4"}
    live = Runner(run.binary, env, run.cwd).json(["check", "--live", "--format", "json"], "check-live", v,
                                                 expect_exit=6)
    expect(live and [p["provider"] for p in live["providers"]] == names, "check --live: expected all six providers")
    expect(live and all(p["status"] == "unreachable" for p in live["providers"]), "check --live: all unreachable")
    servers = json.loads(pathlib.Path(os.environ["CXRCAT_TEST_SERVERS"]).read_text(encoding="utf-8"))
    env["CXRCAT_IDC_API_URL"] = servers["http"] + "/files/schema-live-none/v3"
    live = Runner(run.binary, env, run.cwd).json(["check", "--live", "idc", "--format", "json"], "check-live", v,
                                                 expect_exit=5)
    expect(live and live["providers"][0]["status"] == "drift" and live["providers"][0]["requests"][0]["status"] == 404,
           "check --live idc against a 404: expected a drift naming the status")


def run_all(run, validators, work):
    v = validators
    listed = run.json(["list", "--format", "json"], "list", v)
    expect(listed and any(d["id"] == "schema-good" for d in listed), "list: the user catalog's dataset is missing")
    run.json(["list", "--modality", "ct", "--format", "jsonl"], "show", v, jsonl=True)
    run.json(["show", "jsrt", "--format", "json"], "show", v)
    run.json(["search", "pneumothorax", "--format", "json"], "search", v)
    run.json(["terms", "montgomery", "--format", "json"], "terms", v)
    checked = run.json(["check", "schema-good", "--format", "json"], "check", v, expect_exit=4)
    expect(checked and checked[0]["terms"] == "not-accepted", "check before accept: terms should be not-accepted")
    run.json(["accept", "--list", "--format", "json"], "accept-list", v)  # empty ledger: []
    subprocess.run([run.binary, "accept", "schema-good", "schema-bad"], env=run.env, cwd=run.cwd,
                   capture_output=True, check=True)
    run.json(["accept", "--list", "--format", "json"], "accept-list", v)
    run.json(["terms", "schema-good", "--format", "json"], "terms", v)
    # jsrt's terms are not accepted: the run exits 4, and schema-good alone would be fetchable.
    checked = run.json(["check", "schema-good", "jsrt", "--format", "json"], "check", v, expect_exit=4)
    expect(checked and checked[0]["fetch_allowed"] is True and checked[0]["exit_code"] == 0,
           "check after accept: schema-good should be fetchable")
    expect(checked and checked[1]["terms"] == "not-accepted", "check: jsrt's terms should be not-accepted")
    check_live(run, v)
    run.json(["fetch", "schema-good", "jsrt", "--dry-run", "--format", "json"], "fetch-dry-run", v)
    fetched = run.json(["fetch", "schema-good", "--format", "json"], "fetch", v)
    expect(fetched and fetched["summary"]["downloaded"] == 1, "fetch: expected one downloaded file")
    fetched = run.json(["fetch", "schema-good", "--format", "json"], "fetch", v)
    expect(fetched and fetched["summary"]["skipped"] == 1, "fetch again: expected one skipped file")
    failed = run.json(["fetch", "schema-bad", "--retries", "0", "--format", "json"], "fetch", v, expect_exit=5)
    expect(failed and failed["files"][0]["error"] is not None, "fetch with a bad digest: expected an error record")
    run.json(["fetch", "schema-good", "--dry-run", "--format", "json"], "fetch-dry-run", v)
    run.json(["verify", "schema-good", "--format", "json"], "verify", v)
    decoded = run.json(["verify", "schema-good", "--decode", "--format", "json"], "verify-decode", v)
    expect(decoded and decoded["decode"][0]["skipped"] == 1, "verify --decode: the text file is not an image")
    status = run.json(["status", "schema-good", "--format", "json"], "status", v)
    expect(status and status["datasets"][0]["complete"] is True, "status after fetch: expected complete")
    run.json(["plan", "schema-good", "schema-bad", "--format", "json"], "plan", v)
    run.json(["fetch", "schema-bad", "--dry-run", "--shard", "1/2", "--format", "json"], "fetch-dry-run", v)
    (work / "manifest").mkdir()
    (work / "manifest" / "cxrcat.json").write_text(json.dumps({"datasets": [{"id": "schema-good"}]}))
    manifest = str(work / "manifest" / "cxrcat.json")
    run.json(["sync", "--manifest", manifest, "--format", "json"], "sync", v)
    installed = pathlib.Path(run.env["CXRCAT_HOME"]) / "datasets" / "schema-good" / "hello.txt"
    installed.write_bytes(b"flipped" + installed.read_bytes()[7:])
    corrupt = run.json(["verify", "schema-good", "--format", "json"], "verify", v, expect_exit=5)
    expect(corrupt and corrupt["files"][0]["status"] == "corrupt", "verify after a flipped byte: expected corrupt")
    installed.unlink()
    run.json(["sync", "--manifest", manifest, "--offline", "--format", "json"], "sync", v, expect_exit=5)
    run.json(["doctor", "--format", "json"], "doctor", v)
    # labels: the label fixtures installed where fetch puts them (tests/fixtures/labels/README.md).
    fixtures = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "labels"
    for dataset in ("nih-cxr14", "montgomery"):
        shutil.copytree(fixtures / dataset, pathlib.Path(run.env["CXRCAT_HOME"]) / "datasets" / dataset)
    image = pathlib.Path(run.env["CXRCAT_HOME"]) / "datasets" / "montgomery" / "MontgomerySet" / "CXR_png"
    image.mkdir()
    (image / "MCUCXR_0001_0.png").write_bytes(b"")
    rows = run.json(["labels", "nih-cxr14", "montgomery", "--format", "json"], "labels", v)
    expect(rows and len(rows) == 6 and rows[0]["Cardiomegaly"] == 1, "labels: expected five NIH rows and one")
    run.json(["labels", "nih-cxr14", "--format", "jsonl", "--findings", "native"], "labels", v, jsonl=True)
    run.json(["labels", "nih-cxr14", "--format", "hf"], "labels", v, jsonl=True)
    run.env.update({"KAGGLE_USERNAME": "schema-user", "KAGGLE_KEY": "0123456789abcdef0123456789abcdef"})
    doctor = run.json(["doctor", "--format", "json"], "doctor", v)
    expect(doctor and "0123456789abcdef0123456789abcdef" not in json.dumps(doctor), "doctor: the secret leaked")


def main():
    binary, schemas_dir, catalog_schema = (os.path.abspath(a) for a in sys.argv[1:4])
    validators = load_validators(schemas_dir, catalog_schema)
    servers_json = os.environ.get("CXRCAT_TEST_SERVERS", "")
    if not servers_json or not os.path.exists(servers_json):
        print("the loopback servers are not running (CTest fixture http_servers)")
        return 1 if os.environ.get("CXRCAT_REQUIRE_SERVERS") == "1" else 77
    servers = json.loads(pathlib.Path(servers_json).read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="cxrcat-schemas-") as tmp:
        work = pathlib.Path(tmp)
        write_catalog(work / "catalog.json", servers)
        keep = ("PATH", "LANG", "LC_ALL", "ASAN_OPTIONS", "UBSAN_OPTIONS", "TMPDIR")
        env = {k: v for k, v in os.environ.items() if k in keep}
        env.update({"HOME": str(work / "home"), "CXRCAT_HOME": str(work / "data"),
                    "XDG_CONFIG_HOME": str(work / "config"), "CXRCAT_CATALOG": str(work / "catalog.json"),
                    "CXRCAT_RETRY_BASE_MS": "10", "NO_PROXY": "*"})
        try:
            run_all(Runner(binary, env, str(work)), validators, work)
        except (OSError, KeyError, TypeError, IndexError, subprocess.SubprocessError) as error:
            failures.append(f"stopped early: {error!r}")
    unused = sorted(set(validators) - used_schemas - {"common"})
    if unused:
        failures.append("schemas no test output was validated against: " + ", ".join(unused))
    for failure in failures:
        print(failure)
    print(f"validated the output of {len(used_schemas)} schemas: {len(failures)} problems")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
