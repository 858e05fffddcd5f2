#pragma once

#include <QObject>

class QWidget;

namespace kbatch::ui {

class BatchTableModel;
class BatchView;
class DocumentModel;
class EffectiveSettingsDialog;
class SendBar;
class SendController;

// The Send menu: Send, Send Selected, Resend Failed, Cancel and Effective Producer Settings, with the send bar's
// profile, topic and settings; keeps them enabled as the batch and the send allow. The actions belong to the window
// (found there by objectName); errors go to a message box and the status bar.
class SendActions : public QObject
{
    Q_OBJECT
public:
    SendActions(QWidget *window, SendBar *bar, SendController *send, BatchTableModel *model, BatchView *view,
                DocumentModel *document);

    void updateActions();

signals:
    void messageShown(const QString &message); // for the status bar

private:
    void startSend(int scope);
    void resendFailed();
    void showEffectiveSettings();
    void fail(const QString &message);
    // Asks once when the send would register schemas; false when the user says no (nothing is sent).
    bool confirmRegister();

    QWidget *m_window;
    SendBar *m_bar;
    SendController *m_send;
    BatchTableModel *m_model;
    BatchView *m_view;
    DocumentModel *m_document;
    EffectiveSettingsDialog *m_effectiveSettings = nullptr;
};

} // namespace kbatch::ui
