#pragma once

#include <QString>
#include <QStringView>

namespace kbatch::core {

// Text from a file, a paste or a broker, made safe to show: every control character (C0, DEL, C1), bidirectional
// override and other invisible format character is written as an escape (`\x1b`, `\u202e`), so that it can neither
// drive a terminal (set its title, clear the screen) nor hide or reorder what the user reads. Newlines and tabs are
// escaped too: an error is one line. Any thread.
QString printable(QStringView text);

// `name` for an error message: printable(), cut to `maxChars` characters with "…" and the full length when longer,
// in double quotes. For field, property, column and placeholder names that come from untrusted input.
QString quotedName(QStringView name, qsizetype maxChars = 64);

// printable(), cut to `maxChars` characters with "…" when longer (for JSON path segments and the like).
QString printableCut(QStringView text, qsizetype maxChars = 64);

// True when `text` holds a character that printable() would escape.
bool hasUnprintable(QStringView text);

} // namespace kbatch::core
