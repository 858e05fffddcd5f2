#include "ui/sending/SendBar.h"

#include "core/model/Printable.h"
#include "core/model/PropertyPolicy.h"
#include "core/model/TopicName.h"
#include "ui/documents/DocumentModel.h"
#include "ui/sending/SerializationDialog.h"
#include "ui/widgets/Theme.h"

#include <QAction>
#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStyleOptionToolButton>
#include <QStylePainter>
#include <QToolButton>
#include <QWidgetAction>

namespace kbatch::ui {

namespace {
// A rate in messages a second: as many decimals as it has, up to three ("0.5 msg/s", "1,000 msg/s").
class RateSpinBox : public QDoubleSpinBox
{
public:
    using QDoubleSpinBox::QDoubleSpinBox;
    QString textFromValue(double value) const override
    {
        QString text = locale().toString(value, 'f', decimals());
        if (text.contains(locale().decimalPoint())) {
            while (text.endsWith(locale().zeroDigit()))
                text.chop(1);
            if (text.endsWith(locale().decimalPoint()))
                text.chop(locale().decimalPoint().size());
        }
        return text;
    }
};

// A button that shows as much of its text as its width allows, elided in the middle, and may be made as narrow as a
// few characters: the serialization summary is long, and the bar must still fit a 1280 px (even 1024 px) window.
// text() stays the whole text; the tooltip says it too.
class ElidingToolButton : public QToolButton
{
public:
    using QToolButton::QToolButton;
    QSize minimumSizeHint() const override
    {
        const QSize full = QToolButton::minimumSizeHint();
        return {std::min(full.width(), fontMetrics().horizontalAdvance(QStringLiteral("…")) + 16), full.height()};
    }

protected:
    void paintEvent(QPaintEvent *) override
    {
        QStylePainter painter(this);
        QStyleOptionToolButton option;
        initStyleOption(&option);
        const int padding = QToolButton::sizeHint().width() - fontMetrics().horizontalAdvance(text());
        option.text = fontMetrics().elidedText(text(), Qt::ElideMiddle, std::max(0, width() - padding));
        painter.drawComplexControl(QStyle::CC_ToolButton, option);
    }
};
} // namespace

SendBar::SendBar(DocumentModel *document, QWidget *parent) : QWidget(parent), m_document(document)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(8);

    m_profile = new QComboBox(this);
    m_profile->setObjectName(QStringLiteral("profileCombo"));
    m_profile->setToolTip(tr("Connection profile"));
    m_profile->setMinimumContentsLength(10);
    m_profile->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    connect(m_profile, &QComboBox::currentTextChanged, this, [this](const QString &name) {
        updateProfileToolTips();
        if (!m_loading)
            emit profileChanged(name);
    });

    m_topic = new QComboBox(this);
    m_topic->setObjectName(QStringLiteral("topicCombo"));
    m_topic->setEditable(true);
    m_topic->setInsertPolicy(QComboBox::NoInsert);
    m_topic->setMinimumContentsLength(12); // grows with the window; a 1280-px screen must fit the whole bar
    m_topic->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_topic->lineEdit()->setPlaceholderText(tr("topic"));
    m_topic->setToolTip(tr("Target topic (double-click a topic in Connections to pick it)"));
    connect(m_topic, &QComboBox::currentTextChanged, this, [this](const QString &text) {
        showTopicProblem();
        if (!m_loading)
            m_document->setTopic(text.trimmed());
    });

    // Mode as a segmented pair: both choices visible at once, the current one pressed.
    auto *modeBox = new QWidget(this);
    auto *modeLayout = new QHBoxLayout(modeBox);
    modeLayout->setContentsMargins(0, 0, 0, 0);
    modeLayout->setSpacing(0);
    m_independent = new QToolButton(modeBox);
    m_independent->setObjectName(QStringLiteral("modeIndependent"));
    m_independent->setText(tr("Independent"));
    m_independent->setToolTip(tr("Each message is delivered or fails on its own"));
    m_atomic = new QToolButton(modeBox);
    m_atomic->setObjectName(QStringLiteral("modeAtomic"));
    m_atomic->setText(tr("Atomic"));
    m_atomic->setToolTip(tr("One transaction: all messages or none"));
    auto *group = new QButtonGroup(modeBox);
    for (QToolButton *b : {m_independent, m_atomic}) {
        b->setCheckable(true);
        b->setAutoRaise(false);
        group->addButton(b);
        modeLayout->addWidget(b);
    }
    m_independent->setChecked(true);
    connect(group, &QButtonGroup::buttonToggled, this, [this](QAbstractButton *, bool checked) {
        if (checked)
            editProducer([this](core::ProducerSettings &s) {
                s.mode = m_atomic->isChecked() ? core::PublishMode::Atomic : core::PublishMode::Independent;
            });
    });

    // The less frequent producer settings live in a popup so the bar fits 1024 px.
    m_settingsButton = new QToolButton(this);
    m_settingsButton->setObjectName(QStringLiteral("producerSettingsButton"));
    m_settingsButton->setPopupMode(QToolButton::InstantPopup);
    m_settingsButton->setToolTip(tr("Producer settings: acks, compression, idempotence, linger, rate limit, "
                                    "extra properties"));
    auto *menu = new QMenu(m_settingsButton);
    auto *panel = new QWidget(menu);
    auto *form = new QFormLayout(panel);
    form->setContentsMargins(12, 10, 12, 10);
    form->setSpacing(8);
    m_acks = new QComboBox(panel);
    m_acks->setObjectName(QStringLiteral("acksCombo"));
    m_acks->addItem(tr("all"), QStringLiteral("all"));
    m_acks->addItem(tr("leader (1)"), QStringLiteral("1"));
    m_acks->addItem(tr("none (0)"), QStringLiteral("0"));
    m_compression = new QComboBox(panel);
    m_compression->setObjectName(QStringLiteral("compressionCombo"));
    for (const char *c : {"none", "gzip", "snappy", "lz4", "zstd"})
        m_compression->addItem(QString::fromLatin1(c), QString::fromLatin1(c));
    m_idempotence = new QCheckBox(tr("Idempotent producer"), panel);
    m_idempotence->setObjectName(QStringLiteral("idempotenceCheck"));
    m_linger = new QSpinBox(panel);
    m_linger->setObjectName(QStringLiteral("lingerSpin"));
    m_linger->setRange(-1, 60000);
    m_linger->setSpecialValueText(tr("default"));
    m_linger->setSuffix(tr(" ms"));
    m_rate = new RateSpinBox(panel);
    m_rate->setObjectName(QStringLiteral("rateSpin"));
    m_rate->setDecimals(3); // core::MinRateLimit
    m_rate->setRange(0, 10000000);
    m_rate->setSpecialValueText(tr("unlimited"));
    m_rate->setSuffix(tr(" msg/s"));
    m_rate->setGroupSeparatorShown(true);
    m_properties = new QPlainTextEdit(panel);
    m_properties->setObjectName(QStringLiteral("propertiesEdit"));
    m_properties->setPlaceholderText(tr("name=value, one per line"));
    m_properties->setFixedHeight(72);
    m_properties->setToolTip(tr("Message and delivery settings only (acks, linger.ms, retries, …): where to connect "
                                "and how to log in belong in the connection profile"));
    m_propertiesLabel = new QLabel(panel);
    m_propertiesLabel->setObjectName(QStringLiteral("propertiesProblem"));
    m_propertiesLabel->setWordWrap(true);
    m_propertiesLabel->setTextFormat(Qt::PlainText);
    m_propertiesLabel->setMaximumWidth(360);
    m_propertiesLabel->hide();
    m_settingsView = new QToolButton(panel);
    m_settingsView->setObjectName(QStringLiteral("effectiveSettingsButton"));
    m_settingsView->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_settingsView->hide();
    form->addRow(tr("Acks"), m_acks);
    form->addRow(tr("Compression"), m_compression);
    form->addRow(QString(), m_idempotence);
    form->addRow(tr("Linger"), m_linger);
    form->addRow(tr("Rate limit"), m_rate);
    form->addRow(tr("Properties"), m_properties);
    form->addRow(QString(), m_propertiesLabel);
    form->addRow(QString(), m_settingsView);
    auto *action = new QWidgetAction(menu);
    action->setDefaultWidget(panel);
    menu->addAction(action);
    m_settingsButton->setMenu(menu);
    connect(m_acks, &QComboBox::currentIndexChanged, this,
            [this] { editProducer([this](core::ProducerSettings &s) { s.acks = m_acks->currentData().toString(); }); });
    connect(m_compression, &QComboBox::currentIndexChanged, this, [this] {
        editProducer([this](core::ProducerSettings &s) { s.compression = m_compression->currentData().toString(); });
    });
    connect(m_idempotence, &QCheckBox::toggled, this,
            [this](bool on) { editProducer([on](core::ProducerSettings &s) { s.idempotence = on; }); });
    connect(m_linger, &QSpinBox::valueChanged, this, [this](int ms) {
        editProducer([ms](core::ProducerSettings &s) { s.lingerMs = ms >= 0 ? std::optional<int>(ms) : std::nullopt; });
    });
    connect(m_rate, &QDoubleSpinBox::valueChanged, this,
            [this](double rate) { editProducer([rate](core::ProducerSettings &s) { s.rateLimit = rate; }); });
    connect(m_properties, &QPlainTextEdit::textChanged, this, [this] {
        checkProperties();
        editProducer([this](core::ProducerSettings &s) { s.properties = typedProperties(); });
    });

    // Keys and values as bytes or through the Schema Registry: the choice in force on the button, the form behind it.
    m_serializationButton = new ElidingToolButton(this);
    m_serializationButton->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    m_serializationButton->setObjectName(QStringLiteral("serializationButton"));
    m_serializationButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    connect(m_serializationButton, &QToolButton::clicked, this, &SendBar::editSerialization);

    m_send = new QPushButton(tr("Send"), this);
    m_send->setObjectName(QStringLiteral("sendButton"));
    m_sendSelected = new QToolButton(this);
    m_sendSelected->setObjectName(QStringLiteral("sendSelectedButton"));
    m_resendFailed = new QToolButton(this);
    m_resendFailed->setObjectName(QStringLiteral("resendFailedButton"));
    m_cancel = new QToolButton(this);
    m_cancel->setObjectName(QStringLiteral("cancelButton"));
    m_sendSelected->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    // Icons only (their actions' tooltips name them, with the shortcut): the bar must fit 1280 px with the
    // serialization button too, and Send stays the one labelled primary action.
    for (QToolButton *b : {m_resendFailed, m_cancel})
        b->setToolButtonStyle(Qt::ToolButtonIconOnly);

    auto label = [this](const QString &text) {
        auto *l = new QLabel(text, this);
        l->setObjectName(QStringLiteral("sectionLabel"));
        return l;
    };
    layout->addWidget(label(tr("Profile")));
    layout->addWidget(m_profile);
    layout->addSpacing(4);
    layout->addWidget(label(tr("Topic")));
    layout->addWidget(m_topic, 1);
    layout->addSpacing(4);
    layout->addWidget(modeBox);
    // How the messages go out, producer settings and serialization, side by side as one group.
    auto *howBox = new QWidget(this);
    auto *howLayout = new QHBoxLayout(howBox);
    howLayout->setContentsMargins(0, 0, 0, 0);
    howLayout->setSpacing(2);
    howLayout->addWidget(m_settingsButton);
    howLayout->addWidget(m_serializationButton);
    layout->addWidget(howBox);
    layout->addStretch(0);
    layout->addSpacing(8);
    layout->addWidget(m_send);
    layout->addWidget(m_sendSelected);
    layout->addWidget(m_resendFailed);
    layout->addWidget(m_cancel);

    connect(m_document, &DocumentModel::topicChanged, this, [this](const QString &name) {
        if (m_topic->currentText().trimmed() != name) { // a template opened, a topic picked in Connections
            m_loading = true;
            m_topic->setCurrentText(name);
            m_loading = false;
        }
        updateSerializationSummary(); // the subject follows the topic
        emit topicChanged(name);
    });
    connect(m_document, &DocumentModel::producerChanged, this, &SendBar::showProducer);
    connect(m_document, &DocumentModel::serializationChanged, this, &SendBar::updateSerializationSummary);
    updateSerializationSummary();
    showProducer(m_document->producer());
    m_loading = true;
    m_topic->setCurrentText(m_document->topic());
    m_loading = false;
}

void SendBar::setActions(QAction *send, QAction *sendSelected, QAction *resendFailed, QAction *cancel)
{
    connect(m_send, &QPushButton::clicked, send, &QAction::trigger);
    auto sync = [this, send] {
        m_send->setEnabled(send->isEnabled());
        m_send->setToolTip(send->toolTip());
    };
    connect(send, &QAction::changed, this, sync);
    sync();
    m_sendSelected->setDefaultAction(sendSelected);
    m_resendFailed->setDefaultAction(resendFailed);
    m_cancel->setDefaultAction(cancel);
}

QString SendBar::profile() const
{
    return m_profile->currentText();
}

void SendBar::setProfiles(const QStringList &names, const QString &current)
{
    m_loading = true;
    m_profile->clear();
    m_profile->addItems(names);
    m_profile->setCurrentText(current);
    m_loading = false;
    updateProfileToolTips();
}

void SendBar::setProfileAction(QAction *action)
{
    m_profileShortcut = action->shortcut().toString(QKeySequence::NativeText);
    connect(action, &QAction::triggered, this, [this] {
        m_profile->setFocus(Qt::ShortcutFocusReason);
        m_profile->showPopup();
    });
    updateProfileToolTips();
}

void SendBar::setProfileDetails(const QString &profile, const QString &details)
{
    m_profileDetails.insert(profile, details);
    updateProfileToolTips();
}

void SendBar::updateProfileToolTips()
{
    for (int i = 0; i < m_profile->count(); ++i)
        m_profile->setItemData(i, m_profileDetails.value(m_profile->itemText(i)), Qt::ToolTipRole);
    QString tip =
        m_profileShortcut.isEmpty() ? tr("Connection profile") : tr("Connection profile (%1)").arg(m_profileShortcut);
    if (const QString details = m_profileDetails.value(profile()); !details.isEmpty())
        tip += QLatin1Char('\n') + details;
    m_profile->setToolTip(tip);
}

void SendBar::showTopicProblem()
{
    // As the user types: a name Kafka refuses is shown in the failed colour, and the tooltip says why, instead of
    // waiting for Send (the sandbox would even take it).
    const QString name = m_topic->currentText().trimmed(); // as typed, before the document has it
    const core::Status named = name.isEmpty() ? core::Status(core::Ok{}) : core::checkTopicName(name);
    QPalette palette = m_topic->lineEdit()->palette();
    if (named.ok()) {
        palette.setColor(QPalette::Text, m_topic->palette().color(QPalette::Text));
        m_topic->setToolTip(tr("Target topic (double-click a topic in Connections to pick it)"));
    } else {
        palette.setColor(QPalette::Text, Theme::statusColor(core::DeliveryStatus::Failed));
        m_topic->setToolTip(named.error().text);
    }
    m_topic->lineEdit()->setPalette(palette);
    m_topicProblem = !named.ok();
}

void SendBar::checkProperties()
{
    // Checked as typed, by the same rules as a template file (the send is refused with the same words).
    m_propertiesProblem.clear();
    const QStringList lines = m_properties->toPlainText().split(QLatin1Char('\n'));
    for (qsizetype i = 0; i < lines.size() && m_propertiesProblem.isEmpty(); ++i) {
        const QString line = lines[i].trimmed();
        if (line.isEmpty())
            continue;
        const qsizetype eq = line.indexOf(QLatin1Char('='));
        core::Status ok =
            eq > 0 ? core::checkTemplateProperty(line.left(eq).trimmed(), line.mid(eq + 1).trimmed())
                   : core::Status(core::Error(tr("expected name=value, found %1").arg(core::quotedName(line))));
        if (!ok.ok())
            m_propertiesProblem = tr("line %1: %2").arg(i + 1).arg(ok.error().text);
    }
    m_propertiesLabel->setText(m_propertiesProblem);
    m_propertiesLabel->setStyleSheet(
        QStringLiteral("color: %1").arg(Theme::statusColor(core::DeliveryStatus::Failed).name()));
    m_propertiesLabel->setVisible(!m_propertiesProblem.isEmpty());
}

void SendBar::setSettingsViewAction(QAction *action)
{
    m_settingsView->setDefaultAction(action);
    m_settingsView->show();
}

QString SendBar::topic() const
{
    return m_document->topic();
}

void SendBar::setTopic(const QString &topic)
{
    m_document->setTopic(topic);
}

void SendBar::addTopicAccessory(QWidget *widget)
{
    auto *box = static_cast<QHBoxLayout *>(layout());
    box->insertWidget(box->indexOf(m_topic) + 1, widget);
}

void SendBar::setKnownTopics(const QStringList &topics)
{
    m_loading = true;
    const QString current = m_topic->currentText();
    m_topic->clear();
    m_topic->addItems(topics);
    m_topic->setCurrentText(current);
    m_loading = false;
}

core::ProducerSettings SendBar::settings() const
{
    return m_document->producer();
}

void SendBar::setSettings(const core::ProducerSettings &settings)
{
    m_document->setProducer(settings);
}

void SendBar::editProducer(const std::function<void(core::ProducerSettings &)> &change)
{
    updateSettingsSummary();
    if (m_loading)
        return;
    core::ProducerSettings s = m_document->producer();
    change(s);
    m_loading = true; // the document's echo must not rewrite what is being typed
    m_document->setProducer(s);
    m_loading = false;
}

core::Properties SendBar::typedProperties() const
{
    core::Properties properties;
    const QStringList lines = m_properties->toPlainText().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    for (const QString &line : lines) {
        const qsizetype eq = line.indexOf(QLatin1Char('='));
        if (eq > 0)
            properties.append({line.left(eq).trimmed(), line.mid(eq + 1).trimmed()});
    }
    return properties;
}

void SendBar::showProducer(const core::ProducerSettings &s)
{
    if (m_loading)
        return;
    m_loading = true;
    (s.mode == core::PublishMode::Atomic ? m_atomic : m_independent)->setChecked(true);
    const QString acks = s.acks == QLatin1String("-1") ? QStringLiteral("all") : s.acks;
    m_acks->setCurrentIndex(std::max(0, m_acks->findData(acks)));
    m_compression->setCurrentIndex(std::max(0, m_compression->findData(s.compression)));
    m_idempotence->setChecked(s.idempotence);
    m_linger->setValue(s.lingerMs.value_or(-1));
    m_rate->setValue(s.rateLimit);
    // The text as typed stays while it means the same properties (a line being written, say).
    if (typedProperties() != s.properties) {
        QStringList lines;
        for (const core::Property &p : s.properties)
            lines << p.first + QLatin1Char('=') + p.second;
        m_properties->setPlainText(lines.join(QLatin1Char('\n')));
    }
    m_loading = false;
    updateSettingsSummary();
}

void SendBar::editSerialization()
{
    auto *dialog = new SerializationDialog(m_document->serialization(), m_document->topic(), window());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        if (const auto chosen = dialog->serialization())
            m_document->setSerialization(chosen.value()); // marks the document modified when it changes anything
    });
    dialog->open();
}

void SendBar::updateSerializationSummary()
{
    const core::Serialization &s = m_document->serialization();
    // Elided as the bar's width requires; the tooltip says it all.
    m_serializationButton->setText(SerializationDialog::shortSummary(s, m_document->topic()));
    m_serializationButton->setToolTip(tr("How keys and values are sent: %1. Click to change.")
                                          .arg(SerializationDialog::summary(s, m_document->topic())));
}

void SendBar::updateSettingsSummary()
{
    // The button names the settings in force, so nothing hides behind the popup.
    QString text = tr("acks %1 · %2").arg(m_acks->currentData().toString(), m_compression->currentData().toString());
    if (m_rate->value() > 0)
        text += tr(" · %1/s").arg(m_rate->textFromValue(m_rate->value()));
    m_settingsButton->setText(text + QStringLiteral("  ▾"));
}

} // namespace kbatch::ui
