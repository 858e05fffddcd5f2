#include "JsonSchemaCodec.h"

#include "JsonSchemaDocuments.h"
#include "JsonSchemaErrors.h"
#include "JsonSchemaSamples.h"
#include "core/format/JsonReader.h"

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include <exception>

namespace kbatch::core {

// One encoder's state: valijson's validator (it caches compiled patterns, so it is kept) and the row buffers.
struct JsonSchemaWorker
{
    valijson::Validator validator;
    JsonReader reader{QByteArrayView()};
    JsonReader quickReader{QByteArrayView()};
    QByteArray compact;
};

namespace {} // namespace

JsonSchemaCodec::JsonSchemaCodec(std::shared_ptr<const JsonSchemaDocuments> documents)
    : m_documents(std::move(documents))
{}

JsonSchemaCodec::~JsonSchemaCodec() = default;

Result<std::shared_ptr<const JsonSchemaCodec>> JsonSchemaCodec::compile(const ResolvedSchema &schema)
{
    auto documents = JsonSchemaDocuments::load(schema);
    if (!documents)
        return documents.error();
    return std::shared_ptr<const JsonSchemaCodec>(new JsonSchemaCodec(std::move(documents.value())));
}

std::unique_ptr<JsonSchemaWorker> JsonSchemaCodec::takeWorker() const
{
    if (auto idle = m_idle.take())
        return idle;
    return std::make_unique<JsonSchemaWorker>();
}

void JsonSchemaCodec::giveBack(std::unique_ptr<JsonSchemaWorker> worker) const
{
    m_idle.giveBack(std::move(worker));
}

Status JsonSchemaCodec::check(QByteArrayView json, JsonSchemaWorker &w, bool quickCheck) const
{
    w.compact.resize(0);
    w.reader.reset(json);
    if (!w.reader.copyCompact(w.compact) || !w.reader.expectEnd())
        return Error(w.reader.errorText(), {}, w.reader.errorLine(), w.reader.errorColumn(), QStringLiteral("$"));
    // Most rows of most schemas: valid by the quick check, no document built. Its "no" is only a "not sure".
    if (quickCheck && m_documents->fast && m_documents->fast->accepts(w.compact, w.quickReader))
        return Ok{};
    const nlohmann::json doc =
        nlohmann::json::parse(w.compact.constData(), w.compact.constData() + w.compact.size(), nullptr, false);
    if (doc.is_discarded())
        return Error(QStringLiteral("a number is out of the range of a double"), {}, 0, 0, QStringLiteral("$"));
    const valijson::adapters::NlohmannJsonAdapter adapter(doc);
    try {
        if (w.validator.validate(*m_documents->schema, adapter, nullptr))
            return Ok{};
    } catch (const std::exception &) {
        // said below, with the results
    }
    // The slow path, for the one row that fails: every error, and the deepest (the first of those) is the one said.
    valijson::ValidationResults results;
    QString thrown;
    try {
        (void)w.validator.validate(*m_documents->schema, adapter, &results);
    } catch (const std::exception &e) {
        thrown = QString::fromUtf8(e.what());
    }
    valijson::ValidationResults::Error e, best;
    bool have = false;
    while (results.popError(e)) {
        if (!have || e.context.size() > best.context.size()) {
            best = e;
            have = true;
        }
    }
    if (!have)
        return Error(QStringLiteral("the schema's validator failed: %1")
                         .arg(thrown.isEmpty() ? QStringLiteral("no reason given") : thrown),
                     {}, 0, 0, QStringLiteral("$"));
    return jsonSchemaFailure(*m_documents, best.context, best.description, doc, json);
}

Status JsonSchemaCodec::validate(QByteArrayView json, bool quickCheck) const
{
    auto worker = takeWorker();
    Status result = check(json, *worker, quickCheck);
    giveBack(std::move(worker));
    return result;
}

Status JsonSchemaCodec::encode(QByteArrayView json, QByteArray &out) const
{
    auto worker = takeWorker();
    Status result = check(json, *worker, true);
    // The bytes, copied: appending the QByteArray to an empty `out` would share the worker's buffer with the caller,
    // and the pooled worker, on whichever thread takes it next, would then allocate a new one for every row.
    if (result)
        out.append(QByteArrayView(worker->compact));
    giveBack(std::move(worker));
    return result;
}

Result<QByteArray> JsonSchemaCodec::decode(QByteArrayView payload) const
{
    JsonReader r(payload);
    if (!r.skipValue() || !r.expectEnd())
        return Error(QStringLiteral("the payload is not JSON: %1").arg(r.errorText()), {}, r.errorLine(),
                     r.errorColumn());
    return payload.toByteArray();
}

QByteArray JsonSchemaCodec::skeleton() const
{
    return jsonSchemaSkeleton(*m_documents);
}

QByteArray JsonSchemaCodec::randomValue(Random &random) const
{
    QByteArray value;
    for (int attempt = 0; attempt < 8; ++attempt) {
        value = jsonSchemaRandom(*m_documents, random);
        if (validate(value))
            break;
    }
    return value;
}

bool JsonSchemaCodec::hasQuickCheck() const
{
    return m_documents->fast != nullptr;
}

QString JsonSchemaCodec::recordName() const
{
    return m_documents->title;
}

} // namespace kbatch::core