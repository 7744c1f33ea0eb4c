#!/usr/bin/env python3
"""Baseline for bench_load: Python's stdlib json.loads over every line of a file
(what the upstream replay engine does before any replay logic). Prints seconds."""
import json
import sys
import time

t0 = time.perf_counter()
n = 0
with open(sys.argv[1], "rb") as f:
    for line in f:
        if line.strip():
            json.loads(line)
            n += 1
print("%.6f %d" % (time.perf_counter() - t0, n))
