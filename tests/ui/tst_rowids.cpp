// RowIds: every row keeps its id through inserts, removes and moves, no id is ever given twice, and rowOf() finds a
// row by id whichever way the ids are stored. Checked against a plain list doing the same edits.

#include "ui/batch/RowIds.h"

#include <QTest>

#include <set>

using kbatch::ui::RowIds;

class TestRowIds : public QObject
{
    Q_OBJECT
private slots:
    void idsFollowTheirRows_data();
    void idsFollowTheirRows();
};

void TestRowIds::idsFollowTheirRows_data()
{
    // Edits as "op a b": r N (reset to N rows), i ROW COUNT, d ROW COUNT, m FROM TO.
    QTest::addColumn<QString>("edits");
    QTest::newRow("appends stay counted") << QStringLiteral("r 5, i 5 3, i 8 1");
    QTest::newRow("remove the first rows") << QStringLiteral("r 5, d 0 2, i 3 2");
    QTest::newRow("remove the last rows, then append") << QStringLiteral("r 5, d 3 2, i 3 2");
    QTest::newRow("insert in the middle") << QStringLiteral("r 5, i 2 2, d 0 1");
    QTest::newRow("moves") << QStringLiteral("r 6, m 0 5, m 3 1, i 2 1, d 4 1, m 5 0");
    QTest::newRow("everything removed, then new rows") << QStringLiteral("r 3, m 0 2, d 0 3, i 0 2");
    QTest::newRow("reset after moves") << QStringLiteral("r 3, m 0 2, r 4, i 4 1");
}

void TestRowIds::idsFollowTheirRows()
{
    QFETCH(QString, edits);
    RowIds ids;
    std::vector<RowIds::Id> expected; // what each row's id must be
    std::set<RowIds::Id> given;
    auto fresh = [&](qsizetype count) {
        std::vector<RowIds::Id> out;
        for (qsizetype i = 0; i < count; ++i)
            out.push_back(RowIds::None); // filled from the store below, then checked for reuse
        return out;
    };
    const QStringList steps = edits.split(QStringLiteral(", "));
    for (const QString &edit : steps) {
        const QStringList p = edit.split(QLatin1Char(' '));
        const qsizetype a = p.value(1).toLongLong(), b = p.value(2).toLongLong();
        const QChar op = p.first().at(0);
        qsizetype newFrom = -1, newCount = 0;
        if (op == QLatin1Char('r')) {
            ids.reset(a);
            expected = fresh(a);
            newFrom = 0, newCount = a;
        } else if (op == QLatin1Char('i')) {
            ids.insert(a, b);
            const auto added = fresh(b);
            expected.insert(expected.begin() + a, added.begin(), added.end());
            newFrom = a, newCount = b;
        } else if (op == QLatin1Char('d')) {
            ids.remove(a, b);
            expected.erase(expected.begin() + a, expected.begin() + a + b);
        } else {
            const RowIds::Id moved = expected[std::size_t(a)];
            expected.erase(expected.begin() + a);
            expected.insert(expected.begin() + b, moved);
            ids.move(a, b);
        }
        // New rows take ids never seen before; every other row keeps its own.
        for (qsizetype r = newFrom; r >= 0 && r < newFrom + newCount; ++r) {
            const RowIds::Id id = ids.at(r);
            QVERIFY2(id != RowIds::None && given.insert(id).second, qPrintable(edit));
            expected[std::size_t(r)] = id;
        }
        QCOMPARE(ids.size(), qsizetype(expected.size()));
        for (qsizetype r = 0; r < ids.size(); ++r) {
            QCOMPARE(ids.at(r), expected[std::size_t(r)]);
            QCOMPARE(ids.rowOf(expected[std::size_t(r)]), r);
        }
    }
    for (RowIds::Id id : given) // ids of rows that are gone find nothing
        if (std::find(expected.begin(), expected.end(), id) == expected.end())
            QCOMPARE(ids.rowOf(id), -1);
    QCOMPARE(ids.rowOf(RowIds::None), -1);
}

QTEST_GUILESS_MAIN(TestRowIds)
#include "tst_rowids.moc"
