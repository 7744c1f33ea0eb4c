#pragma once

#include "replay/evidence/evidencebundle.h"

#include <string>
#include <vector>

class QIODevice;

namespace rw {

// Checks the exporter makes around its work (docs/evidence.md, "Export").

// Limits before work: the members, original lines and index the selected
// traces would make, counted from the rows before anything is built, against
// the reader's limits (req.limits). Returns the error, or empty.
std::string exportLimitProblem(const EvidenceRequest& req, const std::vector<std::uint32_t>& rows);

// The source files as they are on disk now against what was loaded: a file
// that changed size or modification time since is named in `notes` (the
// bundle keeps the bytes and the SHA-256 taken at load). A file whose mapping
// lost pages while it was loaded has no true hash: that is an error.
std::string sourceChangeNotes(const Workspace& ws, const std::vector<std::uint32_t>& rows, std::vector<std::string>& notes);

// The finished archive, read back through `device`, checked by the verifier
// (with the signing key's public half when signed). Returns what failed, or empty.
std::string selfVerificationProblem(QIODevice* device, const EvidenceRequest& req, std::vector<std::string> spare = {});

} // namespace rw
