#include "model/buildinfo.h"

#include <QtGlobal>
#include <nlohmann/json.hpp>
#include <openssl/crypto.h>
#include <simdjson.h>

namespace rw {

std::vector<std::pair<std::string, std::string>> libraryVersions()
{
    return {
        {"Qt", qVersion()},
        {"simdjson", std::to_string(simdjson::SIMDJSON_VERSION_MAJOR) + "." + std::to_string(simdjson::SIMDJSON_VERSION_MINOR) + "." +
                         std::to_string(simdjson::SIMDJSON_VERSION_REVISION)},
        {"nlohmann_json", std::to_string(NLOHMANN_JSON_VERSION_MAJOR) + "." + std::to_string(NLOHMANN_JSON_VERSION_MINOR) +
                              "." + std::to_string(NLOHMANN_JSON_VERSION_PATCH)},
        {"OpenSSL", OpenSSL_version(OPENSSL_VERSION)},
    };
}

} // namespace rw
