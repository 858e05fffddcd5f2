#pragma once

#include "core/model/Error.h"
#include "core/model/Message.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QPlainTextEdit;
class QToolButton;

namespace kbatch::ui {

class JsonHighlighter;

// Edits one key or value: an encoding switch (text, JSON, base64, hex), a null toggle distinct from empty, JSON
// validation with the error position and path, pretty-printing and a byte count. The bytes are the truth; the
// encoding only decides how they are shown and written in a template (hex is a view: it keeps the encoding).
//
// JSON that is not valid is kept as typed, never dropped: the row holds the text with the JSON encoding, the editor
// and the table mark it and say why (core::validateJson()), and Send refuses the row until it is fixed. Base64 and
// hex that do not decode are reported and not applied (there are no bytes to keep), so the row keeps its last bytes.
class PayloadEditor : public QWidget
{
    Q_OBJECT
public:
    enum class Form { Text, Json, Base64, Hex };

    PayloadEditor(const QString &title, const QString &namePrefix, QWidget *parent = nullptr);

    void setPayload(const core::Payload &payload);
    core::Payload payload() const;
    void setForm(Form form);
    Form form() const;
    QPlainTextEdit *editor() const { return m_edit; }

signals:
    void edited();

private:
    void render();
    void parseText();
    void updateInfo(const QString &error = {});

    QComboBox *m_form;
    QCheckBox *m_null;
    QToolButton *m_pretty;
    QPlainTextEdit *m_edit;
    QLabel *m_info;
    JsonHighlighter *m_highlighter;
    void showJsonError(const core::Status &status);

    std::optional<QByteArray> m_bytes;
    core::Encoding m_encoding = core::Encoding::Text; // what hex shows: the row's encoding when hex was chosen
    bool m_rendering = false;
};

} // namespace kbatch::ui
