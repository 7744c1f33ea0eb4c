#!/usr/bin/env python3
"""Generates peer-shaped AISecOps audit JSONL for benchmarks.

Every line carries all 52 upstream fields (schema 0.5.0) with the nested
`context`, plan steps, provenance, budget and payload objects, in the
upstream key order. Many traces run at once and their events interleave as
in a busy multi-agent log. Seeded, so the same arguments give the same bytes.

    gen_audit.py --size 1G --out bench/data/audit-1G.jsonl [--seed 42]
"""
import argparse
import json
import random
import sys
import uuid
from datetime import datetime, timedelta, timezone

AGENTS = ["finance_agent", "ops_agent", "support_agent", "sales_agent", "research_agent", "batch_agent"]
TOOLS = [
    ("read_customer", "customer.read", "low", {"customer_id": "{n}"}),
    ("send_email", "email.send", "medium", {"to": "user{n}@example.com", "subject": "Invoice {n}", "body": "Hello\n\"quoted\" caf\u00e9 \U0001F600"}),
    ("restart_service", "infra.restart", "critical", {"service": "orders-{n}"}),
    ("get_deployment_status", "get.deployment.status", "critical", {"service": "payments-api"}),
    ("write_file", "filesystem.write", "high", {"path": "/tmp/out-{n}.txt", "content": "line1\\nline2\ttab"}),
    ("shell_exec", "system.shell", "critical", {"cmd": "ls -la /var/log/{n}"}),
    ("search_docs", "search.docs", "low", {"query": "policy {n}"}),
]
PROVENANCE = [
    {"source_type": "user_prompt", "trust_level": "internal", "source_name": "api_request"},
    {"source_type": "skill", "trust_level": "unverified", "source_name": "community_skill"},
    {"source_type": "retrieval_chunk", "trust_level": "external", "source_name": "kb://wiki"},
    {"source_type": "memory", "trust_level": "trusted", "source_name": "long_term"},
    {"source_type": "tool_result", "trust_level": "external", "source_name": "web.fetch"},
]
TENANTS = ["acme", "globex", "initech", "umbrella"]


def hexid(rng):
    return uuid.UUID(int=rng.getrandbits(128), version=4).hex


def provenance_items(rng):
    items = []
    for p in rng.sample(PROVENANCE, rng.randint(1, 3)):
        items.append({"source_type": p["source_type"], "trust_level": p["trust_level"],
                      "source_name": p["source_name"], "source_hash": None if rng.random() < 0.7 else hexid(rng)[:12],
                      "origin_uri": None, "metadata": {}})
    return items


class Trace:
    def __init__(self, rng, clock, gap_us):
        self.rng = rng
        self.trace_id = "trace-" + hexid(rng)[:16]
        self.agent = rng.choice(AGENTS)
        self.tenant = rng.choice(TENANTS)
        self.tool, self.cap, self.risk, args = rng.choice(TOOLS)
        n = rng.randint(1, 99999)
        self.args = {k: v.replace("{n}", str(n)) for k, v in args.items()}
        self.plan_id = hexid(rng)
        self.step_id = hexid(rng)
        self.prov = provenance_items(rng)
        self.outcome = rng.choices(["allowed", "blocked", "require_approval"], [6, 3, 1])[0]
        self.usage = {"tool_calls_used": rng.randint(0, 25), "depth_used": rng.randint(0, 6),
                      "runtime_seconds": round(rng.random() * 70, 2), "estimated_cost_usd": round(rng.random() * 2.5, 2)}
        self.budget = {"max_tool_calls": 20, "max_depth": 5, "max_runtime_seconds": 60.0, "max_cost_usd": 2.0}
        keys = ["tool_calls_used", "depth_used", "runtime_seconds", "estimated_cost_usd"]
        limits = ["max_tool_calls", "max_depth", "max_runtime_seconds", "max_cost_usd"]
        names = ["tool_call_budget_exceeded", "depth_limit_exceeded", "runtime_limit_exceeded", "cost_limit_exceeded"]
        self.violations = [names[i] for i in range(4) if self.usage[keys[i]] >= self.budget[limits[i]]]
        if self.violations:
            self.outcome = "blocked"
        self.steps = ["plan", "decision", "tool_call"]
        if self.outcome == "allowed":
            self.steps += ["tool_allowed", "tool_executed", "final_output"]
        elif self.outcome == "blocked":
            self.steps += ["tool_blocked"]
        else:
            self.steps += ["approval_required"]
        self.clock = clock
        self.gap_us = gap_us

    def event(self, kind):
        rng = self.rng
        self.clock[0] += timedelta(microseconds=rng.randint(50, self.gap_us))
        ts = self.clock[0].isoformat()
        decision = {"plan": "pending", "tool_call": "pending", "decision": self.outcome, "tool_allowed": "allowed",
                    "tool_blocked": "blocked", "approval_required": "require_approval", "tool_executed": "allowed",
                    "final_output": "allowed"}[kind]
        stage = {"plan": "plan", "decision": "evaluate", "tool_call": "execute", "tool_executed": "execute",
                 "final_output": "execute"}.get(kind, "decision")
        reason = {"plan": "Execution plan created", "tool_call": "Tool call received for execution",
                  "tool_executed": "Tool executed", "final_output": "Execution completed"}.get(kind)
        if reason is None:
            reason = (self.violations[0] if self.violations else
                      {"allowed": "Allowed by default policy", "blocked": "Tool '%s' is globally blocked" % self.tool,
                       "require_approval": "Tool '%s' requires human approval" % self.tool}[self.outcome])
        step = {"schema_version": "0.8.0", "step_id": self.step_id, "intent": self.tool, "tool_name": self.tool,
                "capability": self.cap, "target": next(iter(self.args.values())), "parameters": self.args,
                "risk_level": self.risk, "order": 1}
        context = {"agent_name": self.agent, "agent_id": None, "agent_trust_level": None, "agent_environment": None,
                   "user_id": None, "session_id": None, "prompt": None, "model_output": None,
                   "data_classification": None, "source": None, "sensitivity_level": None, "tool_name": self.tool,
                   "arguments": self.args, "framework": "custom", "actor": None, "environment": "prod",
                   "trace_id": self.trace_id, "parent_trace_id": None, "correlation_id": None,
                   "allowed_capabilities": None, "provenance": self.prov, "runtime_budget": self.budget,
                   "runtime_usage": self.usage, "tags": {"tenant_id": self.tenant}, "metadata": {}}
        payload = None
        if kind == "plan":
            payload = {"dry_run": False, "tool_name": self.tool}
        elif kind == "decision":
            payload = {"capability_result": "not_applicable", "policy_result": self.outcome,
                       "reason_chain": ["Capability gate skipped because no capabilities were provided", reason],
                       "requires_approval": self.outcome == "require_approval"}
        elif kind == "final_output":
            payload = {"result": {"status": "ok", "rows": rng.randint(0, 500),
                                  "note": "r\u00e9sum\u00e9 \"ok\"\n" * rng.randint(1, 40)}}
        ev = {"timestamp": ts, "event_type": kind, "decision": decision, "schema_version": "0.5.0",
              "event_id": "evt-" + hexid(rng), "trace_id": self.trace_id, "parent_trace_id": None,
              "execution_plan_id": self.plan_id, "plan_id": self.plan_id, "plan_intent": self.tool,
              "plan_risk_level": self.risk, "requested_capabilities": [self.cap], "plan_steps": [step],
              "model_output": None, "user_input": None, "decision_stage": stage, "audit_kind": kind,
              "reason": reason, "stage": "tool", "context": context, "agent_name": self.agent, "agent_id": None,
              "agent_trust_level": None, "agent_environment": None, "tool_name": self.tool,
              "allowed": {"tool_allowed": True, "tool_blocked": False, "approval_required": False,
                          "tool_executed": True}.get(kind), "arguments": self.args, "framework": "custom",
              "actor": None, "environment": "prod", "session_id": None, "correlation_id": None,
              "risk_level": self.risk if self.risk != "critical" else "high", "matched_rule": None,
              "approval_id": "apr-" + hexid(rng)[:12] if kind == "approval_required" else None,
              "capabilities": None, "capability_risks": {"cap_" + self.tool: "medium"}, "provenance": self.prov,
              "protocol": None, "client_id": None, "server_name": None, "capability": None,
              "budget_status": "violated" if self.violations else "within_budget", "runtime_budget": self.budget,
              "runtime_usage": self.usage, "runtime_violations": self.violations,
              "tool_calls_used": self.usage["tool_calls_used"],
              "tool_calls_remaining": max(0, 20 - self.usage["tool_calls_used"]),
              "depth_used": self.usage["depth_used"], "runtime_seconds": self.usage["runtime_seconds"],
              "estimated_cost_usd": self.usage["estimated_cost_usd"], "payload": payload}
        return json.dumps(ev)


def parse_size(text):
    mult = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    if text[-1].upper() in mult:
        return int(float(text[:-1]) * mult[text[-1].upper()])
    return int(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", default="100M", help="target size, e.g. 100M or 1G")
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--concurrent", type=int, default=64, help="traces running at once")
    ap.add_argument("--gap-us", type=int, default=5000,
                    help="longest time between two events (the log's time span: 1G spans 13 minutes at 5000)")
    args = ap.parse_args()
    gap_us = max(50, args.gap_us)
    target = parse_size(args.size)
    rng = random.Random(args.seed)
    clock = [datetime(2026, 3, 5, 14, 0, 0, tzinfo=timezone.utc)]
    live = [Trace(rng, clock, gap_us) for _ in range(args.concurrent)]
    written = 0
    with open(args.out, "w", encoding="ascii", newline="\n") as out:
        buf = []
        while written < target:
            i = rng.randrange(len(live))
            t = live[i]
            line = t.event(t.steps.pop(0)) + "\n"
            if not t.steps:
                live[i] = Trace(rng, clock, gap_us)
            buf.append(line)
            written += len(line)
            if len(buf) >= 4096:
                out.write("".join(buf))
                buf.clear()
        out.write("".join(buf))
    print("wrote %d bytes to %s" % (written, args.out), file=sys.stderr)


if __name__ == "__main__":
    main()
