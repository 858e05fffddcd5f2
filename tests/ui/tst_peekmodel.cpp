// PeekModel: what a peek read back, as the table shows it and as "Copy to Batch" takes it.

#include "ui/connections/PeekModel.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace kbatch;
using ui::PeekModel;

class TestPeekModel : public QObject
{
    Q_OBJECT
private slots:
    void binaryPayloadsAreBase64NotMojibake();
};

void TestPeekModel::binaryPayloadsAreBase64NotMojibake()
{
    PeekModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    core::PeekedMessage binary;
    binary.partition = 0;
    binary.offset = 7;
    binary.message.key = core::Payload(QByteArray::fromHex("000102ff"));
    binary.message.value = core::Payload(QByteArray("Grüße, 日本"));
    core::PeekedMessage nulls;
    nulls.message.key = core::Payload::null();
    nulls.message.value = core::Payload::null();
    model.setMessages({binary, nulls});

    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.data(model.index(0, PeekModel::Key)).toString(), QStringLiteral("AAEC/w=="));
    QCOMPARE(model.at(0).message.key.encoding, core::Encoding::Base64); // copied into the batch as bytes
    QCOMPARE(*model.at(0).message.key.bytes, QByteArray::fromHex("000102ff"));
    QCOMPARE(model.data(model.index(0, PeekModel::Value)).toString(), QStringLiteral("Grüße, 日本"));
    QCOMPARE(model.at(0).message.value.encoding, core::Encoding::Text);
    QCOMPARE(model.data(model.index(1, PeekModel::Key)).toString(), QStringLiteral("null"));
}

QTEST_MAIN(TestPeekModel)
#include "tst_peekmodel.moc"
