// Run-trace analysis benchmark: all seven detectors over a file's runs (a
// run-trace JSONL from gen_runs.py, or an interceptor audit log read as
// runs), after the load, as a ratio to the load of the same file in the same
// process; then each detector alone against the cost of feeding the steps
// with none, to name the slowest.
//   bench_analysis FILE
#include "model/auditloader.h"
#include "replay/analysis/analyzer.h"
#include "replay/analysis/configloader.h"

#include <QRegularExpression>
#include <QString>

#include <re2/re2.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

const char* const kProfile = R"(version: 1
agents:
  - match: "prod-triage-*"
    baseline_grant: [metrics:read, ssh:exec:read-only, logs:read]
    approvable: [service:restart, ssh:exec:write]
    approved_tools: [metrics.query, ssh.exec, service.restart, logs.read, send_email]
    behavioural_policy: SOP-114
  - match: "etl-*"
    baseline_grant: ["logs:*", "http:post"]
networks:
  trusted: ["10.0.0.0/8", "*.corp.example.com", "example.com"]
)";

// the triage agents' SOP (the profile names it for them), and an ordering
// policy every other agent gets
const char* const kPolicy = R"yaml(id: SOP-114
name: triage-standard
applies_to: 'agent:prod-triage-*'
checks:
  - id: prohibited
    title: No prohibited actions detected
    prohibit:
      - text: never delete resources in production
        when: 'action_type:destroy AND env:production'
        severity: critical
  - id: approved-tools
    title: All tool calls within approved tool list
    require: 'tool in $agent.approved_tools'
  - id: escalation-approval
    title: Escalated permissions require manual approval audit
    review: 'escalated:true AND NOT approval.id:*'
  - id: cite-runbook
    title: Changes cite a runbook
    when: 'action_type:(modify OR destroy)'
    require: 'reasoning~"SOP-[0-9]+"'
)yaml";

const char* const kOrdering = R"yaml(id: SOP-200
name: change-discipline
applies_to: 'agent:*'
checks:
  - id: verify-before-act
    title: Look before acting
    when: 'action_type:modify'
    preceded_by: 'action_type:observe AND param.host:=$step.param.host'
    within_steps: 3
  - id: verify-after-act
    title: Check after a restart
    when: 'tool:service.restart'
    followed_by: 'tool:metrics.query'
    within_steps: 3
    severity: info
  - id: reasoning-contradicts-action
    title: Reasoning agrees with the action
    when: 'reasoning~"(?i)read[- ]only|just (check|inspect)"'
    require: 'NOT perm:*:write AND NOT action_type:destroy'
    severity: critical
)yaml";

using Clock = std::chrono::steady_clock;

double seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

// RE2 (what `~` uses) against Qt's PCRE2 with its default limits, on a rule
// pattern over typical reasoning and on a pattern that backtracks
// catastrophically: why the filter language runs on RE2.
void compareRegexEngines()
{
    const std::string reasoning = "Per runbook SOP-114 the worker on web-03 is restarted when it holds the CPU "
                                  "for more than an hour; the alert is read-only until then.";
    const std::string evil = std::string(28, 'a') + "b";
    const auto time = [](auto&& fn, int n) {
        const auto t0 = Clock::now();
        int hits = 0;
        for (int i = 0; i < n; ++i)
            hits += fn() ? 1 : 0;
        return std::make_pair(seconds(t0) / n * 1e6, hits);
    };
    const RE2 rule("(?i)read[- ]only|SOP-[0-9]+");
    const QRegularExpression qrule(QStringLiteral("(?i)read[- ]only|SOP-[0-9]+"));
    const QString qreasoning = QString::fromStdString(reasoning);
    const auto [re2Rule, h1] = time([&] { return RE2::PartialMatch(reasoning, rule); }, 200000);
    const auto [pcreRule, h2] = time([&] { return qrule.match(qreasoning).hasMatch(); }, 200000);
    const RE2 bad("(a+)+$");
    const QRegularExpression qbad(QStringLiteral("(a+)+$"));
    const QString qevil = QString::fromStdString(evil);
    const auto [re2Bad, h3] = time([&] { return RE2::PartialMatch(evil, bad); }, 1000);
    const auto [pcreBad, h4] = time([&] { return qbad.match(qevil).hasMatch(); }, 3);
    std::printf("regex, rule over reasoning: RE2 %.2f us, PCRE2 (Qt) %.2f us per match (%d/%d hits)\n", re2Rule,
                pcreRule, h1, h2);
    std::printf("regex, (a+)+$ over 28 a's and b: RE2 %.2f us, PCRE2 (Qt) %.0f us per match = %.0fx "
                "(each further 'a' doubles PCRE2's time; %d/%d hits)\n",
                re2Bad, pcreBad, pcreBad / std::max(re2Bad, 1e-3), h3, h4);
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s FILE\n", argv[0]);
        return 2;
    }
    const auto t0 = Clock::now();
    rw::LoadResult loaded = rw::AuditLoader::loadFile(argv[1]);
    if (!loaded.model)
        return 1;
    const double load = seconds(t0);
    const int repeat = std::getenv("RW_BENCH_RUNS") ? std::atoi(std::getenv("RW_BENCH_RUNS")) : 3;

    const auto measure = [&](std::uint32_t detectors, std::size_t* anomalies, std::size_t* runs) {
        std::vector<rw::BundleDiagnostic> d;
        rw::analysis::AnalysisConfig config;
        config.profile = *rw::analysis::parseAnalysisProfile(kProfile, "bench-analysis.yaml", d);
        config.profileGiven = true;
        config.policies.push_back(*rw::analysis::parseBehaviourPolicy(kPolicy, "bench-SOP-114.yaml", d));
        config.policies.push_back(*rw::analysis::parseBehaviourPolicy(kOrdering, "bench-SOP-200.yaml", d));
        config.exfil = rw::analysis::defaultExfilRules();
        config.detectors = detectors;
        const auto rules = rw::analysis::AnalysisRules::compile(std::move(config), d);
        if (!rules) {
            std::fprintf(stderr, "rules did not compile: %s\n", d.empty() ? "?" : d.back().message.c_str());
            std::exit(1);
        }
        double best = 1e9;
        for (int r = 0; r < repeat; ++r) {
            const auto t1 = Clock::now();
            const auto result = rw::analysis::analyzeModel(*loaded.model, *rules, "bench");
            best = std::min(best, seconds(t1));
            if (anomalies) {
                *anomalies = 0;
                for (const auto& run : result)
                    *anomalies += run.anomalies.size();
                *runs = result.size();
            }
        }
        return best;
    };
    std::size_t anomalies = 0, runs = 0;
    const double all = measure((1u << rw::analysis::kDetectorCount) - 1, &anomalies, &runs);
    const double none = measure(0, nullptr, nullptr);
    std::printf("file: %s (%llu records, %zu runs)\n", argv[1],
                static_cast<unsigned long long>(loaded.model->eventCount()), runs);
    std::printf("load (index, all cores): %.3f s\n", load);
    std::printf("analysis, all detectors (all cores): %.3f s = %.2fx the load  [target <= 1.0x]; %zu anomalies\n",
                all, all / load, anomalies);
    std::printf("feeding the steps with no detector: %.3f s = %.2fx the load\n", none, none / load);
    for (std::size_t d = 0; d < rw::analysis::kDetectorCount; ++d) {
        const auto detector = static_cast<rw::analysis::Detector>(d);
        if (detector == rw::analysis::Detector::MissingStep)
            continue; // shares behavioural_deviation's detector
        const double alone = measure(1u << d, nullptr, nullptr);
        std::printf("  %-22s alone %.3f s, %+.3f s over feeding (%.2fx the load)\n",
                    rw::analysis::detectorName(detector), alone, alone - none, (alone - none) / load);
    }
    compareRegexEngines();
    return 0;
}
