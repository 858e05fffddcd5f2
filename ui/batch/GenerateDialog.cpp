#include "ui/batch/GenerateDialog.h"

#include "core/generate/Generator.h"
#include "ui/batch/BatchTableModel.h"
#include "ui/widgets/Theme.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace kbatch::ui {

namespace {
constexpr int PreviewRows = 5;
}

GenerateDialog::GenerateDialog(const core::Message &row, QWidget *parent) : QDialog(parent), m_row(row)
{
    setObjectName(QStringLiteral("generateDialog"));
    setWindowTitle(tr("Generate Rows"));
    auto *layout = new QVBoxLayout(this);
    layout->setSpacing(8);
    auto *hint = new QLabel(tr("New rows are made from this row's key, value and headers. Placeholders such as "
                               "{{seq}}, {{uuid}} and {{now}} get a value per row; the same seed gives the same rows."),
                            this);
    hint->setWordWrap(true);
    auto *form = new QFormLayout;
    m_count = new QSpinBox(this);
    m_count->setObjectName(QStringLiteral("generateCount"));
    m_count->setRange(1, 10'000'000);
    m_count->setGroupSeparatorShown(true);
    m_count->setValue(100);
    auto *seedRow = new QHBoxLayout;
    m_seed = new QLineEdit(this);
    m_seed->setObjectName(QStringLiteral("generateSeed"));
    m_seed->setValidator(nullptr);
    auto *reseed = new QPushButton(tr("New Seed"), this);
    reseed->setObjectName(QStringLiteral("generateNewSeed"));
    seedRow->addWidget(m_seed, 1);
    seedRow->addWidget(reseed);
    form->addRow(tr("Rows"), m_count);
    form->addRow(tr("Seed"), seedRow);
    m_fillKey = new QCheckBox(tr("Key: random values from its schema"), this);
    m_fillKey->setObjectName(QStringLiteral("generateFillKey"));
    m_fillValue = new QCheckBox(tr("Value: random values from its schema"), this);
    m_fillValue->setObjectName(QStringLiteral("generateFillValue"));
    for (QCheckBox *box : {m_fillKey, m_fillValue}) {
        box->setToolTip(tr("Each row gets a random value that fits the schema; the fields this row's JSON writes keep "
                           "their value (placeholders expanded)"));
        box->setVisible(false); // shown by setSchemaFill() for a typed part
        form->addRow(QString(), box);
        connect(box, &QCheckBox::toggled, this, &GenerateDialog::updatePreview);
    }
    m_preview = new QPlainTextEdit(this);
    m_preview->setObjectName(QStringLiteral("generatePreview"));
    m_preview->setReadOnly(true);
    m_preview->setFont(Theme::monospaceFont());
    m_preview->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_preview->setMinimumSize(520, 140);
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("generateError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: %1").arg(Theme::statusColor(core::DeliveryStatus::Failed).name()));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Generate"));
    layout->addWidget(hint);
    layout->addLayout(form);
    layout->addWidget(new QLabel(tr("Preview of the first rows"), this));
    layout->addWidget(m_preview, 1);
    layout->addWidget(m_error);
    layout->addWidget(buttons);

    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_count, &QSpinBox::valueChanged, this, &GenerateDialog::updatePreview);
    connect(m_seed, &QLineEdit::textChanged, this, &GenerateDialog::updatePreview);
    connect(reseed, &QPushButton::clicked, this, [this] { setSeed(core::freshSeed() % 1000000); });
    setSeed(row.generate && row.generate->seed ? *row.generate->seed : core::freshSeed() % 1000000);
}

void GenerateDialog::setSchemaFill(const core::SchemaFill &fill)
{
    m_schemas = fill;
    m_fillKey->setVisible(bool(fill.key));
    m_fillValue->setVisible(bool(fill.value));
    if (!fill.key)
        m_fillKey->setChecked(false);
    if (!fill.value)
        m_fillValue->setChecked(false);
    updatePreview();
}

GenerateFill GenerateDialog::fill() const
{
    return GenerateFill{m_schemas, m_fillKey->isChecked() && m_schemas.key,
                        m_fillValue->isChecked() && m_schemas.value};
}

void GenerateDialog::setFillValue(bool on)
{
    m_fillValue->setChecked(on);
}

qsizetype GenerateDialog::count() const
{
    return m_count->value();
}

std::uint64_t GenerateDialog::seed() const
{
    return m_seed->text().trimmed().toULongLong();
}

void GenerateDialog::setCount(qsizetype count)
{
    m_count->setValue(int(count));
}

void GenerateDialog::setSeed(std::uint64_t seed)
{
    m_seed->setText(QString::number(seed));
}

QString GenerateDialog::previewText() const
{
    return m_preview->toPlainText();
}

core::Result<core::Batch> GenerateDialog::generate(const core::Message &row, qsizetype count, std::uint64_t seed,
                                                   const GenerateFill &fill)
{
    core::Message generator = row;
    generator.generate = core::GenerateSpec{count, seed};
    generator.generate->fillKey = fill.key;
    generator.generate->fillValue = fill.value;
    return core::previewGenerator(generator, count, seed, core::systemClock(), fill.schemas);
}

void GenerateDialog::updatePreview()
{
    const auto rows = generate(m_row, std::min<qsizetype>(count(), PreviewRows), seed(), fill());
    if (!rows.ok()) {
        m_preview->clear();
        m_error->setText(rows.error().message());
        return;
    }
    m_error->clear();
    QStringList lines;
    const core::Batch &b = rows.value();
    for (qsizetype i = 0; i < b.size(); ++i) {
        const QString key = b.keyIsNull(i) ? tr("null") : BatchTableModel::payloadText(b.key(i), b.keyEncoding(i), 60);
        const QString value =
            b.valueIsNull(i) ? tr("null") : BatchTableModel::payloadText(b.value(i), b.valueEncoding(i), 200);
        lines << key + QStringLiteral("  →  ") + value;
    }
    if (count() > PreviewRows)
        lines << tr("… and %Ln more", nullptr, int(count() - PreviewRows));
    m_preview->setPlainText(lines.join(QLatin1Char('\n')));
}

} // namespace kbatch::ui
