#include "replay/evidence/minisign.h"

#include "model/regularfile.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sodium/crypto_generichash.h>


#include <cstring>
#include <vector>

namespace rw {

namespace {

// minisign's binary layouts (all fields little-endian, no padding):
//   public key:  "Ed" | key id (8) | public key (32)
//   secret key:  "Ed" | kdf "\0\0" | checksum alg "B2" | salt (32) | opslimit (8) | memlimit (8)
//                | key id (8) | secret key: seed (32) + public key (32) | checksum (32)
//   signature:   "ED" | key id (8) | signature (64)
constexpr std::size_t kPublicKeyBytes = 2 + 8 + 32;
constexpr std::size_t kSecretKeyBytes = 2 + 2 + 2 + 32 + 8 + 8 + 8 + 64 + 32;
constexpr std::size_t kSignatureBytes = 2 + 8 + 64;

std::string base64(const unsigned char* data, std::size_t size)
{
    std::string out(4 * ((size + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

std::optional<std::vector<unsigned char>> unbase64(std::string_view text)
{
    if (text.empty() || text.size() % 4 != 0 || text.size() > 4096)
        return std::nullopt;
    std::vector<unsigned char> out(text.size() / 4 * 3);
    const int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
    if (n < 0)
        return std::nullopt;
    std::size_t size = static_cast<std::size_t>(n);
    // EVP_DecodeBlock counts '=' padding as zero bytes
    if (text.back() == '=')
        --size;
    if (text.size() >= 2 && text[text.size() - 2] == '=')
        --size;
    out.resize(size);
    return out;
}

// the lines of a minisign file: comment, base64 [, trusted comment, base64]
std::vector<std::string_view> lines(std::string_view text)
{
    std::vector<std::string_view> out;
    while (!text.empty() && out.size() < 8) {
        std::size_t end = text.find('\n');
        std::string_view line = text.substr(0, end);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        out.push_back(line);
        if (end == std::string_view::npos)
            break;
        text.remove_prefix(end + 1);
    }
    return out;
}

bool ed25519Sign(const std::array<unsigned char, 32>& seed, const unsigned char* msg, std::size_t size, unsigned char* sig)
{
    EVP_PKEY* pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed.data(), seed.size());
    if (!pkey)
        return false;
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    std::size_t len = 64;
    const bool ok = ctx && EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, pkey) == 1 &&
                    EVP_DigestSign(ctx, sig, &len, msg, size) == 1 && len == 64;
    EVP_MD_CTX_free(ctx);
    EVP_PKEY_free(pkey);
    return ok;
}

bool ed25519Verify(const std::array<unsigned char, 32>& key, const unsigned char* msg, std::size_t size, const unsigned char* sig)
{
    EVP_PKEY* pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, key.data(), key.size());
    if (!pkey)
        return false;
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    const bool ok = ctx && EVP_DigestVerifyInit(ctx, nullptr, nullptr, nullptr, pkey) == 1 &&
                    EVP_DigestVerify(ctx, sig, 64, msg, size) == 1;
    EVP_MD_CTX_free(ctx);
    EVP_PKEY_free(pkey);
    return ok;
}

std::array<unsigned char, 64> blake2b512(std::string_view message)
{
    std::array<unsigned char, 64> out{};
    crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(message.data()), message.size(), nullptr, 0);
    return out;
}

std::string hexLittleEndian(const std::array<unsigned char, 8>& id)
{
    static const char* const digits = "0123456789ABCDEF";
    std::string out;
    for (std::size_t i = 8; i-- > 0;) {
        out += digits[id[i] >> 4];
        out += digits[id[i] & 15];
    }
    return out;
}

} // namespace

std::string MinisignPublicKey::keyIdHex() const { return hexLittleEndian(keyId); }

std::optional<MinisignSecretKey> generateMinisignKey()
{
    MinisignSecretKey k;
    if (RAND_bytes(k.seed.data(), static_cast<int>(k.seed.size())) != 1 || RAND_bytes(k.keyId.data(), 8) != 1)
        return std::nullopt;
    EVP_PKEY* pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, k.seed.data(), k.seed.size());
    if (!pkey)
        return std::nullopt;
    std::size_t len = 32;
    const bool ok = EVP_PKEY_get_raw_public_key(pkey, k.publicKey.data(), &len) == 1 && len == 32;
    EVP_PKEY_free(pkey);
    if (!ok)
        return std::nullopt;
    return k;
}

std::string formatPublicKey(const MinisignPublicKey& key)
{
    unsigned char bin[kPublicKeyBytes];
    std::memcpy(bin, "Ed", 2);
    std::memcpy(bin + 2, key.keyId.data(), 8);
    std::memcpy(bin + 10, key.key.data(), 32);
    return "untrusted comment: minisign public key " + key.keyIdHex() + "\n" + base64(bin, sizeof bin) + "\n";
}

std::string formatSecretKey(const MinisignSecretKey& key)
{
    unsigned char bin[kSecretKeyBytes] = {};
    unsigned char* p = bin;
    std::memcpy(p, "Ed", 2);
    p += 2;
    p += 2; // KDF algorithm 0: the key below is not encrypted
    std::memcpy(p, "B2", 2);
    p += 2;
    p += 32 + 8 + 8; // salt, opslimit, memlimit: unused without a KDF
    unsigned char* keyId = p;
    std::memcpy(p, key.keyId.data(), 8);
    p += 8;
    std::memcpy(p, key.seed.data(), 32);
    std::memcpy(p + 32, key.publicKey.data(), 32);
    p += 64;
    // checksum: BLAKE2b-256 of signature algorithm, key id and secret key
    unsigned char material[2 + 8 + 64];
    std::memcpy(material, "Ed", 2);
    std::memcpy(material + 2, keyId, 8 + 64);
    crypto_generichash(p, 32, material, sizeof material, nullptr, 0);
    return "untrusted comment: minisign secret key, NOT ENCRYPTED (made by aisecops-replay --generate-key); keep it private\n" +
           base64(bin, sizeof bin) + "\n";
}

std::optional<MinisignPublicKey> parsePublicKey(std::string_view text, std::string* error)
{
    const auto l = lines(text);
    // "minisign -P" style: a bare base64 line is accepted too
    const std::string_view b64 = l.size() >= 2 && l[0].rfind("untrusted comment:", 0) == 0 ? l[1] : l.empty() ? std::string_view() : l[0];
    const auto bin = unbase64(b64);
    if (!bin || bin->size() != kPublicKeyBytes || std::memcmp(bin->data(), "Ed", 2) != 0) {
        if (error)
            *error = "not a minisign public key";
        return std::nullopt;
    }
    MinisignPublicKey k;
    std::memcpy(k.keyId.data(), bin->data() + 2, 8);
    std::memcpy(k.key.data(), bin->data() + 10, 32);
    return k;
}

std::optional<MinisignSecretKey> parseSecretKey(std::string_view text, std::string* error)
{
    const auto l = lines(text);
    const auto bin = l.size() >= 2 ? unbase64(l[1]) : std::nullopt;
    auto fail = [&](const char* why) {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (!bin || bin->size() != kSecretKeyBytes || std::memcmp(bin->data(), "Ed", 2) != 0)
        return fail("not a minisign secret key");
    if ((*bin)[2] != 0 || (*bin)[3] != 0)
        return fail("the secret key is encrypted with a password; decrypt it with minisign first (minisign -C)");
    if ((*bin)[4] != 'B' || (*bin)[5] != '2')
        return fail("unknown checksum algorithm in the secret key");
    const unsigned char* keyId = bin->data() + 2 + 2 + 2 + 32 + 8 + 8;
    unsigned char material[2 + 8 + 64];
    std::memcpy(material, "Ed", 2);
    std::memcpy(material + 2, keyId, 8 + 64);
    unsigned char sum[32];
    crypto_generichash(sum, 32, material, sizeof material, nullptr, 0);
    if (std::memcmp(sum, keyId + 8 + 64, 32) != 0)
        return fail("the secret key's checksum does not match (damaged key file)");
    MinisignSecretKey k;
    std::memcpy(k.keyId.data(), keyId, 8);
    std::memcpy(k.seed.data(), keyId + 8, 32);
    std::memcpy(k.publicKey.data(), keyId + 8 + 32, 32);
    // the stored public half must be the seed's: a doctored file would sign under a key it does not name
    EVP_PKEY* pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, k.seed.data(), k.seed.size());
    std::array<unsigned char, 32> derived{};
    std::size_t len = derived.size();
    const bool ok = pkey && EVP_PKEY_get_raw_public_key(pkey, derived.data(), &len) == 1 && len == 32;
    EVP_PKEY_free(pkey);
    if (!ok || derived != k.publicKey)
        return fail("the secret key's public half does not match its seed (damaged key file)");
    return k;
}

namespace {

std::optional<std::string> readKeyFile(const std::string& path, std::string* error)
{
    // a FIFO or a device given as a key would block or never end: regular files only
    ReadFailure failure;
    std::optional<std::string> bytes = readRegularFile(path, ReadLimits::kKeyFile, &failure);
    if (!bytes && error)
        *error = failure.error == ReadError::TooLarge ? "too large for a key file" : "cannot be read: " + readFailureReason(failure);
    return bytes;
}

} // namespace

std::optional<MinisignPublicKey> readPublicKeyFile(const std::string& path, std::string* error)
{
    const auto text = readKeyFile(path, error);
    return text ? parsePublicKey(*text, error) : std::nullopt;
}

std::optional<MinisignSecretKey> readSecretKeyFile(const std::string& path, std::string* error)
{
    const auto text = readKeyFile(path, error);
    return text ? parseSecretKey(*text, error) : std::nullopt;
}

std::string signMinisign(const MinisignSecretKey& key, std::string_view message, const std::string& trustedComment)
{
    unsigned char sig[kSignatureBytes];
    std::memcpy(sig, "ED", 2);
    std::memcpy(sig + 2, key.keyId.data(), 8);
    const auto hash = blake2b512(message);
    if (!ed25519Sign(key.seed, hash.data(), hash.size(), sig + 10))
        return {};
    std::string global(reinterpret_cast<const char*>(sig + 10), 64);
    global += trustedComment;
    unsigned char globalSig[64];
    if (!ed25519Sign(key.seed, reinterpret_cast<const unsigned char*>(global.data()), global.size(), globalSig))
        return {};
    return "untrusted comment: signature from aisecops-replay secret key " + key.pub().keyIdHex() + "\n" + base64(sig, sizeof sig) +
           "\ntrusted comment: " + trustedComment + "\n" + base64(globalSig, 64) + "\n";
}

std::optional<MinisignSignature> parseSignature(std::string_view text, std::string* error)
{
    const auto l = lines(text);
    auto fail = [&](const char* why) {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (l.size() < 4 || l[0].rfind("untrusted comment:", 0) != 0 || l[2].rfind("trusted comment: ", 0) != 0)
        return fail("not a minisign signature file");
    const auto sig = unbase64(l[1]);
    const auto global = unbase64(l[3]);
    if (!sig || sig->size() != kSignatureBytes || !global || global->size() != 64)
        return fail("not a minisign signature file");
    MinisignSignature s;
    // only the prehashed algorithm we write: a legacy "Ed" signature is refused
    if (std::memcmp(sig->data(), "ED", 2) != 0)
        return fail(std::memcmp(sig->data(), "Ed", 2) == 0 ? "legacy (non-prehashed) minisign signature: not accepted"
                                                           : "unknown signature algorithm");
    s.prehashed = true;
    std::memcpy(s.keyId.data(), sig->data() + 2, 8);
    std::memcpy(s.signature.data(), sig->data() + 10, 64);
    s.trustedComment = std::string(l[2].substr(17));
    std::memcpy(s.globalSignature.data(), global->data(), 64);
    // exactly minisign's four LF-terminated lines in canonical base64: a
    // second signature, junk lines or bytes, CRs or re-encoded base64 would
    // be bytes nobody verifies
    const std::string exact = std::string(l[0]) + "\n" + base64(sig->data(), sig->size()) + "\ntrusted comment: " + s.trustedComment +
                              "\n" + base64(global->data(), global->size()) + "\n";
    if (text != exact) {
        if (text.find('\r') != std::string_view::npos)
            return fail("carriage returns in the signature file (minisign writes LF line ends)");
        if (text.size() > exact.size() && text.substr(0, exact.size()) == exact)
            return fail("bytes after the signature (a second signature or junk)");
        return fail("the signature file is not in minisign's exact form (extra lines, bytes or whitespace)");
    }
    return s;
}

SignatureCheck verifyMinisign(const MinisignPublicKey& key, const MinisignSignature& s, std::string_view message)
{
    if (s.keyId != key.keyId)
        return SignatureCheck::WrongKey;
    bool ok = false;
    if (s.prehashed) {
        const auto hash = blake2b512(message);
        ok = ed25519Verify(key.key, hash.data(), hash.size(), s.signature.data());
    } else {
        ok = ed25519Verify(key.key, reinterpret_cast<const unsigned char*>(message.data()), message.size(), s.signature.data());
    }
    if (!ok)
        return SignatureCheck::BadSignature;
    std::string global(reinterpret_cast<const char*>(s.signature.data()), 64);
    global += s.trustedComment;
    if (!ed25519Verify(key.key, reinterpret_cast<const unsigned char*>(global.data()), global.size(), s.globalSignature.data()))
        return SignatureCheck::BadTrustedComment;
    return SignatureCheck::Valid;
}

} // namespace rw
