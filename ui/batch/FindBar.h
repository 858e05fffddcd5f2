#pragma once

#include <QLineEdit>

namespace kbatch::ui {

class BatchTableModel;
class BatchView;

// Ctrl+F: finds the next row whose key or value contains the text (Enter), wrapping around; Esc closes.
class FindBar : public QLineEdit
{
    Q_OBJECT
public:
    FindBar(BatchTableModel *model, BatchView *view, QWidget *parent = nullptr);
    void open();
    bool findNext(); // false when nothing matches

signals:
    void notFound(const QString &text);

protected:
    void keyPressEvent(QKeyEvent *event) override;

private:
    BatchTableModel *m_model;
    BatchView *m_view;
};

} // namespace kbatch::ui
