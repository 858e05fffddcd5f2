#pragma once

// Rows whose values are their numbers ("0", "1", ...), for tests that follow rows through pieces.

#include "core/model/Batch.h"

namespace kbatch::test {

// Rows first .. first + count - 1, each with its number as value and no key.
inline core::Batch numberedRows(int first, int count)
{
    core::Batch b;
    for (int i = first; i < first + count; ++i) {
        core::Message m;
        m.value = core::Payload(QByteArray::number(i));
        b.append(m);
    }
    return b;
}

} // namespace kbatch::test
