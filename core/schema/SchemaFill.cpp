#include "SchemaFill.h"

namespace kbatch::core {

namespace {

std::function<QByteArray(Random &)> fillOf(std::shared_ptr<const PayloadCodec> codec)
{
    if (!codec)
        return {};
    return [codec = std::move(codec)](Random &random) { return codec->randomValue(random); };
}

} // namespace

SchemaFill schemaFill(std::shared_ptr<const PayloadCodec> key, std::shared_ptr<const PayloadCodec> value)
{
    return SchemaFill{fillOf(std::move(key)), fillOf(std::move(value))};
}

SchemaFill schemaFill(const SendCodecs &codecs)
{
    return schemaFill(codecs.key ? codecs.key->codec : nullptr, codecs.value ? codecs.value->codec : nullptr);
}

} // namespace kbatch::core
