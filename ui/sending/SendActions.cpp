#include "ui/sending/SendActions.h"

#include "ui/batch/BatchTableModel.h"
#include "ui/batch/BatchView.h"
#include "ui/documents/DocumentModel.h"
#include "ui/sending/EffectiveSettingsDialog.h"
#include "ui/sending/SendBar.h"
#include "ui/sending/SendController.h"
#include "ui/widgets/Actions.h"
#include "ui/widgets/MessageBox.h"

#include <QAction>
#include <QItemSelectionModel>
#include <QWidget>

namespace kbatch::ui {

SendActions::SendActions(QWidget *window, SendBar *bar, SendController *send, BatchTableModel *model, BatchView *view,
                         DocumentModel *document)
    : QObject(window), m_window(window), m_bar(bar), m_send(send), m_model(model), m_view(view), m_document(document)
{
    using K = QKeySequence;
    QAction *sendAll = makeAction(window, QStringLiteral("actionSend"), tr("&Send"), K(Qt::CTRL | Qt::Key_Return),
                                  QStringLiteral("mail-send"), QStringLiteral("send"));
    sendAll->setShortcuts({K(Qt::CTRL | Qt::Key_Return), K(Qt::CTRL | Qt::Key_Enter)});
    connect(sendAll, &QAction::triggered, this, [this] { startSend(int(SendController::Scope::All)); });
    QAction *sendSelected = makeAction(window, QStringLiteral("actionSendSelected"), tr("Send Se&lected"),
                                       K(Qt::CTRL | Qt::SHIFT | Qt::Key_Return));
    connect(sendSelected, &QAction::triggered, this, [this] { startSend(int(SendController::Scope::Selected)); });
    QAction *resend = makeAction(window, QStringLiteral("actionResendFailed"), tr("&Resend Failed"),
                                 K(Qt::CTRL | Qt::Key_R), QStringLiteral("view-refresh"), QStringLiteral("refresh"));
    connect(resend, &QAction::triggered, this, &SendActions::resendFailed);
    QAction *cancel =
        makeAction(window, QStringLiteral("actionCancel"), tr("&Cancel Send"), K(Qt::CTRL | Qt::Key_Period),
                   QStringLiteral("process-stop"), QStringLiteral("cancel"));
    connect(cancel, &QAction::triggered, m_send, &SendController::cancel);
    m_bar->setActions(sendAll, sendSelected, resend, cancel);
    QAction *effective =
        makeAction(window, QStringLiteral("actionEffectiveSettings"), tr("Effective Producer &Settings…"), K());
    connect(effective, &QAction::triggered, this, &SendActions::showEffectiveSettings);
    m_bar->setSettingsViewAction(effective);

    connect(m_send, &SendController::started, this, &SendActions::updateActions);
    connect(m_send, &SendController::preparing, this, &SendActions::messageShown);
    // A send through a Schema Registry refused before its first message: said, and the row at fault selected.
    connect(m_send, &SendController::refused, this, [this](const QString &message, qsizetype row) {
        updateActions();
        if (row >= 0)
            m_view->selectSourceRow(row);
        fail(message);
    });
    connect(m_send, &SendController::finished, this, &SendActions::updateActions);
    connect(m_send, &SendController::settingsApplied, this, [this](const core::EffectiveSettings &settings) {
        if (m_effectiveSettings && m_effectiveSettings->isVisible())
            m_effectiveSettings->show(settings, tr("The running send to topic '%1' uses:").arg(m_bar->topic()));
    });
}

void SendActions::updateActions()
{
    auto enable = [this](const char *name, bool on) {
        if (QAction *a = m_window->findChild<QAction *>(QLatin1String(name)))
            a->setEnabled(on);
    };
    const bool busy = m_send->isBusy();
    const bool hasRows = m_model->rowCount() > 0;
    enable("actionSend", !busy && hasRows);
    enable("actionSendSelected", !busy && m_view->selectionModel()->hasSelection());
    enable("actionResendFailed", !busy && hasRows);
    enable("actionCancel", busy);
}

void SendActions::fail(const QString &message)
{
    emit messageShown(message);
    MessageBox::error(m_window, tr("Send"), message);
}

void SendActions::startSend(int scope)
{
    if (const QString problem = m_bar->propertiesProblem(); !problem.isEmpty()) {
        fail(tr("Producer settings, Properties: %1").arg(problem));
        return;
    }
    const auto s = SendController::Scope(scope);
    const QList<qsizetype> rows = s == SendController::Scope::Selected ? m_view->selectedRowList() : QList<qsizetype>();
    // A JSON value that is not valid JSON is kept for the user to fix, never sent: refused, the row named.
    core::Status status = m_model->checkJson(rows);
    if (status.ok() && !confirmRegister())
        return;
    if (status.ok())
        status = m_send->send(m_bar->profile(), s, rows);
    if (!status.ok())
        fail(status.error().message());
    updateActions(); // a send through a registry is preparing: Cancel stops it
}

bool SendActions::confirmRegister()
{
    // The document's auto-register writes to the user's registry with the user's credentials: the user, who is
    // here, says yes once for this send (kbatch-cli takes --allow-register for it).
    const core::Serialization &s = m_document->serialization();
    QStringList parts;
    // Protobuf from .proto files registers nothing: no registry is asked.
    if (s.key.usesRegistry() && !s.key.sendsUnframed() && s.key.autoRegister)
        parts << tr("key");
    if (s.value.usesRegistry() && !s.value.sendsUnframed() && s.value.autoRegister)
        parts << tr("value");
    if (parts.isEmpty())
        return true;
    const auto answer = MessageBox::question(
        m_window, tr("Register schemas"),
        tr("This send registers its %1 schema in the Schema Registry of profile '%2' if the subject does not have "
           "it yet (auto-register). Registering changes the registry for every producer and consumer of the "
           "subject.\n\nRegister and send?")
            .arg(parts.join(tr(" and ")), m_bar->profile()),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer != QMessageBox::Yes) {
        emit messageShown(tr("Nothing sent: registering the schema was not confirmed"));
        return false;
    }
    m_send->allowRegisterOnce();
    return true;
}

void SendActions::showEffectiveSettings()
{
    if (!m_effectiveSettings)
        m_effectiveSettings = new EffectiveSettingsDialog(m_window);
    const QString caption =
        tr("The next send to topic '%1' with profile '%2' uses:").arg(m_bar->topic(), m_bar->profile());
    const auto preview = m_send->previewSettings(m_bar->profile(), m_bar->topic(), m_bar->settings());
    if (preview.ok())
        m_effectiveSettings->show(preview.value(), caption);
    else
        m_effectiveSettings->showError(preview.error().message(), caption);
}

void SendActions::resendFailed()
{
    bool includePossiblyWritten = false;
    if (const qsizetype possibly = m_send->possiblyWrittenCount(); possibly > 0) {
        const auto answer = MessageBox::question(
            m_window, tr("Resend failed rows"),
            tr("%Ln row(s) may already be in the topic (they timed out after being sent). Resending them can create "
               "duplicates.\n\nResend those rows too?",
               nullptr, int(possibly)),
            QMessageBox::Yes | QMessageBox::No | QMessageBox::Cancel, QMessageBox::No);
        if (answer == QMessageBox::Cancel)
            return;
        includePossiblyWritten = answer == QMessageBox::Yes;
    }
    const QList<qsizetype> rows = m_send->resendableRows(includePossiblyWritten);
    if (!confirmRegister())
        return;
    const core::Status status = m_send->send(m_bar->profile(), SendController::Scope::Failed, rows);
    if (!status.ok())
        emit messageShown(status.error().message());
}

} // namespace kbatch::ui
