#pragma once

#include "core/model/Error.h"

#include <QString>

#include <cstdint>
#include <utility>
#include <variant>

namespace kbatch::core {

// Why a registry request failed, for code that reacts differently (retry when unreachable, ask for credentials on
// Unauthorized, offer to register on NotFound). `text` is one line for people, naming the registry's URL (without
// credentials) and never containing a password, token or passphrase.
struct RegistryError
{
    enum class Kind : std::uint8_t {
        Unreachable,   // connection refused, unknown host, no answer within the timeout
        Tls,           // the TLS handshake failed: untrusted or wrong-host certificate, client certificate refused
        Unauthorized,  // HTTP 401: no or wrong credentials
        Forbidden,     // HTTP 403: the credentials may not do this
        NotFound,      // HTTP 404: unknown subject (40401), version (40402) or schema id (40403)
        Incompatible,  // HTTP 409: the schema breaks the subject's compatibility rule
        InvalidSchema, // HTTP 422: the registry cannot parse the schema
        BadAnswer,     // an answer that is not what the API promises (not JSON, no id)
        Settings,      // the settings cannot work: no URL, an unreadable CA file or key
        Failed,        // anything else (HTTP 500, ...)
    };
    Kind kind = Kind::Failed;
    int httpStatus = 0; // 0 when no HTTP answer came
    int errorCode = 0;  // the registry's "error_code"; Apicurio's differ from Confluent's, so prefer httpStatus
    QString text;

    Error toError() const { return Error(text); }
};

// A value or a RegistryError (as Result, with the registry's kind of failure).
template <typename T> class RegistryResult
{
public:
    RegistryResult(T value) : m_data(std::move(value)) {}
    RegistryResult(RegistryError error) : m_data(std::move(error)) {}

    bool ok() const { return m_data.index() == 0; }
    explicit operator bool() const { return ok(); }
    T &value() & { return std::get<0>(m_data); }
    const T &value() const & { return std::get<0>(m_data); }
    T &&value() && { return std::get<0>(std::move(m_data)); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    T &operator*() { return value(); }
    const T &operator*() const { return value(); }
    const RegistryError &error() const { return std::get<1>(m_data); }
    // The error as core's Error (for Result-based callers); only when !ok().
    Error toError() const { return error().toError(); }

private:
    std::variant<T, RegistryError> m_data;
};

} // namespace kbatch::core
