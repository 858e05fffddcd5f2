#pragma once

#include <QLoggingCategory>

namespace kbatch::core {
// Never log a secret value through this (or any) category: names of keys and profiles only.
Q_DECLARE_LOGGING_CATEGORY(lcProfiles)
} // namespace kbatch::core
