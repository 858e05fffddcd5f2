#include "ui/documents/TemplateLibrary.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QSettings>
#include <QStandardPaths>
#include <QToolButton>
#include <QVBoxLayout>

namespace kbatch::ui {

TemplateLibrary::TemplateLibrary(QWidget *parent) : QWidget(parent), m_watcher(new QFileSystemWatcher(this))
{
    setObjectName(QStringLiteral("templateLibrary"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 4, 8, 8);
    layout->setSpacing(6);
    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("templateList"));
    m_list->setToolTip(tr("Double-click to open"));
    m_list->setSpacing(1);
    auto *bar = new QHBoxLayout;
    m_folderLabel = new QLabel(this);
    m_folderLabel->setObjectName(QStringLiteral("sectionLabel"));
    m_folderLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // A long path must not widen the dock: the label shrinks, the tooltip has the whole path.
    m_folderLabel->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    auto *change = new QToolButton(this);
    change->setObjectName(QStringLiteral("templateFolderButton"));
    change->setText(tr("Folder…"));
    change->setToolTip(tr("Choose the folder the library shows"));
    bar->addWidget(m_folderLabel, 1);
    bar->addWidget(change);
    layout->addWidget(m_list, 1);
    layout->addLayout(bar);

    connect(m_list, &QListWidget::itemActivated, this,
            [this](QListWidgetItem *item) { emit openRequested(item->data(Qt::UserRole).toString()); });
    connect(change, &QToolButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Template folder"), m_folder);
        if (!dir.isEmpty()) {
            QSettings().setValue(QStringLiteral("templateFolder"), dir);
            setFolder(dir);
        }
    });
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, this, &TemplateLibrary::rescan);
    setFolder(QSettings().value(QStringLiteral("templateFolder"), defaultFolder()).toString());
}

QString TemplateLibrary::defaultFolder()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/templates");
}

void TemplateLibrary::setFolder(const QString &folder)
{
    if (!m_watcher->directories().isEmpty())
        m_watcher->removePaths(m_watcher->directories());
    m_folder = folder;
    QDir dir(folder);
    if (!dir.exists() && dir.mkpath(QStringLiteral("."))) {
        // First use: the samples, so the library is never empty on a new machine.
        const QStringList samples = QDir(QStringLiteral(":/templates")).entryList(QDir::Files);
        for (const QString &name : samples) {
            const QString target = dir.filePath(name);
            if (QFile::copy(QStringLiteral(":/templates/") + name, target))
                QFile::setPermissions(target,
                                      QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther);
        }
    }
    m_watcher->addPath(folder);
    m_folderLabel->setText(QStringLiteral("…/") + QDir(folder).dirName());
    m_folderLabel->setToolTip(QDir::toNativeSeparators(folder));
    rescan();
}

QStringList TemplateLibrary::files() const
{
    QStringList out;
    for (int i = 0; i < m_list->count(); ++i)
        out << m_list->item(i)->data(Qt::UserRole).toString();
    return out;
}

void TemplateLibrary::rescan()
{
    m_list->clear();
    const QFileInfoList entries =
        QDir(m_folder).entryInfoList({QStringLiteral("*.kbatch.json")}, QDir::Files, QDir::Name | QDir::IgnoreCase);
    for (const QFileInfo &info : entries) {
        auto *item = new QListWidgetItem(info.fileName().chopped(int(qstrlen(".kbatch.json"))), m_list);
        item->setData(Qt::UserRole, info.absoluteFilePath());
        item->setToolTip(QDir::toNativeSeparators(info.absoluteFilePath()));
    }
}

} // namespace kbatch::ui
