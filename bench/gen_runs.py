#!/usr/bin/env python3
"""Generates run-trace JSONL (one seed-shaped run document per line) for the
analysis benchmark.

Runs of triage, deploy and ETL agents with 6-30 steps: reasoning, tool calls,
results with data, permissions, and now and then what the detectors look
for (escalations, identical and mutating retries, large reads followed by
external writes, deletes in production). Seeded, so the same arguments give
the same bytes.

Two mixes. `stress` (the default, for the analysis benchmark) makes nearly
every run anomalous: each write permission is recorded as escalated, and big
reads and retries are common (about 11 anomalies a run). `fleet` is a fleet as
the seed describes one (342 runs: 3 critical, 47 with warnings, 292 clean):
agents work within their grants, a run escalates one permission now and then,
and big reads sent outside are rare (about 1% critical, 15% warning).

    gen_runs.py --size 1G --out bench/data/runs-1G.jsonl [--seed 7] [--mix fleet]
"""
import argparse
import json
import random
from datetime import datetime, timedelta, timezone

def destination(rng, mix, inside, outside):
    if mix["external"] is None:
        return rng.choice([inside, outside])
    return outside if rng.random() < mix["external"] else inside


AGENTS = ["prod-triage-au-east", "prod-triage-eu-west", "deploy-bot-1", "etl-nightly", "support-helper"]
OBSERVE = [
    ("assess_alert", "metrics.query", ["metrics:read"], lambda r, h, m: {"host": h, "metric": r.choice(["cpu.usage", "mem.used_pct", "http.5xx_rate"]), "window": "5m"}),
    ("identify_process", "ssh.exec", ["ssh:exec:read-only"], lambda r, h, m: {"host": h, "command": "ps -eo pid,pcpu,cmd --sort=-pcpu | head -5"}),
    ("read_logs", "logs.read", ["logs:read"], lambda r, h, m: {"host": h, "since": "-30min", "level": "error"}),
]
ACT = [
    ("restart_service", "service.restart", ["service:restart", "ssh:exec:write"], lambda r, h, m: {"host": h, "service": "app-worker"}),
    ("scale_out", "autoscaler.scale", ["autoscaler:write"], lambda r, h, m: {"group": "web-asg", "delta": r.randint(1, 3)}),
    ("delete_volume", "volume.delete", ["storage:delete"], lambda r, h, m: {"host": h, "volume": "vol-%d" % r.randint(1, 99)}),
]
SEND = [
    ("notify", "send_email", ["email:send"], lambda r, h, m: {"to": destination(r, m, "oncall@example.com", "audit@outside.example.net"), "subject": "status %s" % h}),
    ("upload", "http.post", ["http:post"], lambda r, h, m: {"url": destination(r, m, "https://files.corp.example.com/up", "https://paste.example.net/api"), "body": "..."}),
]
REASONS = [
    "The alert reports a spike on %s; reading the last five minutes before deciding anything.",
    "Per runbook SOP-114 the worker on %s is restarted when it holds the CPU for more than an hour.",
    "Checking whether the change on %s helped; the question is unchanged, so the same query is repeated.",
    "Collecting the error lines from %s for the incident record.",
]


def stamp(when):
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (when.microsecond // 1000)


# per mix: chance of a retry after a step, of a big read, of an external
# destination (None: one of the two at random), of a run recording one write permission as escalated (None:
# every write permission it used)
MIXES = {
    "stress": {"retry": 0.08, "big_read": 0.1, "external": None, "escalate": None},
    "fleet": {"retry": 0.003, "big_read": 0.005, "external": 0.15, "escalate": 0.08},
}


def step(rng, index, when, template, host, mix, status="success", params=None):
    action, tool, perms, make = template
    duration = rng.randint(200, 9000)
    when += timedelta(milliseconds=duration + rng.randint(0, 500))
    data = {"value": round(rng.random() * 100, 2), "samples": [round(rng.random(), 3) for _ in range(rng.randint(2, 12))]}
    if tool in ("logs.read",) and rng.random() < mix["big_read"]:
        data = {"rows": rng.randint(10000, 500000), "lines": ["x" * 40] * 8}
    return {
        "step_index": index,
        "action": action,
        "reasoning": rng.choice(REASONS) % host,
        "tool_call": {"tool": tool, "parameters": params if params is not None else make(rng, host, mix)},
        "result": {"status": status, "data": data},
        "permissions_used": perms,
        "timestamp": stamp(when),
        "duration_ms": duration,
    }, when


def run(rng, n, start, mix):
    agent = rng.choice(AGENTS)
    host = rng.choice(["web-%02d" % rng.randint(1, 12), "prod-db-%d" % rng.randint(1, 4), "stage-app-1"])
    steps, when, used = [], start, []
    count = rng.randint(6, 30)
    while len(steps) < count:
        roll = rng.random()
        template = rng.choice(OBSERVE) if roll < 0.6 else rng.choice(ACT) if roll < 0.8 else rng.choice(SEND)
        s, when = step(rng, len(steps), when, template, host, mix)
        steps.append(s)
        if rng.random() < mix["retry"]:  # a retry: the same call again, or after a failure with new parameters
            s["result"]["status"] = "error"
            for _ in range(rng.randint(1, 4)):
                again, when = step(rng, len(steps), when, template, host, mix, params=dict(s["tool_call"]["parameters"]))
                steps.append(again)
        for p in s["permissions_used"]:
            if p not in used:
                used.append(p)
    escalated = [p for p in used if not p.endswith(":read") and not p.endswith(":read-only")]
    if mix["escalate"] is not None:  # one of them now and then, the rest granted to the agent
        escalated = [rng.choice(escalated)] if escalated and rng.random() < mix["escalate"] else []
    return {
        "run_id": "run-%08x" % n,
        "agent_id": agent,
        "trigger": "alert:cpu-spike-%s" % host,
        "started_at": start.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "completed_at": stamp(when + timedelta(milliseconds=5)),
        "status": "completed",
        "policy_version": "v2.4.1",
        "steps": steps,
        "permissions_summary": {"granted": used, "denied": [], "escalated": escalated},
    }, when


def parse_size(text):
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    return int(float(text[:-1]) * units[text[-1].upper()]) if text[-1].upper() in units else int(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", default="100M")
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--mix", choices=sorted(MIXES), default="stress")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    target = parse_size(args.size)
    clock = datetime(2026, 3, 1, tzinfo=timezone.utc)
    written, n = 0, 0
    with open(args.out, "w", encoding="utf-8", newline="\n") as out:
        while written < target:
            doc, clock = run(rng, n, clock, MIXES[args.mix])
            line = json.dumps(doc, separators=(",", ":")) + "\n"
            out.write(line)
            written += len(line.encode("utf-8"))
            n += 1
    print("%s: %d runs, %d bytes" % (args.out, n, written))


if __name__ == "__main__":
    main()
