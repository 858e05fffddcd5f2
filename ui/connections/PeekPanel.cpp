#include "ui/connections/PeekPanel.h"

#include "ui/connections/PeekDecoder.h"
#include "ui/connections/PeekModel.h"
#include "ui/schema/SchemaContext.h"
#include "ui/widgets/Theme.h"

#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace kbatch::ui {

namespace {
struct PeekOutcome
{
    QList<core::PeekedMessage> messages;
    QString error;
};
constexpr int PeekTimeoutMs = 10000;

// The payload to copy for one part read: its JSON when the document types the part with the schema it was decoded
// with and that JSON encodes back to the bytes read; the bytes read otherwise (`keptAsBytes` when the document
// types the part, which then cannot send them).
core::Payload copiedPart(const core::Payload &read, const PeekDecoder::Part &decoded, const SchemaContext *context,
                         core::PayloadPart which, int &keptAsBytes)
{
    if (read.isNull() || !context || context->part(which).state == SchemaContext::State::None)
        return read;
    const SchemaContext::Part &target = context->part(which);
    const auto kept = [&] {
        ++keptAsBytes;
        return read;
    };
    if (!target.typed() || decoded.state != PeekDecoder::Part::State::Decoded)
        return kept();
    const core::ResolvedCodec &codec = target.codec;
    if (codec.framed != decoded.framed || (codec.framed && codec.schema.id != decoded.schemaId) ||
        (!codec.framed && codec.source != decoded.source))
        return kept();
    if (codec.codec->format() == core::SchemaFormat::Protobuf && codec.codec->recordName() != decoded.messageType)
        return kept();
    QByteArray again;
    const core::Status encoded = codec.framed ? codec.codec->encodeFramed(codec.schema.id, decoded.json, again)
                                              : codec.codec->encode(decoded.json, again);
    if (!encoded.ok() || again != *read.bytes)
        return kept();
    return core::Payload(decoded.json, core::Encoding::Json);
}

} // namespace

PeekPanel::PeekPanel(ConnectionProvider provider, QWidget *parent) : QWidget(parent), m_provider(std::move(provider))
{
    setObjectName(QStringLiteral("peekPanel"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 4, 8, 8);
    layout->setSpacing(6);
    auto *bar = new QHBoxLayout;
    bar->setSpacing(6);
    m_topic = new QLineEdit(this);
    m_topic->setObjectName(QStringLiteral("peekTopic"));
    m_topic->setPlaceholderText(tr("topic"));
    m_partition = new QSpinBox(this);
    m_partition->setObjectName(QStringLiteral("peekPartition"));
    m_partition->setRange(-1, 100000);
    m_partition->setValue(-1);
    m_partition->setSpecialValueText(tr("all partitions"));
    m_count = new QSpinBox(this);
    m_count->setObjectName(QStringLiteral("peekCount"));
    m_count->setRange(1, 10000);
    m_count->setValue(20);
    m_count->setPrefix(tr("last "));
    m_peek = new QPushButton(Theme::icon(QStringLiteral("document-preview"), QStringLiteral("peek")), tr("Peek"), this);
    m_peek->setObjectName(QStringLiteral("peekButton"));
    m_copy = new QPushButton(tr("Copy to Batch"), this);
    m_copy->setObjectName(QStringLiteral("peekCopyButton"));
    m_copy->setToolTip(tr("Append the selected messages to the batch, to edit and send again. A key or value that the "
                          "batch types with the schema it was decoded with becomes JSON; any other is copied as the "
                          "bytes read (frames as base64). Either way, sending them again gives the same bytes"));
    m_state = new QLabel(this);
    m_state->setObjectName(QStringLiteral("peekState"));
    m_state->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_state->setTextFormat(Qt::PlainText); // broker errors are shown as they are, never as HTML
    bar->addWidget(m_topic, 1);
    bar->addWidget(m_partition);
    bar->addWidget(m_count);
    bar->addWidget(m_peek);
    bar->addWidget(m_state, 1);
    bar->addWidget(m_copy);
    m_model = new PeekModel(this);
    m_decoder = new PeekDecoder(this);
    m_view = new QTableView(this);
    m_view->setObjectName(QStringLiteral("peekTable"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setShowGrid(false);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setColumnWidth(PeekModel::Value, 320);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);

    connect(m_peek, &QPushButton::clicked, this, &PeekPanel::peek);
    connect(m_topic, &QLineEdit::returnPressed, this, &PeekPanel::peek);
    connect(m_copy, &QPushButton::clicked, this, [this] {
        const QModelIndexList selected = m_view->selectionModel()->selectedRows();
        QList<int> indexes;
        for (const QModelIndex &i : selected)
            indexes.append(i.row());
        std::sort(indexes.begin(), indexes.end());
        int keptAsBytes = 0;
        const core::Batch rows = rowsToCopy(indexes, &keptAsBytes);
        if (rows.isEmpty())
            return;
        emit copyToBatch(rows);
        m_state->setText(keptAsBytes == 0
                             ? tr("Copied %Ln message(s)", nullptr, int(rows.size()))
                             : tr("Copied %Ln message(s); %1 typed part(s) kept as bytes read (another schema, or "
                                  "not decoded): Send refuses them in this batch",
                                  nullptr, int(rows.size()))
                                   .arg(keptAsBytes));
    });
}

void PeekPanel::setSchemaContext(const SchemaContext *context)
{
    m_context = context;
}

core::Batch PeekPanel::rowsToCopy(const QList<int> &rows, int *keptAsBytes) const
{
    core::Batch out;
    int kept = 0;
    for (int r : rows) {
        core::Message message = m_model->at(r).message;
        const PeekDecoder::Row decoded = m_model->decodedAt(r);
        message.key = copiedPart(message.key, decoded.key, m_context, core::PayloadPart::Key, kept);
        message.value = copiedPart(message.value, decoded.value, m_context, core::PayloadPart::Value, kept);
        out.append(message);
    }
    if (keptAsBytes)
        *keptAsBytes = kept;
    return out;
}

PeekPanel::~PeekPanel()
{
    if (m_cancel)
        m_cancel->store(true);
}

void PeekPanel::setRegistryProvider(RegistryProvider provider)
{
    m_registryProvider = std::move(provider);
}

void PeekPanel::setTopic(const QString &topic)
{
    m_topic->setText(topic);
}

void PeekPanel::peekAt(const QString &topic)
{
    setTopic(topic);
    peek();
}

QString PeekPanel::topic() const
{
    return m_topic->text();
}

void PeekPanel::peek()
{
    const QString topic = m_topic->text().trimmed();
    if (topic.isEmpty() || m_busy)
        return;
    auto connection = m_provider();
    if (!connection.ok()) {
        m_state->setText(connection.error().message());
        return;
    }
    m_busy = true;
    m_peek->setEnabled(false);
    m_state->setText(tr("Reading…"));
    const core::Properties props = connection.value();
    const int partition = m_partition->value(), count = m_count->value();
    auto cancel = std::make_shared<core::CancelFlag>(false);
    m_cancel = cancel;
    auto *watcher = new QFutureWatcher<PeekOutcome>(this);
    connect(watcher, &QFutureWatcher<PeekOutcome>::finished, this, [this, watcher, topic] {
        watcher->deleteLater();
        m_cancel.reset();
        const PeekOutcome out = watcher->result();
        if (!out.error.isEmpty()) {
            m_busy = false;
            m_peek->setEnabled(true);
            m_state->setText(out.error);
            return;
        }
        m_model->setMessages(out.messages);
        decode(topic, int(out.messages.size()));
    });
    watcher->setFuture(QtConcurrent::run([props, topic, partition, count, cancel] {
        PeekOutcome out;
        auto r = core::peekTopic(props, topic, partition, count, PeekTimeoutMs, cancel.get());
        if (r.ok())
            out.messages = r.value();
        else
            out.error = r.error().message();
        return out;
    }));
}

// After a read: decodes framed parts when the profile has a registry, then ends the peek. A registry that cannot be
// used is said in the state line; the messages show as read.
void PeekPanel::decode(const QString &topic, int count)
{
    const QString read = tr("%Ln message(s)", nullptr, count);
    const auto done = [this](const QString &state) {
        m_busy = false;
        m_peek->setEnabled(true);
        m_state->setText(state);
    };
    std::optional<core::RegistrySettings> registry;
    if (m_registryProvider) {
        auto r = m_registryProvider();
        if (!r.ok()) {
            done(tr("%1; not decoded: %2").arg(read, r.error().message()));
            return;
        }
        registry = r.value();
    }
    m_decoder->setRegistry(registry);
    for (const core::PayloadPart which : {core::PayloadPart::Key, core::PayloadPart::Value}) {
        const bool typed = m_context && m_context->part(which).typed();
        m_decoder->setUnframed(which, typed ? m_context->part(which).codec : core::ResolvedCodec{});
    }
    if ((!registry && !m_decoder->hasUnframed()) || count == 0) {
        done(read);
        return;
    }
    m_state->setText(tr("%1, decoding…").arg(read));
    QList<core::PeekedMessage> messages;
    messages.reserve(count);
    for (int i = 0; i < count; ++i)
        messages.append(m_model->at(i));
    m_decoder->decode(messages, topic, [this, read, done](const QList<PeekDecoder::Row> &rows) {
        m_model->setDecoded(rows);
        int decoded = 0, failed = 0;
        for (const PeekDecoder::Row &row : rows) {
            for (const PeekDecoder::Part *p : {&row.key, &row.value}) {
                decoded += p->state == PeekDecoder::Part::State::Decoded;
                // A plain key beside a framed value is no failure: only frames that did not decode count here.
                failed += p->state == PeekDecoder::Part::State::Failed && p->schemaId != 0;
            }
        }
        done(failed == 0 ? tr("%1, %Ln part(s) decoded", nullptr, decoded).arg(read)
                         : tr("%1, %Ln part(s) decoded, %2 not", nullptr, decoded).arg(read).arg(failed));
    });
}

} // namespace kbatch::ui
