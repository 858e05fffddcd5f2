#include "ui/widgets/LogPanel.h"

#include "ui/widgets/Theme.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHash>
#include <QLabel>
#include <QLoggingCategory>
#include <QMutex>
#include <QPlainTextEdit>
#include <QPointer>
#include <QVBoxLayout>

#include <algorithm>
#include <atomic>

namespace kbatch::ui {

namespace {
constexpr int MaxLines = 5000;
// Severity order for the filter: debug < info < warning < critical.
int severity(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg:
        return 0;
    case QtInfoMsg:
        return 1;
    case QtWarningMsg:
        return 2;
    case QtCriticalMsg:
    case QtFatalMsg:
        return 3;
    }
    return 0;
}

const char *levelName(int level)
{
    static const char *const names[] = {"debug", "info ", "warn ", "error"};
    return names[std::clamp(level, 0, 3)];
}

bool isOurs(const char *category)
{
    return category && QByteArrayView(category).startsWith("kbatch");
}

QMutex s_mutex;
QPointer<LogPanel> s_panel;
QtMessageHandler s_previous = nullptr;
QLoggingCategory::CategoryFilter s_previousFilter = nullptr;
// Panels alive (windows may overlap): the handler and the filter are installed by the first and removed by the
// last, never twice, since a second install would make each its own "previous" and call itself.
int s_panels = 0;
std::atomic<int> s_panelLevel{1};
// The lowest severity each of our categories had before the panel widened it (the rules and QT_LOGGING_RULES):
// only those lines still go to the previous handler (stderr), so choosing Debug in the panel does not flood it.
QHash<QByteArray, int> s_ruledLevel;

int enabledFrom(const QLoggingCategory *category)
{
    if (category->isDebugEnabled())
        return 0;
    if (category->isInfoEnabled())
        return 1;
    return category->isWarningEnabled() ? 2 : 3;
}

// Our categories log only warnings by default (Q_LOGGING_CATEGORY(..., QtWarningMsg)): a panel set to Debug showed
// nothing of a first send. The panel's level widens them; the rules still decide for stderr.
void filter(QLoggingCategory *category)
{
    if (s_previousFilter)
        s_previousFilter(category);
    if (!isOurs(category->categoryName()))
        return;
    const int ruled = enabledFrom(category);
    {
        const QMutexLocker lock(&s_mutex);
        s_ruledLevel.insert(QByteArray(category->categoryName()), ruled);
    }
    const int level = std::min(ruled, s_panelLevel.load());
    category->setEnabled(QtDebugMsg, level <= 0);
    category->setEnabled(QtInfoMsg, level <= 1);
    category->setEnabled(QtWarningMsg, level <= 2);
}

void handler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    const bool ours = isOurs(context.category);
    const int level = severity(type);
    QtMessageHandler previous = nullptr;
    {
        const QMutexLocker lock(&s_mutex);
        if (!ours || level >= s_ruledLevel.value(QByteArray(context.category), 2))
            previous = s_previous;
    }
    if (previous)
        previous(type, context, message);
    if (ours) {
        const QMutexLocker lock(&s_mutex);
        if (!s_panel)
            return;
        // When (to the millisecond), how severe, which module; librdkafka's lines name their client too.
        const QString line = QStringLiteral("%1  %2  %3  %4")
                                 .arg(QTime::currentTime().toString(QStringLiteral("HH:mm:ss.zzz")),
                                      QLatin1String(levelName(level)), QLatin1String(context.category), message);
        QMetaObject::invokeMethod(s_panel.data(), "appendLine", Qt::QueuedConnection, Q_ARG(int, level),
                                  Q_ARG(QString, line));
    }
}
} // namespace

LogPanel::LogPanel(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("logPanel"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 4, 8, 8);
    layout->setSpacing(6);
    auto *bar = new QHBoxLayout;
    m_level = new QComboBox(this);
    m_level->setObjectName(QStringLiteral("logLevel"));
    m_level->addItems({tr("Debug and above"), tr("Info and above"), tr("Warnings and errors"), tr("Errors only")});
    m_level->setCurrentIndex(1);
    m_profileOnly = new QCheckBox(tr("This profile only"), this);
    m_profileOnly->setObjectName(QStringLiteral("logProfileOnly"));
    m_profileOnly->setToolTip(tr("Only the lines of the profile chosen now (or of the running send)"));
    bar->addWidget(new QLabel(tr("Show"), this));
    bar->addWidget(m_level);
    bar->addWidget(m_profileOnly);
    bar->addStretch();
    m_view = new QPlainTextEdit(this);
    m_view->setObjectName(QStringLiteral("logView"));
    m_view->setReadOnly(true);
    m_view->setFont(Theme::monospaceFont());
    m_view->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_view->setMaximumBlockCount(MaxLines);
    m_view->setPlaceholderText(tr("Messages from librdkafka and KBatch appear here"));
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);
    connect(m_level, &QComboBox::currentIndexChanged, this, &LogPanel::refilter);
    connect(m_profileOnly, &QCheckBox::toggled, this, &LogPanel::refilter);

    bool first = false;
    {
        const QMutexLocker lock(&s_mutex);
        s_panel = this; // the newest window's panel shows the lines
        first = s_panels++ == 0;
        if (first)
            s_previous = qInstallMessageHandler(handler);
    }
    s_panelLevel = m_level->currentIndex();
    if (first)
        s_previousFilter = QLoggingCategory::installFilter(filter); // runs the filter over every category
    else
        QLoggingCategory::installFilter(filter); // already installed: only re-runs it
}

LogPanel::~LogPanel()
{
    bool last = false;
    {
        const QMutexLocker lock(&s_mutex);
        last = --s_panels == 0;
        if (last) {
            qInstallMessageHandler(s_previous);
            s_previous = nullptr;
        }
    }
    if (last) {
        QLoggingCategory::installFilter(s_previousFilter); // back to the rules alone
        s_previousFilter = nullptr;
    }
}

QString LogPanel::text() const
{
    return m_view->toPlainText();
}

void LogPanel::appendLine(int level, const QString &line)
{
    // The line starts with its time (HH:mm:ss.zzz); the profile goes right after it.
    constexpr int TimeLength = 12;
    const QString shown = m_profile.isEmpty()
                              ? line
                              : line.left(TimeLength) + QStringLiteral("  [%1]").arg(m_profile) + line.mid(TimeLength);
    m_lines.append({level, m_profile, shown});
    if (m_lines.size() > MaxLines)
        m_lines.removeFirst();
    if (shows(m_lines.constLast()))
        m_view->appendPlainText(shown);
}

void LogPanel::setProfile(const QString &profile)
{
    if (profile == m_profile)
        return;
    m_profile = profile;
    if (m_profileOnly->isChecked())
        refilter();
}

bool LogPanel::shows(const Line &line) const
{
    return line.level >= m_level->currentIndex() && (!m_profileOnly->isChecked() || line.profile == m_profile);
}

void LogPanel::refilter()
{
    // The chosen level also decides what our modules log from now on, so lines below it cost nothing.
    s_panelLevel = m_level->currentIndex();
    QLoggingCategory::installFilter(filter); // re-runs it over every category (it is already installed)
    m_view->clear();
    QStringList shown;
    for (const Line &line : std::as_const(m_lines))
        if (shows(line))
            shown << line.text;
    m_view->setPlainText(shown.join(QLatin1Char('\n')));
}

} // namespace kbatch::ui
