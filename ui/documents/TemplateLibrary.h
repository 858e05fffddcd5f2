#pragma once

#include <QWidget>

class QFileSystemWatcher;
class QLabel;
class QListWidget;

namespace kbatch::ui {

// The template library: the *.kbatch.json files of a folder (QStandardPaths::AppDataLocation/templates unless the
// user picks another, kept in the settings). On first use the folder gets the sample templates from resources.
class TemplateLibrary : public QWidget
{
    Q_OBJECT
public:
    explicit TemplateLibrary(QWidget *parent = nullptr);

    QString folder() const { return m_folder; }
    void setFolder(const QString &folder);
    QStringList files() const; // full paths, as listed
    static QString defaultFolder();

signals:
    void openRequested(const QString &path);

private:
    void rescan();

    QString m_folder;
    QListWidget *m_list;
    QLabel *m_folderLabel;
    QFileSystemWatcher *m_watcher;
};

} // namespace kbatch::ui
