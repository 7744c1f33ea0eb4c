#pragma once
// Fixtures of the evidence suites (tst_evidence, tst_evidenceverify,
// tst_evidenceproof, tst_evidencestrict); compiled into each of them.

#include "model/replaymodel.h"
#include "model/workspace.h"
#include "replay/evidence/evidencereader.h"
#include "replay/evidence/evidenceverify.h"
#include "replay/evidence/minisign.h"

#include <QString>
#include <memory>
#include <string>
#include <vector>

namespace rwtest {

// A file of sample-audits/.
QString sample(const char* name);
QString sample(const QString& name);
// The model of a file, or null.
std::unique_ptr<rw::ReplayModel> loadFile(const QString& path);
// Writes bytes to path, replacing what was there.
void writeBytes(const QString& path, const std::string& bytes);
// A ZIP of `entries` at path, deflated (stored: not compressed).
void writeZip(const std::vector<rw::BundleEntry>& entries, const QString& path, bool stored = false);
// The check item named `item`, or null.
const rw::CheckItem* findItem(const rw::VerifyReport& r, const std::string& item);
// The failed items with their details, for a failure message.
QString failures(const rw::VerifyReport& r);
// Adds the finance, untrusted-skill and ops-restart samples to ws and exports
// the two restart_service traces to path, signed with key (with a strict
// policy file and a replay diff): the bundle tst_evidence and
// tst_evidenceverify check. Fails the calling test when the export does.
void exportRestartBundle(rw::Workspace& ws, const rw::MinisignSecretKey& key, const QString& path);
// Every trace of `source` exported to path, signed with key when one is given:
// the path, or empty (with a warning) when the export failed.
QString exportAll(const QString& source, const QString& path, const rw::MinisignSecretKey* key);

} // namespace rwtest
