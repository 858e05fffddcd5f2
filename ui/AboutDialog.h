#pragma once

#include <QDialog>
#include <QList>
#include <QString>

class QListWidget;
class QPlainTextEdit;

namespace kbatch::ui {

// Help > About: the versions in use (KBatch; librdkafka with its linkage and built-in features; Qt) and the licences
// of KBatch and of the libraries it carries or links, as shipped in the resources under :/licenses
// (cmake/KBatchLicenses.cmake). A statically built-in librdkafka obliges us to show its licence and those of the
// code it bundles; Qt (LGPL-3.0) and QtKeychain are linked as shared libraries.
class AboutDialog : public QDialog
{
    Q_OBJECT
public:
    explicit AboutDialog(QWidget *parent = nullptr);

    // The versions, as rich text.
    static QString aboutText();

    struct Licence
    {
        QString component; // "KBatch", "librdkafka", "Qt", "GNU GPL 3.0", "QtKeychain"
        QString summary;   // what the list shows beside it
        QString resource;  // the full text, e.g. ":/licenses/librdkafka.txt"
    };
    static QList<Licence> licences();

    // Shows the licence of `component` (as licences() names it); false when there is none.
    bool showLicence(const QString &component);
    QString shownLicenceText() const;

private:
    QListWidget *m_list = nullptr;
    QPlainTextEdit *m_text = nullptr;
};

} // namespace kbatch::ui
