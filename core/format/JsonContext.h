#pragma once

#include "JsonReader.h"
#include "core/model/Error.h"
#include "core/model/Message.h"

#include <QString>

#include <cstdint>
#include <limits>
#include <vector>

namespace kbatch::core {

// Internal to core/format: a JsonReader plus the JSON path of the value being read, so that every error names
// file, line, column and path (e.g. messages[3].headers[1][0]). Shared by the template reader and the JSON Lines
// importer so both accept the same payload and header forms.
//
// The path is pushed and popped by hand and deliberately not popped on failure: when a read fails, the path still
// points at the value at fault.
class JsonContext
{
public:
    JsonContext(JsonReader &reader, QString file) : m_reader(reader), m_file(std::move(file)) {}

    JsonReader &reader() { return m_reader; }

    void push(QByteArray name) { m_path.push_back(Segment{std::move(name), -1}); }
    void push(qsizetype index) { m_path.push_back(Segment{{}, index}); }
    void pop() { m_path.pop_back(); }
    // Forgets the path and any recorded error field, for the next line of a JSON Lines file.
    void resetPath()
    {
        m_path.clear();
        m_errorField.clear();
        m_fieldRecorded = false;
    }
    QString path() const;
    // To read a part of the input again (see JsonReader::rewind()): the path's depth, and going back to it with any
    // recorded error forgotten.
    std::size_t depth() const { return m_path.size(); }
    void rewind(std::size_t depth)
    {
        m_path.resize(depth);
        m_errorField.clear();
        m_fieldRecorded = false;
    }

    // Records an error at `where`; always returns false.
    bool fail(const JsonReader::Mark &where, const QString &text);
    // An unknown member `name` at the last member mark; `allowed` lists the accepted names.
    bool failUnknown(const QByteArray &name, const char *allowed);
    bool failDuplicate(const QByteArray &name);
    bool failType(const JsonReader::Mark &where, const QString &expected, JsonReader::Kind found);
    // The error after a false return (a reader error if no semantic one was recorded).
    Error error() const;

    // Value readers: each checks the type, leaves the path at the value on failure and returns false.
    // Borrowed: a plain string's bytes may point into the input (QByteArray::fromRawData), no copy made. Only for a
    // payload copied elsewhere (Batch::append) before the input goes away.
    enum class Storage { Owned, Borrowed };
    // How a {"json": ...} payload is kept: Compact (whitespace dropped: the bytes a send of it carries) or AsWritten
    // (checked the same, kept as the input has it: for a part that is parsed again and encoded before it is sent,
    // where compacting it would be wasted).
    enum class JsonForm { Compact, AsWritten };
    bool readPayload(Payload &out, Storage storage = Storage::Owned, JsonForm form = JsonForm::Compact);
    enum HeaderForm : unsigned {
        PairList = 1,   // [["name", value], ...] (templates)
        NameObject = 2, // {"name": value, ...}
        FlatList = 4,   // ["name", value, "name", value, ...] (kcat -J)
    };
    // `flat`, if given, tells whether the FlatList form was read.
    bool readHeaders(Headers &out, unsigned forms, bool *flat = nullptr);
    bool readString(QByteArray &out);
    bool readQString(QString &out);
    bool readBool(bool &out);
    bool readInteger(std::int64_t &out, std::int64_t min = std::numeric_limits<std::int64_t>::min(),
                     std::int64_t max = std::numeric_limits<std::int64_t>::max());
    bool readUnsigned(std::uint64_t &out);
    bool readDouble(double &out, double min);

private:
    struct Segment
    {
        QByteArray name;
        qsizetype index = -1;
    };

    JsonReader &m_reader;
    QString m_file;
    QByteArray m_scratch; // decoded escapes of a borrowed string
    std::vector<Segment> m_path;
    QString m_errorField;
    bool m_fieldRecorded = false;
};

// Text as given: Encoding::Text when the bytes are valid UTF-8, else Encoding::Base64 so that the editor and the
// template writer never mangle them.
Payload textOrBinaryPayload(QByteArray bytes);

// Strict base64 (standard alphabet, padding optional); false on any other character.
bool decodeBase64Strict(QByteArrayView text, QByteArray &out);

} // namespace kbatch::core
