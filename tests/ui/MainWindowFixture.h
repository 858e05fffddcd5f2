#pragma once

// The window tests' shared fixture: a reset configuration for every test, the real MainWindow with an in-memory
// keychain, every model the window shows under QAbstractItemModelTester, and small helpers to drive it. A test
// class derives from QObject and from this, and calls initFixture(), initTest() and cleanupTest() from its
// initTestCase(), init() and cleanup() slots.

#include "UiTestSupport.h"
#include "core/profiles/MemorySecretStore.h"
#include "ui/MainWindow.h"
#include "ui/batch/BatchTableModel.h"
#include "ui/connections/ConnectionService.h"
#include "ui/connections/ConnectionsPanel.h"
#include "ui/sending/SendController.h"
#include "ui/widgets/MessageBox.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QComboBox>
#include <QLineEdit>
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

    void initTest() { resetSettings(); }

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

    QTemporaryDir m_config;
    QTemporaryDir m_files;
    ui::MainWindow *m_window = nullptr;
    QList<QAbstractItemModelTester *> m_testers;
    core::MemorySecretStore *m_secrets = nullptr;
};

} // namespace kbatch::test
