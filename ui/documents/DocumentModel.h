#pragma once

#include "core/model/ProducerSettings.h"
#include "core/model/Template.h"

#include <QObject>

namespace kbatch::ui {

// The open document's facts besides its rows (which BatchTableModel holds): the template's name, its target topic and
// its producer settings, properties and the rate limit included, every field kept as the template had it (also the
// ones no widget shows). Their one owner: the send bar shows and edits them, DocumentController saves, loads and marks
// the document dirty from them, and SendController sends with them.
class DocumentModel : public QObject
{
    Q_OBJECT
public:
    explicit DocumentModel(QObject *parent = nullptr);

    const QString &name() const { return m_name; }
    const QString &topic() const { return m_topic; }
    const core::ProducerSettings &producer() const { return m_producer; }
    // How the template's keys and values are sent (bytes, or through a Schema Registry): kept as the template had
    // it, every field (the ones no widget shows too), so that a save writes it back; the send bar edits it.
    const core::Serialization &serialization() const { return m_serialization; }

    // Edits (by the user, or on their behalf): each emits edited() when it changes something.
    void setTopic(const QString &topic);
    void setProducer(const core::ProducerSettings &producer);
    void setSerialization(const core::Serialization &serialization);

    // What a template opened or saved says: emits the *Changed signals, not edited().
    void load(const core::Template &tpl);
    void setName(const QString &name); // the name a save gave the template

signals:
    void topicChanged(const QString &topic);
    void producerChanged(const kbatch::core::ProducerSettings &producer);
    void serializationChanged(const kbatch::core::Serialization &serialization);
    void edited();

private:
    QString m_name;
    QString m_topic;
    core::ProducerSettings m_producer;
    core::Serialization m_serialization;
};

} // namespace kbatch::ui
