#pragma once

#include "core/model/Error.h"
#include "core/model/Template.h"

#include <QByteArrayView>
#include <QString>

#include <memory>

namespace kbatch::core {

// Reads a template file (*.kbatch.json, format version 1; see docs/template-format.schema.json).
//
// Strict: a missing or wrong "format", an unknown "version", an unknown field, a wrong type, a header that is not a
// [name, value] pair, a negative partition or timestamp, invalid base64 or a secret producer property is an Error
// that names the file, the 1-based line and column (in characters) and the JSON path (e.g.
// "messages[3].headers[1][0]") in Error::field. Rows are read straight into the Batch, without a DOM.
// Any thread; no shared state.
Result<Template> parseTemplate(QByteArrayView data, const QString &fileName);

// As parseTemplate(), reading `data` through a window of `windowBytes` as a file is read (for tests and fuzzing:
// the result is the same whatever the window's size).
Result<Template> parseTemplate(QByteArrayView data, const QString &fileName, qsizetype windowBytes);

// As parseTemplate(), reading `path`. The file is read piece by piece (never mapped), so memory beyond the rows stays
// small; a file that changes while it is read is an error naming the file, line and row where that was noticed.
// Files over 1 GiB, inputs that are not regular files or pipes, and binary content are refused with a clear error.
Result<Template> loadTemplate(const QString &path);

// A template read in pieces, so that a send can start before the whole file is read (kbatch-cli send). Every piece
// is checked as strictly as loadTemplate() checks the file, with the same errors (both read through the same
// window). Should the file change while it is read (an editor saving in place), readRows() fails with an Error naming
// the file, the line and the row (messages[N]) it was reading.
//
// readHead() reads everything but the rows when "messages" is the last member of the template, as KBatch writes
// it; then readRows() hands the rows out. When "messages" is not last, the fields after it would change how the rows
// are sent, so readHead() reads the whole file and the rows are in Template::messages.
class TemplateStream
{
public:
    // `windowBytes`: how much of the file is in memory at a time (0: the default, 1 MiB; more while one row needs
    // it). The rows and errors do not depend on it.
    static Result<TemplateStream> open(const QString &path, qsizetype windowBytes = 0);
    TemplateStream(TemplateStream &&) noexcept;
    TemplateStream &operator=(TemplateStream &&) noexcept;
    ~TemplateStream();

    Result<Template> readHead();
    // For a send that encodes the key or the value of every row before it sends them (through a Schema Registry):
    // their {"json": ...} payloads in the rows read from now on are kept as written, whitespace and all, rather than
    // made compact, since the encoder parses them again anyway. They are checked the same; generator rows stay compact.
    void setJsonAsWritten(bool key, bool value);
    // Appends up to `maxRows` of the next rows to `out`. After the last row it reads and checks the rest of the
    // file, then returns false; true while rows may follow. On an error, `out` may hold rows read before it.
    Result<bool> readRows(Batch &out, qsizetype maxRows);

private:
    struct Impl;
    explicit TemplateStream(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> d;
};

} // namespace kbatch::core
