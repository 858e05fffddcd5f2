#pragma once

#include "ConnectionProfile.h"
#include "Secrets.h"
#include "core/model/RegistrySettings.h"

namespace kbatch::core {

// The registry client's settings from a profile and the secrets read for it (registrySecretsNeeded()): the password
// with a username, else the bearer token; with a client key, its passphrase. Any thread.
RegistrySettings registrySettings(const RegistryProfile &registry, const ResolvedSecrets &secrets);

// Whether a secret of `kind` (RegistryPassword, RegistryToken or RegistryKeyPassphrase) is one `registry` uses,
// before it is stored: a registry URL first; a password goes with a user (HTTP basic), a token is used only without
// one (registrySettings() picks by the user), a key passphrase with a client key. Errors set Error::field
// ("registryUrl", "registryUsername", "registryKeyFile") and say what to fill in. Any thread.
Status checkRegistrySecret(const RegistryProfile &registry, SecretKind kind);

} // namespace kbatch::core
