#pragma once

#include "core/model/ProducerSettings.h"

#include <QHash>
#include <QWidget>

#include <functional>

class QCheckBox;
class QLabel;
class QComboBox;
class QLineEdit;
class QPlainTextEdit;
class QDoubleSpinBox;
class QPushButton;
class QSpinBox;
class QToolButton;
class QAction;

namespace kbatch::ui {

class DocumentModel;

// The toolbar row: where to send (profile, topic), how (mode and producer settings in a popup) and the send
// buttons, which trigger the window's actions so shortcuts, menus and buttons stay one thing.
//
// The topic and the producer settings are the document's (DocumentModel): the bar shows them and writes back each
// field the user changes, and only that field, so settings it has no widget for are kept as they are.
class SendBar : public QWidget
{
    Q_OBJECT
public:
    explicit SendBar(DocumentModel *document, QWidget *parent = nullptr);

    void setActions(QAction *send, QAction *sendSelected, QAction *resendFailed, QAction *cancel);

    QString profile() const;
    void setProfiles(const QStringList &names, const QString &current);
    // `action` puts the focus on the profile box and opens its list; its shortcut is shown in the box's tooltip.
    void setProfileAction(QAction *action);
    // More about `profile` in its tooltip (in the list, and on the box while it is chosen): the sandbox's address.
    void setProfileDetails(const QString &profile, const QString &details);
    // The document's topic and producer settings (for scripts and tests; the document owns them).
    QString topic() const;
    void setTopic(const QString &topic);
    core::ProducerSettings settings() const;
    void setSettings(const core::ProducerSettings &settings);

    void setKnownTopics(const QStringList &topics);
    // Puts a widget right after the topic field (such as the offer to create a missing topic).
    void addTopicAccessory(QWidget *widget);
    // The topic field holds a name Kafka does not allow (shown in the failed colour, the reason in its tooltip).
    bool hasTopicProblem() const { return m_topicProblem; }

    // The first line of the Properties field that a template may not carry (PropertyPolicy) or that is not
    // name=value, as "line N: ..."; empty when all lines are fine. Shown under the field as it is typed.
    QString propertiesProblem() const { return m_propertiesProblem; }
    // A button under the producer settings that triggers `action` (the effective settings view).
    void setSettingsViewAction(QAction *action);

signals:
    void profileChanged(const QString &name);
    void topicChanged(const QString &topic); // any change, by the user or by a loaded template

private:
    void showProducer(const core::ProducerSettings &settings);
    // The serialization dialog (window-modal, not blocking): what it says goes into the document on OK.
    void editSerialization();
    void updateSerializationSummary();
    // Writes one field the user changed into the document's producer settings.
    void editProducer(const std::function<void(core::ProducerSettings &)> &change);
    core::Properties typedProperties() const;
    void updateSettingsSummary();
    void updateProfileToolTips();
    void showTopicProblem();
    void checkProperties();

    DocumentModel *m_document;

    QComboBox *m_profile;
    QString m_profileShortcut;
    QHash<QString, QString> m_profileDetails;
    QComboBox *m_topic;
    QToolButton *m_independent;
    QToolButton *m_atomic;
    QToolButton *m_settingsButton;
    QToolButton *m_serializationButton; // "Key: bytes · Value: Avro (orders-value, latest)"
    QComboBox *m_acks;
    QComboBox *m_compression;
    QCheckBox *m_idempotence;
    QSpinBox *m_linger;
    QDoubleSpinBox *m_rate; // messages a second, to the thousandth (0.5 is a rate, not 0)
    QPlainTextEdit *m_properties;
    QLabel *m_propertiesLabel;
    QToolButton *m_settingsView;
    QString m_propertiesProblem;
    QPushButton *m_send;
    QToolButton *m_sendSelected;
    QToolButton *m_resendFailed;
    QToolButton *m_cancel;
    bool m_loading = false; // showing the document: widget signals are not edits
    bool m_topicProblem = false;
};

} // namespace kbatch::ui
