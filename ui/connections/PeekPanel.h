#pragma once

#include "core/kafka/CancelFlag.h"
#include "core/model/Batch.h"
#include "core/model/Error.h"
#include "core/model/ProducerSettings.h"
#include "core/model/RegistrySettings.h"

#include <QWidget>

#include <functional>
#include <memory>
#include <optional>

class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableView;

namespace kbatch::ui {

class PeekDecoder;
class PeekModel;

// Peek: the last N messages of a topic or partition, read on a worker thread; selected ones can be copied into the
// batch to edit and send again. A read still running when the panel goes is cancelled and never delivered.
//
// With a Schema Registry (the registry provider's answer at each peek), framed keys and values are decoded to JSON
// after the read (PeekDecoder) and the Schema column says which schema, or why not. "Copy to Batch" copies the bytes
// as read, never the JSON: decoding and encoding again need not give the same bytes (a map key that repeats, a
// union branch chosen another way), and a copy must republish byte for byte.
class PeekPanel : public QWidget
{
    Q_OBJECT
public:
    using ConnectionProvider = std::function<core::Result<core::Properties>()>;
    // The registry of the profile peeked through; nullopt: none.
    using RegistryProvider = std::function<core::Result<std::optional<core::RegistrySettings>>()>;
    explicit PeekPanel(ConnectionProvider provider, QWidget *parent = nullptr);
    ~PeekPanel() override;

    void setTopic(const QString &topic);
    QString topic() const;
    void peek();
    void peekAt(const QString &topic); // setTopic(), then peek()
    void setRegistryProvider(RegistryProvider provider);
    PeekModel *model() const { return m_model; }
    PeekDecoder *decoder() const { return m_decoder; }
    QTableView *view() const { return m_view; }
    bool isBusy() const { return m_busy; } // reading or decoding

signals:
    void copyToBatch(const core::Batch &rows);

private:
    void decode(const QString &topic, int count);

    ConnectionProvider m_provider;
    RegistryProvider m_registryProvider;
    QLineEdit *m_topic;
    QSpinBox *m_partition;
    QSpinBox *m_count;
    QPushButton *m_peek;
    QPushButton *m_copy;
    QTableView *m_view;
    QLabel *m_state;
    PeekModel *m_model;
    PeekDecoder *m_decoder;
    bool m_busy = false;
    std::shared_ptr<core::CancelFlag> m_cancel; // the read in flight's
};

} // namespace kbatch::ui
