#include "RegistryAnswer.h"

#include "core/format/JsonReader.h"

namespace kbatch::core {

bool RegistryClient::Answer::parse(QByteArrayView body)
{
    JsonReader r(body);
    if (!r.beginObject())
        return false;
    QByteArray name;
    while (r.nextMember(name)) {
        if (name == "schema") {
            hasSchema = r.readString(schema);
        } else if (name == "schemaType") {
            QByteArray t;
            if (r.peek() == JsonReader::Kind::Null ? r.readNull() : r.readString(t))
                schemaType = QString::fromUtf8(t);
        } else if (name == "id" || name == "version" || name == "error_code") {
            QByteArrayView n;
            if (!r.readNumber(n))
                return false;
            const qint64 v = n.toLongLong();
            if (name == "id")
                id = v;
            else if (name == "version")
                version = v;
            else
                errorCode = int(v);
        } else if (name == "subject" || name == "message") {
            QByteArray s;
            if (r.peek() == JsonReader::Kind::Null ? !r.readNull() : !r.readString(s))
                return false;
            (name == "subject" ? subject : message) = QString::fromUtf8(s);
        } else if (name == "is_compatible") {
            bool b = false;
            if (!r.readBool(b))
                return false;
            isCompatible = b ? 1 : 0;
        } else if (name == "messages" && r.peek() == JsonReader::Kind::Array) {
            r.beginArray();
            while (r.nextElement()) {
                QByteArray s;
                if (!r.readString(s))
                    return false;
                messages.append(QString::fromUtf8(s));
            }
        } else if (name == "references" && r.peek() == JsonReader::Kind::Array) {
            r.beginArray();
            while (r.nextElement()) {
                SchemaReference ref;
                if (!r.beginObject())
                    return false;
                QByteArray member;
                while (r.nextMember(member)) {
                    if (member == "version") {
                        QByteArrayView n;
                        if (!r.readNumber(n))
                            return false;
                        ref.version = int(n.toLongLong());
                    } else if (member == "name" || member == "subject") {
                        QByteArray s;
                        if (!r.readString(s))
                            return false;
                        (member == "name" ? ref.name : ref.subject) = QString::fromUtf8(s);
                    } else if (!r.skipValue()) {
                        return false;
                    }
                }
                references.append(ref);
            }
        } else if (!r.skipValue()) {
            return false;
        }
    }
    return !r.hasError();
}

} // namespace kbatch::core
