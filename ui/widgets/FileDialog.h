#pragma once

#include <QString>
#include <QStringList>

class QWidget;

namespace kbatch::ui {

// File choosers behind a seam: tests call setNextFileName() and no dialog is shown.
class FileDialog
{
public:
    static QString openFileName(QWidget *parent, const QString &caption, const QString &dir, const QString &filter);
    // Several files at once (tests: setNextFileNames(), or setNextFileName() for one).
    static QStringList openFileNames(QWidget *parent, const QString &caption, const QString &dir,
                                     const QString &filter);
    static QString saveFileName(QWidget *parent, const QString &caption, const QString &dir, const QString &filter);
    static void setNextFileName(const QString &fileName);       // an empty string answers "cancelled"
    static void setNextFileNames(const QStringList &fileNames); // an empty list answers "cancelled"

private:
    static inline QStringList s_next;
    static inline bool s_hasNext = false;
};

} // namespace kbatch::ui
