#include "ui/connections/CreateTopicButton.h"

#include "ui/connections/ConnectionService.h"
#include "ui/connections/ConnectionsPanel.h"
#include "ui/sending/SendBar.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>

namespace kbatch::ui {

namespace {
constexpr int DefaultPartitions = 3;
constexpr int MaxPartitions = 1000;
} // namespace

CreateTopicButton::CreateTopicButton(SendBar *bar, ConnectionsPanel *connections, ConnectionService *service,
                                     QWidget *parent)
    : QToolButton(parent), m_bar(bar), m_connections(connections), m_service(service)
{
    setObjectName(QStringLiteral("createTopicButton"));
    setAutoRaise(true);
    setToolButtonStyle(Qt::ToolButtonTextOnly);
    setVisible(false);
    connect(this, &QToolButton::clicked, this, &CreateTopicButton::createTopic);
    connect(m_bar, &SendBar::topicChanged, this, &CreateTopicButton::updateOffer);
    connect(m_bar, &SendBar::profileChanged, this, &CreateTopicButton::updateOffer);
    connect(m_connections, &ConnectionsPanel::topicsRefreshed, this, &CreateTopicButton::updateOffer);
    connect(m_connections, &ConnectionsPanel::profileSelected, this, &CreateTopicButton::updateOffer);
}

void CreateTopicButton::updateOffer()
{
    const QString topic = m_bar->topic();
    // A name Kafka refuses is not offered: the topic field shows why.
    const bool offer = m_bar->profile() == ConnectionService::sandboxProfileName() && !topic.isEmpty() &&
                       !m_bar->hasTopicProblem() && !m_connections->topicNames().contains(topic);
    if (offer) {
        // Short text: a long topic name must not widen the toolbar (and with it the window) past the screen.
        setText(tr("Create topic…"));
        setToolTip(tr("Topic '%1' is not in the sandbox yet: create it with a chosen number of partitions").arg(topic));
    }
    setVisible(offer);
}

std::optional<int> CreateTopicButton::askPartitions(QWidget *parent, const QString &topic)
{
    if (s_nextPartitions) {
        const int answer = *std::exchange(s_nextPartitions, std::nullopt);
        return answer > 0 ? std::optional<int>(answer) : std::nullopt;
    }
    QDialog dialog(parent);
    dialog.setObjectName(QStringLiteral("createTopicDialog"));
    dialog.setWindowTitle(tr("Create Topic"));
    auto *layout = new QFormLayout(&dialog);
    auto *label = new QLabel(tr("Create '%1' on the local sandbox.").arg(topic), &dialog);
    label->setWordWrap(true);
    layout->addRow(label);
    auto *partitions = new QSpinBox(&dialog);
    partitions->setObjectName(QStringLiteral("createTopicPartitions"));
    partitions->setRange(1, MaxPartitions);
    partitions->setValue(DefaultPartitions);
    layout->addRow(tr("&Partitions:"), partitions);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Create"));
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    layout->addRow(buttons);
    if (dialog.exec() != QDialog::Accepted)
        return std::nullopt;
    return partitions->value();
}

void CreateTopicButton::createTopic()
{
    const QString topic = m_bar->topic();
    if (topic.isEmpty() || m_bar->profile() != ConnectionService::sandboxProfileName())
        return;
    const std::optional<int> partitions = askPartitions(window(), topic);
    if (!partitions)
        return;
    const core::Status status = m_service->createSandboxTopic(topic, *partitions);
    if (!status.ok()) {
        emit failed(tr("Topic '%1' could not be created: %2").arg(topic, status.error().message()));
        return;
    }
    setVisible(false); // until the refreshed tree says otherwise
    emit created(topic);
    m_connections->refresh();
}

} // namespace kbatch::ui
