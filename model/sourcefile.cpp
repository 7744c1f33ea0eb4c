#include "model/sourcefile.h"

#include "model/regularfile.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <new>

namespace rw {

namespace {

// Mappings guarded against SIGBUS. A fixed table of atomics: the signal
// handler may only read lock-free data.
constexpr int kGuardSlots = 256;
struct GuardSlot
{
    std::atomic<std::uintptr_t> base{0};
    std::atomic<std::size_t> length{0};
    std::atomic<std::uint64_t> faults{0};
};
GuardSlot g_guards[kGuardSlots];
std::atomic<bool> g_handlerInstalled{false};
struct sigaction g_previousBus;

void onSigbus(int sig, siginfo_t* info, void* context)
{
    const auto addr = reinterpret_cast<std::uintptr_t>(info->si_addr);
    const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
    for (GuardSlot& g : g_guards) {
        const std::uintptr_t base = g.base.load(std::memory_order_acquire);
        if (base == 0 || addr < base || addr >= base + g.length.load(std::memory_order_acquire))
            continue;
        // the file shrank under us: a page of zeros stands in for the lost bytes
        void* fixed = ::mmap(reinterpret_cast<void*>(addr & ~(page - 1)), page, PROT_READ,
                             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
        if (fixed != MAP_FAILED) {
            g.faults.fetch_add(1, std::memory_order_relaxed);
            return;
        }
    }
    // not one of ours: behave as before we were installed
    if (g_previousBus.sa_flags & SA_SIGINFO) {
        if (g_previousBus.sa_sigaction)
            g_previousBus.sa_sigaction(sig, info, context);
        return;
    }
    if (g_previousBus.sa_handler != SIG_IGN && g_previousBus.sa_handler != SIG_DFL && g_previousBus.sa_handler) {
        g_previousBus.sa_handler(sig);
        return;
    }
    ::signal(SIGBUS, SIG_DFL);
    ::raise(SIGBUS);
}

int guardMapping(const void* base, std::size_t length)
{
    if (!g_handlerInstalled.exchange(true)) {
        struct sigaction sa{};
        sa.sa_sigaction = onSigbus;
        sa.sa_flags = SA_SIGINFO | SA_NODEFER;
        sigemptyset(&sa.sa_mask);
        ::sigaction(SIGBUS, &sa, &g_previousBus);
    }
    for (int i = 0; i < kGuardSlots; ++i) {
        std::uintptr_t expected = 0;
        if (g_guards[i].base.compare_exchange_strong(expected, 1)) { // reserve
            g_guards[i].faults.store(0);
            g_guards[i].length.store(length, std::memory_order_release);
            g_guards[i].base.store(reinterpret_cast<std::uintptr_t>(base), std::memory_order_release);
            return i;
        }
    }
    return -1; // table full: this mapping is unguarded
}

} // namespace

SourceFile::~SourceFile()
{
    if (m_guardSlot >= 0) {
        g_guards[m_guardSlot].length.store(0, std::memory_order_release);
        g_guards[m_guardSlot].base.store(0, std::memory_order_release);
    }
    if (m_mapBase)
        ::munmap(m_mapBase, m_mapLength);
    if (m_fd >= 0)
        ::close(m_fd);
}

namespace {
std::int64_t modifiedNs(const struct stat& st)
{
    return static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
}
} // namespace

SourceFile::Change SourceFile::checkUnchanged() const
{
    Change c;
    c.sizeAtOpen = c.sizeNow = m_openSize;
    if (m_fd < 0)
        return c; // in-memory bytes cannot change
    struct stat st{};
    if (::fstat(m_fd, &st) != 0)
        return c;
    c.sizeNow = static_cast<std::uint64_t>(st.st_size);
    c.contentRewritten = c.sizeNow == m_openSize && modifiedNs(st) != m_openMtimeNs;
    c.changed = c.sizeNow != m_openSize || c.contentRewritten || vanishedPages() > 0;
    c.loadedBytesSuspect = c.sizeNow < m_openSize || c.contentRewritten || vanishedPages() > 0;
    return c;
}

bool SourceFile::sameFileAs(const SourceFile& other) const
{
    struct stat a{}, b{};
    return m_fd >= 0 && other.m_fd >= 0 && ::fstat(m_fd, &a) == 0 && ::fstat(other.m_fd, &b) == 0 &&
           a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

bool SourceFile::stillAtPath() const
{
    struct stat atPath{}, opened{};
    return m_fd >= 0 && ::stat(m_path.c_str(), &atPath) == 0 && ::fstat(m_fd, &opened) == 0 &&
           atPath.st_dev == opened.st_dev && atPath.st_ino == opened.st_ino;
}

std::uint64_t SourceFile::vanishedPages() const
{
    return m_guardSlot >= 0 ? g_guards[m_guardSlot].faults.load() : 0;
}

std::unique_ptr<SourceFile> SourceFile::open(const std::string& path, OpenError* error, int* errnoValue, ReadFailure* failure)
{
    auto fail = [&](OpenError e, int err) -> std::unique_ptr<SourceFile> {
        if (error)
            *error = e;
        if (errnoValue)
            *errnoValue = err;
        return nullptr;
    };
    if (error)
        *error = OpenError::None;

    // the one opener: regular files only (a FIFO or a device is refused
    // without blocking), checked on the descriptor that is mapped.
    // O_RDONLY: evidence is never opened for writing.
    ReadFailure why;
    std::unique_ptr<RegularFile> opened = RegularFile::open(path, ReadLimits::kUnlimited, &why);
    if (failure)
        *failure = why;
    if (!opened)
        return fail(why.error == ReadError::NotFound           ? OpenError::NotFound
                    : why.error == ReadError::IsDirectory      ? OpenError::IsDirectory
                    : why.error == ReadError::NotRegularFile   ? OpenError::NotRegularFile
                    : why.error == ReadError::PermissionDenied ? OpenError::PermissionDenied
                                                               : OpenError::Other,
                    why.errnoValue);
    const std::uint64_t fileSize = opened->size();
    const int fd = opened->release();

    std::unique_ptr<SourceFile> file(new SourceFile);
    file->m_path = path;
    struct stat st{};
    ::fstat(fd, &st); // the opener checked it: a regular file
    file->m_openMtimeNs = modifiedNs(st);
    const auto size = static_cast<std::size_t>(fileSize);
    if (size == 0) {
        // /proc and /sys files say 0 bytes and still have content: not a
        // file whose exact bytes we can map and hash
        char probe = 0;
        const ssize_t got = ::read(fd, &probe, 1);
        ::close(fd);
        if (got > 0)
            return fail(OpenError::SizeUnknown, 0);
        file->m_heap = std::make_unique<char[]>(kPadding);
        std::memset(file->m_heap.get(), 0, kPadding);
        file->m_data = file->m_heap.get();
        return file;
    }

    // Reserve size + padding of zeroed anonymous memory, then map the file over
    // its start: the padding after the last byte is then always readable.
    const long page = ::sysconf(_SC_PAGESIZE);
    const std::size_t length = (size + kPadding + static_cast<std::size_t>(page) - 1) /
                               static_cast<std::size_t>(page) * static_cast<std::size_t>(page);
    void* base = ::mmap(nullptr, length, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED) {
        const int err = errno;
        ::close(fd);
        return fail(OpenError::MapFailed, err);
    }
    void* mapped = ::mmap(base, size, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0);
    const int mapErr = errno;
    if (mapped == MAP_FAILED) {
        ::close(fd);
        ::munmap(base, length);
        return fail(OpenError::MapFailed, mapErr);
    }
    file->m_fd = fd;
    file->m_openSize = size;
    file->m_openMtimeNs = modifiedNs(st);
    ::madvise(base, size, MADV_SEQUENTIAL);
    file->m_mapBase = base;
    file->m_mapLength = length;
    file->m_guardSlot = guardMapping(base, size);
    file->m_data = static_cast<const char*>(base);
    file->m_size = size;
    // a compressed log (logrotate compresses rotated logs) is read as its
    // decompressed stream; the file's own bytes stay mapped for the hash
    if (const Compression c = compressionOf(file->bytes()); c != Compression::None) {
        Inflated inflated;
        try {
            inflated = inflateAll(file->bytes(), c, kMaxDecompressedBytes, kPadding);
        } catch (const std::bad_alloc&) {
            return fail(OpenError::OutOfMemory, ENOMEM);
        }
        if (inflated.tooLarge)
            return fail(OpenError::Decompress, EFBIG);
        file->m_compression = c;
        file->m_stored = file->bytes();
        file->m_inflated = std::move(inflated.bytes);
        file->m_damage = std::move(inflated.damage);
        file->m_data = file->m_inflated.get();
        file->m_size = inflated.size;
    }
    return file;
}

std::unique_ptr<SourceFile> SourceFile::fromBytes(std::string_view bytes, std::string displayName)
{
    std::unique_ptr<SourceFile> file(new SourceFile);
    file->m_heap = std::make_unique<char[]>(bytes.size() + kPadding);
    if (!bytes.empty())
        std::memcpy(file->m_heap.get(), bytes.data(), bytes.size());
    std::memset(file->m_heap.get() + bytes.size(), 0, kPadding);
    file->m_data = file->m_heap.get();
    file->m_size = bytes.size();
    file->m_path = std::move(displayName);
    return file;
}

namespace {

const EVP_MD* sha256Digest()
{
    static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr); // fetched once, not per hash
    return md;
}

// The digest of `ctx` as 64 lowercase hex digits in out[0..63].
void finishHexInto(EVP_MD_CTX* ctx, char* out)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx, digest, &len);
    static constexpr char kHex[] = "0123456789abcdef";
    for (unsigned int i = 0; i < len && i < 32; ++i) {
        out[2 * i] = kHex[digest[i] >> 4];
        out[2 * i + 1] = kHex[digest[i] & 15];
    }
}

void updateInSlices(EVP_MD_CTX* ctx, std::string_view bytes)
{
    // in 64 MiB slices so the pages of a huge mapping are touched in order
    constexpr std::size_t kSlice = 64u << 20;
    for (std::size_t off = 0; off < bytes.size(); off += kSlice)
        EVP_DigestUpdate(ctx, bytes.data() + off, std::min(kSlice, bytes.size() - off));
}

} // namespace

void sha256HexInto(std::string_view bytes, char* out)
{
    // one context per thread, reused: creating one per call costs more than
    // hashing a record of a few hundred bytes, and exports hash millions of them
    struct Context
    {
        EVP_MD_CTX* ctx = EVP_MD_CTX_new();
        ~Context() { EVP_MD_CTX_free(ctx); }
    };
    thread_local Context local;
    EVP_DigestInit_ex2(local.ctx, sha256Digest(), nullptr);
    updateInSlices(local.ctx, bytes);
    finishHexInto(local.ctx, out);
}

Sha256::Sha256() : m_ctx(EVP_MD_CTX_new())
{
    EVP_DigestInit_ex2(m_ctx, sha256Digest(), nullptr);
}

Sha256::~Sha256()
{
    EVP_MD_CTX_free(m_ctx);
}

void Sha256::update(std::string_view bytes)
{
    updateInSlices(m_ctx, bytes);
}

std::string Sha256::peekHex() const
{
    EVP_MD_CTX* copy = EVP_MD_CTX_new();
    EVP_MD_CTX_copy_ex(copy, m_ctx);
    char out[65];
    finishHexInto(copy, out);
    EVP_MD_CTX_free(copy);
    return std::string(out, 64);
}

std::string Sha256::finishHex()
{
    std::string out(64, '0');
    finishHexInto(m_ctx, out.data());
    return out;
}

std::string sha256Hex(std::string_view bytes)
{
    std::string out(64, '0');
    sha256HexInto(bytes, out.data());
    return out;
}

} // namespace rw
