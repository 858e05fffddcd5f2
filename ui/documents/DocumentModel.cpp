#include "ui/documents/DocumentModel.h"

namespace kbatch::ui {

DocumentModel::DocumentModel(QObject *parent) : QObject(parent) {}

void DocumentModel::setTopic(const QString &topic)
{
    if (topic == m_topic)
        return;
    m_topic = topic;
    emit topicChanged(m_topic);
    emit edited();
}

void DocumentModel::setProducer(const core::ProducerSettings &producer)
{
    if (producer == m_producer)
        return;
    m_producer = producer;
    emit producerChanged(m_producer);
    emit edited();
}

void DocumentModel::setSerialization(const core::Serialization &serialization)
{
    if (serialization == m_serialization)
        return;
    m_serialization = serialization;
    emit serializationChanged(m_serialization);
    emit edited();
}

void DocumentModel::load(const core::Template &tpl)
{
    m_name = tpl.name;
    m_topic = tpl.topic;
    m_producer = tpl.producer;
    m_serialization = tpl.serialization;
    emit topicChanged(m_topic);
    emit producerChanged(m_producer);
    emit serializationChanged(m_serialization);
}

void DocumentModel::setName(const QString &name)
{
    m_name = name;
}

} // namespace kbatch::ui
