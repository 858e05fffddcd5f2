#include "ui/connections/SandboxFaultsPanel.h"

#include "core/kafka/SandboxCluster.h"

#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace kbatch::ui {

namespace {
QPushButton *button(const QString &name, const QString &text, const QString &tip, QWidget *parent)
{
    auto *b = new QPushButton(text, parent);
    b->setObjectName(name);
    b->setToolTip(tip);
    return b;
}

QSpinBox *spin(const QString &name, int min, int max, int value, QWidget *parent)
{
    auto *s = new QSpinBox(parent);
    s->setObjectName(name);
    s->setRange(min, max);
    s->setValue(value);
    s->setGroupSeparatorShown(true);
    return s;
}
} // namespace

SandboxFaultsPanel::SandboxFaultsPanel(SandboxSource sandbox, QWidget *parent)
    : QWidget(parent), m_sandbox(std::move(sandbox))
{
    setObjectName(QStringLiteral("sandboxFaultsPanel"));
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(8, 8, 8, 8);
    outer->setSpacing(8);
    m_unavailable = new QLabel(tr("Faults can be injected only into the Local sandbox. Pick the \"Local sandbox\" "
                                  "profile to use them."),
                               this);
    m_unavailable->setObjectName(QStringLiteral("faultsUnavailable"));
    m_unavailable->setWordWrap(true);
    m_unavailable->hide();
    outer->addWidget(m_unavailable);

    m_controls = new QWidget(this);
    auto *columns = new QHBoxLayout(m_controls);
    columns->setContentsMargins(0, 0, 0, 0);
    columns->setSpacing(8);
    outer->addWidget(m_controls);

    // Brokers: off the network and back, added latency.
    auto *brokers = new QGroupBox(tr("Broker"), m_controls);
    auto *brokerForm = new QFormLayout(brokers);
    m_broker = spin(QStringLiteral("faultBroker"), 1, 99, 1, brokers);
    m_broker->setToolTip(tr("Broker id (the sandbox's brokers are numbered from 1)"));
    auto *down = button(QStringLiteral("faultBrokerDown"), tr("Down"), tr("Take the broker off the network"), brokers);
    auto *up = button(QStringLiteral("faultBrokerUp"), tr("Up"), tr("Bring the broker back"), brokers);
    auto *upDown = new QHBoxLayout;
    upDown->addWidget(m_broker);
    upDown->addWidget(down);
    upDown->addWidget(up);
    brokerForm->addRow(tr("Broker id"), upDown);
    m_rtt = spin(QStringLiteral("faultRtt"), 0, 600000, 0, brokers);
    m_rtt->setSuffix(tr(" ms"));
    auto *setRtt = button(QStringLiteral("faultSetRtt"), tr("Set"),
                          tr("Delay every response of the broker by this much (0: no delay)"), brokers);
    auto *rttRow = new QHBoxLayout;
    rttRow->addWidget(m_rtt, 1);
    rttRow->addWidget(setRtt);
    brokerForm->addRow(tr("Added latency"), rttRow);
    columns->addWidget(brokers);

    // Request errors: the next N requests of one API fail with a Kafka error.
    auto *errors = new QGroupBox(tr("Request errors"), m_controls);
    auto *errorForm = new QFormLayout(errors);
    m_api = new QComboBox(errors);
    m_api->setObjectName(QStringLiteral("faultApi"));
    m_api->addItems(apiNames());
    errorForm->addRow(tr("Request"), m_api);
    m_count = spin(QStringLiteral("faultCount"), 1, 1000000, 3, errors);
    errorForm->addRow(tr("Next"), m_count);
    m_error = new QComboBox(errors);
    m_error->setObjectName(QStringLiteral("faultError"));
    m_error->setEditable(true); // any Kafka error name
    m_error->addItems(commonErrorNames());
    m_error->setToolTip(tr("A Kafka error name, e.g. NOT_LEADER_FOR_PARTITION (retriable) or "
                           "TOPIC_AUTHORIZATION_FAILED (not retriable)"));
    errorForm->addRow(tr("Fail with"), m_error);
    auto *inject = button(QStringLiteral("faultInject"), tr("Inject"),
                          tr("The next requests of this kind fail with this error"), errors);
    auto *clear = button(QStringLiteral("faultClear"), tr("Clear"),
                         tr("Forget the injected errors of this kind that have not happened yet"), errors);
    auto *errorButtons = new QHBoxLayout;
    errorButtons->addStretch(1);
    errorButtons->addWidget(clear);
    errorButtons->addWidget(inject);
    errorForm->addRow(errorButtons);
    // Slow answers without an error: the request is carried out, its response comes late (on the broker above).
    m_delay = spin(QStringLiteral("faultDelayMs"), 0, 600000, 3000, errors);
    m_delay->setSuffix(tr(" ms"));
    auto *delay = button(QStringLiteral("faultDelay"), tr("Delay"),
                         tr("The next responses of this kind from the broker chosen on the left come this much late, "
                            "without an error: a produce is written, only its answer is slow"),
                         errors);
    auto *delayRow = new QHBoxLayout;
    delayRow->addWidget(m_delay, 1);
    delayRow->addWidget(delay);
    errorForm->addRow(tr("Or answer late"), delayRow);
    columns->addWidget(errors);

    // Partition leadership.
    auto *leaders = new QGroupBox(tr("Partition leader"), m_controls);
    auto *leaderForm = new QFormLayout(leaders);
    m_topic = new QLineEdit(leaders);
    m_topic->setObjectName(QStringLiteral("faultTopic"));
    m_topic->setPlaceholderText(tr("topic"));
    leaderForm->addRow(tr("Topic"), m_topic);
    m_partition = spin(QStringLiteral("faultPartition"), 0, 100000, 0, leaders);
    leaderForm->addRow(tr("Partition"), m_partition);
    m_leader = spin(QStringLiteral("faultLeader"), 1, 99, 1, leaders);
    leaderForm->addRow(tr("New leader"), m_leader);
    auto *move =
        button(QStringLiteral("faultMoveLeader"), tr("Move"), tr("Make that broker the partition's leader"), leaders);
    leaderForm->addRow(QString(), move);
    columns->addWidget(leaders);
    columns->addStretch(1);

    m_status = new QLabel(tr("No fault injected."), this);
    m_status->setObjectName(QStringLiteral("faultStatus"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setWordWrap(true);
    outer->addWidget(m_status);
    outer->addStretch(1);

    connect(down, &QPushButton::clicked, this, [this] {
        const int id = m_broker->value();
        apply([id](core::SandboxCluster &c) { return c.setBrokerDown(id, true); }, tr("Broker %1 is down").arg(id));
    });
    connect(up, &QPushButton::clicked, this, [this] {
        const int id = m_broker->value();
        apply([id](core::SandboxCluster &c) { return c.setBrokerDown(id, false); }, tr("Broker %1 is up").arg(id));
    });
    connect(setRtt, &QPushButton::clicked, this, [this] {
        const int id = m_broker->value(), ms = m_rtt->value();
        apply([id, ms](core::SandboxCluster &c) { return c.setBrokerRtt(id, ms); },
              tr("Broker %1 answers %2 ms late").arg(id).arg(QLocale().toString(ms)));
    });
    connect(inject, &QPushButton::clicked, this, [this] {
        const QString api = m_api->currentText();
        const int count = m_count->value();
        const QString error = m_error->currentText().trimmed().toUpper();
        if (core::SandboxCluster::errorCode(error) < 0) {
            m_status->setText(
                tr("Unknown Kafka error name \"%1\" — use a name such as NOT_LEADER_FOR_PARTITION").arg(error));
            return;
        }
        apply([api, count, error](core::SandboxCluster &c) { return c.pushRequestErrors(api, count, error); },
              tr("The next %Ln %1 request(s) fail with %2", nullptr, count).arg(api, error));
    });
    connect(delay, &QPushButton::clicked, this, [this] {
        const QString api = m_api->currentText();
        const int id = m_broker->value(), count = m_count->value(), ms = m_delay->value();
        apply([id, api, count, ms](core::SandboxCluster &c) { return c.delayResponses(id, api, count, ms); },
              tr("Broker %1 answers the next %Ln %2 request(s) %3 ms late", nullptr, count)
                  .arg(id)
                  .arg(api, QLocale().toString(ms)));
    });
    connect(clear, &QPushButton::clicked, this, [this] {
        const QString api = m_api->currentText();
        apply([api](core::SandboxCluster &c) { return c.clearRequestErrors(api); },
              tr("No more injected %1 errors").arg(api));
    });
    connect(move, &QPushButton::clicked, this, [this] {
        const QString topic = m_topic->text().trimmed();
        const int partition = m_partition->value(), id = m_leader->value();
        if (topic.isEmpty()) {
            m_status->setText(tr("Name the topic whose partition leader should move"));
            return;
        }
        apply([topic, partition, id](core::SandboxCluster &c) { return c.setPartitionLeader(topic, partition, id); },
              tr("Broker %1 leads partition %2 of '%3'").arg(id).arg(partition).arg(topic));
    });
}

QStringList SandboxFaultsPanel::apiNames()
{
    return {QStringLiteral("produce"),
            QStringLiteral("fetch"),
            QStringLiteral("metadata"),
            QStringLiteral("init-producer-id"),
            QStringLiteral("add-partitions-to-txn"),
            QStringLiteral("end-txn")};
}

QStringList SandboxFaultsPanel::commonErrorNames()
{
    return {QStringLiteral("NOT_LEADER_FOR_PARTITION"), QStringLiteral("NOT_ENOUGH_REPLICAS"),
            QStringLiteral("REQUEST_TIMED_OUT"),        QStringLiteral("COORDINATOR_NOT_AVAILABLE"),
            QStringLiteral("UNKNOWN_PRODUCER_ID"),      QStringLiteral("TOPIC_AUTHORIZATION_FAILED"),
            QStringLiteral("INVALID_RECORD"),           QStringLiteral("CONCURRENT_TRANSACTIONS")};
}

void SandboxFaultsPanel::setSandboxActive(bool active)
{
    m_controls->setEnabled(active);
    m_unavailable->setVisible(!active);
}

QString SandboxFaultsPanel::lastResult() const
{
    return m_status->text();
}

void SandboxFaultsPanel::apply(const std::function<core::Status(core::SandboxCluster &)> &action,
                               const QString &description)
{
    auto cluster = m_sandbox();
    if (!cluster.ok()) {
        m_status->setText(cluster.error().message());
        return;
    }
    const core::Status status = action(*cluster.value());
    if (!status.ok()) {
        m_status->setText(tr("Not applied: %1").arg(status.error().message()));
        return;
    }
    m_status->setText(description);
    emit faultApplied(description);
}

} // namespace kbatch::ui
