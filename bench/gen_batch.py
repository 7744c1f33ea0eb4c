#!/usr/bin/env python3
"""A folder of trace files for batch analysis, seeded and reproducible.

Writes COUNT files under OUT (in day folders, as a fleet's runs land), one
run each, made from the bundled samples so that their verdicts are known:
by default 342 files that give the seed's split, 3 runs with a critical
anomaly, 47 with warnings and 292 clean. Both formats are mixed: run
documents (pretty .json and one-line .jsonl, some gzip-compressed) and
interceptor audit logs (.jsonl). The same seed gives the same bytes.

    bench/gen_batch.py --out /tmp/fleet                 # 342 files, 3 / 47 / 292
    bench/gen_batch.py --out /tmp/big --count 10000     # the benchmark's folder
"""
import argparse
import gzip
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLES = os.path.join(HERE, "..", "sample-audits")


def run_templates():
    with open(os.path.join(SAMPLES, "run-incidents.jsonl"), encoding="utf-8") as f:
        runs = {r["run_id"]: r for r in (json.loads(line) for line in f if line.strip())}
    return {
        "critical": [runs["run-exfil-0412"], runs["run-probe-0413"]],
        "warning": [runs["run-delete-0414"]],
        "clean": [runs["run-deploy-0416"]],
    }


def interceptor_template():
    with open(os.path.join(SAMPLES, "ops-restart-approval.jsonl"), encoding="utf-8") as f:
        return f.read()


def shift_day(text, day):
    # every time stamp of the template moves to 2026-03-DD, keeping its time of day
    for old in ("2026-03-05", "2026-03-06", "2026-03-07", "2026-03-04", "2026-03-08"):
        text = text.replace(old, "2026-03-%02d" % day)
    return text


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True)
    parser.add_argument("--count", type=int, default=342)
    parser.add_argument("--critical", type=int, default=None, help="default: 3 of 342, in proportion")
    parser.add_argument("--warning", type=int, default=None, help="default: 47 of 342, in proportion")
    parser.add_argument("--seed", type=int, default=342)
    args = parser.parse_args()
    critical = args.critical if args.critical is not None else round(args.count * 3 / 342)
    warning = args.warning if args.warning is not None else round(args.count * 47 / 342)
    if critical + warning > args.count:
        sys.exit("--critical and --warning exceed --count")
    rng = random.Random(args.seed)
    kinds = ["critical"] * critical + ["warning"] * warning + ["clean"] * (args.count - critical - warning)
    rng.shuffle(kinds)
    templates = run_templates()
    interceptor = interceptor_template()
    os.makedirs(args.out, exist_ok=True)
    for i, kind in enumerate(kinds):
        day = 1 + i * 28 // max(1, args.count)
        folder = os.path.join(args.out, "2026-03-%02d" % day)
        os.makedirs(folder, exist_ok=True)
        name = "run-%05d" % i
        if kind == "clean" and rng.random() < 0.1:
            # an interceptor audit log of one trace: allowed after approval, clean
            text = shift_day(interceptor, day).replace("ops-restart-orders", "ops-restart-%05d" % i)
            with open(os.path.join(folder, name + ".jsonl"), "w", encoding="utf-8") as f:
                f.write(text)
            continue
        run = json.loads(shift_day(json.dumps(rng.choice(templates[kind])), day))
        run["run_id"] = "%s-%05d" % (run["run_id"].rsplit("-", 1)[0], i)
        shape = rng.random()
        if shape < 0.45:
            with open(os.path.join(folder, name + ".json"), "w", encoding="utf-8") as f:
                json.dump(run, f, indent=2)
                f.write("\n")
        elif shape < 0.9:
            with open(os.path.join(folder, name + ".jsonl"), "w", encoding="utf-8") as f:
                f.write(json.dumps(run, separators=(",", ":")) + "\n")
        else:
            data = (json.dumps(run, separators=(",", ":")) + "\n").encode("utf-8")
            with open(os.path.join(folder, name + ".json.gz"), "wb") as f:
                f.write(gzip.compress(data, mtime=0))
    print("%d files in %s: %d critical, %d warning, %d clean runs" %
          (args.count, args.out, critical, warning, args.count - critical - warning))


if __name__ == "__main__":
    main()
