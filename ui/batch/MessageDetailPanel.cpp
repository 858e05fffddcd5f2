#include "ui/batch/MessageDetailPanel.h"

#include "core/format/Utf8.h"
#include "ui/batch/BatchTableModel.h"
#include "ui/batch/PayloadEditor.h"
#include "ui/batch/TimestampEdit.h"
#include "ui/schema/SchemaContext.h"
#include "ui/schema/SchemaSection.h"
#include "ui/widgets/Theme.h"

#include <QCheckBox>
#include <QCoreApplication>
#include <QDateTime>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace kbatch::ui {

namespace {
enum HeaderColumn { HeaderName, HeaderValue, HeaderNull };
}

MessageDetailPanel::MessageDetailPanel(BatchTableModel *model, QWidget *parent) : QWidget(parent), m_model(model)
{
    setObjectName(QStringLiteral("messageDetail"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 4, 8, 8);
    layout->setSpacing(8);
    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("detailTitle"));
    layout->addWidget(m_title);

    m_key = new PayloadEditor(tr("Key"), QStringLiteral("key"), this);
    m_value = new PayloadEditor(tr("Value"), QStringLiteral("value"), this);
    m_key->editor()->setMaximumHeight(64);

    auto *headersBox = new QWidget(this);
    auto *headersLayout = new QVBoxLayout(headersBox);
    headersLayout->setContentsMargins(0, 0, 0, 0);
    headersLayout->setSpacing(4);
    auto *headersTop = new QHBoxLayout;
    auto *headersLabel = new QLabel(tr("Headers"), headersBox);
    headersLabel->setObjectName(QStringLiteral("sectionLabel"));
    auto *add = new QToolButton(headersBox);
    add->setObjectName(QStringLiteral("addHeaderButton"));
    add->setIcon(Theme::icon(QStringLiteral("list-add"), QStringLiteral("add-row")));
    add->setToolTip(tr("Add a header (names may repeat; order is kept)"));
    auto *remove = new QToolButton(headersBox);
    remove->setObjectName(QStringLiteral("removeHeaderButton"));
    remove->setIcon(Theme::icon(QStringLiteral("list-remove"), QStringLiteral("delete")));
    remove->setToolTip(tr("Remove the selected header"));
    headersTop->addWidget(headersLabel);
    headersTop->addStretch();
    headersTop->addWidget(add);
    headersTop->addWidget(remove);
    m_headers = new QTableWidget(0, 3, headersBox);
    m_headers->setObjectName(QStringLiteral("headersTable"));
    m_headers->setHorizontalHeaderLabels({tr("Name"), tr("Value"), tr("null")});
    m_headers->verticalHeader()->hide();
    m_headers->horizontalHeader()->setSectionResizeMode(HeaderValue, QHeaderView::Stretch);
    m_headers->horizontalHeader()->setSectionResizeMode(HeaderNull, QHeaderView::ResizeToContents);
    m_headers->setColumnWidth(HeaderName, 110);
    m_headers->setFont(Theme::monospaceFont());
    m_headers->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    m_headers->setSelectionBehavior(QAbstractItemView::SelectRows);
    headersLayout->addLayout(headersTop);
    headersLayout->addWidget(m_headers);

    auto *splitter = m_splitter = new QSplitter(Qt::Vertical, this);
    splitter->setChildrenCollapsible(false);
    auto *keyBox = new QWidget(splitter);
    auto *keyLayout = new QVBoxLayout(keyBox);
    keyLayout->setContentsMargins(0, 0, 0, 0);
    keyLayout->addWidget(m_key);
    splitter->addWidget(keyBox);
    splitter->addWidget(m_value);
    splitter->addWidget(headersBox);
    splitter->setStretchFactor(1, 3);
    splitter->setStretchFactor(2, 1);
    layout->addWidget(splitter, 1);

    auto *form = new QFormLayout;
    form->setSpacing(6);
    auto *partitionRow = new QHBoxLayout;
    m_partitionAuto = new QCheckBox(tr("auto"), this);
    m_partitionAuto->setObjectName(QStringLiteral("partitionAuto"));
    m_partitionAuto->setToolTip(tr("Let the partitioner choose (by key hash)"));
    m_partition = new QSpinBox(this);
    m_partition->setObjectName(QStringLiteral("partitionSpin"));
    m_partition->setRange(0, 1000000);
    partitionRow->addWidget(m_partitionAuto);
    partitionRow->addWidget(m_partition, 1);
    auto *timestampRow = new QHBoxLayout;
    m_timestampAuto = new QCheckBox(tr("auto"), this);
    m_timestampAuto->setObjectName(QStringLiteral("timestampAuto"));
    m_timestampAuto->setToolTip(tr("Use the producer's clock at send time"));
    m_timestamp = new TimestampEdit(this);
    timestampRow->addWidget(m_timestampAuto);
    timestampRow->addWidget(m_timestamp, 1);
    form->addRow(tr("Partition"), partitionRow);
    form->addRow(tr("Timestamp"), timestampRow);
    form->addRow(m_timestamp->problemLabel());
    layout->addLayout(form);

    // The row's outcome whole, where the table's result columns have room only for their short forms; selectable,
    // so that an error can be copied.
    m_outcome = new QLabel(this);
    m_outcome->setObjectName(QStringLiteral("detailOutcome"));
    m_outcome->setTextFormat(Qt::PlainText);
    m_outcome->setWordWrap(true);
    m_outcome->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    layout->addWidget(m_outcome);

    connect(m_key, &PayloadEditor::edited, this, &MessageDetailPanel::apply);
    connect(m_value, &PayloadEditor::edited, this, &MessageDetailPanel::apply);
    connect(m_headers, &QTableWidget::itemChanged, this, &MessageDetailPanel::apply);
    connect(add, &QToolButton::clicked, this, [this] {
        addHeaderRow({QByteArray("name"), core::Payload(QByteArray())});
        apply();
    });
    connect(remove, &QToolButton::clicked, this, [this] {
        const int r = m_headers->currentRow();
        if (r >= 0) {
            m_headers->removeRow(r);
            apply();
        }
    });
    connect(m_partitionAuto, &QCheckBox::toggled, this, [this](bool autoPartition) {
        m_partition->setEnabled(!autoPartition);
        apply();
    });
    connect(m_partition, &QSpinBox::valueChanged, this, &MessageDetailPanel::apply);
    connect(m_timestampAuto, &QCheckBox::toggled, this, [this](bool autoTime) {
        m_timestamp->setEnabled(!autoTime);
        apply();
    });
    connect(m_timestamp, &TimestampEdit::edited, this, &MessageDetailPanel::apply);

    // Follow the model: undo, redo and table edits of the shown row reload the panel.
    connect(m_model, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &tl, const QModelIndex &br, const QList<int> &roles) {
                if (m_loading || m_row < tl.row() || m_row > br.row() || tl.column() > BatchTableModel::Timestamp)
                    return;
                // A repaint of marks (schema checks) changes no field: reloading would disturb a header being typed.
                if (!roles.isEmpty() && !roles.contains(Qt::DisplayRole) && !roles.contains(Qt::EditRole))
                    updateSchema();
                else
                    load();
            });
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] { setRow(-1); });
    // The panel follows its row by id: after an insert, a move or a delete above it, it is another number (and after
    // its own delete, gone).
    for (auto moved : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(m_model, moved, this, &MessageDetailPanel::follow);
    connect(m_model, &QAbstractItemModel::rowsMoved, this, &MessageDetailPanel::follow);
    // A row a running send waits on cannot be changed: the panel shows it, read-only, until its outcome is in.
    connect(m_model, &BatchTableModel::sendingChanged, this, &MessageDetailPanel::updateLock);
    connect(m_model, &BatchTableModel::resultsRepainted, this, [this](qsizetype first, qsizetype last) {
        updateLock();
        if (m_row >= first && m_row <= last)
            updateOutcome();
    });
    setRow(-1);
}

void MessageDetailPanel::setRow(qsizetype row)
{
    m_row = row;
    m_rowId = row >= 0 && row < m_model->rowCount() ? m_model->rowId(row) : 0;
    load();
}

void MessageDetailPanel::follow()
{
    const qsizetype row = m_rowId ? m_model->rowOfId(m_rowId) : -1;
    if (row != m_row || row < 0)
        setRow(row);
}

void MessageDetailPanel::updateLock()
{
    setEnabled(m_row >= 0 && m_row < m_model->batch().size() && !m_model->isRowLocked(m_row));
}

void MessageDetailPanel::updateOutcome()
{
    const bool sent =
        m_row >= 0 && m_row < m_model->rowCount() &&
        m_model->data(m_model->index(m_row, BatchTableModel::Status), BatchTableModel::StatusRole).toInt() >= 0;
    QString text;
    if (sent) {
        auto cell = [this](int column, int role = Qt::DisplayRole) {
            return m_model->data(m_model->index(m_row, column), role).toString();
        };
        text = cell(BatchTableModel::Status, Qt::ToolTipRole); // "delivered — persisted", then the whole error
        if (const QString at = cell(BatchTableModel::Offset); !at.isEmpty())
            text += QLatin1Char('\n') + tr("Partition / offset: %1").arg(at);
        if (const QString ms = cell(BatchTableModel::Latency); !ms.isEmpty())
            text += QLatin1Char('\n') + tr("Latency: %1 ms").arg(ms);
    }
    m_outcome->setText(text);
    m_outcome->setVisible(sent);
}

void MessageDetailPanel::load()
{
    m_loading = true;
    const bool valid = m_row >= 0 && m_row < m_model->batch().size();
    updateLock();
    core::Message m;
    if (valid) {
        m = m_model->batch().at(m_row);
        m_title->setText(tr("Row %1").arg(QLocale().toString(qlonglong(m_row + 1))));
    } else {
        m_title->setText(tr("No row selected"));
    }
    if (m_key->payload() != m.key || !valid)
        m_key->setPayload(m.key);
    if (m_value->payload() != m.value || !valid)
        m_value->setPayload(m.value);
    m_headers->setRowCount(0);
    for (const core::Header &h : std::as_const(m.headers))
        addHeaderRow(h);
    m_partitionAuto->setChecked(!m.partition);
    m_partition->setValue(m.partition.value_or(0));
    m_partition->setEnabled(m.partition.has_value());
    m_timestampAuto->setChecked(!m.timestamp);
    m_timestamp->setTimestamp(m.timestamp ? *m.timestamp : QDateTime::currentMSecsSinceEpoch());
    m_timestamp->setEnabled(m.timestamp.has_value());
    updateOutcome();
    updateSchema();
    m_loading = false;
}

void MessageDetailPanel::setSchemaContext(SchemaContext *context)
{
    if (m_schemaTabs || !context)
        return;
    m_schemaTabs = new QTabWidget(m_splitter);
    m_schemaTabs->setObjectName(QStringLiteral("schemaTabs"));
    m_valueSchema = new SchemaSection(core::PayloadPart::Value, m_model, context, m_schemaTabs);
    m_keySchema = new SchemaSection(core::PayloadPart::Key, m_model, context, m_schemaTabs);
    m_schemaTabs->addTab(m_valueSchema, tr("Value schema"));
    m_schemaTabs->addTab(m_keySchema, tr("Key schema"));
    m_splitter->addWidget(m_schemaTabs);
    m_splitter->setStretchFactor(3, 2);
    connect(context, &SchemaContext::changed, this, &MessageDetailPanel::updateSchema);
    updateSchema();
}

void MessageDetailPanel::updateSchema()
{
    if (!m_schemaTabs)
        return;
    const bool valid = m_row >= 0 && m_row < m_model->batch().size();
    m_keySchema->showRow(valid ? m_row : -1);
    m_valueSchema->showRow(valid ? m_row : -1);
    m_schemaTabs->setTabVisible(0, m_valueSchema->isTyped());
    m_schemaTabs->setTabVisible(1, m_keySchema->isTyped());
    m_schemaTabs->setVisible(m_valueSchema->isTyped() || m_keySchema->isTyped());
}

namespace {
// What a header cell holds besides its text, so that an untouched cell gives back exactly the bytes (and
// encoding) it was loaded with: showing bytes as text and reading the text back would otherwise turn binary or
// base64 header values into mangled UTF-8 the moment any other field of the row is edited.
enum HeaderRole { OriginalBytes = Qt::UserRole, OriginalEncoding, ShownText, ShownAsBase64 };

QTableWidgetItem *headerItem(const QByteArray &bytes, core::Encoding encoding)
{
    // Bytes that are not UTF-8 (or were written as base64) are shown as base64, and typed text is read back the
    // same way, so binary header values can be seen and edited without loss.
    const bool asBase64 = encoding == core::Encoding::Base64 || !core::isValidUtf8(bytes);
    const QString text = asBase64 ? QString::fromLatin1(bytes.toBase64()) : QString::fromUtf8(bytes);
    auto *item = new QTableWidgetItem(text);
    item->setData(OriginalBytes, bytes);
    item->setData(OriginalEncoding, int(encoding));
    item->setData(ShownText, text);
    item->setData(ShownAsBase64, asBase64);
    if (asBase64)
        item->setToolTip(QCoreApplication::translate("MessageDetailPanel", "Binary value, shown and edited as base64"));
    return item;
}

// The cell's bytes: the loaded ones (and their encoding) when its text is as loaded, else the typed text (decoded
// from base64 when the cell shows base64; text that is not valid base64 is taken as typed).
core::Payload headerBytes(const QTableWidgetItem *item)
{
    if (!item)
        return core::Payload(QByteArray());
    const QString text = item->text();
    if (item->data(ShownText).isValid() && text == item->data(ShownText).toString())
        return core::Payload(item->data(OriginalBytes).toByteArray(),
                             core::Encoding(item->data(OriginalEncoding).toInt()));
    if (item->data(ShownAsBase64).toBool()) {
        auto decoded = QByteArray::fromBase64Encoding(text.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (decoded)
            return core::Payload(*decoded, core::Encoding::Base64);
    }
    return core::Payload(text.toUtf8());
}
} // namespace

void MessageDetailPanel::addHeaderRow(const core::Header &header)
{
    const bool wasLoading = m_loading;
    m_loading = true;
    const int r = m_headers->rowCount();
    m_headers->insertRow(r);
    m_headers->setItem(r, HeaderName, headerItem(header.name, core::Encoding::Text));
    m_headers->setItem(r, HeaderValue,
                       header.value.isNull() ? new QTableWidgetItem(QString())
                                             : headerItem(*header.value.bytes, header.value.encoding));
    auto *null = new QTableWidgetItem;
    null->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable | Qt::ItemIsSelectable);
    null->setCheckState(header.value.isNull() ? Qt::Checked : Qt::Unchecked);
    m_headers->setItem(r, HeaderNull, null);
    m_loading = wasLoading;
}

core::Message MessageDetailPanel::collect() const
{
    core::Message m = m_model->batch().at(m_row);
    m.key = m_key->payload();
    m.value = m_value->payload();
    core::Headers headers;
    for (int r = 0; r < m_headers->rowCount(); ++r) {
        core::Header h;
        const core::Payload name = headerBytes(m_headers->item(r, HeaderName));
        h.name = name.bytes.value_or(QByteArray());
        const bool isNull =
            m_headers->item(r, HeaderNull) && m_headers->item(r, HeaderNull)->checkState() == Qt::Checked;
        if (!isNull)
            h.value = headerBytes(m_headers->item(r, HeaderValue));
        headers.append(h);
    }
    m.headers = headers;
    m.partition = m_partitionAuto->isChecked() ? std::nullopt : std::optional<std::int32_t>(m_partition->value());
    m.timestamp = m_timestampAuto->isChecked() ? std::nullopt : std::optional<std::int64_t>(m_timestamp->timestamp());
    return m;
}

void MessageDetailPanel::apply()
{
    if (m_loading || m_row < 0 || m_row >= m_model->batch().size())
        return;
    const core::Message m = collect();
    if (m == m_model->batch().at(m_row))
        return;
    m_loading = true; // the model's dataChanged must not reload what is being typed
    m_model->setMessage(m_row, m, tr("Edit row %1").arg(QLocale().toString(qlonglong(m_row + 1))), true);
    m_loading = false;
    updateSchema(); // the bytes and the fit follow every keystroke
}

} // namespace kbatch::ui
