#pragma once

#include "ConnectionProfile.h"
#include "Secrets.h"

namespace kbatch::core {

// The librdkafka connection properties for `profile`, in this order: bootstrap.servers, security.protocol,
// sasl.mechanisms, sasl.username, sasl.password, (OAUTHBEARER without a token: enable.sasl.oauthbearer.unsecure.jwt
// and sasl.oauthbearer.config "principal=<username>"), ssl.ca.location, ssl.certificate.location,
// ssl.key.location, ssl.key.password, enable.ssl.certificate.verification=false and
// ssl.endpoint.identification.algorithm=none (only when skipCertificateVerification),
// socket.connection.setup.timeout.ms, then profile.properties as written (so they win).
//
// With an OAuth token in `secrets` the token goes in the private property staticOAuthTokenProperty, which
// core/kafka hands to rd_kafka_oauthbearer_set_token() from its token refresh callback.
// The result holds secrets: never log it (filter with isSecretProperty()).
//
// Errors: a missing required secret ("profile 'prod': no SASL password stored; ..." with Error::field
// "saslPassword"), OAUTHBEARER with neither token nor username, the sandbox before its bootstrap servers are filled
// in from the running sandbox cluster, and validateProfile()'s errors. Any thread.
Result<Properties> librdkafkaProperties(const ConnectionProfile &profile, const ResolvedSecrets &secrets);

} // namespace kbatch::core
