#include "app/cli/clioutput.h"

#include "app/text/outputtext.h"
#include "app/text/terminaltext.h"

namespace rw {

std::optional<OutputTarget> chooseCliOutput(const CliOptions& o, const std::string& path, OutputKind kind, std::ostream& err)
{
    OutputRules rules;
    rules.kind = kind;
    rules.force = o.force;
    rules.inputs = o.auditFiles;
    for (const std::string* p : {&o.policy, &o.capabilities, &o.baseline, &o.baselineCapabilities})
        if (!p->empty())
            rules.inputs.push_back(*p);
    if (!o.verifyBundle.empty() && kind != OutputKind::InPlace)
        rules.inputs.push_back(o.verifyBundle);
    for (const std::string* p : {&o.signKey, &o.publicKey})
        if (!p->empty())
            rules.keys.push_back(*p);
    OutputTarget target = chooseOutputFile(path, std::move(rules));
    if (!target.ok()) {
        err << "Error: " << terminalText(outputFailureText(path, target.failure)) << '\n';
        return std::nullopt;
    }
    return target;
}

bool writeCliOutput(const OutputTarget& target, std::string_view bytes, std::ostream& err)
{
    const OutputFailure failure = writeOutputFile(target, bytes);
    if (failure.error != OutputError::None) {
        err << "Error: " << terminalText(outputFailureText(target.requested, failure)) << '\n';
        return false;
    }
    return true;
}

} // namespace rw
