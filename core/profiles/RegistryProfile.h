#pragma once

#include "ConnectionProfile.h"
#include "Secrets.h"
#include "core/model/RegistrySettings.h"

namespace kbatch::core {

// The registry client's settings from a profile and the secrets read for it (registrySecretsNeeded()): the password
// with a username, else the bearer token. Any thread.
RegistrySettings registrySettings(const RegistryProfile &registry, const ResolvedSecrets &secrets);

} // namespace kbatch::core
