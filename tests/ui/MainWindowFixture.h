#pragma once

// The window tests' shared fixture: a reset configuration for every test, the real MainWindow with an in-memory
// keychain, every model the window shows under QAbstractItemModelTester, and small helpers to drive it. A test
// class derives from QObject and from this, and calls initFixture(), initTest() and cleanupTest() from its
// initTestCase(), init() and cleanup() slots. Rows sent "slowly" (startSlowSend) are rate-limited so that the send is
// still running when the test acts.

#include "UiTestSupport.h"
#include "core/profiles/MemorySecretStore.h"
#include "ui/MainWindow.h"
#include "ui/batch/BatchTableModel.h"
#include "ui/connections/ConnectionService.h"
#include "ui/connections/ConnectionsPanel.h"
#include "ui/sending/SendBar.h"
#include "ui/sending/SendController.h"
#include "ui/widgets/MessageBox.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QStandardItemModel>
#include <QTemporaryDir>
#include <QTest>

namespace kbatch::test {

class MainWindowFixture
{
protected:
    void initFixture()
    {
        QVERIFY(m_config.isValid());
        QVERIFY(m_files.isValid());
        isolateSettings(m_config);
    }

    // Locale::EnglishUS for tests that read numbers as the window writes them ("200,000", "0.5 msg/s") whatever
    // the machine's locale; it stays the default for the rest of the process.
    enum class Locale { System, EnglishUS };

    void initTest(Locale locale = Locale::System)
    {
        resetSettings();
        ui::MessageBox::clearLast();
        if (locale == Locale::EnglishUS)
            QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    }

    void cleanupTest()
    {
        qDeleteAll(m_testers);
        m_testers.clear();
        closeWindow();
        delete m_secrets;
        m_secrets = nullptr;
        ui::MessageBox::setNextAnswer(QMessageBox::NoButton);
    }

    // Closes (answering Discard to an unsaved-changes question) and deletes the window, if there is one.
    void closeWindow()
    {
        if (!m_window)
            return;
        ui::MessageBox::setNextAnswer(QMessageBox::Discard);
        m_window->close();
        delete m_window;
        m_window = nullptr;
    }

    ui::MainWindow *newWindow(bool sample = false)
    {
        ui::MainWindow::Options options;
        options.loadSampleOnFirstStart = sample;
        delete m_secrets;
        m_secrets = new core::MemorySecretStore;
        options.secretStore = m_secrets;
        m_window = new ui::MainWindow(options);
        m_window->show();
        watchModel(m_window->model());
        watchModel(m_window->connectionsPanel()->topicModel());
        return m_window;
    }

    // Makes the window the active one, as for a user who clicked it, and waits until it is (focus and shortcuts).
    void activateWindow()
    {
        QApplication::setActiveWindow(m_window);
        QVERIFY(QTest::qWaitForWindowActive(m_window));
    }

    // Puts a model under the tester for the rest of the test.
    void watchModel(QAbstractItemModel *model)
    {
        m_testers << new QAbstractItemModelTester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    }

    template <typename T> T *child(const char *name) const
    {
        T *w = m_window->findChild<T *>(QLatin1String(name));
        if (!w)
            qWarning("no child %s", name);
        return w;
    }

    QAction *action(const char *name) const { return m_window->action(QLatin1String(name)); }

    void newEmptyBatch()
    {
        action("actionNewTemplate")->trigger();
        QCOMPARE(m_window->model()->rowCount(), 0);
    }

    QString cell(int row, int column) const
    {
        return m_window->model()->data(m_window->model()->index(row, column)).toString();
    }

    void setTopic(const QString &topic)
    {
        auto *combo = child<QComboBox>("topicCombo");
        combo->lineEdit()->clear();
        QTest::keyClicks(combo->lineEdit(), topic);
    }

    bool waitForSendToFinish()
    {
        return QTest::qWaitFor([this] { return !m_window->sendController()->isBusy(); }, 60000);
    }

    bool waitForDelivered(qsizetype n)
    {
        return QTest::qWaitFor([this, n] { return m_window->sendController()->stats().delivered >= n; }, 20000);
    }

    // Appends `count` rows (one undo step) with values "<prefix>-0", "<prefix>-1", ..., and with keys "0", "1", ...
    // if `numberedKeys`.
    void appendRows(int count, const QByteArray &prefix, bool numberedKeys = false)
    {
        core::Batch rows;
        for (int i = 0; i < count; ++i) {
            core::Message m;
            if (numberedKeys)
                m.key = core::Payload(QByteArray::number(i));
            m.value = core::Payload(prefix + '-' + QByteArray::number(i));
            rows.append(m);
        }
        m_window->model()->appendBatch(rows, QStringLiteral("rows"));
    }

    // Appends `count` keyed rows (see appendRows) and sends them at `rate` messages a second to `topic`.
    void startSlowSend(const QString &topic, int count, double rate, const QByteArray &prefix)
    {
        appendRows(count, prefix, true);
        core::ProducerSettings settings = m_window->sendBar()->settings();
        settings.rateLimit = rate;
        m_window->sendBar()->setSettings(settings);
        setTopic(topic);
        action("actionSend")->trigger();
        QVERIFY(m_window->sendController()->isBusy());
    }

    // The status bar's summary as plain text (its tooltip; the label shows it as rich text).
    QString statusSummary() const { return child<QLabel>("statusSummary")->toolTip(); }

    QTemporaryDir m_config;
    QTemporaryDir m_files;
    ui::MainWindow *m_window = nullptr;
    QList<QAbstractItemModelTester *> m_testers;
    core::MemorySecretStore *m_secrets = nullptr;
};

} // namespace kbatch::test
