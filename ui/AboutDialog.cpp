#include "ui/AboutDialog.h"

#include "core/kafka/KafkaVersion.h"

#include <QDialogButtonBox>
#include <QFile>
#include <QFontDatabase>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QVBoxLayout>

// The licences' resource file is generated into the build tree (licenses.qrc) and linked from a static library.
static void kbatchInitLicenseResources()
{
    Q_INIT_RESOURCE(licenses);
}

namespace kbatch::ui {

namespace {
constexpr int ResourceRole = Qt::UserRole;
constexpr int ComponentRole = Qt::UserRole + 1;
} // namespace

AboutDialog::AboutDialog(QWidget *parent) : QDialog(parent)
{
    kbatchInitLicenseResources();
    setObjectName(QStringLiteral("aboutDialog"));
    setWindowTitle(tr("About KBatch"));
    auto *layout = new QVBoxLayout(this);
    auto *text = new QLabel(aboutText(), this);
    text->setObjectName(QStringLiteral("aboutText"));
    text->setWordWrap(true);
    text->setTextInteractionFlags(Qt::TextSelectableByMouse); // versions are for copying into bug reports
    layout->addWidget(text);
    layout->addWidget(new QLabel(tr("Licences:"), this));
    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("aboutLicenceList"));
    for (const Licence &l : licences()) {
        auto *item = new QListWidgetItem(tr("%1 — %2").arg(l.component, l.summary), m_list);
        item->setData(ResourceRole, l.resource);
        item->setData(ComponentRole, l.component);
    }
    m_list->setMaximumHeight(m_list->sizeHintForRow(0) * (m_list->count() + 1));
    layout->addWidget(m_list);
    m_text = new QPlainTextEdit(this);
    m_text->setObjectName(QStringLiteral("aboutLicenceText"));
    m_text->setReadOnly(true);
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    layout->addWidget(m_text, 1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    connect(m_list, &QListWidget::currentItemChanged, this, [this](QListWidgetItem *item) {
        QFile f(item ? item->data(ResourceRole).toString() : QString());
        m_text->setPlainText(f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString());
    });
    m_list->setCurrentRow(0);
    resize(760, 620);
}

QString AboutDialog::aboutText()
{
    return tr("<h3>KBatch %1</h3>"
              "<p>Compose batches of Kafka messages, publish them and watch every message's delivery result.</p>"
              "<p>librdkafka %2 · Qt %3 (built with %4)</p>"
              "<p>librdkafka: %5<br>built-in features: %6</p>"
              "<p>Guide, CLI reference and troubleshooting: the <code>docs</code> folder of the sources, or "
              "<code>/usr/share/doc/kbatch</code> when installed from the package.</p>")
        .arg(QStringLiteral(KBATCH_VERSION), core::librdkafkaVersion(), QString::fromLatin1(qVersion()),
             QStringLiteral(QT_VERSION_STR), core::librdkafkaLinkage().toHtmlEscaped(),
             core::librdkafkaFeatures().join(QStringLiteral(", ")).toHtmlEscaped());
}

QList<AboutDialog::Licence> AboutDialog::licences()
{
    const bool builtIn = core::librdkafkaLinkage().startsWith(QLatin1String("bundled"));
    return {
        {QStringLiteral("KBatch"), tr("Apache License 2.0"), QStringLiteral(":/licenses/kbatch.txt")},
        {QStringLiteral("librdkafka"),
         builtIn ? tr("%1, built in: BSD 2-Clause License, and the licences of the code it bundles")
                       .arg(core::librdkafkaVersion())
                 : tr("%1, the system's: BSD 2-Clause License").arg(core::librdkafkaVersion()),
         QStringLiteral(":/licenses/librdkafka.txt")},
        {QStringLiteral("Qt"), tr("%1: GNU Lesser General Public License 3.0").arg(QString::fromLatin1(qVersion())),
         QStringLiteral(":/licenses/qt-lgpl-3.0.txt")},
        {QStringLiteral("GNU GPL 3.0"), tr("incorporated by the LGPL 3.0"), QStringLiteral(":/licenses/gpl-3.0.txt")},
        {QStringLiteral("QtKeychain"), tr("BSD License (Debian's copyright file)"),
         QStringLiteral(":/licenses/qtkeychain.txt")},
    };
}

bool AboutDialog::showLicence(const QString &component)
{
    for (int i = 0; i < m_list->count(); ++i) {
        if (m_list->item(i)->data(ComponentRole).toString() == component) {
            m_list->setCurrentRow(i);
            return true;
        }
    }
    return false;
}

QString AboutDialog::shownLicenceText() const
{
    return m_text->toPlainText();
}

} // namespace kbatch::ui
