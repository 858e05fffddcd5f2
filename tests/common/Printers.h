#pragma once

// QCOMPARE output for core's enums.

#include "core/model/DeliveryResult.h"

#include <QTest>

namespace QTest {

template <> inline char *toString(const kbatch::core::DeliveryStatus &status)
{
    return qstrdup(kbatch::core::statusText(status).toUtf8().constData());
}

template <> inline char *toString(const kbatch::core::Persisted &persisted)
{
    return qstrdup(kbatch::core::persistedText(persisted).toUtf8().constData());
}

} // namespace QTest
