#include "ui/sending/SerializationDialog.h"

#include "core/model/Printable.h"
#include "core/schema/SubjectName.h"
#include "ui/widgets/Theme.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace kbatch::ui {

namespace {

// The subject a part's settings name for `topic`, as the send will ask the registry; empty when it depends on the
// record (a record name strategy without a record name).
QString subjectOf(const core::SerializerSettings &s, const QString &topic, core::PayloadPart part)
{
    if (!s.subject.isEmpty())
        return s.subject;
    if (s.version.kind == core::VersionSelector::Kind::SchemaId)
        return {};
    auto named =
        core::subjectName(s.subjectStrategy, topic.isEmpty() ? QStringLiteral("<topic>") : topic, part, s.recordName);
    return named ? named.value() : QString();
}

QString kindName(core::PayloadKind kind)
{
    switch (kind) {
    case core::PayloadKind::Bytes:
        return QObject::tr("bytes");
    case core::PayloadKind::Avro:
        return QObject::tr("Avro");
    case core::PayloadKind::Protobuf:
        return QObject::tr("Protobuf");
    case core::PayloadKind::JsonSchema:
        return QObject::tr("JSON Schema");
    }
    return core::toString(kind);
}

// Protobuf from .proto files or a descriptor set: compiled locally and sent unframed, without a registry.
bool fromFiles(const core::SerializerSettings &s)
{
    return s.kind == core::PayloadKind::Protobuf && (!s.protoPaths.isEmpty() || !s.descriptorSet.isEmpty());
}

QString partSummary(const core::SerializerSettings &s, const QString &topic, core::PayloadPart part)
{
    if (!s.usesRegistry())
        return QObject::tr("bytes");
    QString kind = kindName(s.kind);
    if (s.kind == core::PayloadKind::Protobuf && !s.messageType.isEmpty())
        kind += QLatin1Char(' ') + core::printableCut(s.messageType, 60);
    if (fromFiles(s))
        return QObject::tr("%1 from files, unframed").arg(kind);
    const QString subject = subjectOf(s, topic, part);
    QString which = s.version.kind == core::VersionSelector::Kind::SchemaId
                        ? QStringLiteral("id %1").arg(s.version.number)
                        : s.version.toString();
    if (!s.schemaText.isEmpty())
        which = QObject::tr("local schema");
    QString text = subject.isEmpty() ? QStringLiteral("%1 (%2)").arg(kind, which)
                                     : QStringLiteral("%1 (%2, %3)").arg(kind, subject, which);
    if (s.autoRegister)
        text += QObject::tr(", registers");
    return text;
}

} // namespace

SerializationDialog::SerializationDialog(const core::Serialization &serialization, const QString &topic,
                                         QWidget *parent)
    : QDialog(parent), m_original(serialization), m_topic(topic)
{
    setObjectName(QStringLiteral("serializationDialog"));
    setWindowTitle(tr("Serialization"));
    auto *layout = new QVBoxLayout(this);
    layout->setSpacing(8);
    auto *intro = new QLabel(tr("How keys and values are sent: as the bytes typed, or as Avro, Protobuf or JSON Schema "
                                "through the connection profile's Schema Registry (each row's JSON checked, encoded "
                                "and framed with the schema id)."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    auto *parts = new QHBoxLayout;
    parts->setSpacing(12);
    parts->addWidget(makePart("key", tr("Key"), serialization.key, m_key));
    parts->addWidget(makePart("value", tr("Value"), serialization.value, m_value));
    layout->addLayout(parts);
    m_problem = new QLabel(this);
    m_problem->setObjectName(QStringLiteral("serializationProblem"));
    m_problem->setWordWrap(true);
    m_problem->setTextFormat(Qt::PlainText);
    m_problem->setStyleSheet(QStringLiteral("color: %1").arg(Theme::statusColor(core::DeliveryStatus::Failed).name()));
    m_problem->hide();
    layout->addWidget(m_problem);
    auto *box = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    box->button(QDialogButtonBox::Ok)->setObjectName(QStringLiteral("serializationOk"));
    connect(box, &QDialogButtonBox::accepted, this, &SerializationDialog::accept);
    connect(box, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(box);
    updateEnabled();
}

QWidget *SerializationDialog::makePart(const char *prefix, const QString &title,
                                       const core::SerializerSettings &settings, Part &part)
{
    const QString name = QLatin1String(prefix);
    auto *group = new QGroupBox(title, this);
    group->setObjectName(name + QStringLiteral("Group"));
    auto *form = new QFormLayout(group);
    form->setSpacing(6);
    part.kind = new QComboBox(group);
    part.kind->setObjectName(name + QStringLiteral("Kind"));
    part.kind->addItem(tr("bytes"), int(core::PayloadKind::Bytes));
    for (const core::PayloadKind k :
         {core::PayloadKind::Avro, core::PayloadKind::Protobuf, core::PayloadKind::JsonSchema})
        part.kind->addItem(kindName(k), int(k));
    if (part.kind->findData(int(settings.kind)) < 0) // a kind the window cannot send yet: shown, kept, refused on send
        part.kind->addItem(core::toString(settings.kind), int(settings.kind));
    part.kind->setCurrentIndex(part.kind->findData(int(settings.kind)));
    part.strategy = new QComboBox(group);
    part.strategy->setObjectName(name + QStringLiteral("Strategy"));
    part.strategy->addItem(tr("Topic name (<topic>-%1)").arg(name), int(core::SubjectNameStrategy::TopicName));
    part.strategy->addItem(tr("Record name"), int(core::SubjectNameStrategy::RecordName));
    part.strategy->addItem(tr("Topic and record name"), int(core::SubjectNameStrategy::TopicRecordName));
    part.strategy->setCurrentIndex(part.strategy->findData(int(settings.subjectStrategy)));
    part.recordName = new QLineEdit(settings.recordName, group);
    part.recordName->setObjectName(name + QStringLiteral("RecordName"));
    part.recordName->setPlaceholderText(tr("com.example.Order"));
    part.recordName->setToolTip(tr("The record's full name, which the record name strategies name the subject after"));
    part.subject = new QLineEdit(settings.subject, group);
    part.subject->setObjectName(name + QStringLiteral("Subject"));
    part.subject->setToolTip(tr("A subject of its own, instead of the one the strategy names"));
    part.version = new QLineEdit(settings.version.toString(), group);
    part.version->setObjectName(name + QStringLiteral("Version"));
    part.version->setPlaceholderText(QStringLiteral("latest"));
    part.version->setToolTip(tr("latest, a version number of the subject, or id:N for a schema id"));
    part.messageType = new QLineEdit(settings.messageType, group);
    part.messageType->setObjectName(name + QStringLiteral("MessageType"));
    part.messageType->setPlaceholderText(tr("the file's first message"));
    part.messageType->setToolTip(tr("Protobuf: the message to send, by its full name (shop.Order, shop.Order.Line)"));
    part.autoRegister = new QCheckBox(tr("Register the schema if the subject lacks it"), group);
    part.autoRegister->setObjectName(name + QStringLiteral("AutoRegister"));
    part.autoRegister->setChecked(settings.autoRegister);
    part.autoRegister->setToolTip(tr("Writes to the registry with the profile's credentials: you are asked once "
                                     "before a send does it. Only a template with its own schema text has one to "
                                     "register."));
    form->addRow(tr("Send as"), part.kind);
    form->addRow(tr("Subject strategy"), part.strategy);
    form->addRow(tr("Record name"), part.recordName);
    form->addRow(tr("Subject"), part.subject);
    form->addRow(tr("Version"), part.version);
    form->addRow(tr("Message type"), part.messageType);
    form->addRow(QString(), part.autoRegister);
    const auto update = [this] { updateEnabled(); };
    connect(part.kind, &QComboBox::currentIndexChanged, this, update);
    connect(part.strategy, &QComboBox::currentIndexChanged, this, update);
    connect(part.recordName, &QLineEdit::textChanged, this, update);
    connect(part.subject, &QLineEdit::textChanged, this, update);
    connect(part.version, &QLineEdit::textChanged, this, update);
    connect(part.messageType, &QLineEdit::textChanged, this, update);
    return group;
}

void SerializationDialog::updateEnabled()
{
    for (const auto &[part, which] :
         {std::pair{&m_key, core::PayloadPart::Key}, std::pair{&m_value, core::PayloadPart::Value}}) {
        const auto kind = core::PayloadKind(part->kind->currentData().toInt());
        const bool typed = kind != core::PayloadKind::Bytes;
        part->messageType->setEnabled(kind == core::PayloadKind::Protobuf);
        for (QWidget *w :
             std::initializer_list<QWidget *>{part->strategy, part->subject, part->version, part->autoRegister})
            w->setEnabled(typed);
        const bool byRecord =
            core::SubjectNameStrategy(part->strategy->currentData().toInt()) != core::SubjectNameStrategy::TopicName;
        part->recordName->setEnabled(typed && byRecord);
        // The subject the strategy names, as a hint in the empty subject field.
        core::SerializerSettings s;
        s.kind = core::PayloadKind::Avro;
        s.subjectStrategy = core::SubjectNameStrategy(part->strategy->currentData().toInt());
        s.recordName = part->recordName->text().trimmed();
        part->subject->setPlaceholderText(subjectOf(s, m_topic, which));
    }
    const auto result = serialization();
    m_problem->setText(result ? QString() : result.error().message());
    m_problem->setVisible(!result);
}

core::Result<core::SerializerSettings> SerializationDialog::read(const Part &part, const core::SerializerSettings &base,
                                                                 const QString &name) const
{
    core::SerializerSettings s = base;
    s.kind = core::PayloadKind(part.kind->currentData().toInt());
    if (!s.usesRegistry())
        return s; // the rest is kept as it was, for when Avro is chosen again
    s.subjectStrategy = core::SubjectNameStrategy(part.strategy->currentData().toInt());
    s.recordName = part.recordName->text().trimmed();
    s.autoRegister = part.autoRegister->isChecked();
    if (s.kind == core::PayloadKind::Protobuf) {
        const QString type = part.messageType->text().trimmed();
        if (core::hasUnprintable(type) || type.contains(QLatin1Char(' ')))
            return core::Error(tr("%1 message type: expected a full message name such as shop.Order").arg(name));
        s.messageType = type;
    }
    const QString subject = part.subject->text().trimmed();
    if (core::hasUnprintable(subject) || subject == QLatin1String(".") || subject == QLatin1String(".."))
        return core::Error(tr("%1 subject: expected a subject name without control characters").arg(name));
    s.subject = subject;
    const QString version = part.version->text().trimmed();
    auto selector = core::VersionSelector::parse(version.isEmpty() ? QStringLiteral("latest") : version);
    if (!selector)
        return core::Error(tr("%1 version: %2").arg(name, selector.error().text));
    s.version = selector.value();
    if (s.subject.isEmpty() && s.subjectStrategy != core::SubjectNameStrategy::TopicName && s.recordName.isEmpty() &&
        s.schemaText.isEmpty() && s.version.kind != core::VersionSelector::Kind::SchemaId)
        return core::Error(
            tr("%1: the record name strategies need the record's full name (or a subject, or id:N)").arg(name));
    return s;
}

core::Result<core::Serialization> SerializationDialog::serialization() const
{
    core::Serialization out;
    auto key = read(m_key, m_original.key, tr("Key"));
    if (!key)
        return key.error();
    auto value = read(m_value, m_original.value, tr("Value"));
    if (!value)
        return value.error();
    out.key = key.value();
    out.value = value.value();
    return out;
}

void SerializationDialog::accept()
{
    const auto result = serialization();
    if (!result) {
        m_problem->setText(result.error().message());
        m_problem->show();
        return;
    }
    QDialog::accept();
}

QString SerializationDialog::summary(const core::Serialization &s, const QString &topic)
{
    return tr("Key: %1 · Value: %2")
        .arg(partSummary(s.key, topic, core::PayloadPart::Key), partSummary(s.value, topic, core::PayloadPart::Value));
}

QString SerializationDialog::shortSummary(const core::Serialization &s, const QString &topic)
{
    QStringList parts;
    if (s.key.usesRegistry())
        parts << tr("Key: %1").arg(partSummary(s.key, topic, core::PayloadPart::Key));
    if (s.value.usesRegistry())
        parts << tr("Value: %1").arg(partSummary(s.value, topic, core::PayloadPart::Value));
    return parts.isEmpty() ? tr("Bytes") : parts.join(QStringLiteral(" · "));
}

} // namespace kbatch::ui
