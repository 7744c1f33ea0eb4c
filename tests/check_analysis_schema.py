#!/usr/bin/env python3
"""Validates the analysis outputs of the CLI against docs/analysis-report.schema.json:
the report.json of a batch over the samples, and the --json document of single
analyses. Exit 77 (skipped) when the jsonschema module is not installed."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

try:
    import jsonschema
except ImportError:
    print("jsonschema is not installed (Debian: python3-jsonschema); skipping")
    sys.exit(77)

cli, source = sys.argv[1], sys.argv[2]
schema = json.load(open(os.path.join(source, "docs/analysis-report.schema.json")))
jsonschema.Draft202012Validator.check_schema(schema)
document_schema = {"$schema": schema["$schema"], "$defs": schema["$defs"], "$ref": "#/$defs/analysisDocument"}
config = ["--profile", "sample-audits/analysis/analysis.yaml", "--behaviour", "sample-audits/analysis/behaviour",
          "--exfil", "sample-audits/analysis/exfiltration.yaml"]

for args in (["--audit-file", "sample-audits/run-12345.json"] + config,
             ["--audit-file", "sample-audits/run-incidents.jsonl"] + config,
             ["--audit-file", "sample-audits/ops-restart-approval.jsonl", "--audit-file", "sample-audits/damaged.jsonl"]):
    out = subprocess.run([cli, "--analyze", "--json", "--quiet"] + args, cwd=source, capture_output=True, text=True)
    if out.returncode != 0:
        print("command failed:", args, out.stderr)
        sys.exit(1)
    jsonschema.validate(json.loads(out.stdout), document_schema, cls=jsonschema.Draft202012Validator)
    print("valid --json:", " ".join(args))

with tempfile.TemporaryDirectory() as tmp:
    traces = os.path.join(tmp, "traces")
    shutil.copytree(os.path.join(source, "sample-audits"), traces, ignore=shutil.ignore_patterns("analysis", "policies"))
    os.symlink(traces, os.path.join(traces, "loop"))               # a symlink loop: reported, not fatal
    os.symlink(os.path.join(tmp, "nowhere"), os.path.join(traces, "gone.json"))  # a dangling link
    report = os.path.join(tmp, "report.json")
    out = subprocess.run([cli, "--analyze", "--batch", traces, "--output", report, "--quiet",
                          "--window", "2026-01-01..2026-12-31", "--min-escalated-runs", "1",
                          "--controls", "sample-audits/analysis/controls.yaml"] + config,
                         cwd=source, capture_output=True, text=True)
    if out.returncode != 0:
        print("batch failed:", out.stdout, out.stderr)
        sys.exit(1)
    document = json.load(open(report))
    jsonschema.validate(document, schema, cls=jsonschema.Draft202012Validator)
    if len(document["problems"]) != 2 or not document["fleet"]["frequent_escalations"]:
        print("the batch report lacks its problems or its fleet findings")
        sys.exit(1)
    if len(document["compliance"]["controls"]) != 5 or document["compliance"]["summary"]["fail"] < 1:
        print("the batch report lacks its compliance section:", document.get("compliance", {}).get("summary"))
        sys.exit(1)
    print("valid report:", document["totals"])

# the detector what-if: analysis-diff.json against docs/analysis-diff.schema.json
diff_schema = json.load(open(os.path.join(source, "docs/analysis-diff.schema.json")))
jsonschema.Draft202012Validator.check_schema(diff_schema)
try:  # jsonschema >= 4.18 resolves through `referencing`; Debian 12's 4.10 through RefResolver
    from referencing import Registry, Resource
    diff_validator = jsonschema.Draft202012Validator(
        diff_schema, registry=Registry().with_resource(schema["$id"], Resource.from_contents(schema)))
except ImportError:
    diff_validator = jsonschema.Draft202012Validator(
        diff_schema, resolver=jsonschema.RefResolver.from_schema(diff_schema, store={schema["$id"]: schema}))
with tempfile.TemporaryDirectory() as tmp:
    shutil.copytree(os.path.join(source, "sample-audits/analysis/profiles"), os.path.join(tmp, "profiles"))
    patched = os.path.join(tmp, "analysis.yaml")
    with open(os.path.join(source, "sample-audits/analysis/analysis.yaml")) as f:
        text = f.read().replace("baseline_grant: [metrics:read, ssh:exec:read-only]",
                                "baseline_grant: [metrics:read, ssh:exec:read-only, service:restart]")
    with open(patched, "w") as f:
        f.write(text)
    out_file = os.path.join(tmp, "analysis-diff.json")
    out = subprocess.run([cli, "--analyze", "--diff", "--quiet", "--audit-file", "sample-audits/run-12345.json",
                          "--audit-file", "sample-audits/run-incidents.jsonl",
                          "--baseline-profile", "sample-audits/analysis/analysis.yaml", "--profile", patched,
                          "--behaviour", "sample-audits/analysis/behaviour", "--output", out_file],
                         cwd=source, capture_output=True, text=True)
    if out.returncode != 0:
        print("what-if failed:", out.stdout, out.stderr)
        sys.exit(1)
    document = json.load(open(out_file))
    diff_validator.validate(document)
    if document["summary"]["vanished"] < 1:
        print("the patched grant should make an escalation vanish:", document["summary"])
        sys.exit(1)
    print("valid analysis-diff:", document["summary"]["vanished"], "vanished")
