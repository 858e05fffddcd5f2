#pragma once

#include <QLoggingCategory>

namespace kbatch::core {
Q_DECLARE_LOGGING_CATEGORY(lcSchema)
}
