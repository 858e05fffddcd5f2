#pragma once

#include "Batch.h"
#include "ProducerSettings.h"
#include "SerializerSettings.h"

#include <QString>

namespace kbatch::core {

// A saved batch: what a *.kbatch.json file holds.
struct Template
{
    QString name;
    QString topic;
    ProducerSettings producer;
    Serialization serialization; // how keys and values are sent: bytes, or through a Schema Registry (version 2)
    Batch messages;

    friend bool operator==(const Template &, const Template &) = default;
};

} // namespace kbatch::core
