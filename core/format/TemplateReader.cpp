#include "TemplateReader.h"

#include "InputFile.h"
#include "TemplateParser.h"

namespace kbatch::core {

using templatereader::TemplateParser;

Result<Template> parseTemplate(QByteArrayView data, const QString &fileName)
{
    TemplateParser parser(data, fileName);
    return parser.run();
}

Result<Template> parseTemplate(QByteArrayView data, const QString &fileName, qsizetype windowBytes)
{
    InputWindow window = InputWindow::fromMemory(data, windowBytes);
    TemplateParser parser(window, fileName);
    return parser.run();
}

Result<Template> loadTemplate(const QString &path)
{
    // The same path as a streamed read (TemplateStream), so that both refuse the same files with the same errors.
    auto window = InputWindow::open(path);
    if (!window)
        return window.error();
    TemplateParser parser(*window, path);
    return parser.run();
}

struct TemplateStream::Impl
{
    Impl(InputWindow in, const QString &path) : window(std::move(in)), parser(window, path) {}
    InputWindow window; // the parser reads through it: declared first, destroyed last
    TemplateParser parser;
};

TemplateStream::TemplateStream(std::unique_ptr<Impl> impl) : d(std::move(impl)) {}
TemplateStream::TemplateStream(TemplateStream &&) noexcept = default;
TemplateStream &TemplateStream::operator=(TemplateStream &&) noexcept = default;
TemplateStream::~TemplateStream() = default;

Result<TemplateStream> TemplateStream::open(const QString &path, qsizetype windowBytes)
{
    auto window = InputWindow::open(path, windowBytes > 0 ? windowBytes : InputWindow::DefaultBytes);
    if (!window)
        return window.error();
    return TemplateStream(std::make_unique<Impl>(std::move(window.value()), path));
}

Result<Template> TemplateStream::readHead()
{
    return d->parser.readHead(false);
}

void TemplateStream::setJsonAsWritten(bool key, bool value)
{
    d->parser.setJsonAsWritten(key, value);
}

Result<bool> TemplateStream::readRows(Batch &out, qsizetype maxRows)
{
    return d->parser.readRows(out, maxRows);
}

} // namespace kbatch::core
