#include "ui/MainWindow.h"

#include "core/profiles/ProfileStore.h"
#include "core/schema/SchemaFill.h"

#include "ui/AboutDialog.h"
#include "ui/WindowGeometry.h"
#include "ui/batch/BatchTableModel.h"
#include "ui/batch/BatchView.h"
#include "ui/batch/FindBar.h"
#include "ui/batch/MessageDetailPanel.h"
#include "ui/batch/RowActions.h"
#include "ui/batch/StateFilterModel.h"
#include "ui/connections/ConnectionService.h"
#include "ui/connections/ConnectionsPanel.h"
#include "ui/connections/CreateTopicButton.h"
#include "ui/connections/PeekPanel.h"
#include "ui/connections/ProfilesDialog.h"
#include "ui/connections/SandboxFaultsPanel.h"
#include "ui/documents/AutosaveController.h"
#include "ui/documents/DocumentController.h"
#include "ui/documents/DocumentModel.h"
#include "ui/documents/TemplateLibrary.h"
#include "ui/schema/RowChecker.h"
#include "ui/schema/SchemaContext.h"
#include "ui/sending/SendActions.h"
#include "ui/sending/SendBar.h"
#include "ui/sending/SendController.h"
#include "ui/sending/StatusPanel.h"
#include "ui/widgets/Actions.h"
#include "ui/widgets/FileDialog.h"
#include "ui/widgets/LogPanel.h"
#include "ui/widgets/MessageBox.h"
#include "ui/widgets/Theme.h"

#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QFileInfo>
#include <QHeaderView>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <QTimer>
#include <QToolBar>
#include <QUndoStack>
#include <QVBoxLayout>

namespace kbatch::ui {

namespace {
// How long closing the window waits for a cancelled send to report its rows (librdkafka purges in-flight
// requests 2 s after a cancel; the whole close stays well within the 10 s the design allows). The window stays
// responsive meanwhile: the close is finished when the send ends, not waited for.
constexpr int CloseDrainMs = 8000;
} // namespace

MainWindow::MainWindow(const Options &options, QWidget *parent)
    : QMainWindow(parent), m_model(new BatchTableModel(this)), m_documentModel(new DocumentModel(this)),
      m_view(new BatchView(this)), m_sendBar(new SendBar(m_documentModel, this)),
      m_connectionService(new ConnectionService(options.secretStore, this)),
      m_send(new SendController(m_model, m_documentModel, m_connectionService, this)),
      m_document(new DocumentController(m_model, m_documentModel, this))
{
    Theme::initResources();
    setObjectName(QStringLiteral("mainWindow"));
    setWindowIcon(Theme::appIcon());
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks);

    m_view->setBatchModel(m_model);
    m_status = new StatusPanel(m_model, m_view->stateFilter(), this);
    m_find = new FindBar(m_model, m_view, this);
    connect(m_find, &FindBar::notFound, this,
            [this](const QString &text) { m_status->showMessage(tr("\"%1\" not found").arg(text)); });
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_find);
    layout->addWidget(m_view, 1);
    setCentralWidget(central);

    auto *toolbar = addToolBar(tr("Send"));
    toolbar->setObjectName(QStringLiteral("sendToolBar"));
    toolbar->setMovable(false);
    toolbar->addWidget(m_sendBar);
    statusBar()->addWidget(m_status, 1);
    auto *stateFilter = new QComboBox(this);
    stateFilter->setObjectName(QStringLiteral("stateFilter"));
    stateFilter->setToolTip(tr("Show only the rows in one delivery state"));
    for (int f = 0; f < StateFilterModel::FilterCount; ++f)
        stateFilter->addItem(StateFilterModel::filterName(StateFilterModel::Filter(f)));
    connect(stateFilter, &QComboBox::currentIndexChanged, m_view->stateFilter(),
            [this](int index) { m_view->stateFilter()->setFilter(StateFilterModel::Filter(index)); });
    // The filter may change elsewhere too ("Show all rows" in the table): the box says which one is on.
    connect(m_view->stateFilter(), &StateFilterModel::filterChanged, stateFilter,
            [stateFilter](StateFilterModel::Filter filter) { stateFilter->setCurrentIndex(int(filter)); });
    statusBar()->addPermanentWidget(stateFilter);
    statusBar()->setSizeGripEnabled(false);

    createActions();
    createDocks();
    createMenus();

    // Typed keys and values: resolved for the document's serialization, topic and profile whenever one changes.
    m_schemaContext = new SchemaContext(
        [this](const QString &profile, QObject *context, const SchemaContext::RegistryDone &done) {
            // With the registry's password or token read from the keychain (prefetchSecrets() reads the cluster's).
            m_connectionService->readRegistrySettings(profile, context, done);
        },
        this);
    m_rowChecker = new RowChecker(m_model, m_schemaContext, this);
    m_detail->setSchemaContext(m_schemaContext);
    m_peek->setSchemaContext(m_schemaContext); // decodes unframed Protobuf, copies typed rows as JSON
    // The Schema result column while the key or the value is typed (through a registry or from .proto files).
    connect(m_schemaContext, &SchemaContext::changed, this, [this] {
        m_view->setSchemaColumnShown(
            m_schemaContext->part(core::PayloadPart::Key).state != SchemaContext::State::None ||
            m_schemaContext->part(core::PayloadPart::Value).state != SchemaContext::State::None);
    });
    // Edit > Generate offers random values from the schema for the parts typed now.
    m_rows->setSchemaFillProvider([this] {
        const SchemaContext::Part &key = m_schemaContext->part(core::PayloadPart::Key);
        const SchemaContext::Part &value = m_schemaContext->part(core::PayloadPart::Value);
        return core::schemaFill(key.typed() ? key.codec.codec : nullptr, value.typed() ? value.codec.codec : nullptr);
    });
    // Relative .proto and descriptor set paths are the template's folder's, as kbatch-cli takes them; a save to
    // another folder moves them with it.
    const auto documentDir = [this] {
        const QString path = m_document->filePath();
        m_schemaContext->setDocumentDir(path.isEmpty() ? QString() : QFileInfo(path).absolutePath());
    };
    const auto retarget = [this, documentDir] {
        documentDir();
        m_schemaContext->setTarget(m_documentModel->serialization(), m_documentModel->topic(), m_sendBar->profile());
    };
    connect(m_document, &DocumentController::titleChanged, this, documentDir);
    // The send takes them from the same folder; tied to m_send, which goes before the document while the window
    // is destroyed.
    connect(m_document, &DocumentController::titleChanged, m_send, [this] {
        const QString path = m_document->filePath();
        m_send->setDocumentDir(path.isEmpty() ? QString() : QFileInfo(path).absolutePath());
    });
    connect(m_documentModel, &DocumentModel::topicChanged, this, retarget);
    connect(m_documentModel, &DocumentModel::producerChanged, this, retarget);      // a template was opened
    connect(m_documentModel, &DocumentModel::serializationChanged, this, retarget); // chosen on the send bar
    connect(m_sendBar, &SendBar::profileChanged, this, retarget);

    reloadProfiles(options.profile.isEmpty() ? ConnectionService::sandboxProfileName() : options.profile);
    connect(m_sendBar, &SendBar::profileChanged, this, &MainWindow::reloadProfiles);
    connect(m_connections, &ConnectionsPanel::profileSelected, this, &MainWindow::reloadProfiles);

    connect(m_document, &DocumentController::titleChanged, this, [this](const QString &name, bool dirty) {
        setWindowTitle(tr("%1[*] — KBatch").arg(name));
        setWindowModified(dirty);
    });
    connect(m_document, &DocumentController::failed, this, [this](const QString &message) {
        m_status->showMessage(message);
        MessageBox::error(this, tr("KBatch"), message);
    });
    connect(m_document, &DocumentController::busyChanged, this,
            [this](bool busy, const QString &what) { m_status->showMessage(busy ? what : tr("Ready")); });
    m_autosave = new AutosaveController(m_document, this);
    connect(m_autosave, &AutosaveController::autosaveFailed, m_status, &StatusPanel::showMessage);
    connect(m_view, &BatchView::filesDropped, m_document, &DocumentController::importFiles);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { m_detail->setRow(m_view->sourceRow(current)); });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &MainWindow::updateActions);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &MainWindow::updateActions);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &MainWindow::updateActions);
    connect(m_model, &QAbstractItemModel::modelReset, this, &MainWindow::updateActions);
    connect(m_model, &BatchTableModel::editRefused, m_status, &StatusPanel::showMessage);

    connect(m_send, &SendController::statsChanged, m_status, &StatusPanel::showStats);
    connect(m_connectionService, &ConnectionService::secretReadFailed, m_status, &StatusPanel::showMessage);
    connect(m_send, &SendController::finished, this, [this](const core::JobSummary &summary) {
        m_log->setProfile(m_sendBar->profile()); // lines from now on are the chosen profile's again
        if (!summary.error.isEmpty())
            MessageBox::error(this, tr("Send"), summary.error);
        m_connections->refresh(); // end offsets moved
    });
    connect(m_connections, &ConnectionsPanel::topicActivated, this, [this](const QString &topic) {
        m_peek->setTopic(topic);
        m_documentModel->setTopic(topic);
    });
    connect(m_connections, &ConnectionsPanel::topicsRefreshed, m_sendBar, &SendBar::setKnownTopics);

    QSettings settings;
    setDarkPalette(settings.value(QStringLiteral("darkPalette"), false).toBool());
    restoreLayout();
    if (options.offerRestore && m_autosave->offerRestore()) {
        // The restored rows replace what would have opened; a file named on the command line can still be opened.
    } else if (!options.openFile.isEmpty()) {
        m_document->openFile(options.openFile);
    } else if (options.loadSampleOnFirstStart && !settings.value(QStringLiteral("firstStartDone")).toBool()) {
        m_document->loadSample();
    } else {
        m_document->setTemplate(core::Template(), QString());
    }
    settings.setValue(QStringLiteral("firstStartDone"), true);
    m_view->setFocus(); // the rows take the keyboard first
    updateActions();
    m_createTopic->updateOffer();
}

MainWindow::~MainWindow()
{
    // Children go one by one (the model first): as the rows are torn down the document turns clean, which must not
    // read as "saved" and remove the autosaved copy.
    m_autosave->stop();
    // Nothing waits here for pooled queries (topic refresh, peek): the panels cancel theirs as they go, and the
    // queries are bounded by their timeouts, so quitting, which waits for the pool, is not held up either.
    // The send before the connections: its producer may be talking to the sandbox they own.
    delete m_send;
    m_send = nullptr;
    // ~QWidget deletes the children after this body, when the MainWindow part of this object is gone: what they
    // emit as they go (the document's title as its rows are torn down, a model's reset) must not reach this window's
    // slots and lambdas any more.
    const QList<QObject *> children = findChildren<QObject *>();
    for (QObject *child : children)
        disconnect(child, nullptr, this, nullptr);
}

QAction *MainWindow::makeAction(const QString &name, const QString &text, const QKeySequence &shortcut,
                                const QString &icon, const QString &fallback)
{
    return ui::makeAction(this, name, text, shortcut, icon, fallback);
}

QAction *MainWindow::action(const QString &objectName) const
{
    return findChild<QAction *>(objectName);
}

void MainWindow::createActions()
{
    using K = QKeySequence;
    auto *d = m_document;
    connect(makeAction(QStringLiteral("actionNewTemplate"), tr("&New Template"), K(Qt::CTRL | Qt::SHIFT | Qt::Key_N),
                       QStringLiteral("document-new"), QStringLiteral("new")),
            &QAction::triggered, this, [this] {
                m_document->newDocument();
                m_view->setFocus(Qt::ShortcutFocusReason); // Ctrl+N, Ctrl+V or a drop fill it from here
            });
    connect(makeAction(QStringLiteral("actionOpen"), tr("&Open…"), K::Open, QStringLiteral("document-open"),
                       QStringLiteral("open")),
            &QAction::triggered, d, &DocumentController::open);
    // Rows from CSV, JSON Lines (kcat -J too), text or templates, added to the batch as a drop adds them.
    connect(makeAction(QStringLiteral("actionImport"), tr("&Import…"), K(Qt::CTRL | Qt::Key_I)), &QAction::triggered, d,
            [this] {
                const QStringList paths =
                    FileDialog::openFileNames(this, tr("Import rows"), QString(),
                                              tr("Rows (*.csv *.jsonl *.ndjson *.json *.txt *.tsv);;All files (*)"));
                if (!paths.isEmpty())
                    m_document->importFiles(paths);
            });
    connect(makeAction(QStringLiteral("actionSave"), tr("&Save"), K::Save, QStringLiteral("document-save"),
                       QStringLiteral("save")),
            &QAction::triggered, d, &DocumentController::save);
    connect(makeAction(QStringLiteral("actionSaveAs"), tr("Save &As…"), K(Qt::CTRL | Qt::SHIFT | Qt::Key_S)),
            &QAction::triggered, d, &DocumentController::saveAs);
    connect(makeAction(QStringLiteral("actionExportResults"), tr("&Export Results…"), K(Qt::CTRL | Qt::Key_E)),
            &QAction::triggered, d, &DocumentController::exportResults);
    connect(makeAction(QStringLiteral("actionQuit"), tr("&Quit"), K::Quit), &QAction::triggered, this, &QWidget::close);

    // Through the model, which refuses a step that would change a row a running send waits on.
    QUndoStack *stack = m_model->undoStack();
    QAction *undo = makeAction(QStringLiteral("actionUndo"), tr("&Undo"), K::Undo, QStringLiteral("edit-undo"),
                               QStringLiteral("undo"));
    connect(undo, &QAction::triggered, m_model, &BatchTableModel::undo);
    QAction *redo = makeAction(QStringLiteral("actionRedo"), tr("&Redo"), K(Qt::CTRL | Qt::SHIFT | Qt::Key_Z),
                               QStringLiteral("edit-redo"), QStringLiteral("redo"));
    connect(redo, &QAction::triggered, m_model, &BatchTableModel::redo);
    // Named after the step they take, as QUndoStack's own actions are ("Undo Delete row").
    auto follow = [](QAction *a, const QString &text) {
        a->setText(text);
        a->setToolTip(QStringLiteral("%1 (%2)").arg(QString(text).remove(QLatin1Char('&')),
                                                    a->shortcut().toString(QKeySequence::NativeText)));
    };
    connect(stack, &QUndoStack::undoTextChanged, undo, [undo, follow](const QString &step) {
        follow(undo, step.isEmpty() ? tr("&Undo") : tr("&Undo %1").arg(step));
    });
    connect(stack, &QUndoStack::redoTextChanged, redo, [redo, follow](const QString &step) {
        follow(redo, step.isEmpty() ? tr("&Redo") : tr("&Redo %1").arg(step));
    });
    connect(stack, &QUndoStack::canUndoChanged, undo, &QAction::setEnabled);
    connect(stack, &QUndoStack::canRedoChanged, redo, &QAction::setEnabled);
    undo->setEnabled(stack->canUndo());
    redo->setEnabled(stack->canRedo());

    QAction *about = makeAction(QStringLiteral("actionAbout"), tr("&About KBatch"), QKeySequence());
    about->setMenuRole(QAction::AboutRole);
    connect(about, &QAction::triggered, this, &MainWindow::openAboutDialog);
    m_rows = new RowActions(this, m_model, m_view, m_document, m_find);
    connect(m_rows, &RowActions::messageShown, m_status, &StatusPanel::showMessage);
    m_sending = new SendActions(this, m_sendBar, m_send, m_model, m_view, m_documentModel);
    connect(m_sending, &SendActions::messageShown, m_status, &StatusPanel::showMessage);

    connect(makeAction(QStringLiteral("actionProfiles"), tr("Connection &Profiles…"), K()), &QAction::triggered, this,
            &MainWindow::openProfilesDialog);
    m_sendBar->setProfileAction(
        makeAction(QStringLiteral("actionChooseProfile"), tr("C&hoose Profile"), K(Qt::CTRL | Qt::Key_P)));
    QAction *dark = makeAction(QStringLiteral("actionDarkPalette"), tr("&Dark Palette"), K());
    dark->setCheckable(true);
    connect(dark, &QAction::toggled, this, &MainWindow::setDarkPalette);
}

void MainWindow::createDocks()
{
    auto makeDock = [this](const QString &name, const QString &title, QWidget *content, Qt::DockWidgetArea area) {
        auto *dock = new QDockWidget(title, this);
        dock->setObjectName(name);
        dock->setWidget(content);
        dock->setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable |
                          QDockWidget::DockWidgetFloatable);
        addDockWidget(area, dock);
        return dock;
    };
    m_connections =
        new ConnectionsPanel([this](const QString &profile) { return m_connectionService->connection(profile); }, this);
    connect(m_connections, &ConnectionsPanel::sandboxAddressChanged, m_sendBar, [this](const QString &address) {
        m_sendBar->setProfileDetails(ConnectionService::sandboxProfileName(),
                                     tr("The built-in sandbox, on %1").arg(address));
    });
    m_connectionsDock =
        makeDock(QStringLiteral("connectionsDock"), tr("Connections"), m_connections, Qt::LeftDockWidgetArea);
    m_createTopic = new CreateTopicButton(m_sendBar, m_connections, m_connectionService, m_sendBar);
    m_sendBar->addTopicAccessory(m_createTopic);
    connect(m_createTopic, &CreateTopicButton::created, this, [this](const QString &topic) {
        m_status->showMessage(tr("Topic '%1' created on the sandbox").arg(topic));
    });
    connect(m_createTopic, &CreateTopicButton::failed, this, [this](const QString &message) {
        m_status->showMessage(message);
        MessageBox::error(this, tr("Create Topic"), message);
    });
    auto *library = new TemplateLibrary(this);
    QDockWidget *templatesDock =
        makeDock(QStringLiteral("templatesDock"), tr("Templates"), library, Qt::LeftDockWidgetArea);
    splitDockWidget(m_connectionsDock, templatesDock, Qt::Vertical);
    connect(library, &TemplateLibrary::openRequested, this, [this](const QString &path) {
        if (m_document->maybeSave())
            m_document->openFile(path);
    });
    m_detail = new MessageDetailPanel(m_model, this);
    m_detailDock = makeDock(QStringLiteral("messageDock"), tr("Message"), m_detail, Qt::RightDockWidgetArea);
    m_peek = new PeekPanel([this] { return m_connectionService->connection(m_sendBar->profile()); }, this);
    // Peek decodes through the profile's registry when it has one; a profile without one peeks bytes as before.
    m_peek->setRegistryProvider([this]() -> core::Result<std::optional<core::RegistrySettings>> {
        const QString profile = m_sendBar->profile();
        const auto found = m_connectionService->profiles()->find(profile);
        if (!found || !found->registry.isSet())
            return std::optional<core::RegistrySettings>();
        auto settings = m_connectionService->registrySettings(profile);
        if (!settings.ok())
            return settings.error();
        return std::optional<core::RegistrySettings>(settings.value());
    });
    m_peekDock = makeDock(QStringLiteral("peekDock"), tr("Peek"), m_peek, Qt::BottomDockWidgetArea);
    m_log = new LogPanel(this);
    QDockWidget *logDock = makeDock(QStringLiteral("logDock"), tr("Log"), m_log, Qt::BottomDockWidgetArea);
    tabifyDockWidget(m_peekDock, logDock); // log and peek share the bottom dock
    m_faults = new SandboxFaultsPanel([this] { return m_connectionService->sandbox(); }, this);
    m_faultsDock = makeDock(QStringLiteral("faultsDock"), tr("Sandbox faults"), m_faults, Qt::BottomDockWidgetArea);
    tabifyDockWidget(m_peekDock, m_faultsDock);
    connect(m_faults, &SandboxFaultsPanel::faultApplied, this,
            [this](const QString &what) { m_status->showMessage(tr("Sandbox: %1").arg(what)); });
    m_peekDock->hide(); // all on demand (View menu), so the table keeps its height
    logDock->hide();
    m_faultsDock->hide();
    connect(m_peek, &PeekPanel::copyToBatch, this, [this](const core::Batch &rows) {
        m_model->appendBatch(rows, tr("Copy %Ln peeked message(s)", nullptr, int(rows.size())));
    });
    resizeDocks({m_connectionsDock, m_detailDock}, {180, 300}, Qt::Horizontal);
    // Tab from the table goes on to the current row's editor, not round to the toolbar (where typing would rename
    // the topic): the table is moved in the focus chain to just before the editor's first field.
    QWidget *first = m_detail->nextInFocusChain();
    while (first != m_detail && !(m_detail->isAncestorOf(first) && (first->focusPolicy() & Qt::TabFocus)))
        first = first->nextInFocusChain();
    if (first != m_detail) {
        QWidget *before = first->previousInFocusChain(); // setTabOrder() takes only widgets that take focus
        while (before != first &&
               (before->focusPolicy() == Qt::NoFocus || before == m_view || m_view->isAncestorOf(before)))
            before = before->previousInFocusChain();
        if (before != first)
            setTabOrder(before, m_view);
    }
    QAction *refresh = makeAction(QStringLiteral("actionRefresh"), tr("&Refresh Topics"), QKeySequence(Qt::Key_F5),
                                  QStringLiteral("view-refresh"), QStringLiteral("refresh"));
    connect(refresh, &QAction::triggered, m_connections, &ConnectionsPanel::refresh);
    // Peek starts on the send bar's topic, from its shortcut (which reads at once) and from the View menu.
    connect(makeAction(QStringLiteral("actionPeek"), tr("&Peek at Topic"), QKeySequence(Qt::CTRL | Qt::Key_K)),
            &QAction::triggered, this, [this] {
                m_peekDock->show();
                m_peekDock->raise();
                m_peek->peekAt(m_sendBar->topic());
            });
    connect(m_peekDock->toggleViewAction(), &QAction::triggered, m_peek, [this](bool shown) {
        if (shown)
            m_peek->setTopic(m_sendBar->topic());
    });
}

void MainWindow::createMenus()
{
    auto add = [this](QMenu *menu, const char *name) { menu->addAction(action(QLatin1String(name))); };
    QMenu *file = menuBar()->addMenu(tr("&File"));
    add(file, "actionNewTemplate");
    add(file, "actionOpen");
    add(file, "actionImport");
    file->addMenu(m_document->recentMenu());
    add(file, "actionSave");
    add(file, "actionSaveAs");
    add(file, "actionExportResults");
    file->addSeparator();
    add(file, "actionQuit");
    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    add(edit, "actionUndo");
    add(edit, "actionRedo");
    edit->addSeparator();
    for (const char *name : {"actionAddRow", "actionDuplicate", "actionDelete", "actionMoveUp", "actionMoveDown"})
        add(edit, name);
    edit->addSeparator();
    for (const char *name : {"actionCopy", "actionCopyJsonLines", "actionPaste", "actionFind", "actionGenerate"})
        add(edit, name);
    edit->addSeparator();
    add(edit, "actionSelectFailed");
    add(edit, "actionSelectDelivered");
    QMenu *send = menuBar()->addMenu(tr("&Send"));
    for (const char *name : {"actionSend", "actionSendSelected", "actionResendFailed", "actionCancel"})
        add(send, name);
    send->addSeparator();
    add(send, "actionEffectiveSettings");
    QMenu *view = menuBar()->addMenu(tr("&View"));
    add(view, "actionRefresh");
    add(view, "actionPeek");
    add(view, "actionChooseProfile");
    add(view, "actionProfiles");
    view->addSeparator();
    view->addAction(m_connectionsDock->toggleViewAction());
    view->addAction(findChild<QDockWidget *>(QStringLiteral("templatesDock"))->toggleViewAction());
    view->addAction(m_detailDock->toggleViewAction());
    view->addAction(m_peekDock->toggleViewAction());
    view->addAction(findChild<QDockWidget *>(QStringLiteral("logDock"))->toggleViewAction());
    view->addAction(m_faultsDock->toggleViewAction());
    view->addSeparator();
    add(view, "actionDarkPalette");
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    add(help, "actionAbout");
    // The table's context menu offers the row actions too.
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    for (const char *name : {"actionAddRow", "actionDuplicate", "actionGenerate", "actionSendSelected"})
        m_view->addAction(action(QLatin1String(name)));
}

AboutDialog *MainWindow::openAboutDialog()
{
    auto *dialog = new AboutDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
    return dialog;
}

void MainWindow::reloadProfiles(const QString &current)
{
    const QStringList names = m_connectionService->profileNames();
    const QString selected = names.contains(current) ? current : names.first();
    m_sendBar->setProfiles(names, selected);
    m_connections->setProfiles(names, selected);
    m_faults->setSandboxActive(selected == ConnectionService::sandboxProfileName());
    m_connectionService->prefetchSecrets(selected);
    if (!m_send->isBusy()) // a running send's lines stay its profile's
        m_log->setProfile(selected);
}

ProfilesDialog *MainWindow::openProfilesDialog()
{
    auto *dialog = new ProfilesDialog(m_connectionService->profiles(), m_connectionService->secretStore(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->selectProfile(m_sendBar->profile());
    connect(dialog, &ProfilesDialog::profilesChanged, this, [this] {
        reloadProfiles(m_sendBar->profile());
        m_connections->refresh(); // the chosen profile may have changed
    });
    connect(dialog, &ProfilesDialog::sessionSecret, this,
            [this](const QString &profile, int kind, const QByteArray &s) {
                m_connectionService->setSessionSecret(profile, core::SecretKind(kind), s);
            });
    dialog->open();
    return dialog;
}

void MainWindow::setDarkPalette(bool dark)
{
    Theme::apply(dark ? Theme::Mode::Dark : Theme::Mode::Light);
    QSettings().setValue(QStringLiteral("darkPalette"), dark);
    if (QAction *a = action(QStringLiteral("actionDarkPalette")); a && a->isChecked() != dark)
        a->setChecked(dark);
    m_view->viewport()->update();
}

bool MainWindow::generateFromRow(qsizetype row, qsizetype count, std::uint64_t seed)
{
    return m_rows->generateFromRow(row, count, seed);
}

void MainWindow::updateActions()
{
    m_sending->updateActions();
}

void MainWindow::restoreLayout()
{
    QSettings settings;
    if (!WindowGeometry::restore(this, settings))
        resize(1280, 800);
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!m_closeApproved) {
        if (!m_document->maybeSave()) {
            event->ignore();
            return;
        }
        m_closeApproved = true; // asked once: the close that finishes after the send ends asks nothing
        m_autosave->discard();  // saved, clean or discarded by the user: nothing is left to restore
    }
    if (m_send->isBusy() && !m_closeDeadlinePassed) {
        // Closing mid-batch (M9): cancel, and let the producer report every row's outcome (unsent rows cancelled,
        // in-flight ones with their real result) before the window and its sandbox go. No nested event loop: the
        // window stays as it is and closes when the send has ended, or after CloseDrainMs at the latest (then the
        // producer's own bounded shutdown, when the window is deleted, gives the rest their outcome).
        event->ignore();
        if (m_closePending)
            return;
        m_closePending = true;
        m_status->showMessage(tr("Cancelling the send before closing…"));
        connect(m_send, &SendController::finished, this, &QWidget::close,
                static_cast<Qt::ConnectionType>(Qt::QueuedConnection | Qt::SingleShotConnection));
        // A send still encoding for a Schema Registry ends at once, refused, instead of finishing.
        connect(m_send, &SendController::refused, this, &QWidget::close,
                static_cast<Qt::ConnectionType>(Qt::QueuedConnection | Qt::SingleShotConnection));
        QTimer::singleShot(CloseDrainMs, this, [this] {
            m_closeDeadlinePassed = true;
            close();
        });
        m_send->cancel();
        return;
    }
    QSettings settings;
    WindowGeometry::save(this, settings);
    settings.setValue(QStringLiteral("window/state"), saveState());
    event->accept();
}

} // namespace kbatch::ui
