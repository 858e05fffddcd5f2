// The window's chrome: Help > About, shortcuts, docks and palette restored.

#include "MainWindowFixture.h"
#include "core/format/TemplateReader.h"
#include "core/format/TemplateWriter.h"
#include "core/kafka/KafkaVersion.h"
#include "core/profiles/MemorySecretStore.h"
#include "core/profiles/ProfileStore.h"
#include "tests/integration/KcatReader.h"
#include "ui/AboutDialog.h"
#include "ui/MainWindow.h"
#include "ui/batch/BatchTableModel.h"
#include "ui/batch/BatchView.h"
#include "ui/batch/GenerateDialog.h"
#include "ui/batch/MessageDetailPanel.h"
#include "ui/batch/StateFilterModel.h"
#include "ui/connections/ConnectionsPanel.h"
#include "ui/connections/CreateTopicButton.h"
#include "ui/connections/PeekModel.h"
#include "ui/connections/PeekPanel.h"
#include "ui/connections/ProfilesDialog.h"
#include "ui/documents/DocumentController.h"
#include "ui/documents/TemplateLibrary.h"
#include "ui/sending/SendBar.h"
#include "ui/sending/SendController.h"
#include "ui/widgets/FileDialog.h"
#include "ui/widgets/LogPanel.h"
#include "ui/widgets/MessageBox.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFormLayout>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLoggingCategory>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QTableWidget>
#include <QTest>
#include <QToolButton>
#include <QUndoStack>

using namespace kbatch;

class TestChrome : public QObject, public test::MainWindowFixture
{
    Q_OBJECT
private slots:
    void initTestCase() { initFixture(); }
    void init() { initTest(); }
    void cleanup() { cleanupTest(); }
    void aboutNamesTheVersionsInUse();
    void aboutShowsTheLicences_data();
    void aboutShowsTheLicences();
    void shortcutsAreSetAndShown_data();
    void shortcutsAreSetAndShown();
    void dockLayoutAndPaletteAreRestored();
    void geometryIsRestoredWhereItWas_data();
    void geometryIsRestoredWhereItWas();
};

void TestChrome::aboutNamesTheVersionsInUse()
{
    newWindow();
    QAction *about = m_window->action(QStringLiteral("actionAbout"));
    QVERIFY(about);
    QVERIFY(!about->associatedObjects().isEmpty()); // in the Help menu
    about->trigger();
    auto *dialog = m_window->findChild<ui::AboutDialog *>(QStringLiteral("aboutDialog"));
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    const QString text = dialog->findChild<QLabel *>(QStringLiteral("aboutText"))->text();
    QVERIFY2(text.contains(QStringLiteral(KBATCH_VERSION)), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("librdkafka ") + core::librdkafkaVersion()), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("Qt ") + QString::fromLatin1(qVersion())), qPrintable(text));
    // What a bug report needs about librdkafka: how it is linked and what it was built with.
    QVERIFY2(text.contains(core::librdkafkaLinkage().toHtmlEscaped()), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("sasl_scram")), qPrintable(text));
    dialog->close();
}

void TestChrome::aboutShowsTheLicences_data()
{
    QTest::addColumn<QString>("component");
    QTest::addColumn<QStringList>("phrases"); // each must be in the text shown
    QTest::newRow("KBatch") << QStringLiteral("KBatch")
                            << QStringList{QStringLiteral("Apache License"), QStringLiteral("Version 2.0")};
    QStringList rdkafka{QStringLiteral("librdkafka"), QStringLiteral("Redistribution and use")};
    if (core::librdkafkaLinkage().startsWith(QLatin1String("bundled")))
        rdkafka << QStringLiteral("Magnus Edenhill") << QStringLiteral("LICENSE.cjson") << QStringLiteral("LICENSE.lz4")
                << QStringLiteral("LICENSE.snappy");
    QTest::newRow("librdkafka") << QStringLiteral("librdkafka") << rdkafka;
    QTest::newRow("Qt") << QStringLiteral("Qt")
                        << QStringList{QStringLiteral("GNU LESSER GENERAL PUBLIC LICENSE"),
                                       QStringLiteral("Version 3")};
    QTest::newRow("GPL") << QStringLiteral("GNU GPL 3.0")
                         << QStringList{QStringLiteral("GNU GENERAL PUBLIC LICENSE"), QStringLiteral("Version 3")};
    QTest::newRow("QtKeychain") << QStringLiteral("QtKeychain")
                                << QStringList{QStringLiteral("qtkeychain"), QStringLiteral("Redistribution and use")};
}

void TestChrome::aboutShowsTheLicences()
{
    QFETCH(QString, component);
    QFETCH(QStringList, phrases);
    newWindow();
    ui::AboutDialog *dialog = m_window->openAboutDialog();
    QVERIFY(dialog->showLicence(component));
    const QString text = dialog->shownLicenceText();
    for (const QString &phrase : std::as_const(phrases))
        QVERIFY2(text.contains(phrase), qPrintable(component + QStringLiteral(": no '") + phrase + u'\''));
    QVERIFY(!dialog->showLicence(QStringLiteral("no such component")));
    dialog->close();
}

void TestChrome::shortcutsAreSetAndShown_data()
{
    QTest::addColumn<QString>("action");
    QTest::addColumn<QKeySequence>("shortcut");
    QTest::newRow("send") << "actionSend" << QKeySequence(Qt::CTRL | Qt::Key_Return);
    QTest::newRow("new row") << "actionAddRow" << QKeySequence(Qt::CTRL | Qt::Key_N);
    QTest::newRow("duplicate") << "actionDuplicate" << QKeySequence(Qt::CTRL | Qt::Key_D);
    QTest::newRow("delete") << "actionDelete" << QKeySequence(QKeySequence::Delete);
    QTest::newRow("undo") << "actionUndo" << QKeySequence(QKeySequence::Undo);
    QTest::newRow("redo") << "actionRedo" << QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z);
    QTest::newRow("find") << "actionFind" << QKeySequence(QKeySequence::Find);
    QTest::newRow("save") << "actionSave" << QKeySequence(QKeySequence::Save);
    QTest::newRow("refresh") << "actionRefresh" << QKeySequence(Qt::Key_F5);
}

void TestChrome::shortcutsAreSetAndShown()
{
    QFETCH(QString, action);
    QFETCH(QKeySequence, shortcut);
    newWindow();
    QAction *a = m_window->action(action);
    QVERIFY(a);
    QCOMPARE(a->shortcut(), shortcut);
    if (action != QLatin1String("actionUndo") && action != QLatin1String("actionRedo")) // tooltips come from the stack
        QVERIFY2(a->toolTip().contains(shortcut.toString(QKeySequence::NativeText)), qPrintable(a->toolTip()));
}

void TestChrome::dockLayoutAndPaletteAreRestored()
{
    newWindow();
    auto *detail = child<QDockWidget>("messageDock");
    QVERIFY(detail->isVisible());
    detail->close();
    m_window->action(QStringLiteral("actionDarkPalette"))->trigger();
    QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < 128);
    QVERIFY(m_window->close());
    delete m_window;
    m_window = nullptr;

    newWindow();
    QVERIFY(!child<QDockWidget>("messageDock")->isVisible());
    QVERIFY(child<QDockWidget>("connectionsDock")->isVisible());
    QVERIFY(m_window->action(QStringLiteral("actionDarkPalette"))->isChecked());
    m_window->action(QStringLiteral("actionDarkPalette"))->trigger(); // back to light for the other tests
    QVERIFY(QApplication::palette().color(QPalette::Window).lightness() > 128);
}

void TestChrome::geometryIsRestoredWhereItWas_data()
{
    QTest::addColumn<QRect>("placed"); // empty: where and how big a first start makes the window
    QTest::newRow("first start, at the top of the screen") << QRect();
    QTest::newRow("moved and resized") << QRect(QPoint(120, 90), QSize(1180, 700));
}

void TestChrome::geometryIsRestoredWhereItWas()
{
    // Each start restores what the last close saved: three starts later the window is where it was, not a title
    // bar lower each time (QWidget::restoreGeometry() moved a window at the top of the screen 20 px down).
    QFETCH(QRect, placed);
    newWindow();
    QVERIFY(QTest::qWaitForWindowExposed(m_window));
    if (placed.isValid()) {
        m_window->setGeometry(placed);
        QTRY_COMPARE(m_window->geometry(), placed);
    }
    const QRect first = m_window->geometry();
    for (int start = 0; start < 3; ++start) {
        closeWindow();
        newWindow();
        QVERIFY(QTest::qWaitForWindowExposed(m_window));
        QCOMPARE(m_window->geometry(), first);
    }
}

QTEST_MAIN(TestChrome)
#include "tst_chrome.moc"
