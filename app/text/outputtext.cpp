#include "app/text/outputtext.h"

#include <cstring>

namespace rw {

namespace {

std::string because(int errnoValue)
{
    return errnoValue ? std::string(": ") + std::strerror(errnoValue) : std::string();
}

} // namespace

std::string outputFailureText(const std::string& path, const OutputFailure& f)
{
    switch (f.error) {
    case OutputError::None: return {};
    case OutputError::EmptyPath: return "'" + path + "' names no file to write";
    case OutputError::SameAsInput:
        return path + " is the same file as the input " + f.conflict + "; an output never replaces what the call reads";
    case OutputError::SameAsKey: return path + " is the same file as the key " + f.conflict + " in use; not writing over a key";
    case OutputError::IsDirectory: return path + " is a directory; give the name of a file";
    case OutputError::NotRegularFile:
        return path + " " + readFailureReason({ReadError::NotRegularFile, f.type, 0, 0, 0}) +
               "; outputs are written to regular files only";
    case OutputError::DanglingSymlink:
        return path + " is a symbolic link to nothing; not creating a file where it points";
    case OutputError::Symlink: return path + " is a symbolic link; keys are never written through one";
    case OutputError::KeyExists: return path + " exists; not overwriting a key (--force replaces the key pair)";
    case OutputError::NoDirectory: return "the directory of " + path + " does not exist";
    case OutputError::Missing: return path + " does not exist";
    case OutputError::CannotCreate: return "cannot create a file next to " + path + because(f.errnoValue);
    case OutputError::WriteFailed: return "cannot write " + path + because(f.errnoValue) + "; nothing was replaced";
    case OutputError::SyncFailed: return "cannot write " + path + " to disk" + because(f.errnoValue) + "; nothing was replaced";
    case OutputError::RenameFailed: return "cannot put " + path + " in place" + because(f.errnoValue);
    case OutputError::Changed: return path + " changed while it was written; nothing was replaced";
    }
    return {};
}

} // namespace rw
