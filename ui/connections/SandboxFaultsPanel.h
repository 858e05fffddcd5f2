#pragma once

#include "core/model/Error.h"

#include <QWidget>

#include <functional>

class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace kbatch::core {
class SandboxCluster;
}

namespace kbatch::ui {

// "Sandbox faults": the switches of librdkafka's mock cluster behind the "Local sandbox" profile, so a user can see
// how a batch behaves when a broker fails (the same switches as `kbatch-cli sandbox`'s fault commands). Disabled,
// with a note, for every other profile.
class SandboxFaultsPanel : public QWidget
{
    Q_OBJECT
public:
    // `sandbox` gives the running sandbox, starting it when needed (ConnectionService::sandbox()).
    using SandboxSource = std::function<core::Result<core::SandboxCluster *>()>;
    explicit SandboxFaultsPanel(SandboxSource sandbox, QWidget *parent = nullptr);

    void setSandboxActive(bool active); // the selected profile is the sandbox
    QString lastResult() const;         // the text of the status line

    static QStringList apiNames();
    static QStringList commonErrorNames();

signals:
    void faultApplied(const QString &description);

private:
    void apply(const std::function<core::Status(core::SandboxCluster &)> &action, const QString &description);

    SandboxSource m_sandbox;
    QWidget *m_controls;
    QLabel *m_unavailable;
    QSpinBox *m_broker;
    QSpinBox *m_rtt;
    QComboBox *m_api;
    QSpinBox *m_count;
    QComboBox *m_error;
    QSpinBox *m_delay;
    QLineEdit *m_topic;
    QSpinBox *m_partition;
    QSpinBox *m_leader;
    QLabel *m_status;
};

} // namespace kbatch::ui
