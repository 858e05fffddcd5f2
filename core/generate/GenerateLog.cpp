#include "GenerateLog.h"

namespace kbatch::core {
Q_LOGGING_CATEGORY(lcGenerate, "kbatch.generate", QtWarningMsg)
}
