#include "ui/widgets/LogPanel.h"

#include "ui/widgets/Theme.h"

#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QMutex>
#include <QPlainTextEdit>
#include <QPointer>
#include <QVBoxLayout>

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

QMutex s_mutex;
QPointer<LogPanel> s_panel;
QtMessageHandler s_previous = nullptr;

void handler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (s_previous)
        s_previous(type, context, message);
    if (!context.category || !QByteArrayView(context.category).startsWith("kbatch"))
        return;
    const QString line = QStringLiteral("%1  %2  %3")
                             .arg(QTime::currentTime().toString(QStringLiteral("HH:mm:ss.zzz")),
                                  QString::fromLatin1(context.category), message);
    const QMutexLocker lock(&s_mutex);
    if (s_panel)
        QMetaObject::invokeMethod(s_panel.data(), "appendLine", Qt::QueuedConnection, Q_ARG(int, severity(type)),
                                  Q_ARG(QString, line));
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
    bar->addWidget(new QLabel(tr("Show"), this));
    bar->addWidget(m_level);
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

    const QMutexLocker lock(&s_mutex);
    s_panel = this;
    s_previous = qInstallMessageHandler(handler);
}

LogPanel::~LogPanel()
{
    const QMutexLocker lock(&s_mutex);
    qInstallMessageHandler(s_previous);
    s_previous = nullptr;
    s_panel = nullptr;
}

QString LogPanel::text() const
{
    return m_view->toPlainText();
}

void LogPanel::appendLine(int level, const QString &line)
{
    m_lines.append({level, line});
    if (m_lines.size() > MaxLines)
        m_lines.removeFirst();
    if (level >= m_level->currentIndex())
        m_view->appendPlainText(line);
}

void LogPanel::refilter()
{
    m_view->clear();
    QStringList shown;
    for (const auto &[level, line] : std::as_const(m_lines))
        if (level >= m_level->currentIndex())
            shown << line;
    m_view->setPlainText(shown.join(QLatin1Char('\n')));
}

} // namespace kbatch::ui
