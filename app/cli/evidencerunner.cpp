#include "app/cli/evidencerunner.h"

#include "app/text/checktext.h"

#include "app/cli/cliload.h"
#include "app/cli/clioutput.h"
#include "app/pdf/reportpdf.h"
#include "app/text/outputtext.h"
#include "app/text/queryerrortext.h"
#include "app/text/replaydifftext.h"
#include "app/text/terminaltext.h"
#include "model/tracequery.h"
#include "replay/evidence/evidencebundle.h"
#include "replay/evidence/evidenceverify.h"
#include "replay/policy/policybundle.h"
#include "replay/policy/replaydiffjson.h"
#include "replay/policy/workspacereevaluation.h"

#include <cstdlib>

namespace rw {

namespace {

int generateKey(const CliOptions& o, std::ostream& out, std::ostream& err)
{
    const auto key = generateMinisignKey();
    if (!key) {
        err << "Error: no key could be generated (no randomness?)\n";
        return 1;
    }
    const std::string secretPath = o.keyPrefix + ".key", publicPath = o.keyPrefix + ".pub";
    // both halves chosen before either is written: no secret key without its public key
    const std::optional<OutputTarget> secretTarget = chooseCliOutput(o, secretPath, OutputKind::SecretKey, err);
    const std::optional<OutputTarget> publicTarget =
        secretTarget ? chooseCliOutput(o, publicPath, OutputKind::PublicKey, err) : std::nullopt;
    if (!publicTarget)
        return 2;
    auto fail = [&](const std::string& path, const OutputFailure& failure) {
        err << "Error: " << outputFailureText(path, failure) << '\n';
        return 1;
    };
    // the secret key's temporary file is 0600 before a single secret byte is written
    OutputFailure failure;
    const std::unique_ptr<OutputFile> secret = OutputFile::create(*secretTarget, &failure);
    if (!secret)
        return fail(secretPath, failure);
    const std::unique_ptr<OutputFile> pub = OutputFile::create(*publicTarget, &failure);
    if (!pub)
        return fail(publicPath, failure);
    secret->write(formatSecretKey(*key));
    pub->write(formatPublicKey(key->pub()));
    if ((failure = secret->commit()).error != OutputError::None)
        return fail(secretPath, failure);
    if ((failure = pub->commit()).error != OutputError::None)
        return fail(publicPath, failure);
    out << "Key " << key->pub().keyIdHex() << ": secret key " << terminalText(secretPath)
        << " (not encrypted, mode 0600), public key " << terminalText(publicPath) << '\n';
    return 0;
}

int verify(const CliOptions& o, std::ostream& out, std::ostream& err)
{
    // the bundle is rewritten in place: refused up front when it is a key or a source in use, or not a regular file
    std::optional<OutputTarget> custody;
    if (o.recordCustody && !(custody = chooseCliOutput(o, o.verifyBundle, OutputKind::InPlace, err)))
        return 2;
    VerifyOptions options;
    if (!o.publicKey.empty()) {
        std::string why;
        options.publicKey = readPublicKeyFile(o.publicKey, &why);
        if (!options.publicKey) {
            err << "Error: " << terminalText(o.publicKey) << ": " << terminalText(why) << '\n';
            return 1;
        }
    }
    options.sourceFiles = o.auditFiles;
    const VerifyReport report = verifyBundle(o.verifyBundle, options);
    if (o.json) {
        nlohmann::ordered_json j = nlohmann::ordered_json::object();
        j["bundle"] = o.verifyBundle;
        j["result"] = report.passed() ? "PASS" : "FAIL";
        j["authenticated"] = report.authenticated();
        j["manifest_sha256"] = report.manifestSha256;
        nlohmann::ordered_json items = nlohmann::ordered_json::array();
        for (const CheckItem& i : report.items)
            items.push_back({{"item", i.item}, {"status", checkStatusName(i.status)}, {"detail", checkDetailText(i, Reader::CommandLine)}});
        j["items"] = items;
        out << j.dump(2) << '\n';
    } else {
        // Items quote entry names, manifest paths and custody entries of the
        // bundle: escaped, none of them can move the cursor, erase or conceal a
        // line, or start one; every item line starts with two spaces and a
        // status, and the RESULT line below is the only line we begin with
        // "RESULT", always the last one.
        out << "Verifying " << terminalText(o.verifyBundle) << '\n';
        for (const CheckItem& i : report.items)
            out << "  " << checkStatusName(i.status) << "  " << terminalText(i.item)
                << (i.detail.empty() ? "" : ": " + terminalText(checkDetailText(i, Reader::CommandLine))) << '\n';
        if (!report.passed())
            out << "RESULT: FAIL\n";
        else if (report.authenticated())
            out << "RESULT: PASS\n";
        else
            out << "RESULT: PASS, NOT SIGNED: the hashes agree, but nothing shows who made the bundle\n";
    }
    if (o.recordCustody && report.manifestSha256.size() == 64 && custody) {
        const char* user = std::getenv("USER");
        const std::string error = appendCustodyEntry(o.verifyBundle, report, "verify", o.examiner.empty() && user ? user : o.examiner,
                                                     std::string("aisecops-replay ") + RW_VERSION);
        // asked for and not written (a full disk): not a success
        if (!error.empty()) {
            err << "Error: the custody log of " << terminalText(o.verifyBundle)
                << " was not updated: " << terminalText(error) << '\n';
            return report.passed() ? 1 : 4;
        }
    }
    return report.passed() ? 0 : 4;
}

int exportBundle(const CliOptions& o, std::ostream& out, std::ostream& err)
{
    const std::optional<OutputTarget> target = chooseCliOutput(o, o.evidenceOut, OutputKind::Ordinary, err);
    if (!target)
        return 2;
    EvidenceRequest req;
    if (!o.signKey.empty()) {
        std::string why;
        req.signKey = readSecretKeyFile(o.signKey, &why);
        if (!req.signKey) {
            err << "Error: " << terminalText(o.signKey) << ": " << terminalText(why) << '\n';
            return 1;
        }
    }
    auto ws = std::make_shared<Workspace>();
    for (const std::string& path : o.auditFiles) {
        std::unique_ptr<ReplayModel> model = loadAuditForCli(path, o, err);
        if (!model)
            return 1;
        ws->addFile(std::move(model));
    }
    if (!o.traceId.empty()) {
        const std::int64_t row = ws->findRow(o.traceId);
        if (row < 0) {
            err << "Error: No audit events found for trace_id '" << terminalText(o.traceId) << "'\n";
            return 1;
        }
        req.rows.push_back(static_cast<std::uint32_t>(row));
    } else {
        QueryError error;
        const TraceQuery q = TraceQuery::parse(o.filter, &error);
        if (error.code != QueryErrorCode::None) {
            err << "Error: --filter: " << terminalText(queryErrorText(error).toStdString()) << '\n';
            return 2;
        }
        req.rows = q.filter(*ws);
        if (req.rows.empty()) {
            err << "Error: no trace matches the filter\n";
            return 1;
        }
    }
    std::optional<PolicyBundle> policy;
    std::optional<CapabilityBundle> caps;
    if (!o.policy.empty()) {
        std::vector<BundleDiagnostic> diagnostics;
        policy = loadPolicyBundle(o.policy, diagnostics);
        if (!o.capabilities.empty())
            caps = loadCapabilityBundle(o.capabilities, diagnostics);
        for (const BundleDiagnostic& d : diagnostics)
            err << bundleDiagnosticLine(d) << '\n';
        if (!policy || hasErrors(diagnostics) || (!o.capabilities.empty() && !caps)) {
            err << "Error: the policy bundle " << terminalText(o.policy) << " is not valid\n";
            return 1;
        }
        const PolicyEngine engine(*policy, caps ? &*caps : nullptr);
        if (const std::string error = addPolicyFiles(req, engine); !error.empty()) {
            err << "Error: " << terminalText(error) << '\n';
            return 1;
        }
        // the replay diff of exactly the exported traces
        const std::vector<FileDiff> files = reevaluateRowsByFile(*ws, req.rows, engine);
        ReplayDiffContext context;
        context.after = &engine;
        if (!o.traceId.empty())
            context.traceId = o.traceId;
        context.generator = std::string("aisecops-replay ") + RW_VERSION;
        req.replayDiffJson = replayDiffJson(context, files).dump(2) + "\n";
    }
    const char* user = std::getenv("USER");
    req.examiner = o.examiner.empty() && user ? user : o.examiner;
    req.caseId = o.caseId;
    req.notes = o.notes;
    req.filter = o.filter;
    req.graphSvg = !o.noSvg;
    req.ws = ws.get();
    ensureGuiApplication();
    req.renderPdf = renderReportPdf;
    const EvidenceResult result = writeEvidenceBundle(req, *target);
    if (!result.ok) {
        err << "Error: "
            << terminalText(result.outputFailure.error != OutputError::None
                                ? outputFailureText(o.evidenceOut, result.outputFailure)
                                : result.error)
            << '\n';
        return 1;
    }
    for (const std::string& note : result.notes)
        err << "Note: " << terminalText(note) << '\n';
    out << "Wrote " << terminalText(o.evidenceOut) << ": " << req.rows.size() << (req.rows.size() == 1 ? " trace, " : " traces, ") << result.lines
        << " original lines, " << result.members << " members, " << result.bytes << " bytes\n"
        << "manifest sha256 " << result.manifestSha256 << (req.signKey ? ", signed by key " + req.signKey->pub().keyIdHex() : "")
        << '\n';
    return 0;
}

} // namespace

int runEvidenceCommand(const CliOptions& o, std::ostream& out, std::ostream& err)
{
    if (o.action == CliAction::GenerateKey)
        return generateKey(o, out, err);
    if (o.action == CliAction::Verify)
        return verify(o, out, err);
    return exportBundle(o, out, err);
}

} // namespace rw
