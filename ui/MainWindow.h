#pragma once

#include <QMainWindow>

#include <memory>

class QAction;
class QDockWidget;

namespace kbatch::core {
class SecretStore;
} // namespace kbatch::core

namespace kbatch::ui {

class AutosaveController;
class BatchTableModel;
class BatchView;
class ConnectionService;
class ConnectionsPanel;
class CreateTopicButton;
class DocumentController;
class DocumentModel;
class FindBar;
class LogPanel;
class MessageDetailPanel;
class RowChecker;
class SchemaContext;
class PeekPanel;
class RowActions;
class SandboxFaultsPanel;
class SendActions;
class SendBar;
class SendController;
class StatusPanel;

// The shell: composes the send bar, the batch table, the docks and the status bar, and wires actions to them.
// The work lives in the parts (model, controllers, panels).
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    struct Options
    {
        bool loadSampleOnFirstStart = true;
        QString openFile;                         // a template to open at start
        QString profile;                          // the connection profile to select (kbatch --profile NAME)
        core::SecretStore *secretStore = nullptr; // not owned; null: the system keychain
        bool offerRestore = true;                 // ask about an autosaved batch left by a crashed session
    };
    explicit MainWindow(const Options &options, QWidget *parent = nullptr);
    explicit MainWindow(QWidget *parent = nullptr) : MainWindow(Options{}, parent) {}
    ~MainWindow() override;

    BatchTableModel *model() const { return m_model; }
    BatchView *view() const { return m_view; }
    SendController *sendController() const { return m_send; }
    ConnectionService *connectionService() const { return m_connectionService; }
    DocumentController *document() const { return m_document; }
    DocumentModel *documentModel() const { return m_documentModel; }
    AutosaveController *autosave() const { return m_autosave; }
    MessageDetailPanel *detailPanel() const { return m_detail; }
    // The document's key and value codecs, and the rows checked against them (Send asks firstMismatch()).
    SchemaContext *schemaContext() const { return m_schemaContext; }
    RowChecker *rowChecker() const { return m_rowChecker; }
    class ProfilesDialog *openProfilesDialog(); // window-modal, not blocking
    ConnectionsPanel *connectionsPanel() const { return m_connections; }
    PeekPanel *peekPanel() const { return m_peek; }
    SandboxFaultsPanel *faultsPanel() const { return m_faults; }
    SendBar *sendBar() const { return m_sendBar; }
    QAction *action(const QString &objectName) const; // for tests and scripts
    // Help > About: versions, librdkafka's linkage and features, and the licences (window-modal, not blocking).
    class AboutDialog *openAboutDialog();

    void setDarkPalette(bool dark);
    // Inserts `count` rows generated from `row` right after it, as one undoable edit. False (and a message) on
    // an error such as an unknown placeholder.
    bool generateFromRow(qsizetype row, qsizetype count, std::uint64_t seed);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createActions();
    void createMenus();
    void createDocks();
    QAction *makeAction(const QString &name, const QString &text, const QKeySequence &shortcut,
                        const QString &icon = {}, const QString &fallback = {});
    void updateActions();
    void restoreLayout();
    void reloadProfiles(const QString &current);

    BatchTableModel *m_model;
    DocumentModel *m_documentModel;
    BatchView *m_view;
    SendBar *m_sendBar;
    ConnectionService *m_connectionService;
    SendController *m_send;
    StatusPanel *m_status = nullptr;
    DocumentController *m_document;
    AutosaveController *m_autosave = nullptr;
    MessageDetailPanel *m_detail = nullptr;
    SchemaContext *m_schemaContext = nullptr;
    RowChecker *m_rowChecker = nullptr;
    ConnectionsPanel *m_connections = nullptr;
    CreateTopicButton *m_createTopic = nullptr;
    QDockWidget *m_detailDock = nullptr;
    QDockWidget *m_connectionsDock = nullptr;
    QDockWidget *m_peekDock = nullptr;
    PeekPanel *m_peek = nullptr;
    SandboxFaultsPanel *m_faults = nullptr;
    QDockWidget *m_faultsDock = nullptr;
    FindBar *m_find = nullptr;
    LogPanel *m_log = nullptr;
    RowActions *m_rows = nullptr;
    SendActions *m_sending = nullptr;
    // Closing: the unsaved-changes question answered, a close waiting for a cancelled send, and its time up.
    bool m_closeApproved = false;
    bool m_closePending = false;
    bool m_closeDeadlinePassed = false;
};

} // namespace kbatch::ui
