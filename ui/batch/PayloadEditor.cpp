#include "ui/batch/PayloadEditor.h"

#include "core/format/JsonText.h"
#include "core/format/Utf8.h"
#include "ui/widgets/JsonHighlighter.h"
#include "ui/widgets/Theme.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QToolButton>
#include <QVBoxLayout>

namespace kbatch::ui {

PayloadEditor::PayloadEditor(const QString &title, const QString &namePrefix, QWidget *parent) : QWidget(parent)
{
    setObjectName(namePrefix + QStringLiteral("Editor"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    auto *top = new QHBoxLayout;
    top->setSpacing(6);
    auto *label = new QLabel(title, this);
    label->setObjectName(QStringLiteral("sectionLabel"));
    m_form = new QComboBox(this);
    m_form->setObjectName(namePrefix + QStringLiteral("Encoding"));
    m_form->addItem(tr("Text"));
    m_form->addItem(tr("JSON"));
    m_form->addItem(tr("Base64"));
    m_form->addItem(tr("Hex"));
    m_form->setToolTip(tr("How the bytes are shown and edited; the bytes sent are the same"));
    m_null = new QCheckBox(tr("null"), this);
    m_null->setObjectName(namePrefix + QStringLiteral("Null"));
    m_null->setToolTip(tr("No bytes at all (a null key, a tombstone value) — not the same as empty"));
    m_pretty = new QToolButton(this);
    m_pretty->setObjectName(namePrefix + QStringLiteral("Pretty"));
    m_pretty->setText(tr("Pretty"));
    m_pretty->setToolTip(tr("Indent the JSON (the bytes sent stay compact)"));
    top->addWidget(label);
    top->addStretch();
    top->addWidget(m_null);
    top->addWidget(m_form);
    top->addWidget(m_pretty);
    m_edit = new QPlainTextEdit(this);
    m_edit->setObjectName(namePrefix + QStringLiteral("Edit"));
    m_edit->setFont(Theme::monospaceFont());
    m_edit->setTabChangesFocus(true);
    m_edit->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_info = new QLabel(this);
    m_info->setObjectName(namePrefix + QStringLiteral("Info"));
    m_info->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_info->setWordWrap(true);
    layout->addLayout(top);
    layout->addWidget(m_edit, 1);
    layout->addWidget(m_info);
    m_highlighter = new JsonHighlighter(m_edit->document());

    connect(m_form, &QComboBox::currentIndexChanged, this, [this] {
        if (m_rendering)
            return;
        // Hex shows the bytes of whatever the row holds; the other forms say how the row is written.
        if (form() == Form::Text)
            m_encoding = core::Encoding::Text;
        else if (form() == Form::Json)
            m_encoding = core::Encoding::Json;
        else if (form() == Form::Base64)
            m_encoding = core::Encoding::Base64;
        render();
        emit edited(); // the encoding is part of the row (how it is saved)
    });
    connect(m_null, &QCheckBox::toggled, this, [this](bool isNull) {
        if (m_rendering)
            return;
        m_edit->setEnabled(!isNull);
        if (isNull) {
            m_bytes.reset();
            showJsonError(core::Ok{});
        } else {
            m_bytes = QByteArray();
            parseText(); // what the editor shows becomes the bytes again
        }
        emit edited();
    });
    connect(m_edit, &QPlainTextEdit::textChanged, this, [this] {
        if (m_rendering)
            return;
        parseText();
    });
    connect(m_pretty, &QToolButton::clicked, this, [this] {
        if (form() != Form::Json || !m_bytes)
            return;
        if (const auto pretty = core::prettyJson(*m_bytes); pretty.ok()) {
            m_rendering = true;
            m_edit->setPlainText(QString::fromUtf8(*pretty));
            m_rendering = false;
        }
    });
    setPayload(core::Payload::null());
}

PayloadEditor::Form PayloadEditor::form() const
{
    return Form(m_form->currentIndex());
}

void PayloadEditor::setForm(Form f)
{
    m_form->setCurrentIndex(int(f));
}

void PayloadEditor::setPayload(const core::Payload &payload)
{
    m_rendering = true;
    m_bytes = payload.bytes;
    m_encoding = payload.encoding;
    Form f = Form::Text;
    if (payload.encoding == core::Encoding::Json)
        f = Form::Json;
    else if (payload.encoding == core::Encoding::Base64)
        f = form() == Form::Hex ? Form::Hex : Form::Base64;
    m_form->setCurrentIndex(int(f));
    m_null->setChecked(payload.isNull());
    m_rendering = false;
    render();
}

core::Payload PayloadEditor::payload() const
{
    if (!m_bytes)
        return core::Payload::null();
    switch (form()) {
    case Form::Text:
        return core::Payload(*m_bytes, core::Encoding::Text);
    case Form::Json:
        return core::Payload(*m_bytes, core::Encoding::Json); // valid or not: an invalid draft is marked, not lost
    case Form::Base64:
        return core::Payload(*m_bytes, core::Encoding::Base64);
    case Form::Hex:
        // Bytes typed in hex that are no UTF-8 text any more are binary, whatever the row held.
        if (m_encoding == core::Encoding::Text && !core::isValidUtf8(*m_bytes))
            return core::Payload(*m_bytes, core::Encoding::Base64);
        return core::Payload(*m_bytes, m_encoding);
    }
    return {};
}

void PayloadEditor::render()
{
    m_rendering = true;
    m_edit->setEnabled(m_bytes.has_value());
    m_highlighter->setEnabled(form() == Form::Json);
    m_pretty->setVisible(form() == Form::Json);
    QString text;
    core::Status json = core::Ok{};
    if (m_bytes) {
        switch (form()) {
        case Form::Text:
            text = QString::fromUtf8(*m_bytes);
            break;
        case Form::Json:
            if (const auto pretty = core::prettyJson(*m_bytes); pretty.ok()) {
                text = QString::fromUtf8(*pretty);
                m_bytes = *core::compactJson(*m_bytes); // JSON is sent compact (text switched to JSON included)
            } else {
                json = pretty.error();
                text = QString::fromUtf8(*m_bytes); // as typed, so that the error's line and column are right
            }
            break;
        case Form::Base64:
            text = QString::fromLatin1(m_bytes->toBase64());
            break;
        case Form::Hex:
            text = QString::fromLatin1(m_bytes->toHex(' '));
            break;
        }
    }
    m_edit->setPlainText(text);
    m_rendering = false;
    showJsonError(form() == Form::Json && m_bytes ? json : core::Status(core::Ok{}));
}

void PayloadEditor::parseText()
{
    const QString text = m_edit->toPlainText();
    QString error;
    switch (form()) {
    case Form::Text:
        m_bytes = text.toUtf8();
        break;
    case Form::Json: {
        // Valid JSON is kept compact (what is sent); invalid JSON is kept as typed, and marked.
        const QByteArray utf8 = text.toUtf8();
        auto compact = core::compactJson(utf8);
        if (compact.ok())
            m_bytes = std::move(*compact);
        else
            m_bytes = utf8;
        showJsonError(compact.ok() ? core::Status(core::Ok{}) : core::Status(compact.error()));
        emit edited();
        return;
    }
    case Form::Base64: {
        auto decoded =
            QByteArray::fromBase64Encoding(text.trimmed().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded) {
            error = tr("Not valid base64");
            break;
        }
        m_bytes = *decoded;
        break;
    }
    case Form::Hex: {
        QByteArray digits = text.toLatin1();
        digits.replace(' ', QByteArray()).replace('\n', QByteArray());
        bool ok = digits.size() % 2 == 0;
        for (char c : std::as_const(digits))
            ok = ok && core::hexDigitValue(c) >= 0;
        if (!ok) {
            error = tr("Not valid hex: use pairs of 0-9 and a-f");
            break;
        }
        m_bytes = QByteArray::fromHex(digits);
        break;
    }
    }
    updateInfo(error);
    if (error.isEmpty())
        emit edited();
}

void PayloadEditor::showJsonError(const core::Status &status)
{
    m_pretty->setEnabled(status.ok()); // indenting needs a structure to follow
    if (status.ok()) {
        m_highlighter->setError(0, 0);
        updateInfo();
        return;
    }
    const core::Error &e = status.error();
    m_highlighter->setError(e.line, e.column);
    updateInfo(tr("Not valid JSON at line %1, column %2, %3: %4 (kept as typed; Send refuses the row until it is "
                  "fixed)")
                   .arg(e.line)
                   .arg(e.column)
                   .arg(e.field, e.text));
}

void PayloadEditor::updateInfo(const QString &error)
{
    if (!error.isEmpty()) {
        m_info->setStyleSheet(QStringLiteral("color: %1").arg(Theme::statusColor(core::DeliveryStatus::Failed).name()));
        m_info->setText(error);
        return;
    }
    m_info->setStyleSheet(QStringLiteral("color: %1").arg(Theme::mutedTextColor().name()));
    m_info->setText(m_bytes ? tr("%Ln byte(s)", nullptr, int(m_bytes->size())) : tr("null — no bytes"));
}

} // namespace kbatch::ui
