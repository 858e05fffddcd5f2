#include "ui/widgets/FileDialog.h"

#include <QFileDialog>

namespace kbatch::ui {

QString FileDialog::openFileName(QWidget *parent, const QString &caption, const QString &dir, const QString &filter)
{
    if (s_hasNext) {
        s_hasNext = false;
        return std::exchange(s_next, QStringList()).value(0);
    }
    return QFileDialog::getOpenFileName(parent, caption, dir, filter);
}

QStringList FileDialog::openFileNames(QWidget *parent, const QString &caption, const QString &dir,
                                      const QString &filter)
{
    if (s_hasNext) {
        s_hasNext = false;
        return std::exchange(s_next, QStringList());
    }
    return QFileDialog::getOpenFileNames(parent, caption, dir, filter);
}

QString FileDialog::saveFileName(QWidget *parent, const QString &caption, const QString &dir, const QString &filter)
{
    if (s_hasNext) {
        s_hasNext = false;
        return std::exchange(s_next, QStringList()).value(0);
    }
    return QFileDialog::getSaveFileName(parent, caption, dir, filter);
}

void FileDialog::setNextFileName(const QString &fileName)
{
    s_next = fileName.isEmpty() ? QStringList() : QStringList{fileName};
    s_hasNext = true;
}

void FileDialog::setNextFileNames(const QStringList &fileNames)
{
    s_next = fileNames;
    s_hasNext = true;
}

} // namespace kbatch::ui
