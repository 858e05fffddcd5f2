#pragma once

#include "Batch.h"
#include "ProducerSettings.h"

#include <QString>

namespace kbatch::core {

// A saved batch: what a *.kbatch.json file holds.
struct Template
{
    QString name;
    QString topic;
    ProducerSettings producer;
    Batch messages;

    friend bool operator==(const Template &, const Template &) = default;
};

} // namespace kbatch::core
