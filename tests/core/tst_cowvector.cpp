// CowVector (core/model/CowVector.h): copies share until one writes, and a copy released on another thread hands
// its reads over to the writer. The thread test is there for ThreadSanitizer (the tsan preset runs it): were write()
// to decide "last copy, write in place" from a relaxed count, as std::shared_ptr::use_count() reads it, the other
// thread's reads would not be ordered before the writes, and TSan reports the race on the vector's elements.

#include "core/model/CowVector.h"

#include <QTest>

#include <atomic>
#include <thread>

using namespace kbatch::core;

class TestCowVector : public QObject
{
    Q_OBJECT
private slots:
    void copiesShareUntilOneWrites();
    void theLastCopyWritesInPlace();
    void aCopyReleasedOnAnotherThreadHandsItsReadsOver();
};

void TestCowVector::copiesShareUntilOneWrites()
{
    CowVector<int> a;
    a.write().assign({1, 2, 3});
    CowVector<int> b = a;
    QVERIFY(a.isShared());
    QCOMPARE(&a[0], &b[0]); // one vector
    b.write()[0] = 9;       // detaches b
    QVERIFY(!a.isShared());
    QVERIFY(!b.isShared());
    QCOMPARE(a[0], 1);
    QCOMPARE(b[0], 9);
    CowVector<int> c = std::move(b);
    QCOMPARE(b.size(), std::size_t(0)); // NOLINT(bugprone-use-after-move): a moved-from copy is empty
    QCOMPARE(c[0], 9);
    c = a;
    QVERIFY(a.isShared());
    c = CowVector<int>();
    QVERIFY(!a.isShared());
}

void TestCowVector::theLastCopyWritesInPlace()
{
    CowVector<int> a;
    a.write().assign(100, 1);
    const int *before = &a[0];
    {
        const CowVector<int> b = a;
        QVERIFY(a.isShared());
    }
    a.write()[0] = 2; // no other copy: no needless copy of the vector
    QCOMPARE(&a[0], before);
}

void TestCowVector::aCopyReleasedOnAnotherThreadHandsItsReadsOver()
{
    // The producer thread reads a job's rows and drops them when the job ends; the window's copy goes on being
    // edited. Nothing but the count orders the two: the editor waits for it alone, then writes in place.
    for (int round = 0; round < 20; ++round) {
        CowVector<int> editor;
        editor.write().assign(4096, round);
        CowVector<int> job = editor;
        std::atomic<long> sum{0};
        std::thread producer([job = std::move(job), &sum]() mutable {
            long s = 0;
            for (int v : job)
                s += v;
            sum.store(s, std::memory_order_relaxed); // relaxed: orders nothing, on purpose
            job = CowVector<int>();                  // released here, on this thread
        });
        while (editor.isShared())
            std::this_thread::yield();
        const int *before = &editor[0];
        auto &rows = editor.write();
        QCOMPARE(rows.data(), before); // in place: this is the race a relaxed count would allow
        for (int &v : rows)
            v = -1;
        producer.join();
        QCOMPARE(sum.load(), long(round) * 4096);
    }
}

QTEST_GUILESS_MAIN(TestCowVector)
#include "tst_cowvector.moc"
