#include "ui/connections/PeekPanel.h"

#include "ui/connections/PeekDecoder.h"
#include "ui/connections/PeekModel.h"
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
    m_copy->setToolTip(tr("Append the selected messages to the batch, to edit and send again. Their bytes are copied "
                          "as read (Schema Registry frames as base64), so sending them again gives the same bytes"));
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
        core::Batch rows;
        const QModelIndexList selected = m_view->selectionModel()->selectedRows();
        QList<int> indexes;
        for (const QModelIndex &i : selected)
            indexes.append(i.row());
        std::sort(indexes.begin(), indexes.end());
        for (int r : std::as_const(indexes))
            rows.append(m_model->at(r).message);
        if (!rows.isEmpty())
            emit copyToBatch(rows);
    });
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
    if (!registry || count == 0) {
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
