#include "ui/schema/SchemaSection.h"

#include "core/format/JsonText.h"
#include "core/schema/ConfluentFrame.h"
#include "ui/batch/BatchTableModel.h"
#include "ui/schema/RowChecker.h"
#include "ui/schema/SchemaContext.h"
#include "ui/widgets/Theme.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace kbatch::ui {

using core::PayloadPart;

namespace {
QString hexBytes(QByteArrayView bytes)
{
    return QString::fromLatin1(bytes.toByteArray().toHex(' '));
}

// The payload's hex, 16 bytes a line, each line with its offset.
void appendHexLines(QStringList &lines, QByteArrayView data)
{
    for (qsizetype i = 0; i < data.size(); i += 16)
        lines << QStringLiteral("  %1  %2")
                     .arg(i, 4, 16, QLatin1Char('0'))
                     .arg(hexBytes(data.sliced(i, std::min<qsizetype>(16, data.size() - i))));
}
} // namespace

SchemaSection::SchemaSection(PayloadPart part, BatchTableModel *model, SchemaContext *context, QWidget *parent)
    : QWidget(parent), m_part(part), m_model(model), m_context(context)
{
    const QString suffix = part == PayloadPart::Key ? QStringLiteral("_key") : QStringLiteral("_value");
    setObjectName(QStringLiteral("schemaSection") + suffix);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);

    auto *top = new QHBoxLayout;
    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("schemaTitle") + suffix);
    m_title->setWordWrap(true);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_skeleton = new QToolButton(this);
    m_skeleton->setObjectName(QStringLiteral("insertSkeleton") + suffix);
    m_skeleton->setText(tr("Insert skeleton"));
    m_skeleton->setToolTip(part == PayloadPart::Key
                               ? tr("Every field of the key schema at its default or a placeholder of its type: into "
                                    "this row's key when it is empty, else into a new row below")
                               : tr("Every field of the value schema at its default or a placeholder of its type: "
                                    "into this row's value when it is empty, else into a new row below"));
    top->addWidget(m_title, 1);
    top->addWidget(m_skeleton);
    layout->addLayout(top);

    m_problem = new QLabel(this);
    m_problem->setObjectName(QStringLiteral("schemaProblem") + suffix);
    m_problem->setWordWrap(true);
    m_problem->setTextFormat(Qt::PlainText);
    m_problem->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    QPalette warn = m_problem->palette();
    warn.setColor(QPalette::WindowText, Theme::statusColor(core::DeliveryStatus::Failed));
    m_problem->setPalette(warn);
    layout->addWidget(m_problem);

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("schemaTabs") + suffix);
    m_tabs->setDocumentMode(true);
    auto readOnly = [this](const QString &name) {
        auto *edit = new QPlainTextEdit(m_tabs);
        edit->setObjectName(name);
        edit->setReadOnly(true);
        edit->setFont(Theme::monospaceFont());
        edit->setLineWrapMode(QPlainTextEdit::NoWrap);
        return edit;
    };
    m_bytes = readOnly(QStringLiteral("schemaBytes") + suffix);
    m_schema = readOnly(QStringLiteral("schemaText") + suffix);
    m_tabs->addTab(m_bytes, tr("Bytes to send"));
    m_tabs->addTab(m_schema, tr("Schema"));
    layout->addWidget(m_tabs, 1);

    connect(m_skeleton, &QToolButton::clicked, this, &SchemaSection::insertSkeleton);
    connect(m_context, &SchemaContext::changed, this, [this] { showRow(m_row); });
    showRow(-1);
}

bool SchemaSection::isTyped() const
{
    return m_context->part(m_part).state != SchemaContext::State::None;
}

QString SchemaSection::frameHex(const QByteArray &frame, bool protobuf)
{
    const auto parsed = protobuf ? core::ConfluentFrame::parseProtobuf(frame) : core::ConfluentFrame::parse(frame);
    if (!parsed)
        return hexBytes(frame);
    QStringList lines;
    lines << tr("magic byte  %1").arg(hexBytes(frame.first(1)));
    lines << tr("schema id   %1  (%2)").arg(hexBytes(frame.sliced(1, 4))).arg(parsed->schemaId);
    const QByteArrayView datum = parsed->payload;
    if (protobuf) {
        // Between the id and the message: which message type of the schema's file this is.
        const qsizetype indexBytes = frame.size() - core::ConfluentFrame::HeaderSize - datum.size();
        QStringList path;
        for (int index : parsed->messageIndexes)
            path << QString::number(index);
        const QString hex = hexBytes(frame.sliced(core::ConfluentFrame::HeaderSize, indexBytes));
        lines << (parsed->messageIndexes == QList<int>{0}
                      ? tr("indexes     %1  (message index path [0]: the file's first message)").arg(hex)
                      : tr("indexes     %1  (message index path [%2])").arg(hex, path.join(QStringLiteral(", "))));
        lines << (datum.size() == 1 ? tr("message     1 byte") : tr("message     %1 bytes").arg(datum.size()));
    } else {
        lines << (datum.size() == 1 ? tr("datum       1 byte") : tr("datum       %1 bytes").arg(datum.size()));
    }
    appendHexLines(lines, datum);
    return lines.join(QLatin1Char('\n'));
}

QString SchemaSection::unframedHex(const QByteArray &payload)
{
    QStringList lines;
    lines << tr("unframed: the message alone (no magic byte, schema id or indexes)");
    lines << (payload.size() == 1 ? tr("message     1 byte") : tr("message     %1 bytes").arg(payload.size()));
    appendHexLines(lines, payload);
    return lines.join(QLatin1Char('\n'));
}

void SchemaSection::showRow(qsizetype row)
{
    m_row = row;
    const SchemaContext::Part &p = m_context->part(m_part);
    setVisible(p.state != SchemaContext::State::None);
    const QString partName = m_part == PayloadPart::Key ? tr("Key") : tr("Value");
    m_title->setText(tr("%1: %2").arg(partName, SchemaContext::describe(p)));
    m_skeleton->setEnabled(p.typed());
    m_tabs->setEnabled(p.typed());
    if (!p.typed()) {
        m_problem->hide();
        m_bytes->setPlainText(QString());
        m_schema->setPlainText(QString());
        m_shownSchema.clear();
        return;
    }
    if (m_shownSchema != p.codec.schema.text) {
        m_shownSchema = p.codec.schema.text;
        auto pretty = core::prettyJson(m_shownSchema);
        m_schema->setPlainText(QString::fromUtf8(pretty ? *pretty : m_shownSchema));
    }
    const bool valid = row >= 0 && row < m_model->batch().size();
    QString problem, bytes;
    if (valid) {
        const core::Batch &batch = m_model->batch();
        QByteArray scratch;
        if (batch.generate(row)) {
            bytes = tr("A generator row: its placeholders are filled in when it is sent.");
        } else if (m_part == PayloadPart::Key ? batch.keyIsNull(row) : batch.valueIsNull(row)) {
            bytes = tr("null: sent as no bytes at all, as Schema Registry serializers send null");
        } else if (const auto error = RowChecker::check(batch, row, m_part, p.codec, scratch)) {
            problem = error->message();
            bytes = tr("No bytes: the %1 does not fit the schema.").arg(partName.toLower());
        } else if (!p.codec.framed) {
            QByteArray payload;
            const auto json = m_part == PayloadPart::Key ? batch.key(row) : batch.value(row);
            if (const auto s = p.codec.codec->encode(json, payload); s)
                bytes = unframedHex(payload);
            else
                problem = s.error().message();
        } else {
            QByteArray frame;
            const auto json = m_part == PayloadPart::Key ? batch.key(row) : batch.value(row);
            if (const auto s = p.codec.codec->encodeFramed(p.codec.schema.id, json, frame); s)
                bytes = frameHex(frame, p.codec.codec->format() == core::SchemaFormat::Protobuf);
            else
                problem = s.error().message();
            if (p.codec.schema.id == 0)
                bytes += QLatin1Char('\n') + tr("(schema id 0 until Send registers the schema)");
        }
    }
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    m_bytes->setPlainText(bytes);
}

void SchemaSection::insertSkeleton()
{
    const SchemaContext::Part &p = m_context->part(m_part);
    if (!p.typed())
        return;
    const core::Payload skeleton(p.codec.codec->skeleton(), core::Encoding::Json);
    const bool key = m_part == PayloadPart::Key;
    const QString what = key ? tr("Insert key skeleton") : tr("Insert value skeleton");
    const core::Batch &batch = m_model->batch();
    if (m_row >= 0 && m_row < batch.size() && !m_model->isRowLocked(m_row)) {
        const bool empty = key ? (batch.keyIsNull(m_row) || batch.key(m_row).isEmpty())
                               : (batch.valueIsNull(m_row) || batch.value(m_row).isEmpty());
        if (empty) {
            core::Message m = batch.at(m_row);
            (key ? m.key : m.value) = skeleton;
            m_model->setMessage(m_row, m, what);
            return;
        }
    }
    core::Message m;
    (key ? m.key : m.value) = skeleton;
    core::Batch rows;
    rows.append(m);
    const qsizetype at = m_row >= 0 && m_row < batch.size() ? m_row + 1 : batch.size();
    m_model->insertBatch(at, rows, what);
}

} // namespace kbatch::ui
