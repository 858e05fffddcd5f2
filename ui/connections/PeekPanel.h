#pragma once

#include "core/kafka/CancelFlag.h"
#include "core/model/Batch.h"
#include "core/model/Error.h"
#include "core/model/ProducerSettings.h"

#include <QWidget>

#include <functional>
#include <memory>

class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableView;

namespace kbatch::ui {

class PeekModel;

// Peek: the last N messages of a topic or partition, read on a worker thread; selected ones can be copied into the
// batch to edit and send again. A read still running when the panel goes is cancelled and never delivered.
class PeekPanel : public QWidget
{
    Q_OBJECT
public:
    using ConnectionProvider = std::function<core::Result<core::Properties>()>;
    explicit PeekPanel(ConnectionProvider provider, QWidget *parent = nullptr);
    ~PeekPanel() override;

    void setTopic(const QString &topic);
    QString topic() const;
    void peek();
    void peekAt(const QString &topic); // setTopic(), then peek()
    PeekModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    bool isBusy() const { return m_busy; }

signals:
    void copyToBatch(const core::Batch &rows);

private:
    ConnectionProvider m_provider;
    QLineEdit *m_topic;
    QSpinBox *m_partition;
    QSpinBox *m_count;
    QPushButton *m_peek;
    QPushButton *m_copy;
    QTableView *m_view;
    QLabel *m_state;
    PeekModel *m_model;
    bool m_busy = false;
    std::shared_ptr<core::CancelFlag> m_cancel; // the read in flight's
};

} // namespace kbatch::ui
