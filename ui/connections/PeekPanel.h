#pragma once

#include "core/kafka/CancelFlag.h"
#include "core/model/Batch.h"
#include "core/model/Error.h"
#include "core/model/ProducerSettings.h"
#include "core/model/RegistrySettings.h"

#include <QPointer>
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
class SchemaContext;

// Peek: the last N messages of a topic or partition, read on a worker thread; selected ones can be copied into the
// batch to edit and send again. A read still running when the panel goes is cancelled and never delivered.
//
// With a Schema Registry (the registry provider's answer at each peek), framed keys and values are decoded to JSON
// after the read (PeekDecoder) and the Schema column says which schema, or why not; so are parts that the open
// document sends as unframed Protobuf (its SchemaContext), with the document's type.
//
// "Copy to Batch" must republish byte for byte. A decoded part becomes a JSON row when the document types that part
// with the same schema (the frame's id and Protobuf type, or the same unframed type) and encoding that JSON again
// gives exactly the bytes read (checked at copy: decoding and encoding again need not, as with a map key that
// repeats or JSON text that is not compact). Any other part is copied as the bytes read (base64 for a frame); a
// document that types that part cannot send those, and the state line says so at the copy.
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
    // The open document's typed key and value (for unframed Protobuf decoding and for "Copy to Batch"); none: every
    // part is copied as read.
    void setSchemaContext(const SchemaContext *context);
    // The rows "Copy to Batch" gives for the model's rows `rows` (ascending), and how many of their parts the
    // document types but could only be given as bytes.
    core::Batch rowsToCopy(const QList<int> &rows, int *keptAsBytes = nullptr) const;
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
    QPointer<const SchemaContext> m_context; // the window's, which may go before this panel
    bool m_busy = false;
    std::shared_ptr<core::CancelFlag> m_cancel; // the read in flight's
};

} // namespace kbatch::ui
