#pragma once

#include "core/model/SerializerSettings.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QTabWidget;
class QToolButton;

namespace kbatch::ui {

class BatchTableModel;
class SchemaContext;

// The detail panel's view of one typed part (key or value) of the current row: the schema (subject, version, id,
// its text pretty-printed, read-only), whether the row fits it (the JSON path and the reason when not), the exact
// bytes Send will write (the magic byte, the schema id, Protobuf's message indexes, the datum, each labelled, as hex;
// only the message for Protobuf sent unframed) and "Insert skeleton".
// Hidden while the part is sent as bytes. Object names end in the part: "schemaTitle_value", "schemaBytes_key".
class SchemaSection : public QWidget
{
    Q_OBJECT
public:
    SchemaSection(core::PayloadPart part, BatchTableModel *model, SchemaContext *context, QWidget *parent = nullptr);

    // Shows `row` (-1: none) as the model holds it now.
    void showRow(qsizetype row);
    // Whether the part is typed (not bytes): the section has something to show.
    bool isTyped() const;

    // The labelled hex of a Confluent frame: "magic byte  00", "schema id   00 00 00 07  (7)", for Protobuf the
    // message-index path ("indexes     02 02  (message index path [1])"), then the datum (Protobuf: the message),
    // 16 bytes a line. For the panel and the tests.
    static QString frameHex(const QByteArray &frame, bool protobuf = false);
    // The same for a Protobuf message sent unframed (from .proto files): a line that says so, then the message.
    static QString unframedHex(const QByteArray &payload);

private:
    void insertSkeleton();

    core::PayloadPart m_part;
    BatchTableModel *m_model;
    SchemaContext *m_context;
    qsizetype m_row = -1;
    QLabel *m_title;
    QLabel *m_problem;
    QToolButton *m_skeleton;
    QTabWidget *m_tabs;
    QPlainTextEdit *m_bytes;
    QPlainTextEdit *m_schema;
    QByteArray m_shownSchema; // the text m_schema shows, so that an edit does not re-render it
};

} // namespace kbatch::ui
