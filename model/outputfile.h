#pragma once

#include "model/regularfile.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <ctime>
#include <sys/types.h>
#include <vector>

namespace rw {

// What is written decides what the target may be.
enum class OutputKind : std::uint8_t {
    Ordinary,  // a new file, or a regular file replaced whole: --output, --evidence, GUI exports
    InPlace,   // an existing regular file rewritten (--record-custody's bundle); symlinks lead to it
    SecretKey, // never through a symlink, 0600 from creation, an existing key only with force
    PublicKey, // never through a symlink, an existing key only with force
};

enum class OutputError : std::uint8_t {
    None,
    EmptyPath,       // "" or a name that ends in '/'
    SameAsInput,     // `conflict` names the input
    SameAsKey,       // `conflict` names the key
    IsDirectory,
    NotRegularFile,  // FIFO, device, socket: `type` says which
    DanglingSymlink, // a symlink to nothing: we would create a file somewhere else
    Symlink,         // a key would be written through a symlink
    KeyExists,       // a key file is there and force was not given
    NoDirectory,     // the directory the file goes into does not exist
    Missing,         // an in-place rewrite of a file that is not there
    CannotCreate,    // no temporary file next to the target (permissions, read-only file system)
    WriteFailed,     // a failed or short write: a full disk, a file size limit, an I/O error
    SyncFailed,
    RenameFailed,
    Changed,         // the target changed between the choice and the rename
};

struct OutputRules
{
    OutputKind kind = OutputKind::Ordinary;
    std::vector<std::string> inputs; // the files this call reads: never written over
    std::vector<std::string> keys;   // the key files in use: never written over
    bool force = false;              // replace an existing key
};

struct OutputFailure
{
    OutputError error = OutputError::None;
    int errnoValue = 0;
    FileType type = FileType::Missing;
    std::string conflict; // the input or key the target is
};

// A checked place to write: where the file will be renamed to, and with what mode.
struct OutputTarget
{
    std::string requested; // the path as given (for messages)
    std::string path;      // where the rename lands: an in-place rewrite's symlinks resolved
    OutputRules rules;
    bool exists = false;
    mode_t mode = 0;       // of the written file: the existing file's, or 0600 for a secret key
    dev_t device = 0;      // of the existing file, to notice a swap before the rename
    ino_t inode = 0;
    struct timespec changed{}; // its ctime: an inode number can be reused at once
    uid_t owner = 0;
    gid_t group = 0;
    OutputFailure failure;

    bool ok() const { return failure.error == OutputError::None; }
};

// The one function that chooses every file we write. Refuses (failure set) a
// path that is the same file as an input or a key in use (device and inode,
// through symlinks and hard links), anything but a regular file or a new name
// in an existing directory, a symlink for a key, an existing key without force.
OutputTarget chooseOutputFile(const std::string& path, OutputRules rules);

// Writes a chosen target: a temporary file with an unpredictable name in the
// target's directory (O_EXCL, so it never touches a file that is there), then
// fsync, the target's mode, and one rename over the target. An interrupted or
// failed write leaves the target as it was and no temporary file behind.
class OutputFile
{
public:
    ~OutputFile();
    OutputFile(const OutputFile&) = delete;
    OutputFile& operator=(const OutputFile&) = delete;

    static std::unique_ptr<OutputFile> create(const OutputTarget& target, OutputFailure* failure);

    // For writers that need a descriptor (a QFile for QuaZip): write through
    // it, then commit(); check their own errors first.
    int fd() const { return m_fd; }
    const std::string& temporaryPath() const { return m_tmpPath; }
    // false on a failed or short write; the failure sticks and commit() reports it
    bool write(std::string_view bytes);
    // fsync, mode, checks that the target did not change, rename, fsync of the directory
    OutputFailure commit();

private:
    OutputFile() = default;

    OutputTarget m_target;
    std::string m_tmpPath;
    int m_fd = -1;
    bool m_committed = false;
    OutputFailure m_failure;
};

// chooses nothing: writes `bytes` to a target chooseOutputFile() accepted
OutputFailure writeOutputFile(const OutputTarget& target, std::string_view bytes);

} // namespace rw
