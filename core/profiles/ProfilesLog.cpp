#include "ProfilesLog.h"

namespace kbatch::core {
Q_LOGGING_CATEGORY(lcProfiles, "kbatch.profiles", QtWarningMsg)
}
