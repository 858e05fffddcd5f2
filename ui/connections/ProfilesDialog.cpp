#include "ui/connections/ProfilesDialog.h"

#include "core/kafka/Metadata.h"
#include "core/model/Printable.h"
#include "core/profiles/LibrdkafkaProperties.h"
#include "core/profiles/ProfileStore.h"
#include "core/profiles/RegistryProfile.h"
#include "core/profiles/SecretStore.h"
#include "core/schema/RegistryClient.h"
#include "ui/widgets/FileDialog.h"
#include "ui/widgets/MessageBox.h"
#include "ui/widgets/Theme.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent>

#include <memory>

namespace kbatch::ui {

using core::SecretKind;

ProfilesDialog::ProfilesDialog(core::ProfileStore *profiles, core::SecretStore *secrets, QWidget *parent)
    : QDialog(parent), m_profiles(profiles), m_secrets(secrets)
{
    setObjectName(QStringLiteral("profilesDialog"));
    setWindowTitle(tr("Connection Profiles"));
    auto *layout = new QHBoxLayout(this);
    layout->setSpacing(12);

    auto *left = new QVBoxLayout;
    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("profilesList"));
    m_list->setFixedWidth(180);
    auto *buttons = new QHBoxLayout;
    auto *add = new QPushButton(tr("New"), this);
    add->setObjectName(QStringLiteral("profileNew"));
    m_delete = new QPushButton(tr("Delete"), this);
    m_delete->setObjectName(QStringLiteral("profileDelete"));
    buttons->addWidget(add);
    buttons->addWidget(m_delete);
    left->addWidget(m_list, 1);
    left->addLayout(buttons);

    auto *right = new QVBoxLayout;
    auto *form = new QFormLayout;
    form->setObjectName(QStringLiteral("profileForm"));
    form->setSpacing(6);
    auto line = [this](const char *name, const QString &placeholder = {}) {
        auto *e = new QLineEdit(this);
        e->setObjectName(QLatin1String(name));
        e->setPlaceholderText(placeholder);
        return e;
    };
    m_name = line("profileName");
    m_bootstrap = line("profileBootstrap", tr("host:9092,host2:9092"));
    m_security = new QComboBox(this);
    m_security->setObjectName(QStringLiteral("profileSecurity"));
    for (auto p : {core::SecurityProtocol::Plaintext, core::SecurityProtocol::Ssl,
                   core::SecurityProtocol::SaslPlaintext, core::SecurityProtocol::SaslSsl})
        m_security->addItem(core::toString(p), int(p));
    m_mechanism = new QComboBox(this);
    m_mechanism->setObjectName(QStringLiteral("profileMechanism"));
    for (auto m : {core::SaslMechanism::Plain, core::SaslMechanism::ScramSha256, core::SaslMechanism::ScramSha512,
                   core::SaslMechanism::OAuthBearer})
        m_mechanism->addItem(core::toString(m), int(m));
    m_username = line("profileUsername");
    m_password = line("profilePassword", tr("unchanged — stored in the keychain"));
    m_password->setEchoMode(QLineEdit::Password);
    m_caFile = line("profileCaFile", tr("CA certificate (PEM)"));
    m_certFile = line("profileCertFile", tr("client certificate (PEM)"));
    m_keyFile = line("profileKeyFile", tr("client key (PEM)"));
    m_keyPassphrase = line("profileKeyPassphrase", tr("unchanged — stored in the keychain"));
    m_keyPassphrase->setEchoMode(QLineEdit::Password);
    m_skipVerify = new QCheckBox(tr("Skip certificate verification (insecure)"), this);
    m_skipVerify->setObjectName(QStringLiteral("profileSkipVerify"));
    m_connectTimeout = new QSpinBox(this);
    m_connectTimeout->setObjectName(QStringLiteral("profileConnectTimeout"));
    m_connectTimeout->setRange(1, 3600);
    m_connectTimeout->setSuffix(tr(" s"));
    m_connectTimeout->setToolTip(tr("How long a send or a connection test waits for the cluster before it fails"));
    m_properties = new QPlainTextEdit(this);
    m_properties->setObjectName(QStringLiteral("profileProperties"));
    m_properties->setPlaceholderText(tr("more librdkafka properties, name=value per line (no secrets)"));
    m_properties->setFixedHeight(64);
    form->addRow(tr("Name"), m_name);
    form->addRow(tr("Bootstrap servers"), m_bootstrap);
    form->addRow(tr("Security protocol"), m_security);
    form->addRow(tr("SASL mechanism"), m_mechanism);
    form->addRow(tr("User name"), m_username);
    form->addRow(tr("Password"), m_password);
    form->addRow(tr("TLS CA file"), withBrowseButton(m_caFile, tr("TLS CA file")));
    form->addRow(tr("Client certificate"), withBrowseButton(m_certFile, tr("Client certificate")));
    form->addRow(tr("Client key"), withBrowseButton(m_keyFile, tr("Client key")));
    form->addRow(tr("Key passphrase"), m_keyPassphrase);
    form->addRow(QString(), m_skipVerify);
    form->addRow(tr("Connect timeout"), m_connectTimeout);
    form->addRow(tr("Properties"), m_properties);
    m_passwordLabel = qobject_cast<QLabel *>(form->labelForField(m_password));
    m_usernameLabel = qobject_cast<QLabel *>(form->labelForField(m_username));
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("profileStatus"));
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText); // broker errors are shown as they are, never as HTML
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    // Broker errors can be long (every bootstrap address, librdkafka's reason): the status has a row of its own, at
    // most four lines high, and scrolls beyond, instead of pushing into the fields above it.
    m_statusArea = new QScrollArea(this);
    m_statusArea->setObjectName(QStringLiteral("profileStatusArea"));
    m_statusArea->setWidget(m_status);
    m_statusArea->setWidgetResizable(true);
    m_statusArea->setFrameShape(QFrame::NoFrame);
    m_statusArea->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_statusArea->setFixedHeight(fontMetrics().lineSpacing() * 4 + 4);
    m_statusArea->setBackgroundRole(QPalette::Window);
    auto *box = new QDialogButtonBox(this);
    QPushButton *saveButton = box->addButton(tr("Save Profile"), QDialogButtonBox::ApplyRole);
    saveButton->setObjectName(QStringLiteral("profileSave"));
    QPushButton *testButton = box->addButton(tr("Test Connection"), QDialogButtonBox::ActionRole);
    testButton->setObjectName(QStringLiteral("profileTest"));
    connect(testButton, &QPushButton::clicked, this, &ProfilesDialog::testConnection);
    box->addButton(QDialogButtonBox::Close);
    // The cluster and its Schema Registry on tabs of their own: the form stays the height it was.
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("profileTabs"));
    m_tabs->setDocumentMode(true);
    auto *clusterPage = new QWidget(m_tabs);
    clusterPage->setLayout(form);
    m_tabs->addTab(clusterPage, tr("Cluster"));
    m_tabs->addTab(makeRegistryTab(), tr("Schema Registry"));
    m_registryStatus = new QLabel(this);
    m_registryStatus->setObjectName(QStringLiteral("profileRegistryStatus"));
    m_registryStatus->setWordWrap(true);
    m_registryStatus->setTextFormat(Qt::PlainText); // a registry's errors are shown as they are, never as HTML
    m_registryStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_registryStatus->hide();
    right->addWidget(m_tabs);
    right->addWidget(m_statusArea);
    right->addWidget(m_registryStatus);
    right->addStretch();
    right->addWidget(box);

    layout->addLayout(left);
    layout->addLayout(right, 1);

    connect(m_list, &QListWidget::currentTextChanged, this, [this](const QString &name) {
        if (name == m_editing)
            return;
        // Put the selection back on the profile in the form while the user decides, and decide after this signal:
        // saving rebuilds the list.
        {
            const QSignalBlocker block(m_list);
            const auto shown = m_list->findItems(m_editing, Qt::MatchExactly);
            if (shown.isEmpty())
                m_list->clearSelection();
            else
                m_list->setCurrentItem(shown.first());
        }
        QMetaObject::invokeMethod(
            this,
            [this, name] {
                if (name != m_editing && maybeLeave())
                    selectProfile(name);
            },
            Qt::QueuedConnection);
    });
    connect(add, &QPushButton::clicked, this, [this] {
        if (!maybeLeave())
            return;
        {
            const QSignalBlocker block(m_list);
            m_list->clearSelection();
            m_list->setCurrentItem(nullptr);
        }
        core::ConnectionProfile p;
        showProfile(p);
        m_name->setFocus();
    });
    connect(m_delete, &QPushButton::clicked, this, &ProfilesDialog::removeCurrent);
    connect(saveButton, &QPushButton::clicked, this, &ProfilesDialog::save);
    connect(box, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_security, &QComboBox::currentIndexChanged, this, &ProfilesDialog::updateEnabled);
    connect(m_mechanism, &QComboBox::currentIndexChanged, this, &ProfilesDialog::updateEnabled);
    connect(m_skipVerify, &QCheckBox::toggled, this, [this](bool skip) {
        if (skip)
            setStatus(tr("Certificate verification is off for this profile: anyone on the network path can "
                         "impersonate the broker."),
                      true);
    });
    reload(core::sandboxProfileName());
    resize(720, 560);
}

QWidget *ProfilesDialog::makeRegistryTab()
{
    auto *page = new QWidget(m_tabs);
    auto *form = new QFormLayout(page);
    form->setObjectName(QStringLiteral("profileRegistryForm"));
    form->setSpacing(6);
    auto line = [page](const char *name, const QString &placeholder = {}) {
        auto *e = new QLineEdit(page);
        e->setObjectName(QLatin1String(name));
        e->setPlaceholderText(placeholder);
        return e;
    };
    m_registryUrl = line("profileRegistryUrl", tr("https://registry:8081 (empty: no registry)"));
    m_registryUrl->setToolTip(tr("The registry API's base URL, without a user or password in it; for Apicurio "
                                 "its Confluent-compatible API, …/apis/ccompat/v7"));
    m_registryUser = line("profileRegistryUser", tr("HTTP basic authentication (Confluent Cloud: the API key)"));
    m_registryPassword = line("profileRegistryPassword", tr("unchanged — stored in the keychain"));
    m_registryPassword->setEchoMode(QLineEdit::Password);
    m_registryPassword->setToolTip(tr("With a user: its password (Confluent Cloud: the API secret)"));
    m_registryToken = line("profileRegistryToken", tr("unchanged — stored in the keychain"));
    m_registryToken->setEchoMode(QLineEdit::Password);
    m_registryToken->setToolTip(tr("Without a user: a bearer token, sent as \"Authorization: Bearer\""));
    m_registryCa = line("profileRegistryCaFile", tr("CA certificate (PEM), besides the system's"));
    m_registryCert = line("profileRegistryCertFile", tr("client certificate (PEM)"));
    m_registryKey = line("profileRegistryKeyFile", tr("client key (PEM)"));
    m_registryKeyPassphrase = line("profileRegistryKeyPassphrase", tr("unchanged — stored in the keychain"));
    m_registryKeyPassphrase->setEchoMode(QLineEdit::Password);
    m_registryKeyPassphrase->setToolTip(tr("Only for an encrypted client key: its passphrase"));
    form->addRow(tr("URL"), m_registryUrl);
    form->addRow(tr("User name"), m_registryUser);
    form->addRow(tr("Password"), m_registryPassword);
    form->addRow(tr("Bearer token"), m_registryToken);
    form->addRow(tr("TLS CA file"), withBrowseButton(m_registryCa, tr("Registry CA file")));
    form->addRow(tr("Client certificate"), withBrowseButton(m_registryCert, tr("Registry client certificate")));
    form->addRow(tr("Client key"), withBrowseButton(m_registryKey, tr("Registry client key")));
    form->addRow(tr("Key passphrase"), m_registryKeyPassphrase);
    return page;
}

ProfilesDialog::~ProfilesDialog()
{
    if (m_testCancel) // a connection test still waiting for a broker stops within 100 ms; its answer goes nowhere
        m_testCancel->store(true);
}

QWidget *ProfilesDialog::withBrowseButton(QLineEdit *field, const QString &caption)
{
    auto *row = new QWidget(this);
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    auto *browse = new QToolButton(row);
    browse->setObjectName(field->objectName() + QStringLiteral("Browse"));
    browse->setText(tr("…"));
    browse->setToolTip(tr("Choose the %1").arg(caption.toLower()));
    connect(browse, &QToolButton::clicked, this, [this, field, caption] {
        const QString current = field->text().trimmed();
        const QString path =
            FileDialog::openFileName(this, caption, current.isEmpty() ? QString() : QFileInfo(current).absolutePath(),
                                     tr("PEM files (*.pem *.crt *.cer *.key);;All files (*)"));
        if (!path.isEmpty())
            field->setText(path);
    });
    // The row is what gets disabled (no TLS, the sandbox): the field and its button together.
    layout->addWidget(field, 1);
    layout->addWidget(browse);
    return row;
}

bool ProfilesDialog::hasUnsavedEdits() const
{
    if (!m_name->isEnabled()) // the sandbox: nothing to edit
        return false;
    return !m_password->text().isEmpty() || !m_keyPassphrase->text().isEmpty() ||
           !m_registryPassword->text().isEmpty() || !m_registryToken->text().isEmpty() ||
           !m_registryKeyPassphrase->text().isEmpty() || collect() != m_shown;
}

bool ProfilesDialog::maybeLeave()
{
    if (!hasUnsavedEdits())
        return true;
    const QString name = m_name->text().trimmed().isEmpty() ? tr("the new profile") : m_name->text().trimmed();
    const auto answer = MessageBox::question(
        this, tr("Unsaved profile"), tr("The profile \"%1\" has unsaved changes. Save them before going on?").arg(name),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Discard)
        return true;
    if (answer != QMessageBox::Save)
        return false;
    save();
    return !hasUnsavedEdits(); // saved; a refused save (the status says why) keeps the form
}

void ProfilesDialog::reject()
{
    if (maybeLeave())
        QDialog::reject();
}

void ProfilesDialog::reload(const QString &select)
{
    const QSignalBlocker block(m_list);
    m_list->clear();
    const QList<core::ConnectionProfile> all = m_profiles->list();
    for (const core::ConnectionProfile &p : all)
        m_list->addItem(p.name);
    selectProfile(select);
}

void ProfilesDialog::selectProfile(const QString &name)
{
    const auto items = m_list->findItems(name, Qt::MatchExactly);
    if (!items.isEmpty()) {
        const QSignalBlocker block(m_list); // chosen here, not by the user: nothing to ask
        m_list->setCurrentItem(items.first());
    }
    if (const auto p = m_profiles->find(name))
        showProfile(*p);
}

QString ProfilesDialog::statusText() const
{
    return m_status->text();
}

QString ProfilesDialog::registryStatusText() const
{
    return m_registryStatus->text();
}

void ProfilesDialog::showProfile(const core::ConnectionProfile &p)
{
    m_editing = p.name;
    m_name->setText(p.name);
    m_bootstrap->setText(p.bootstrapServers);
    m_security->setCurrentIndex(m_security->findData(int(p.securityProtocol)));
    m_mechanism->setCurrentIndex(m_mechanism->findData(int(p.saslMechanism)));
    m_username->setText(p.username);
    m_password->clear();
    m_caFile->setText(p.caFile);
    m_certFile->setText(p.certFile);
    m_keyFile->setText(p.keyFile);
    m_keyPassphrase->clear();
    m_skipVerify->setChecked(p.skipCertificateVerification);
    m_registryUrl->setText(p.registry.url);
    m_registryUser->setText(p.registry.username);
    m_registryPassword->clear();
    m_registryToken->clear();
    m_registryKeyPassphrase->clear();
    m_registryCa->setText(p.registry.caFile);
    m_registryCert->setText(p.registry.certFile);
    m_registryKey->setText(p.registry.keyFile);
    setRegistryStatus(QString(), false);
    if (m_registryTest) { // a test of the profile shown before: its answer goes nowhere
        m_registryTest->deleteLater();
        m_registryTest = nullptr;
    }
    m_connectTimeout->setValue(p.connectTimeoutMs / 1000);
    QStringList lines;
    for (const core::Property &prop : p.properties)
        lines << prop.first + QLatin1Char('=') + prop.second;
    m_properties->setPlainText(lines.join(QLatin1Char('\n')));
    const bool sandbox = p.isSandbox;
    for (QWidget *w : std::initializer_list<QWidget *>{
             m_name, m_bootstrap, m_security, m_mechanism, m_username, m_password, m_caFile->parentWidget(),
             m_certFile->parentWidget(), m_keyFile->parentWidget(), m_keyPassphrase, m_skipVerify, m_registryUrl,
             m_registryUser, m_registryPassword, m_registryToken, m_registryCa->parentWidget(),
             m_registryCert->parentWidget(), m_registryKey->parentWidget(), m_registryKeyPassphrase})
        w->setEnabled(!sandbox);
    m_delete->setEnabled(!sandbox && !p.name.isEmpty());
    setStatus(sandbox ? tr("The built-in sandbox runs inside KBatch; it needs no settings.") : QString(), false);
    if (!sandbox)
        updateEnabled();
    m_shown = collect(); // as the form reads it back (a timeout in whole seconds, properties one per line)
}

core::ConnectionProfile ProfilesDialog::collect() const
{
    core::ConnectionProfile p;
    if (const auto existing = m_profiles->find(m_editing))
        p = *existing;
    p.name = m_name->text().trimmed();
    p.bootstrapServers = m_bootstrap->text().trimmed();
    p.securityProtocol = core::SecurityProtocol(m_security->currentData().toInt());
    p.saslMechanism = core::SaslMechanism(m_mechanism->currentData().toInt());
    p.username = m_username->text().trimmed();
    p.caFile = m_caFile->text().trimmed();
    p.certFile = m_certFile->text().trimmed();
    p.keyFile = m_keyFile->text().trimmed();
    p.skipCertificateVerification = m_skipVerify->isChecked();
    p.connectTimeoutMs = m_connectTimeout->value() * 1000;
    p.registry.url = m_registryUrl->text().trimmed();
    p.registry.username = m_registryUser->text().trimmed();
    p.registry.caFile = m_registryCa->text().trimmed();
    p.registry.certFile = m_registryCert->text().trimmed();
    p.registry.keyFile = m_registryKey->text().trimmed();
    p.properties.clear();
    const QStringList lines = m_properties->toPlainText().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    for (const QString &l : lines) {
        const qsizetype eq = l.indexOf(QLatin1Char('='));
        if (eq > 0)
            p.properties.append({l.left(eq).trimmed(), l.mid(eq + 1).trimmed()});
    }
    return p;
}

void ProfilesDialog::save()
{
    const core::ConnectionProfile p = collect();
    // A registry secret the profile would not use is refused before anything is stored (the rules kbatch-cli's
    // profile set follows too); the profile's own fields are checked by the store.
    for (const auto &[kind, field] : {std::pair{SecretKind::RegistryPassword, m_registryPassword},
                                      std::pair{SecretKind::RegistryToken, m_registryToken},
                                      std::pair{SecretKind::RegistryKeyPassphrase, m_registryKeyPassphrase}}) {
        if (field->text().isEmpty())
            continue;
        if (const core::Status usable = core::checkRegistrySecret(p.registry, kind); !usable.ok()) {
            m_tabs->setCurrentIndex(1);
            setStatus(tr("Schema Registry: %1").arg(usable.error().text), true);
            return;
        }
    }
    const core::Status saved = m_profiles->save(p, m_editing);
    if (!saved.ok()) {
        if (saved.error().field.startsWith(QLatin1String("registry"))) {
            m_tabs->setCurrentIndex(1); // the field at fault is on the registry's tab
            setStatus(tr("Schema Registry: %1").arg(saved.error().text), true);
        } else {
            setStatus(saved.error().message(), true);
        }
        return;
    }
    const QString name = p.name;
    // Secrets: only what was typed; an empty field means "keep the stored one".
    const QList<QPair<SecretKind, QLineEdit *>> fields{{passwordKind(), m_password},
                                                       {SecretKind::KeyPassphrase, m_keyPassphrase},
                                                       {SecretKind::RegistryPassword, m_registryPassword},
                                                       {SecretKind::RegistryToken, m_registryToken},
                                                       {SecretKind::RegistryKeyPassphrase, m_registryKeyPassphrase}};
    for (const auto &entry : fields) {
        // Not a structured binding: the lambdas below capture `kind`, which clang (and so clang-tidy) before 16 cannot.
        const SecretKind kind = entry.first;
        QLineEdit *const field = entry.second;
        if (field->text().isEmpty())
            continue;
        const QByteArray secret = field->text().toUtf8();
        field->clear();
        const core::SecretJobId job = m_secrets->writeSecret(name, kind, secret);
        // A keychain creating or unlocking a keyring asks its user for a password first: say so while it waits,
        // and wait (the store's own deadline is minutes, not seconds).
        auto waiting = std::make_shared<QMetaObject::Connection>();
        *waiting = connect(m_secrets, &core::SecretStore::jobWaiting, this, [this, job, name, kind](quint64 j) {
            if (j == job)
                setStatus(tr("Waiting for the keychain to store the %1 of '%2': it may be asking for a keyring "
                             "password in another window.")
                              .arg(core::describe(kind), name),
                          false);
        });
        m_secrets->onFinished(job, this, [this, name, kind, secret, waiting](const core::SecretResult &result) {
            disconnect(*waiting);
            if (result.ok()) {
                setStatus(tr("Profile '%1' saved; the %2 is in the keychain.").arg(name, core::describe(kind)), false);
            } else if (result.status == core::SecretResult::Status::Unavailable) {
                // Never a silent plaintext fallback: say so, and keep it in memory for this session only.
                setStatus(tr("No keychain is available (%1). The %2 of '%3' is used for this session only and is not "
                             "saved anywhere.")
                              .arg(result.message, core::describe(kind), name),
                          true);
                emit sessionSecret(name, int(kind), secret);
            } else {
                setStatus(tr("The %1 of '%2' could not be stored: %3").arg(core::describe(kind), name, result.message),
                          true);
            }
        });
    }
    reload(name);
    // After the reload, which shows the profile afresh (and clears the status): the keychain's answers come later.
    setStatus(tr("Profile '%1' saved.").arg(name), false);
    emit profilesChanged();
}

void ProfilesDialog::testConnection()
{
    const core::ConnectionProfile p = collect();
    if (p.isSandbox) {
        setStatus(tr("The sandbox runs inside KBatch; there is nothing to test."), false);
        return;
    }
    // What is typed in the form wins; a field left empty means the stored secret, read from the keychain first.
    // A test never stores anything.
    auto secrets = std::make_shared<core::ResolvedSecrets>();
    if (!m_password->text().isEmpty())
        (*secrets)[passwordKind()] = m_password->text().toUtf8();
    if (!m_keyPassphrase->text().isEmpty())
        secrets->keyPassphrase = m_keyPassphrase->text().toUtf8();
    if (!m_registryPassword->text().isEmpty())
        secrets->registryPassword = m_registryPassword->text().toUtf8();
    if (!m_registryToken->text().isEmpty())
        secrets->registryToken = m_registryToken->text().toUtf8();
    if (!m_registryKeyPassphrase->text().isEmpty())
        secrets->registryKeyPassphrase = m_registryKeyPassphrase->text().toUtf8();
    QList<SecretKind> toRead;
    if (!m_editing.isEmpty() && m_editing == p.name) {
        for (const core::SecretNeed &need : core::secretsNeeded(p) + core::registrySecretsNeeded(p))
            if (!(*secrets)[need.kind])
                toRead << need.kind;
    }
    if (toRead.isEmpty()) {
        runConnectionTest(p, *secrets);
        return;
    }
    setStatus(tr("Reading the stored secrets of '%1' from the keychain…").arg(p.name), false);
    auto pending = std::make_shared<int>(int(toRead.size()));
    for (const SecretKind kind : std::as_const(toRead)) {
        const core::SecretJobId job = m_secrets->readSecret(p.name, kind);
        m_secrets->onFinished(job, this, [this, p, kind, secrets, pending](const core::SecretResult &result) {
            if (result.ok())
                (*secrets)[kind] = result.secret;
            else if (!result.ok() && result.status != core::SecretResult::Status::NotFound)
                setStatus(tr("The %1 of '%2' could not be read: %3").arg(core::describe(kind), p.name, result.message),
                          true);
            if (--*pending == 0)
                runConnectionTest(p, *secrets);
        });
    }
}

void ProfilesDialog::runConnectionTest(const core::ConnectionProfile &p, const core::ResolvedSecrets &secrets)
{
    testRegistry(p, secrets); // on its own line, whatever the cluster's test says
    auto props = core::librdkafkaProperties(p, secrets);
    if (!props.ok()) {
        setStatus(props.error().message(), true);
        return;
    }
    setStatus(tr("Connecting to %1…").arg(p.bootstrapServers), false);
    const int timeout = p.connectTimeoutMs;
    if (m_testCancel) // an earlier test still waiting: this one replaces it
        m_testCancel->store(true);
    auto cancel = std::make_shared<core::CancelFlag>(false);
    m_testCancel = cancel;
    auto *watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher, p, cancel] {
        watcher->deleteLater();
        if (cancel->load())
            return; // replaced by a later test
        m_testCancel.reset();
        const QString error = watcher->result();
        if (error.isEmpty())
            setStatus(tr("Connected to %1.").arg(p.bootstrapServers), false);
        else
            setStatus(tr("Profile '%1': %2").arg(p.name, error), true);
    });
    const core::Properties connection = props.value();
    watcher->setFuture(QtConcurrent::run([connection, timeout, cancel] {
        auto info = core::fetchMetadata(connection, timeout, cancel.get());
        return info.ok() ? QString() : info.error().message();
    }));
}

void ProfilesDialog::testRegistry(const core::ConnectionProfile &p, const core::ResolvedSecrets &secrets)
{
    if (m_registryTest) { // an earlier test still waiting: this one replaces it
        m_registryTest->deleteLater();
        m_registryTest = nullptr;
    }
    if (!p.registry.isSet()) {
        setRegistryStatus(QString(), false);
        return;
    }
    if (const core::Status valid = core::validateRegistryProfile(p.registry); !valid.ok()) {
        setRegistryStatus(tr("Schema Registry: %1").arg(valid.error().text), true);
        return;
    }
    core::RegistrySettings settings = core::registrySettings(p.registry, secrets);
    settings.timeoutMs = std::min(settings.timeoutMs, p.connectTimeoutMs);
    // GET /subjects: cheap, needs the credentials, and says whether the URL is a registry's API at all. The client
    // answers on this thread without blocking it; deleting it (a newer test, the dialog closing) drops the answer.
    auto *client = new core::RegistryClient(settings, this);
    m_registryTest = client;
    const QString url = client->displayUrl();
    setRegistryStatus(tr("Schema Registry: checking %1…").arg(url), false);
    client->listSubjects(client, [this, client, url, name = p.name](const core::RegistryResult<QStringList> &r) {
        if (m_registryTest == client)
            m_registryTest = nullptr;
        client->deleteLater();
        if (r.ok()) {
            QStringList shown = r.value().mid(0, 3);
            for (QString &subject : shown)
                subject = core::quotedName(subject);
            setRegistryStatus(r->isEmpty()
                                  ? tr("Schema Registry OK at %1: it answers, and has no subjects yet.").arg(url)
                                  : tr("Schema Registry OK at %1: %Ln subject(s), %2%3.", nullptr, int(r->size()))
                                        .arg(url, shown.join(QStringLiteral(", ")),
                                             r->size() > shown.size() ? QStringLiteral(", …") : QString()),
                              false);
            return;
        }
        using Kind = core::RegistryError::Kind;
        const core::RegistryError &e = r.error();
        QString advice;
        switch (e.kind) {
        case Kind::Unreachable:
            advice = tr("unreachable: is it running, and is the URL right?");
            break;
        case Kind::Tls:
            advice = tr("TLS failed: check the CA file, the client certificate and the host name in the URL.");
            break;
        case Kind::Unauthorized:
            advice = tr("wrong or missing credentials (401): check the user and password, or the token, of "
                        "profile '%1'.")
                         .arg(name);
            break;
        case Kind::Forbidden:
            advice = tr("these credentials may not list subjects (403).");
            break;
        case Kind::NotFound:
        case Kind::BadAnswer:
            advice = tr("this URL does not answer as a Schema Registry API: check the path (Apicurio: "
                        "…/apis/ccompat/v7).");
            break;
        default:
            break;
        }
        setRegistryStatus(advice.isEmpty() ? tr("Schema Registry failed: %1").arg(e.text)
                                           : tr("Schema Registry %1 — %2").arg(advice, e.text),
                          true);
    });
}

void ProfilesDialog::setRegistryStatus(const QString &text, bool error)
{
    m_registryStatus->setStyleSheet(
        QStringLiteral("color: %1")
            .arg(error ? Theme::statusColor(core::DeliveryStatus::Failed).name() : Theme::mutedTextColor().name()));
    m_registryStatus->setText(core::printable(text));
    m_registryStatus->setVisible(!text.isEmpty());
}

void ProfilesDialog::removeCurrent()
{
    const QString name = m_editing;
    if (name.isEmpty())
        return;
    const core::Status removed = m_profiles->remove(name);
    if (!removed.ok()) {
        setStatus(removed.error().message(), true);
        return;
    }
    m_secrets->deleteSecrets(name);
    reload(core::sandboxProfileName());
    setStatus(tr("Profile '%1' deleted, with its stored secrets.").arg(name), false);
    emit profilesChanged();
}

void ProfilesDialog::setStatus(const QString &text, bool error)
{
    m_status->setStyleSheet(
        QStringLiteral("color: %1")
            .arg(error ? Theme::statusColor(core::DeliveryStatus::Failed).name() : Theme::mutedTextColor().name()));
    m_status->setText(core::printable(text));
}

void ProfilesDialog::updateEnabled()
{
    const auto protocol = core::SecurityProtocol(m_security->currentData().toInt());
    const bool sasl = core::usesSasl(protocol), tls = core::usesTls(protocol);
    for (QWidget *w : std::initializer_list<QWidget *>{m_mechanism, m_username, m_password})
        w->setEnabled(sasl);
    // OAUTHBEARER takes a static token where the others take a password; without a token the user name becomes
    // the principal of an unsecured JWT (test clusters only).
    const bool oauth = passwordKind() == SecretKind::OAuthToken;
    if (m_passwordLabel)
        m_passwordLabel->setText(oauth ? tr("OAuth token") : tr("Password"));
    if (m_usernameLabel)
        m_usernameLabel->setText(oauth ? tr("Principal") : tr("User name"));
    m_password->setToolTip(oauth ? tr("A static OAuth bearer token (JWT); it is stored in the keychain and handed "
                                      "to the broker as it is, until it expires")
                                 : QString());
    m_username->setToolTip(oauth ? tr("Only without a token: the principal of an unsecured JWT, which only test "
                                      "clusters accept")
                                 : QString());
    for (QWidget *w : std::initializer_list<QWidget *>{m_caFile->parentWidget(), m_certFile->parentWidget(),
                                                       m_keyFile->parentWidget(), m_keyPassphrase, m_skipVerify})
        w->setEnabled(tls);
}

core::SecretKind ProfilesDialog::passwordKind() const
{
    return core::SaslMechanism(m_mechanism->currentData().toInt()) == core::SaslMechanism::OAuthBearer
               ? SecretKind::OAuthToken
               : SecretKind::SaslPassword;
}

} // namespace kbatch::ui
