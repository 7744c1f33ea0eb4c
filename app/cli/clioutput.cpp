#include "app/cli/clioutput.h"

#include "app/text/outputtext.h"
#include "app/text/terminaltext.h"

#include <cerrno>
#include <cstring>

namespace rw {

std::optional<OutputTarget> chooseCliOutput(const CliOptions& o, const std::string& path, OutputKind kind, std::ostream& err)
{
    OutputRules rules;
    rules.kind = kind;
    rules.force = o.force;
    rules.inputs = o.auditFiles;
    for (const std::string* p : {&o.policy, &o.capabilities, &o.baseline, &o.baselineCapabilities, &o.profile, &o.exfil})
        if (!p->empty())
            rules.inputs.push_back(*p);
    // the analysis configuration (a folder of policies names no file an output could be)
    rules.inputs.insert(rules.inputs.end(), o.behaviour.begin(), o.behaviour.end());
    rules.inputs.insert(rules.inputs.end(), o.sequenceProfiles.begin(), o.sequenceProfiles.end());
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

bool writeCliOutputStreamed(const OutputTarget& target, const std::function<void(const OutputSink&)>& produce,
                            std::ostream& err)
{
    constexpr std::size_t kBuffer = 1 << 20;
    OutputFailure failure;
    const std::unique_ptr<OutputFile> file = OutputFile::create(target, &failure);
    if (file) {
        std::string buffer;
        buffer.reserve(kBuffer);
        produce([&](std::string_view piece) {
            if (buffer.size() + piece.size() > kBuffer) {
                file->write(buffer);
                buffer.clear();
            }
            if (piece.size() >= kBuffer)
                file->write(piece);
            else
                buffer.append(piece);
        });
        file->write(buffer);
        failure = file->commit();
    }
    if (failure.error != OutputError::None) {
        err << "Error: " << terminalText(outputFailureText(target.requested, failure)) << '\n';
        return false;
    }
    return true;
}

int finishStandardOutput(int code, std::ostream& out, std::ostream& err)
{
    // the badbit of any earlier write sticks, the final flush is checked
    errno = 0;
    out.flush();
    if (!out) {
        const int why = errno;
        err << "Error: cannot write to standard output" << (why ? std::string(": ") + std::strerror(why) : std::string())
            << "; the output is incomplete\n";
        return code == 0 ? 1 : code;
    }
    return code;
}

} // namespace rw
