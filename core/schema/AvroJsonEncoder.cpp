#include "AvroJsonEncoder.h"
#include "AvroJsonText.h"

#include "AvroLogical.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

namespace kbatch::core {

namespace {

using Kind = JsonReader::Kind;
using Type = AvroNode::Type;
using Logical = AvroNode::Logical;

using avrojson::expectation;
using avrojson::isTimeLogical;
using avrojson::quoted;

// Values nest at most this deep, defaults included (the reader stops documents at 512 levels; a default inside a
// default inside ... of a type that contains itself would otherwise never end).
constexpr int MaxLevel = 600;

// Whether a JSON value of kind `k` may be a value of `n` (without looking further).
bool accepts(const AvroNode &n, Kind k)
{
    switch (n.type) {
    case Type::Null:
        return k == Kind::Null;
    case Type::Boolean:
        return k == Kind::True || k == Kind::False;
    case Type::Int:
    case Type::Long:
        return k == Kind::Number || (k == Kind::String && isTimeLogical(n.logical));
    case Type::Float:
    case Type::Double:
        return k == Kind::Number || k == Kind::String;
    case Type::Bytes:
    case Type::Fixed:
        return k == Kind::String || (k == Kind::Number && n.logical == Logical::Decimal);
    case Type::String:
    case Type::Enum:
        return k == Kind::String;
    case Type::Record:
    case Type::Map:
        return k == Kind::Object;
    case Type::Array:
        return k == Kind::Array;
    case Type::Union:
        return false;
    }
    return false;
}

// Branches whose choice a reader sees as a different type: a value that fits two of them must be written tagged.
bool isDistinctType(const AvroNode &n)
{
    return n.isNamed() || n.type == Type::Map;
}

} // namespace

AvroJsonEncoder::AvroJsonEncoder(std::shared_ptr<const AvroSchema> schema)
    : m_schema(std::move(schema)), m_reader(QByteArrayView())
{
    static const char nowhere = 0;
    const auto lock = lockAvroErrors();
    m_value.create(m_schema->valueClass());
    m_writer.reset(avro_writer_memory(&nowhere, 0));
}

AvroJsonEncoder::~AvroJsonEncoder()
{
    // avro-c's destructors may set its error text.
    const auto lock = lockAvroErrors();
    m_value.reset();
    m_writer.reset();
}

Status AvroJsonEncoder::encode(QByteArrayView json, QByteArray &out)
{
    m_reader.reset(json);
    m_in = &m_reader;
    m_failure.failed = false; // its texts went to the last error (takeError)
    m_depth = 0;
    m_seen.clear();
    m_bound = 0;
    m_defaultMode = false;
    avro_value_t *root = m_value.get();
    if (const int rc = avro_value_reset(root)) {
        avroFailed(rc);
        return takeError();
    }
    if (!write(m_schema->root(), root))
        return takeError();
    if (!m_reader.expectEnd()) {
        readerFailed();
        return takeError();
    }
    const qsizetype old = out.size();
    out.resize(old + qsizetype(m_bound) + 1);
    avro_writer_memory_set_dest(m_writer.get(), out.data() + old, m_bound + 1);
    if (const int rc = avro_value_write(m_writer.get(), root)) {
        out.resize(old);
        avroFailed(rc);
        return takeError();
    }
    out.resize(old + qsizetype(avro_writer_tell(m_writer.get())));
    return Ok{};
}

Status AvroJsonEncoder::checkDefault(const AvroNode &node, QByteArrayView json)
{
    JsonReader reader(json);
    m_in = &reader;
    m_failure = Failure{};
    m_depth = 0;
    m_seen.clear();
    m_defaultMode = true;
    const bool ok = write(node, nullptr) && (reader.expectEnd() || readerFailed());
    m_in = &m_reader;
    m_defaultMode = false;
    if (!ok)
        return takeError();
    return Ok{};
}

bool AvroJsonEncoder::write(const AvroNode &n, avro_value_t *v)
{
    struct Level
    {
        int &level;
        explicit Level(int &l) : level(l) { ++level; }
        ~Level() { --level; }
    } level(m_level);
    if (m_level > MaxLevel)
        return fail(m_in->mark(), QStringLiteral("nested more than %1 levels deep").arg(MaxLevel));

    switch (n.type) {
    case Type::Null: {
        const Kind k = m_in->peek();
        if (k != Kind::Null)
            return mismatch(n, k);
        if (!m_in->readNull())
            return readerFailed();
        if (v) {
            if (const int rc = avro_value_set_null(v))
                return avroFailed(rc);
        }
        return true;
    }
    case Type::Boolean: {
        const Kind k = m_in->peek();
        if (k != Kind::True && k != Kind::False)
            return mismatch(n, k);
        bool b = false;
        if (!m_in->readBool(b))
            return readerFailed();
        if (v) {
            if (const int rc = avro_value_set_boolean(v, b))
                return avroFailed(rc);
            m_bound += 1;
        }
        return true;
    }
    case Type::Int:
    case Type::Long:
        return writeInteger(n, v);
    case Type::Float:
    case Type::Double:
        return writeFloating(n, v);
    case Type::Bytes:
    case Type::Fixed:
        return writeBytesLike(n, v);
    case Type::String:
        return writeString(n, v);
    case Type::Enum:
        return writeEnum(n, v);
    case Type::Record:
        return writeRecord(n, v);
    case Type::Array:
        return writeArray(n, v);
    case Type::Map:
        return writeMap(n, v);
    case Type::Union:
        return writeUnion(n, v);
    }
    return fail(m_in->mark(), QStringLiteral("unknown type"));
}

bool AvroJsonEncoder::writeRecord(const AvroNode &n, avro_value_t *v)
{
    const Kind k = m_in->peek();
    if (k != Kind::Object)
        return mismatch(n, k);
    const JsonReader::Mark objectAt = m_in->mark();
    if (!m_in->beginObject())
        return readerFailed();
    const std::size_t count = n.fields.size();
    const std::size_t base = m_seen.size();
    m_seen.resize(base + count, 0);
    int hint = 0;
    bool ok = true;
    QByteArrayView name;
    while (ok && m_in->nextMemberView(name, m_scratch)) {
        const int i = n.fieldIndex(name, hint);
        if (i < 0) {
            QString fields;
            for (std::size_t f = 0; f < count && f < 12; ++f)
                fields += (f ? QLatin1String(", ") : QLatin1String("")) + QString::fromUtf8(n.fields[f].name);
            if (count > 12)
                fields += QLatin1String(", ...");
            ok =
                fail(m_in->lastMemberMark(),
                     QStringLiteral("unknown field %1 in %2 (its fields: %3)").arg(quoted(name), n.describe(), fields));
            break;
        }
        if (m_seen[base + std::size_t(i)]) {
            ok = fail(m_in->lastMemberMark(), QStringLiteral("field %1 appears twice").arg(quoted(name)));
            break;
        }
        m_seen[base + std::size_t(i)] = 1;
        hint = i + 1;
        avro_value_t child;
        avro_value_t *childPtr = nullptr;
        if (v) {
            if (const int rc = avro_value_get_by_index(v, std::size_t(i), &child, nullptr)) {
                ok = avroFailed(rc);
                break;
            }
            childPtr = &child;
        }
        pushField(&n.fields[std::size_t(i)].name);
        ok = write(*n.fields[std::size_t(i)].type, childPtr);
        pop();
    }
    if (ok && m_in->hasError())
        ok = readerFailed();
    for (std::size_t i = 0; ok && i < count; ++i) {
        if (m_seen[base + i])
            continue;
        const AvroNode::Field &field = n.fields[i];
        if (!field.hasDefault) {
            ok = fail(
                objectAt,
                QStringLiteral("missing field %1 of %2 (it has no default)").arg(quoted(field.name), n.describe()));
            break;
        }
        avro_value_t child;
        avro_value_t *childPtr = nullptr;
        if (v) {
            if (const int rc = avro_value_get_by_index(v, i, &child, nullptr)) {
                ok = avroFailed(rc);
                break;
            }
            childPtr = &child;
        }
        ok = writeDefault(field, childPtr);
    }
    m_seen.resize(base);
    return ok;
}

bool AvroJsonEncoder::writeDefault(const AvroNode::Field &field, avro_value_t *v)
{
    JsonReader reader(field.defaultJson);
    JsonReader *const document = m_in;
    const bool wasDefault = m_defaultMode;
    m_in = &reader;
    m_defaultMode = true;
    pushField(&field.name);
    const bool ok = write(*field.type, v);
    pop();
    m_in = document;
    m_defaultMode = wasDefault;
    return ok;
}

bool AvroJsonEncoder::writeArray(const AvroNode &n, avro_value_t *v)
{
    const Kind k = m_in->peek();
    if (k != Kind::Array)
        return mismatch(n, k);
    if (!m_in->beginArray())
        return readerFailed();
    if (v)
        m_bound += 11; // the block count and the closing 0
    qint64 index = 0;
    while (m_in->nextElement()) {
        avro_value_t child;
        avro_value_t *childPtr = nullptr;
        if (v) {
            if (const int rc = avro_value_append(v, &child, nullptr))
                return avroFailed(rc);
            childPtr = &child;
        }
        pushIndex(index++);
        const bool ok = write(*n.items, childPtr);
        pop();
        if (!ok)
            return false;
    }
    return !m_in->hasError() || readerFailed();
}

bool AvroJsonEncoder::writeMap(const AvroNode &n, avro_value_t *v)
{
    const Kind k = m_in->peek();
    if (k != Kind::Object)
        return mismatch(n, k);
    if (!m_in->beginObject())
        return readerFailed();
    if (v)
        m_bound += 11;
    QByteArrayView key;
    while (m_in->nextMemberView(key, m_scratch)) {
        const JsonReader::Mark keyAt = m_in->lastMemberMark();
        if (key.contains('\0'))
            return fail(keyAt,
                        QStringLiteral("map key %1 contains U+0000, which avro-c cannot write").arg(quoted(key)));
        pushKey(key);
        avro_value_t child;
        avro_value_t *childPtr = nullptr;
        if (v) {
            m_text.resize(key.size());
            std::memcpy(m_text.data(), key.data(), std::size_t(key.size()));
            int isNew = 0;
            if (const int rc = avro_value_add(v, m_text.constData(), &child, nullptr, &isNew))
                return avroFailed(rc);
            if (!isNew) {
                pop();
                return fail(keyAt, QStringLiteral("key %1 appears twice").arg(quoted(m_text)));
            }
            m_bound += key.size() + 10;
            childPtr = &child;
        }
        const bool ok = write(*n.items, childPtr);
        pop();
        if (!ok)
            return false;
    }
    return !m_in->hasError() || readerFailed();
}

int AvroJsonEncoder::taggedBranch(const AvroNode &n)
{
    const JsonReader::Checkpoint start = m_in->checkpoint();
    int found = -1;
    QByteArrayView name;
    if (m_in->beginObject() && m_in->nextMemberView(name, m_scratch)) {
        // A branch's own name first (the union has no two branches of one name), then a named type's short name
        // when only one branch has it.
        for (std::size_t b = 0; b < n.branches.size() && found < 0; ++b) {
            const AvroNode &branch = *n.branches[b];
            if (branch.isNamed() ? branch.fullName == name : name == AvroNode::typeName(branch.type))
                found = int(b);
        }
        for (std::size_t b = 0; b < n.branches.size() && found < 0 && found != -2; ++b) {
            if (n.branches[b]->isNamed() && n.branches[b]->isNamedBy(name)) {
                for (std::size_t other = b + 1; other < n.branches.size(); ++other) {
                    if (n.branches[other]->isNamed() && n.branches[other]->isNamedBy(name))
                        found = -2;
                }
                if (found != -2)
                    found = int(b);
            }
        }
        if (found >= 0) {
            QByteArrayView next;
            if (!m_in->skipValue() || m_in->nextMemberView(next, m_scratch) || m_in->hasError())
                found = -1; // not a single member: a plain object
        }
    }
    m_in->rewind(start);
    return found < 0 ? -1 : found;
}

bool AvroJsonEncoder::writeBranch(const AvroNode &n, int branch, avro_value_t *v)
{
    avro_value_t child;
    avro_value_t *childPtr = nullptr;
    if (v) {
        if (const int rc = avro_value_set_branch(v, branch, &child))
            return avroFailed(rc);
        m_bound += 10;
        childPtr = &child;
    }
    return write(*n.branches[std::size_t(branch)], childPtr);
}

bool AvroJsonEncoder::writeUnion(const AvroNode &n, avro_value_t *v)
{
    if (m_defaultMode)
        return writeBranch(n, 0, v); // the specification: a union's default is a value of its first branch
    const Kind k = m_in->peek();
    if (k == Kind::Object) {
        const int tagged = taggedBranch(n);
        if (tagged >= 0) {
            QByteArrayView name;
            if (!m_in->beginObject() || !m_in->nextMemberView(name, m_scratch))
                return readerFailed();
            if (!writeBranch(n, tagged, v))
                return false;
            if (m_in->nextMemberView(name, m_scratch) || m_in->hasError())
                return readerFailed();
            return true;
        }
    }
    int first = -1, count = 0;
    for (std::size_t b = 0; b < n.branches.size(); ++b) {
        if (accepts(*n.branches[b], k)) {
            if (first < 0)
                first = int(b);
            ++count;
        }
    }
    if (count == 0)
        return mismatch(n, k);
    if (count == 1)
        return writeBranch(n, first, v);

    // Several branches take this kind of JSON value: the first that the whole value fits.
    const JsonReader::Mark at = m_in->mark();
    int chosen = -1;
    Failure closest;
    for (std::size_t b = std::size_t(first); b < n.branches.size(); ++b) {
        if (!accepts(*n.branches[b], k))
            continue;
        Failure failure;
        if (fits(*n.branches[b], &failure)) {
            chosen = int(b);
            break;
        }
        if (!closest.failed || failure.offset > closest.offset)
            closest = std::move(failure);
    }
    if (chosen < 0) {
        if (!m_failure.failed) {
            m_failure = std::move(closest);
            m_failure.text += QStringLiteral(" (no branch of %1 fits)").arg(n.describe());
        }
        return false;
    }
    const AvroNode &winner = *n.branches[std::size_t(chosen)];
    if (isDistinctType(winner)) {
        for (std::size_t b = std::size_t(chosen) + 1; b < n.branches.size(); ++b) {
            const AvroNode &other = *n.branches[b];
            if (isDistinctType(other) && accepts(other, k) && fits(other))
                return fail(at, QStringLiteral("the value fits both %1 and %2 of %3: write it tagged, as "
                                               "{\"%4\": ...}")
                                    .arg(winner.describe(), other.describe(), n.describe(),
                                         QString::fromUtf8(winner.branchName())));
        }
    }
    return writeBranch(n, chosen, v);
}

bool AvroJsonEncoder::fits(const AvroNode &n, Failure *failure)
{
    const JsonReader::Checkpoint start = m_in->checkpoint();
    Failure saved = std::move(m_failure);
    m_failure = Failure{};
    const std::size_t depth = m_depth;
    const std::size_t seen = m_seen.size();
    const bool ok = write(n, nullptr);
    if (failure)
        *failure = std::move(m_failure);
    m_failure = std::move(saved);
    m_depth = depth;
    m_seen.resize(seen);
    m_in->rewind(start);
    return ok;
}

bool AvroJsonEncoder::fail(const JsonReader::Mark &at, const QString &text)
{
    if (!m_failure.failed) {
        m_failure.failed = true;
        m_failure.text = text;
        m_failure.path = pathText();
        m_failure.line = at.line;
        m_failure.column = m_in->column(at);
        m_failure.offset = m_in->position();
    }
    return false;
}

bool AvroJsonEncoder::mismatch(const AvroNode &n, Kind got)
{
    if (got == Kind::Invalid && m_in->hasError())
        return readerFailed();
    return fail(m_in->mark(), QStringLiteral("expected %1, got %2").arg(expectation(n), JsonReader::describe(got)));
}

bool AvroJsonEncoder::readerFailed()
{
    if (!m_failure.failed) {
        m_failure.failed = true;
        m_failure.text = m_in->hasError() ? m_in->errorText() : QStringLiteral("invalid JSON");
        m_failure.path = pathText();
        m_failure.line = m_in->errorLine();
        m_failure.column = m_in->errorColumn();
        m_failure.offset = m_in->position();
    }
    return false;
}

bool AvroJsonEncoder::avroFailed(int code)
{
    const auto lock = lockAvroErrors();
    return fail(
        m_in->mark(),
        QStringLiteral("avro-c failed (%1): %2").arg(QString::fromLocal8Bit(std::strerror(code)), avroErrorText()));
}

void AvroJsonEncoder::pushField(const QByteArray *name)
{
    if (m_depth == m_path.size())
        m_path.emplace_back();
    PathSegment &s = m_path[m_depth++];
    s.field = name;
    s.index = -1;
}

void AvroJsonEncoder::pushIndex(qint64 index)
{
    if (m_depth == m_path.size())
        m_path.emplace_back();
    PathSegment &s = m_path[m_depth++];
    s.field = nullptr;
    s.index = index;
}

void AvroJsonEncoder::pushKey(QByteArrayView key)
{
    if (m_depth == m_path.size())
        m_path.emplace_back();
    PathSegment &s = m_path[m_depth++];
    s.field = nullptr;
    s.index = -1;
    s.key.resize(key.size());
    if (!key.isEmpty())
        std::memcpy(s.key.data(), key.data(), std::size_t(key.size()));
}

QString AvroJsonEncoder::pathText() const
{
    // A path hundreds of levels deep helps nobody: its start and its end are kept.
    constexpr std::size_t Ends = 12;
    QString out = QStringLiteral("$");
    for (std::size_t i = 0; i < m_depth; ++i) {
        if (m_depth > 2 * Ends + 1 && i == Ends) {
            out += QStringLiteral("...(%1 more)...").arg(m_depth - 2 * Ends);
            i = m_depth - Ends - 1;
            continue;
        }
        const PathSegment &s = m_path[i];
        if (s.field) {
            out += QLatin1Char('.') + QString::fromUtf8(*s.field);
        } else if (s.index >= 0) {
            out += QLatin1Char('[') + QString::number(s.index) + QLatin1Char(']');
        } else {
            bool plain = !s.key.isEmpty();
            for (qsizetype c = 0; c < s.key.size() && plain; ++c) {
                const char ch = s.key[c];
                plain = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_' ||
                        (c > 0 && ch >= '0' && ch <= '9');
            }
            if (plain) {
                out += QLatin1Char('.') + QString::fromLatin1(s.key);
            } else {
                QString key = QString::fromUtf8(s.key);
                key.replace(QLatin1Char('\\'), QLatin1String("\\\\")).replace(QLatin1Char('"'), QLatin1String("\\\""));
                out += QLatin1String("[\"") + key + QLatin1String("\"]");
            }
        }
    }
    return out;
}

Error AvroJsonEncoder::takeError()
{
    // Moved out, not shared: a pooled encoder keeps no text of an error that another thread now owns (and frees).
    return Error(std::move(m_failure.text), {}, m_failure.line, m_failure.column, std::move(m_failure.path));
}

} // namespace kbatch::core
