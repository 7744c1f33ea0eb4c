#pragma once

// The configuration of run-trace analysis as plain values: the analysis
// profile (analysis.yaml), behavioural policies (behaviour/*.yaml), the
// exfiltration rules (exfiltration.yaml) and tool-sequence profiles
// (profiles/*.json). Formats: docs/analysis.md. Loaded by configloader.h;
// the expressions they hold are compiled by the engine (analysisrules.h).
#include "replay/policy/yamltree.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace rw::analysis {

enum class Severity : std::uint8_t { Info, Warn, Critical };

// An expression or pattern as written, with where: a step-scope filter
// expression (`action_type:destroy AND env:production`) or a glob.
struct ConfigText
{
    std::string text;
    int line = 0; // 1-based, 0 when not from a file (built-in defaults)
    int column = 0;
    bool empty() const { return text.empty(); }
};

// Where a configuration file came from, for reports: path and SHA-256 of
// its exact bytes (empty for built-in defaults).
struct ConfigSource
{
    std::string path;
    std::string sha256;
    bool builtIn = false;
};

struct AgentProfile
{
    ConfigText match; // agent_id glob; the first match wins
    std::vector<std::string> baselineGrant;
    std::vector<std::string> approvable;
    std::vector<std::string> approvedTools;
    std::string behaviouralPolicy; // a BehaviourPolicy id
    std::string sequenceProfile;   // a path, relative to the profile's folder
};

struct PermissionRisk
{
    std::string pattern; // permission glob (per colon-separated segment)
    Severity risk = Severity::Info; // low -> Info, high -> Warn, critical -> Critical
    std::string word;    // as written (low, medium, high, critical)
};

struct ParamPattern
{
    std::string key;   // parameter name
    std::string globs; // `*base64*|*openssl enc*`: alternatives separated by |
};

struct ActionType
{
    std::string name; // observe, modify, destroy, communicate, encode, ...
    std::vector<std::string> actions;     // step action globs
    std::vector<std::string> permissions; // permission globs
    std::vector<std::string> tools;       // tool globs
    std::vector<ParamPattern> params;
};

struct Environment
{
    std::string name; // production
    std::vector<std::string> hosts;  // host globs
    std::vector<std::string> params; // parameter names holding a host (host, target, cluster)
    // values of those parameters that name the environment itself rather
    // than a host (`namespace: production`): whole values, any case
    std::vector<std::string> values;
};

struct RetrySettings
{
    int threshold = 3;         // attempts; more than this is WARN
    int windowSteps = 10;      // an attempt group spans at most this many steps
    std::int64_t windowUs = 5LL * 60 * 1000 * 1000;
};

struct SequenceSettings
{
    double rareProbability = 0.01; // p_rare
    int minBaselineRuns = 20;
    int contextSteps = 3;
};

struct AnalysisProfile
{
    ConfigSource source;
    int version = 1;
    std::vector<AgentProfile> agents;
    std::vector<PermissionRisk> permissionRisk;
    std::vector<ActionType> actionTypes;
    std::vector<Environment> environments;
    std::vector<std::string> trustedNetworks; // CIDR, domain suffix or glob, bucket URI glob
    RetrySettings retries;
    SequenceSettings sequences;
    // per-rule severity overrides: rule id (e.g. "escalation.not-in-baseline") -> severity
    std::map<std::string, Severity> severityOverrides;
};

struct Prohibition
{
    std::string text; // "never delete resources in production"
    ConfigText when;
    Severity severity = Severity::Critical;
};

struct PolicyCheck
{
    std::string id;
    std::string title;
    std::vector<Prohibition> prohibit;
    ConfigText when;       // which steps the check concerns (empty: every step)
    ConfigText require;    // each such step must match
    ConfigText precededBy; // some earlier step within withinSteps must match
    ConfigText followedBy; // some later step within withinSteps must match
    // Steps that need a human's review rather than break the policy
    // (`escalated:true AND NOT approval.id:*`): the check WARNs and lists
    // them, but they are no behavioural_deviation anomalies.
    ConfigText review;
    int withinSteps = 0;   // 0: anywhere in the run
    Severity severity = Severity::Warn;
    std::string advice;    // what to do when the check does not pass ("review escalation approvals")
    int line = 0;
};

struct BehaviourPolicy
{
    ConfigSource source;
    std::string id;   // SOP-114
    std::string name; // triage-standard
    ConfigText appliesTo; // a filter expression over the run (agent:prod-triage-*), empty: all
    std::vector<PolicyCheck> checks;
};

struct LargeReadRule
{
    std::vector<std::string> tools; // tool globs
    std::int64_t resultBytes = -1;  // >= this many bytes of result JSON; -1: not used
    std::int64_t resultRows = -1;   // >= this many rows; -1: not used
};

struct ExternalWriteRule
{
    std::vector<std::string> tools;
    std::vector<std::string> destinationParams; // url, to, host, bucket, dest, endpoint, channel
};

struct SequenceStep
{
    std::string name; // large_read, encode, external_write
    bool optional = false; // written `encode?`
};

struct ExfilSequence
{
    std::string id;
    std::vector<SequenceStep> steps;
    int withinSteps = 0;        // 0: anywhere in the run
    std::int64_t withinUs = 0;  // 0: no time bound
    bool untrustedOnly = true;  // destination: untrusted (else: any)
    Severity severity = Severity::Warn;
};

struct ExfilAllow
{
    std::string id;
    std::string agent;       // agent glob, empty: any
    std::string destination; // destination glob, empty: any
    int fromMinute = -1;     // hours: "01:00-04:00" UTC as minutes of the day; -1: any time
    int toMinute = -1;
};

struct ExfilRules
{
    ConfigSource source;
    LargeReadRule largeRead;
    ExternalWriteRule externalWrite;
    ConfigText encode; // a step-scope expression
    std::vector<ExfilSequence> sequences;
    std::vector<ExfilAllow> allow;
};

// profiles/<agent>.json, built by batch analysis (reference §3.8)
struct SequenceProfile
{
    ConfigSource source;
    std::string agent; // glob
    std::int64_t runs = 0;
    std::map<std::string, std::int64_t> tools;
    std::map<std::string, std::int64_t> firstTools;
    std::map<std::string, std::int64_t> transitions; // "a|b", "<start>|a"
    std::map<std::string, std::int64_t> permissions;
    std::map<std::string, std::int64_t> destinations; // destination class ("internal") -> count
};

} // namespace rw::analysis
