// The window's chrome: Help > About, shortcuts (and what they reach), File > Import, docks, palette and geometry
// restored.

#include "MainWindowFixture.h"
#include "core/format/Importers.h"
#include "core/kafka/KafkaVersion.h"
#include "ui/AboutDialog.h"
#include "ui/MainWindow.h"
#include "ui/batch/BatchTableModel.h"
#include "ui/batch/BatchView.h"
#include "ui/widgets/FileDialog.h"
#include "ui/widgets/MessageBox.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QTest>
#include <QToolButton>
#include <QUndoStack>

#include <cmath>

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
    void profileBoxIsReachedByKeyboard();
    void importAddsRowsFromTheFileMenu_data();
    void importAddsRowsFromTheFileMenu();
    void statusMessagesArePlainText_data();
    void statusMessagesArePlainText();
    void iconsStandOutOnBothPalettes_data();
    void iconsStandOutOnBothPalettes();
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
    QTest::newRow("import") << "actionImport" << QKeySequence(Qt::CTRL | Qt::Key_I);
    QTest::newRow("choose profile") << "actionChooseProfile" << QKeySequence(Qt::CTRL | Qt::Key_P);
    QTest::newRow("peek") << "actionPeek" << QKeySequence(Qt::CTRL | Qt::Key_K);
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

void TestChrome::profileBoxIsReachedByKeyboard()
{
    // No key reached the profile box: Ctrl+P puts the focus on it and opens its list; its tooltip says so.
    newWindow();
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window));
    auto *profiles = child<QComboBox>("profileCombo");
    QVERIFY2(profiles->toolTip().contains(QKeySequence(Qt::CTRL | Qt::Key_P).toString(QKeySequence::NativeText)),
             qPrintable(profiles->toolTip()));
    m_window->view()->setFocus();
    QTest::keySequence(m_window, QKeySequence(Qt::CTRL | Qt::Key_P));
    QTRY_VERIFY(profiles->view()->isVisible()); // the list is open, to pick with the arrow keys and Enter
    profiles->hidePopup();
    QTRY_VERIFY(profiles->hasFocus());
}

void TestChrome::importAddsRowsFromTheFileMenu_data()
{
    QTest::addColumn<QStringList>("names");
    QTest::addColumn<QByteArrayList>("contents");
    QTest::newRow("CSV") << QStringList{QStringLiteral("rows.csv")} << QByteArrayList{"key,value\nk1,v1\nk2,v2\n"};
    QTest::newRow("JSON Lines") << QStringList{QStringLiteral("rows.jsonl")}
                                << QByteArrayList{"{\"key\":\"a\",\"value\":{\"json\":{\"x\":1}}}\n{\"key\":null}\n"};
    QTest::newRow("text") << QStringList{QStringLiteral("rows.txt")} << QByteArrayList{"one\ntwo\nthree\n"};
    QTest::newRow("kcat -J") << QStringList{QStringLiteral("kcat.json")}
                             << QByteArrayList{"{\"topic\":\"t\",\"partition\":0,\"offset\":7,\"tstype\":\"create\","
                                               "\"ts\":1767225600000,\"broker\":1,\"headers\":[\"h\",\"v\"],"
                                               "\"key\":\"order-9\",\"payload\":\"{\\\"id\\\":9}\"}\n"};
    QTest::newRow("two files") << QStringList{QStringLiteral("a.csv"), QStringLiteral("b.txt")}
                               << QByteArrayList{"key,value\nk,v\n", "x\ny\n"};
    // The rows keep the order of the files even when the first takes far longer to read than the second.
    QByteArray large("key,value\n");
    for (int i = 0; i < 200000; ++i)
        large += "k" + QByteArray::number(i) + ",v\n";
    QTest::newRow("the larger file first")
        << QStringList{QStringLiteral("large.csv"), QStringLiteral("small.txt")} << QByteArrayList{large, "x\n"};
    QTest::newRow("cancelled") << QStringList() << QByteArrayList();
}

void TestChrome::importAddsRowsFromTheFileMenu()
{
    // File > Import... adds rows (Open replaces them) through the same core import a drop uses: one undo step per
    // file, the rows already there left as they were.
    QFETCH(QStringList, names);
    QFETCH(QByteArrayList, contents);
    newWindow();
    newEmptyBatch();
    ui::BatchTableModel *model = m_window->model();
    action("actionAddRow")->trigger();
    QVERIFY(model->setData(model->index(0, ui::BatchTableModel::Value), QStringLiteral("kept")));
    const core::Message first = model->batch().at(0);
    const int undoSteps = model->undoStack()->count();

    QStringList paths;
    core::Batch expected;
    for (qsizetype i = 0; i < names.size(); ++i) {
        const QString dir = m_files.filePath(QString::fromLatin1(QTest::currentDataTag()).replace(u' ', u'-'));
        QVERIFY(QDir().mkpath(dir));
        const QString path = dir + QLatin1Char('/') + names[i];
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(contents[i]);
        file.close();
        paths << path;
        auto rows = core::importFile(path);
        QVERIFY2(rows.ok(), qPrintable(rows.ok() ? QString() : rows.error().message()));
        for (qsizetype r = 0; r < rows->size(); ++r)
            expected.append(rows->at(r));
    }
    // From the File menu, where it is offered next to Open.
    QAction *import = action("actionImport");
    QMenu *fileMenu = nullptr;
    for (QAction *menu : m_window->menuBar()->actions())
        if (menu->menu() && menu->menu()->actions().contains(import))
            fileMenu = menu->menu();
    QVERIFY(fileMenu);
    QCOMPARE(fileMenu->title(), QStringLiteral("&File"));
    ui::FileDialog::setNextFileNames(paths);
    import->trigger();
    QTRY_COMPARE(model->rowCount(), 1 + int(expected.size()));
    QCOMPARE(model->batch().at(0), first);
    for (qsizetype r = 0; r < expected.size(); ++r)
        QCOMPARE(model->batch().at(r + 1), expected.at(r));
    QCOMPARE(model->undoStack()->count(), undoSteps + int(paths.size()));
    if (!paths.isEmpty()) {
        action("actionUndo")->trigger();
        QVERIFY(model->rowCount() < 1 + int(expected.size()));
    }
}

void TestChrome::statusMessagesArePlainText_data()
{
    QTest::addColumn<QString>("needle");
    QTest::newRow("quotes") << QStringLiteral("nothing-here");
    QTest::newRow("markup and ampersand") << QStringLiteral("<b>a</b> & 'b'");
}

void TestChrome::statusMessagesArePlainText()
{
    // Find's "not found" in the status bar read `&quot;nothing-here&quot; not found`: a message is shown as the
    // plain text it is, neither escaped nor read as markup.
    QFETCH(QString, needle);
    newWindow();
    newEmptyBatch();
    action("actionAddRow")->trigger();
    action("actionFind")->trigger();
    auto *find = child<QLineEdit>("findEdit");
    QTest::keyClicks(find, needle);
    QTest::keyClick(find, Qt::Key_Return);
    auto *summary = child<QLabel>("statusSummary");
    const QString expected = QStringLiteral("\"%1\" not found").arg(needle);
    QCOMPARE(summary->text(), expected);
    QCOMPARE(summary->textFormat(), Qt::PlainText);
    QCOMPARE(summary->toolTip(), expected);
}

void TestChrome::iconsStandOutOnBothPalettes_data()
{
    QTest::addColumn<bool>("dark");
    QTest::newRow("dark") << true;
    QTest::newRow("light") << false;
}

namespace {
double luminance(const QColor &c)
{
    auto channel = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}

double contrast(const QColor &a, const QColor &b)
{
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

// The icon's ink: the mean colour of its (nearly) opaque pixels.
QColor ink(const QIcon &icon)
{
    const QImage image = icon.pixmap(QSize(32, 32)).toImage().convertToFormat(QImage::Format_ARGB32);
    double r = 0, g = 0, b = 0;
    int n = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            if (const QColor c = image.pixelColor(x, y); c.alpha() >= 200) {
                r += c.redF();
                g += c.greenF();
                b += c.blueF();
                ++n;
            }
    return n ? QColor::fromRgbF(float(r / n), float(g / n), float(b / n)) : QColor();
}
} // namespace

void TestChrome::iconsStandOutOnBothPalettes()
{
    // The Message dock's header buttons (and every action icon) were drawn in a fixed grey that was barely visible
    // on the dark palette. Their ink must reach 3:1 against the window and the buttons (WCAG's non-text contrast),
    // after a switch of palette too: the window starts light and switches.
    QFETCH(bool, dark);
    newWindow();
    m_window->setDarkPalette(!dark);
    m_window->setDarkPalette(dark);
    const QPalette palette = QApplication::palette();
    QList<QPair<QString, QIcon>> icons;
    for (const char *name : {"addHeaderButton", "removeHeaderButton"})
        icons.append({QLatin1String(name), child<QToolButton>(name)->icon()});
    for (QAction *a : m_window->findChildren<QAction *>())
        if (!a->icon().isNull() && a->objectName().startsWith(QLatin1String("action"))) // ours, not Qt's
            icons.append({a->objectName(), a->icon()});
    QVERIFY(icons.size() > 10);
    for (const auto &[name, icon] : std::as_const(icons)) {
        const QColor c = ink(icon);
        QVERIFY2(c.isValid(), qPrintable(name));
        for (QPalette::ColorRole role : {QPalette::Window, QPalette::Button}) {
            const double ratio = contrast(c, palette.color(role));
            QVERIFY2(ratio >= 3.0, qPrintable(QStringLiteral("%1: %2 on %3 is %4:1")
                                                  .arg(name, c.name(), palette.color(role).name())
                                                  .arg(ratio, 0, 'f', 2)));
        }
    }
    m_window->setDarkPalette(false);
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
