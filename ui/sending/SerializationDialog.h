#pragma once

#include "core/model/Error.h"
#include "core/model/SerializerSettings.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;

namespace kbatch::ui {

// How the document's keys and values are sent: each bytes (as typed) or Avro through the profile's Schema
// Registry, with the subject strategy, the version (latest, a number or id:N), auto-register (off by default) and
// an optional subject of its own. Edits a copy: serialization() is the settings it was given with what the form
// changed, every field it has no widget for (a local schema text, references, Protobuf's) kept as it was.
class SerializationDialog : public QDialog
{
    Q_OBJECT
public:
    SerializationDialog(const core::Serialization &serialization, const QString &topic, QWidget *parent = nullptr);

    // The settings as the form says; an error naming the field when a value cannot be used (a version that is not
    // latest, N or id:N; a subject with control characters).
    core::Result<core::Serialization> serialization() const;

    void accept() override; // refused, with the reason shown, while serialization() is an error

    // "Key: bytes · Value: Avro (orders-value, latest)": what the send bar's button says.
    static QString summary(const core::Serialization &serialization, const QString &topic);
    // The same without the parts sent as bytes ("Value: Avro (orders-value, latest)"; "Bytes" when both are): the
    // button's text, where the bar has little room.
    static QString shortSummary(const core::Serialization &serialization, const QString &topic);

private:
    struct Part
    {
        QComboBox *kind = nullptr;
        QComboBox *strategy = nullptr;
        QLineEdit *version = nullptr;
        QLineEdit *subject = nullptr;
        QLineEdit *recordName = nullptr;
        QLineEdit *messageType = nullptr; // Protobuf: the message of the schema's file to send
        QCheckBox *autoRegister = nullptr;
    };
    QWidget *makePart(const char *prefix, const QString &title, const core::SerializerSettings &settings, Part &part);
    core::Result<core::SerializerSettings> read(const Part &part, const core::SerializerSettings &base,
                                                const QString &name) const;
    void updateEnabled();

    core::Serialization m_original;
    QString m_topic;
    Part m_key;
    Part m_value;
    QLabel *m_problem;
};

} // namespace kbatch::ui
