#include "ui/ScreenshotScript.h"

#include "core/profiles/ProfileStore.h"
#include "ui/MainWindow.h"
#include "ui/batch/BatchTableModel.h"
#include "ui/batch/BatchView.h"
#include "ui/batch/GenerateDialog.h"
#include "ui/connections/ConnectionService.h"
#include "ui/connections/PeekPanel.h"
#include "ui/connections/ProfilesDialog.h"
#include "ui/documents/DocumentController.h"
#include "ui/sending/SendBar.h"
#include "ui/sending/SendController.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QLineEdit>
#include <QPushButton>
#include <QScreen>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTimer>

namespace kbatch::ui {

ScreenshotScript::ScreenshotScript(MainWindow *window, const QString &directory)
    : QObject(window), m_window(window), m_dir(directory)
{}

void ScreenshotScript::start()
{
    QDir().mkpath(m_dir);
    connect(m_window->sendController(), &SendController::finished, this, [this] {
        // Let the last coalesced repaint and the topic refresh land before the picture.
        QTimer::singleShot(1500, this, &ScreenshotScript::step);
    });
    QTimer::singleShot(1500, this, &ScreenshotScript::step);
}

void ScreenshotScript::grab(const QString &name)
{
    // The whole screen, so the window's frame and placement show as a user would see them.
    const QPixmap shot = m_window->screen()->grabWindow(0);
    const QPixmap pixmap = shot.isNull() ? m_window->grab() : shot;
    pixmap.save(QDir(m_dir).filePath(name + QStringLiteral(".png")));
}

void ScreenshotScript::step()
{
    const QString suffix = qEnvironmentVariable("KBATCH_SCREENSHOT_SUFFIX");
    switch (m_step++) {
    case 0:
        // The first row selected so the detail editor shows it; the picture waits for the repaint.
        m_window->view()->selectRow(0);
        QTimer::singleShot(300, this, &ScreenshotScript::step);
        break;
    case 1:
        grab(QStringLiteral("main-before-send") + suffix);
        m_window->action(QStringLiteral("actionSend"))->trigger();
        break; // continues when the send finishes
    case 2:
        grab(QStringLiteral("main-after-send") + suffix);
        // The row with a binary key, its key shown as hex: the encoding switch at work.
        m_window->view()->selectRow(3);
        if (auto *form = m_window->findChild<QComboBox *>(QStringLiteral("keyEncoding")))
            form->setCurrentIndex(3);
        QTimer::singleShot(300, this, &ScreenshotScript::step);
        break;
    case 3:
        grab(QStringLiteral("detail-editor") + suffix);
        m_window->setDarkPalette(true);
        QTimer::singleShot(500, this, &ScreenshotScript::step);
        break;
    case 4: {
        grab(QStringLiteral("dark-palette") + suffix);
        m_window->setDarkPalette(false);
        // A row with placeholders, as a user writes one to generate test data.
        core::Message row;
        row.key = core::Payload(QByteArray("order-{{seq}}"));
        row.value = core::Payload(QByteArray(R"({"id": "{{uuid}}", "customer": "c-{{random.int 1 99}}", )"
                                             R"("status": "{{pick new|paid|shipped}}", "at": "{{now}}"})"));
        auto *dialog = new GenerateDialog(row, m_window);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setCount(1000);
        dialog->setSeed(42);
        dialog->open();
        m_generate = dialog;
        QTimer::singleShot(500, this, &ScreenshotScript::step);
        break;
    }
    case 5: {
        m_generate->grab().save(
            QDir(m_dir).filePath(QStringLiteral("generate-dialog") + suffix + QStringLiteral(".png")));
        m_generate->close();
        // Peek: the messages the send wrote, read back from the topic.
        if (auto *dock = m_window->findChild<QDockWidget *>(QStringLiteral("peekDock")))
            dock->show();
        m_window->peekPanel()->setTopic(m_window->sendBar()->topic());
        if (auto *peek = m_window->peekPanel()->findChild<QPushButton *>(QStringLiteral("peekButton")))
            peek->click();
        QTimer::singleShot(3000, this, &ScreenshotScript::step);
        break;
    }
    case 6:
        grab(QStringLiteral("peek-panel") + suffix);
        // Sandbox faults: three produce errors queued, as a user prepares a retry demonstration.
        if (auto *dock = m_window->findChild<QDockWidget *>(QStringLiteral("faultsDock"))) {
            dock->show();
            dock->raise();
        }
        if (auto *api = m_window->findChild<QComboBox *>(QStringLiteral("faultApi")))
            api->setCurrentText(QStringLiteral("produce"));
        if (auto *count = m_window->findChild<QSpinBox *>(QStringLiteral("faultCount")))
            count->setValue(3);
        if (auto *error = m_window->findChild<QComboBox *>(QStringLiteral("faultError")))
            error->setCurrentText(QStringLiteral("NOT_LEADER_FOR_PARTITION"));
        if (auto *inject = m_window->findChild<QPushButton *>(QStringLiteral("faultInject")))
            inject->click();
        QTimer::singleShot(500, this, &ScreenshotScript::step);
        break;
    case 7:
        grab(QStringLiteral("faults-panel") + suffix);
        for (const char *name : {"peekDock", "faultsDock"})
            if (auto *dock = m_window->findChild<QDockWidget *>(QLatin1String(name)))
                dock->hide();
        m_window->document()->newDocument();
        QTimer::singleShot(300, this, &ScreenshotScript::step);
        break;
    case 8:
        grab(QStringLiteral("empty-state") + suffix);
        m_dialog = m_window->openProfilesDialog();
        // A filled-in form, as a user sets up a secured cluster (not saved: the script leaves no profile behind).
        m_dialog->findChild<QPushButton *>(QStringLiteral("profileNew"))->click();
        m_dialog->findChild<QLineEdit *>(QStringLiteral("profileName"))->setText(QStringLiteral("staging"));
        m_dialog->findChild<QLineEdit *>(QStringLiteral("profileBootstrap"))
            ->setText(QStringLiteral("broker-1.staging:9094,broker-2.staging:9094"));
        if (auto *c = m_dialog->findChild<QComboBox *>(QStringLiteral("profileSecurity")))
            c->setCurrentIndex(c->findText(QStringLiteral("sasl_ssl")));
        if (auto *c = m_dialog->findChild<QComboBox *>(QStringLiteral("profileMechanism")))
            c->setCurrentIndex(c->findText(QStringLiteral("SCRAM-SHA-512")));
        m_dialog->findChild<QLineEdit *>(QStringLiteral("profileUsername"))->setText(QStringLiteral("alice"));
        m_dialog->findChild<QLineEdit *>(QStringLiteral("profilePassword"))->setText(QStringLiteral("password"));
        m_dialog->findChild<QLineEdit *>(QStringLiteral("profileCaFile"))
            ->setText(QStringLiteral("/etc/ssl/staging-ca.pem"));
        QTimer::singleShot(500, this, &ScreenshotScript::step);
        break;
    case 9:
        m_dialog->grab().save(
            QDir(m_dir).filePath(QStringLiteral("profiles-dialog") + suffix + QStringLiteral(".png")));
        m_dialog->close();
        if (!startTypedDocument()) {
            QTimer::singleShot(100, qApp, &QApplication::quit);
            break;
        }
        // The registry answers; the rows are checked; then the pictures.
        QTimer::singleShot(2500, this, &ScreenshotScript::step);
        break;
    case 10:
        // A typed row: its value's schema section with the bytes Send writes.
        m_window->view()->selectRow(0);
        QTimer::singleShot(300, this, &ScreenshotScript::step);
        break;
    case 11:
        grab(QStringLiteral("typed-row") + suffix);
        if (auto *dock = m_window->findChild<QDockWidget *>(QStringLiteral("messageDock")))
            dock->grab().save(QDir(m_dir).filePath(QStringLiteral("typed-bytes") + suffix + QStringLiteral(".png")));
        if (auto *tabs = m_window->findChild<QTabWidget *>(QStringLiteral("schemaTabs_value")))
            tabs->setCurrentIndex(1);
        QTimer::singleShot(300, this, &ScreenshotScript::step);
        break;
    case 12:
        if (auto *dock = m_window->findChild<QDockWidget *>(QStringLiteral("messageDock")))
            dock->grab().save(QDir(m_dir).filePath(QStringLiteral("typed-schema") + suffix + QStringLiteral(".png")));
        if (auto *tabs = m_window->findChild<QTabWidget *>(QStringLiteral("schemaTabs_value")))
            tabs->setCurrentIndex(0);
        // The row that does not fit: marked in the table, the path and the reason in the panel.
        m_window->view()->selectRow(2);
        QTimer::singleShot(300, this, &ScreenshotScript::step);
        break;
    case 13:
        grab(QStringLiteral("typed-refused") + suffix);
        startProtobufRegistryDocument();
        QTimer::singleShot(2500, this, &ScreenshotScript::step);
        break;
    case 14:
    case 16:
        m_window->view()->selectRow(0);
        QTimer::singleShot(300, this, &ScreenshotScript::step);
        break;
    case 15:
        grabTyped(QStringLiteral("typed-protobuf-row") + suffix, QStringLiteral("typed-protobuf-bytes") + suffix);
        startProtobufFilesDocument();
        QTimer::singleShot(1000, this, &ScreenshotScript::step);
        break;
    case 17:
        grabTyped(QStringLiteral("typed-protofile-row") + suffix, QStringLiteral("typed-protofile-bytes") + suffix);
        startJsonSchemaDocument();
        QTimer::singleShot(2500, this, &ScreenshotScript::step);
        break;
    case 18:
        m_window->view()->selectRow(0);
        QTimer::singleShot(300, this, &ScreenshotScript::step);
        break;
    case 19:
        grabTyped(QStringLiteral("typed-jsonschema-row") + suffix, QStringLiteral("typed-jsonschema-bytes") + suffix);
        m_window->view()->selectRow(2); // the row that does not fit
        QTimer::singleShot(300, this, &ScreenshotScript::step);
        break;
    case 20:
        grab(QStringLiteral("typed-jsonschema-refused") + suffix);
        QTimer::singleShot(100, qApp, &QApplication::quit);
        break;
    default:
        break;
    }
}

bool ScreenshotScript::startTypedDocument()
{
    // A registry for the typed pictures: tools/screenshots.sh passes one (and registers the schema) when asked to.
    const QString registry = qEnvironmentVariable("KBATCH_SCREENSHOT_REGISTRY");
    const QString topic = qEnvironmentVariable("KBATCH_SCREENSHOT_TOPIC", QStringLiteral("orders"));
    if (registry.isEmpty())
        return false;
    core::ConnectionProfile profile;
    profile.name = QStringLiteral("staging");
    profile.bootstrapServers = m_window->connectionService()->sandboxBootstrap();
    profile.registry.url = registry;
    if (!m_window->connectionService()->profiles()->save(profile).ok())
        return false;
    m_window->sendBar()->setProfiles({ConnectionService::sandboxProfileName(), profile.name}, profile.name);
    if (auto *box = m_window->findChild<QComboBox *>(QStringLiteral("profileCombo")))
        box->setCurrentText(profile.name);

    // Set here rather than through the send bar's serialization choice, so the pictures do not depend on it.
    core::Template tpl;
    tpl.name = QStringLiteral("orders (Avro)");
    tpl.topic = topic;
    tpl.serialization.value.kind = core::PayloadKind::Avro;
    const char *rows[] = {
        R"({"id":"o-1001","customer":"c-17","items":[{"sku":"tea-earl-grey","qty":2}],"total":"12.40","placed":1764950400000,"note":null})",
        R"({"id":"o-1002","customer":"c-42","items":[{"sku":"mug-blue","qty":1},{"sku":"tea-sencha","qty":3}],"total":"31.90","placed":1764950460000,"note":{"string":"gift wrap"}})",
        R"({"id":"o-1003","customer":"c-08","items":[{"sku":"kettle","qty":1},{"sku":"filter","qty":4},{"sku":"tea-rooibos","qty":"two"}],"total":"54.00","placed":1764950520000,"note":null})",
        R"({"id":"o-1004","customer":"c-23","items":[],"total":"0.00","placed":1764950580000,"note":null})",
    };
    for (const char *row : rows) {
        core::Message m;
        m.key = core::Payload(QByteArray(row).mid(7, 6));
        m.value = core::Payload(QByteArray(row), core::Encoding::Json);
        tpl.messages.append(m);
    }
    setTypedDocument(std::move(tpl), QString());
    return true;
}

void ScreenshotScript::grabTyped(const QString &window, const QString &editor)
{
    grab(window);
    if (auto *dock = m_window->findChild<QDockWidget *>(QStringLiteral("messageDock")))
        dock->grab().save(QDir(m_dir).filePath(editor + QStringLiteral(".png")));
}

void ScreenshotScript::startProtobufRegistryDocument()
{
    // tools/screenshots.sh registered shop/events.proto under "<topic>-value"; its second message is the one sent.
    core::Template tpl;
    tpl.name = QStringLiteral("order events (Protobuf)");
    tpl.topic = qEnvironmentVariable("KBATCH_SCREENSHOT_PROTOBUF_TOPIC", QStringLiteral("order-events"));
    tpl.serialization.value.kind = core::PayloadKind::Protobuf;
    tpl.serialization.value.messageType = QStringLiteral("shop.events.OrderPlaced");
    const char *rows[] = {
        R"({"id":"o-1001","customer":"c-17","items":[{"sku":"tea-earl-grey","qty":2}],"totalCents":"1240"})",
        R"({"id":"o-1002","customer":"c-42","items":[{"sku":"mug-blue","qty":1},{"sku":"tea-sencha","qty":3}],"totalCents":"3190"})",
        R"({"id":"o-1003","customer":"c-08","items":[],"totalCents":"0"})",
    };
    for (const char *row : rows) {
        core::Message m;
        m.key = core::Payload(QByteArray(row).mid(7, 6));
        m.value = core::Payload(QByteArray(row), core::Encoding::Json);
        tpl.messages.append(m);
    }
    setTypedDocument(std::move(tpl), QString());
}

void ScreenshotScript::startProtobufFilesDocument()
{
    // A repository's layout: protos/ beside batches/, the template naming the files relative to itself.
    m_protoDir = std::make_unique<QTemporaryDir>();
    const QDir root(m_protoDir->path());
    root.mkpath(QStringLiteral("protos"));
    root.mkpath(QStringLiteral("batches"));
    const auto write = [&root](const QString &name, const QByteArray &text) {
        QFile f(root.filePath(name));
        if (f.open(QIODevice::WriteOnly))
            f.write(text);
    };
    write(QStringLiteral("protos/money.proto"), R"(syntax = "proto3";
package shop;

message Money {
  string currency = 1;
  int64 units = 2;
  int32 nanos = 3;
}
)");
    write(QStringLiteral("protos/shop.proto"), R"(syntax = "proto3";
package shop;

import "money.proto";
import "google/protobuf/timestamp.proto";

message Order {
  string id = 1;
  string customer = 2;
  repeated Line lines = 3;
  Money total = 4;
  google.protobuf.Timestamp placed = 5;

  message Line {
    string sku = 1;
    int32 qty = 2;
  }
}
)");
    core::Template tpl;
    tpl.name = QStringLiteral("orders (Protobuf files)");
    tpl.topic = QStringLiteral("orders");
    tpl.serialization.value.kind = core::PayloadKind::Protobuf;
    tpl.serialization.value.messageType = QStringLiteral("shop.Order");
    tpl.serialization.value.protoPaths = {QStringLiteral("../protos/shop.proto"), QStringLiteral("../protos")};
    const char *rows[] = {
        R"({"id":"o-1001","customer":"c-17","lines":[{"sku":"tea-earl-grey","qty":2}],"total":{"currency":"EUR","units":"12","nanos":400000000},"placed":"2025-12-05T16:00:00Z"})",
        R"({"id":"o-1002","customer":"c-42","lines":[{"sku":"mug-blue","qty":1}],"total":{"currency":"EUR","units":"31","nanos":900000000},"placed":"2025-12-05T16:01:00Z"})",
    };
    for (const char *row : rows) {
        core::Message m;
        m.key = core::Payload(QByteArray(row).mid(7, 6));
        m.value = core::Payload(QByteArray(row), core::Encoding::Json);
        tpl.messages.append(m);
    }
    // The template's path is what relative .proto paths are taken from; the file itself need not exist for the
    // pictures.
    setTypedDocument(std::move(tpl), root.filePath(QStringLiteral("batches/orders.kbatch.json")));
}

void ScreenshotScript::startJsonSchemaDocument()
{
    // tools/screenshots.sh registered a JSON Schema under "<topic>-value"; the third row breaks its id pattern.
    core::Template tpl;
    tpl.name = QStringLiteral("customers (JSON Schema)");
    tpl.topic = qEnvironmentVariable("KBATCH_SCREENSHOT_JSONSCHEMA_TOPIC", QStringLiteral("customers"));
    tpl.serialization.value.kind = core::PayloadKind::JsonSchema;
    const char *rows[][2] = {
        {"c-17",
         R"({"id":"c-17","name":"Ada Lovelace","email":"ada@example.com","address":{"city":"London","postcode":"W1"},"tags":["tea"]})"},
        {"c-42", R"({"id":"c-42","name":"Grace Hopper","address":{"city":"Arlington","postcode":"22201"},"tags":[]})"},
        {"17", R"({"id":"17","name":"Alan Turing","address":{"city":"Wilmslow","postcode":"SK9"},"tags":["chess"]})"},
    };
    for (const auto &row : rows) {
        core::Message m;
        m.key = core::Payload(QByteArray(row[0]));
        m.value = core::Payload(QByteArray(row[1]), core::Encoding::Json);
        tpl.messages.append(m);
    }
    setTypedDocument(std::move(tpl), QString());
}

void ScreenshotScript::setTypedDocument(core::Template tpl, const QString &path)
{
    m_window->document()->setTemplate(std::move(tpl), path);
    // Room for the rows and the schema section: the connections dock aside, the value column wide, and the panel's
    // schema section given most of its height.
    for (const char *name : {"connectionsDock", "templatesDock"})
        if (auto *dock = m_window->findChild<QDockWidget *>(QLatin1String(name)))
            dock->hide();
    if (auto *dock = m_window->findChild<QDockWidget *>(QStringLiteral("messageDock")))
        m_window->resizeDocks({dock}, {560}, Qt::Horizontal);
    m_window->view()->setColumnWidth(BatchTableModel::Key, 70);
    m_window->view()->setColumnWidth(BatchTableModel::Value, 330);
    if (auto *detail = m_window->findChild<QWidget *>(QStringLiteral("messageDetail")))
        if (auto *splitter = detail->findChild<QSplitter *>())
            splitter->setSizes({50, 170, 40, 400});
}

} // namespace kbatch::ui
