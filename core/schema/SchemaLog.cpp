#include "SchemaLog.h"

namespace kbatch::core {
Q_LOGGING_CATEGORY(lcSchema, "kbatch.schema", QtWarningMsg)
}
