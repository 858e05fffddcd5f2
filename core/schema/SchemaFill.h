#pragma once

#include "PayloadCodec.h"
#include "RowSerializer.h"
#include "core/generate/Generator.h"

#include <memory>

namespace kbatch::core {

// The generator's random values for a part that "fill" names (GenerateSpec::fillKey, fillValue): the codec's
// randomValue(), so that what a generator row makes fits the schema that sends it. A null codec leaves that part
// empty (not typed). The codecs are kept alive by the functions. Any thread.
SchemaFill schemaFill(std::shared_ptr<const PayloadCodec> key, std::shared_ptr<const PayloadCodec> value);
// The same for a send's resolved codecs.
SchemaFill schemaFill(const SendCodecs &codecs);

} // namespace kbatch::core
