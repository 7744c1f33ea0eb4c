#include "app/cli/evidencerunner.h"

#include "replay/analysis/workspaceanalysis.h"

#include "app/cli/analyzerunner.h"
#include "app/cli/cliload.h"
#include "app/cli/clioutput.h"
#include "app/cli/pdfrenderer.h"
#include "app/text/checktext.h"
#include "app/text/analysisevidence.h"
#include "app/text/evidenceplantext.h"
#include "app/text/outputtext.h"
#include "app/text/replaydifftext.h"
#include "app/text/terminaltext.h"
#include "model/tracequery.h"
#include "replay/analysis/workspaceanalysis.h"
#include "replay/evidence/evidencebundle.h"
#include "replay/evidence/evidenceplan.h"
#include "replay/evidence/evidenceverify.h"
#include "replay/policy/policybundle.h"

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

// Why report.pdf is missing from a bundle: the renderer module was not there or not usable.
std::string pdfRendererText(const PdfRenderer& r)
{
    std::string tried;
    for (const std::string& path : r.tried)
        tried += (tried.empty() ? "" : " or ") + path;
    switch (r.error) {
    case PdfRenderer::Error::None: return {};
    case PdfRenderer::Error::NotFound: return "no report.pdf: the PDF renderer was not found at " + tried;
    case PdfRenderer::Error::NotLoaded: return "no report.pdf: the PDF renderer " + r.tried.back() + " could not be loaded: " + r.detail;
    case PdfRenderer::Error::WrongModule:
        return "no report.pdf: " + r.tried.back() + " is not this version's PDF renderer (" + r.detail + ")";
    }
    return {};
}

// --with-analysis: the analysis of exactly the exported runs under the
// configuration the options name (addEvidenceAnalysis). Exit code, 0 when added.
int addAnalysis(EvidenceRequest& req, const CliOptions& o, const Workspace& ws, std::ostream& err)
{
    const std::shared_ptr<const analysis::AnalysisRules> rules = loadAnalysisRules(o, err);
    if (!rules) {
        err << "Error: the analysis configuration is not valid\n";
        return 2;
    }
    if (const std::string error = addEvidenceAnalysis(req, ws, *rules, "aisecops-replay"); !error.empty()) {
        err << "Error: " << terminalText(error) << '\n';
        return 1;
    }
    return 0;
}

int exportBundle(const CliOptions& o, std::ostream& out, std::ostream& err)
{
    const std::optional<OutputTarget> target = chooseCliOutput(o, o.evidenceOut, OutputKind::Ordinary, err);
    if (!target)
        return 2;
    EvidenceChoice choice;
    choice.selection = o.traceId.empty() ? TraceSelection::Filter : TraceSelection::TraceId;
    choice.traceId = o.traceId;
    choice.filter = o.filter;
    const char* user = std::getenv("USER");
    choice.examiner = o.examiner.empty() && user ? user : o.examiner;
    choice.caseId = o.caseId;
    choice.notes = o.notes;
    choice.signKeyPath = o.signKey;
    choice.graphSvg = !o.noSvg;
    auto failed = [&](const EvidencePlan& plan) {
        err << "Error: " << terminalText(evidencePlanText(plan.failure, Reader::CommandLine)) << '\n';
        return plan.failure.error == EvidencePlanError::BadFilter ? 2 : 1;
    };
    // the key before the audit files: a wrong key fails before gigabytes are read
    EvidencePlan plan = beginEvidencePlan(choice);
    if (!plan.ok())
        return failed(plan);
    auto ws = std::make_shared<Workspace>();
    for (const std::string& path : o.auditFiles) {
        std::unique_ptr<ReplayModel> model = loadAuditForCli(path, o, err);
        if (!model)
            return 1;
        ws->addFile(std::move(model));
    }
    QueryError queryError;
    if (TraceQuery::parse(choice.filter, &queryError).hasAnomalyTerms()) {
        // `anomalies>0 worst:critical`: the traces' run-trace analysis first (with the --profile … given)
        const std::shared_ptr<const analysis::AnalysisRules> rules = loadAnalysisRules(o, err);
        if (!rules) {
            err << "Error: the analysis configuration is not valid\n";
            return 2;
        }
        choice.anomalies = analysis::analyzeWorkspace(*ws, *rules)->rows;
    }
    if (!selectEvidenceTraces(plan, choice, *ws))
        return failed(plan);
    if (!o.policy.empty()) {
        std::vector<BundleDiagnostic> diagnostics;
        std::optional<PolicyBundle> policy = loadPolicyBundle(o.policy, diagnostics);
        std::optional<CapabilityBundle> caps;
        if (!o.capabilities.empty())
            caps = loadCapabilityBundle(o.capabilities, diagnostics);
        for (const BundleDiagnostic& d : diagnostics)
            err << bundleDiagnosticLine(d) << '\n';
        if (!policy || hasErrors(diagnostics) || (!o.capabilities.empty() && !caps)) {
            err << "Error: the policy bundle " << terminalText(o.policy) << " is not valid\n";
            return 1;
        }
        choice.engine = std::make_shared<const PolicyEngine>(*policy, caps ? &*caps : nullptr);
    }
    if (!addEvidencePolicy(plan, choice, *ws))
        return failed(plan);
    if (o.withAnalysis)
        if (const int code = addAnalysis(plan.request, o, *ws, err))
            return code;
    // Qt Gui and its libraries are loaded here, for the PDF only: a bundle
    // without it is still a bundle, and its export notes say why it has none
    const PdfRenderer pdf = loadPdfRenderer();
    plan.request.renderPdf = pdf.render;
    if (!pdf.ok())
        plan.request.exportNotes.push_back(pdfRendererText(pdf));
    const EvidenceRequest& req = plan.request;
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
