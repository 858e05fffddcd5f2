#pragma once

#include "Error.h"

#include <QString>
#include <QStringList>

#include <cstdint>

namespace kbatch::core {

// Where a producer setting came from. The trust model (docs/security.md): the user's own profile and command line
// are trusted; a template is not, so it may carry only message and delivery settings.
enum class SettingOrigin : std::uint8_t {
    Default,     // KBatch's own default (or the template repeats it)
    Profile,     // the connection profile (or the sandbox)
    Template,    // the template's producer block, or the window's send bar, which edits it
    CommandLine, // kbatch-cli's --bootstrap, --atomic/--independent or -X
};

QString toString(SettingOrigin origin); // "default", "profile", "template", "command line"

// A librdkafka property name as written, checked exactly: 1 to 128 characters of a-z, 0-9, '.' and '_' (every
// librdkafka property is spelled so). No control character, trailing NUL, space or case trick gets past it.
// The error quotes the name safely (printable()) and puts it in Error::field.
Status checkPropertyName(const QString &name);

// The message and delivery settings a template may carry: acks, compression, linger and batch sizes, idempotence,
// in-flight requests, retries and back-off, timeouts, partitioner, queue bounds and the like. Nothing about where or
// how to connect, nothing that runs a command, loads code, names a local file or turns on logging.
bool isDeliveryProperty(const QString &name);
const QStringList &deliveryProperties(); // the allow-list, sorted

// A property that a template (or the send bar) gives: checkPropertyName(), on the allow-list, its value without
// control characters. The error names the property, says why it is refused and that it belongs in a connection
// profile (or on kbatch-cli's command line). Any thread.
Status checkTemplateProperty(const QString &name, const QString &value);

// A template's transactional id: "kbatch-" and up to 200 printable characters. A transactional id is an identity
// on the cluster: a template that named another application's id would fence that application's producer (the
// coordinator bumps the epoch and aborts its open transaction). A profile or -X may name any id.
inline constexpr char TemplateTransactionalIdPrefix[] = "kbatch-";
Status checkTemplateTransactionalId(const QString &id);

// A -X property on kbatch-cli's command line (trusted, so any setting may be overridden): checkPropertyName(), and
// no secret, which would show in the process list; the error points to --password-stdin and profiles.
Status checkCommandLineProperty(const QString &name, const QString &value);

} // namespace kbatch::core
