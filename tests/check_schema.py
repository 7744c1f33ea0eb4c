#!/usr/bin/env python3
"""Validates replay-diff.json outputs of the CLI against docs/replay-diff.schema.json.
Exit 77 (skipped) when the jsonschema module is not installed."""
import json
import subprocess
import sys

try:
    import jsonschema
except ImportError:
    print("jsonschema is not installed (Debian: python3-jsonschema); skipping")
    sys.exit(77)

cli, source = sys.argv[1], sys.argv[2]
schema = json.load(open(source + "/docs/replay-diff.schema.json"))
runs = [
    ["--audit-file", "sample-audits/run-trace-report.json", "--policy", "sample-audits/policies/strict.yaml"],
    ["--audit-file", "sample-audits/budget-breach.jsonl", "--policy", "sample-audits/policies/strict.yaml",
     "--capabilities", "sample-audits/policies/capabilities.yaml", "--baseline", "sample-audits/policies/production.yaml"],
    ["--audit-file", "sample-audits/legacy-lines.jsonl", "--policy", "sample-audits/policies/permissive.yaml"],
    ["--audit-file", "sample-audits/budget-breach.jsonl", "--audit-file", "sample-audits/mcp-call.jsonl", "--policy",
     "sample-audits/policies/strict.yaml"],
    ["--audit-file", "sample-audits/mcp-call.jsonl", "--trace-id", "mcp-7f3e2b1c9a", "--policy",
     "sample-audits/policies/strict.yaml"],
]
for args in runs:
    out = subprocess.run([cli] + args + ["--diff", "--json", "--quiet"], cwd=source, capture_output=True, text=True)
    if out.returncode != 0:
        print("command failed:", args, out.stderr)
        sys.exit(1)
    document = json.loads(out.stdout)
    jsonschema.validate(document, schema)
    print("valid:", " ".join(args))
