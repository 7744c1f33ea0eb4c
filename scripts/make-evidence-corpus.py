#!/usr/bin/env python3
"""Writes the hostile seeds of the evidence-bundle fuzz corpus (tests/fuzz/evidence-corpus/).
The valid seeds come from the CLI (run these first: the seeds with bytes around
the archive are derived from valid-unsigned.zip):
  aisecops-replay --audit-file sample-audits/untrusted-skill-restart.jsonl \
      --trace-id skill-restart-prod-payments --evidence tests/fuzz/evidence-corpus/valid-unsigned.zip --no-svg --examiner fuzz --case corpus
  aisecops-replay --audit-file sample-audits/run-trace-report.json \
      --trace-id run-2026-03-09-quarterly-report --evidence tests/fuzz/evidence-corpus/valid-run-trace.zip --no-svg --examiner fuzz --case corpus
"""
import io, os, stat, sys, zipfile

out = sys.argv[1] if len(sys.argv) > 1 else "tests/fuzz/evidence-corpus"
os.makedirs(out, exist_ok=True)

def write(name, entries, compression=zipfile.ZIP_DEFLATED):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        for info, data in entries:
            z.writestr(info, data)
    with open(os.path.join(out, name), "wb") as f:
        f.write(buf.getvalue())
    return buf.getvalue()

write("zip-slip.zip", [("../../evil.txt", b"owned"), ("manifest.json", b"{}")])
write("absolute.zip", [("/etc/evil", b"owned")])
write("backslash.zip", [("a\\..\\..\\evil", b"owned")])
link = zipfile.ZipInfo("link")
link.external_attr = (stat.S_IFLNK | 0o777) << 16
write("symlink.zip", [(link, b"/etc/passwd"), ("manifest.json", b"{}")])
import warnings
warnings.simplefilter("ignore")
write("duplicate.zip", [("manifest.json", b"{}"), ("manifest.json", b"{}")])
write("bomb.zip", [("audit/lines.jsonl", b"\0" * (8 << 20))])
write("manifest-not-json.zip", [("manifest.json", b"this is not json {")])
write("empty.zip", [])
data = write("truncated-source.zip", [("manifest.json", b'{"format":"aisecops-replay-evidence","members":[]}')])
with open(os.path.join(out, "truncated.zip"), "wb") as f:
    f.write(data[: len(data) // 2])
os.remove(os.path.join(out, "truncated-source.zip"))
with open(os.path.join(out, "not-a-zip.zip"), "wb") as f:
    f.write(b'{"format":"aisecops-replay-evidence"}\n')

# every byte of a bundle must belong to the archive: junk before, after, or in
# the archive comment fails the archive item
valid = os.path.join(out, "valid-unsigned.zip")
if os.path.exists(valid):
    with open(valid, "rb") as f:
        good = f.read()
    junk = b"#!/bin/sh\necho smuggled\n"
    assert good[-22:-18] == b"PK\x05\x06" and good[-2:] == b"\0\0", "valid-unsigned.zip has a comment"
    for name, data in (("prepended.zip", junk + good), ("appended.zip", good + junk),
                       ("comment.zip", good[:-2] + len(junk).to_bytes(2, "little") + junk)):
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
