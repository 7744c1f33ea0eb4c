#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rw {

// Ed25519 keys and signatures in minisign's file formats, so that the stock
// `minisign -V -p KEY.pub -m FILE` checks what we sign. Signatures use
// minisign's prehashed algorithm ("ED": Ed25519 over BLAKE2b-512 of the file)
// and carry a trusted comment signed along with them. Secret keys are written
// unencrypted (minisign's "no KDF" form), which the key file's comment says.
struct MinisignPublicKey
{
    std::array<unsigned char, 8> keyId{};
    std::array<unsigned char, 32> key{};
    std::string keyIdHex() const; // as minisign prints it (little-endian number)
};

struct MinisignSecretKey
{
    std::array<unsigned char, 8> keyId{};
    std::array<unsigned char, 32> seed{};
    std::array<unsigned char, 32> publicKey{};
    MinisignPublicKey pub() const { return {keyId, publicKey}; }
};

struct MinisignSignature
{
    std::array<unsigned char, 8> keyId{};
    std::array<unsigned char, 64> signature{};       // over BLAKE2b-512(message)
    std::string trustedComment;
    std::array<unsigned char, 64> globalSignature{}; // over signature || trusted comment
    bool prehashed = true;
};

std::optional<MinisignSecretKey> generateMinisignKey();

std::string formatPublicKey(const MinisignPublicKey& key);
std::string formatSecretKey(const MinisignSecretKey& key);
std::optional<MinisignPublicKey> parsePublicKey(std::string_view text, std::string* error = nullptr);
std::optional<MinisignSecretKey> parseSecretKey(std::string_view text, std::string* error = nullptr);

// Key files read and parsed (at most 64 KiB); the error names what is wrong.
std::optional<MinisignPublicKey> readPublicKeyFile(const std::string& path, std::string* error = nullptr);
std::optional<MinisignSecretKey> readSecretKeyFile(const std::string& path, std::string* error = nullptr);

// The .minisig file for `message`.
std::string signMinisign(const MinisignSecretKey& key, std::string_view message, const std::string& trustedComment);
std::optional<MinisignSignature> parseSignature(std::string_view text, std::string* error = nullptr);

enum class SignatureCheck { Valid, WrongKey, BadSignature, BadTrustedComment };
SignatureCheck verifyMinisign(const MinisignPublicKey& key, const MinisignSignature& signature, std::string_view message);

} // namespace rw
