#!/usr/bin/python3
"""Batch analysis on a Dask distributed cluster: the map on the workers, the merge here.

    scripts/cluster/dask-batch.py --scheduler tcp://HOST:8786 --output report.json DIR [DIR...]
        [--cli /usr/bin/aisecops-replay] [--glob '*.json*'] [--files-per-task 16]
        [--jsonl runs.jsonl] [--index index.jsonl] [--controls controls.yaml] [--window FROM..TO]
        [--min-escalated-runs N] [--min-escalated-share X] [--fail-on warn|critical]
        [-- ANALYSIS OPTIONS: --profile P.yaml --behaviour DIR --exfil R.yaml ...]

The walk runs here (`--batch DIR --part --walk-only`), the files are shared
out in tasks of --files-per-task, each task runs `--batch FILE... --part` on a
worker (which must reach the CLI and the files by the same paths, and the
analysis configuration too: parts of another configuration do not merge), and
`--merge-reports` joins the walk and the parts into the report a single
machine's `--batch` writes, byte for byte (the merge reads again, here, the
files of any run split across files, to analyse it whole: they must be
reachable by the same paths). Exit code: the merge's.

Needs Debian's python3-distributed (this interpreter: /usr/bin/python3).
"""
import argparse
import os
import subprocess
import sys
import tempfile


def map_files(cli, files, analysis_args):
    """One task on a worker: the part of these files, as text."""
    import subprocess as sp
    import tempfile as tf
    import os as o
    with tf.TemporaryDirectory(prefix="rw-part-") as tmp:
        out = o.path.join(tmp, "part.json")
        done = sp.run([cli, "--analyze", "--quiet", "--batch", *files, "--part", "--output", out, *analysis_args],
                      stdout=sp.PIPE, stderr=sp.PIPE, text=True)
        if done.returncode != 0:
            raise RuntimeError("%s failed (exit %d) on %d files: %s" % (cli, done.returncode, len(files),
                                                                         done.stderr.strip()))
        with open(out, encoding="utf-8") as f:
            return f.read()


def main():
    argv = sys.argv[1:]
    analysis_args = []
    if "--" in argv:
        at = argv.index("--")
        argv, analysis_args = argv[:at], argv[at + 1:]
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("folders", nargs="+", metavar="DIR")
    p.add_argument("--scheduler", required=True, help="tcp://HOST:8786")
    p.add_argument("--output", required=True)
    p.add_argument("--cli", default="aisecops-replay", help="the CLI, the same path on every worker")
    p.add_argument("--glob", default="*.json*")
    p.add_argument("--files-per-task", type=int, default=16)
    for merge_option in ("--jsonl", "--index", "--controls", "--window", "--min-escalated-runs",
                         "--min-escalated-share", "--fail-on"):
        p.add_argument(merge_option)
    args = p.parse_args(argv)
    if args.files_per_task < 1:
        p.error("--files-per-task takes a whole number from 1")
    try:
        from distributed import Client
    except ImportError:
        sys.exit("Error: Dask distributed is not installed (Debian: apt-get install python3-distributed)")

    with tempfile.TemporaryDirectory(prefix="rw-dask-") as tmp:
        walk = os.path.join(tmp, "walk.json")
        subprocess.run([args.cli, "--analyze", "--batch", *args.folders, "--glob", args.glob, "--part", "--walk-only",
                        "--output", walk, *analysis_args], check=True, stdout=subprocess.DEVNULL)
        import json
        with open(walk, encoding="utf-8") as f:
            files = json.load(f)["files"]
        print("Analysing %d trace files on %s..." % (len(files), args.scheduler), flush=True)
        tasks = [files[i:i + args.files_per_task] for i in range(0, len(files), args.files_per_task)]
        with Client(args.scheduler) as client:
            futures = [client.submit(map_files, args.cli, chunk, analysis_args, pure=False) for chunk in tasks]
            parts = client.gather(futures)
        names = [walk]
        for i, text in enumerate(parts):
            name = os.path.join(tmp, "part-%05d.json" % i)
            with open(name, "w", encoding="utf-8") as f:
                f.write(text)
            names.append(name)
        # the analysis options too: a run split across files (a rotated log) is analysed whole at the merge
        merge = [args.cli, "--merge-reports", *names, "--output", args.output, *analysis_args]
        for option in ("jsonl", "index", "controls", "window", "min_escalated_runs", "min_escalated_share", "fail_on"):
            value = getattr(args, option)
            if value is not None:
                merge += ["--" + option.replace("_", "-"), value]
        return subprocess.run(merge).returncode


if __name__ == "__main__":
    sys.exit(main())
