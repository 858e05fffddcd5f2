#include "ui/connections/ConnectionsPanel.h"

#include "core/kafka/Metadata.h"
#include "ui/widgets/Theme.h"

#include <QFutureWatcher>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>
#include <QTreeView>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace kbatch::ui {

namespace {
struct TopicsOutcome
{
    QList<core::TopicInfo> topics;
    QList<QList<std::int64_t>> endOffsets; // per topic, per partition; empty when unknown
    QString error;
};
constexpr int MetadataTimeoutMs = 5000;
} // namespace

ConnectionsPanel::ConnectionsPanel(ConnectionProvider provider, QWidget *parent)
    : QWidget(parent), m_provider(std::move(provider))
{
    setObjectName(QStringLiteral("connectionsPanel"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 4, 8, 8);
    layout->setSpacing(6);
    auto section = [this](const QString &text) {
        auto *l = new QLabel(text, this);
        l->setObjectName(QStringLiteral("sectionLabel"));
        return l;
    };
    m_profiles = new QListWidget(this);
    m_profiles->setObjectName(QStringLiteral("profileList"));
    m_profiles->setMaximumHeight(88);
    connect(m_profiles, &QListWidget::currentTextChanged, this, [this](const QString &name) {
        if (!name.isEmpty())
            emit profileSelected(name);
    });
    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("topicFilter"));
    m_filter->setPlaceholderText(tr("Filter topics"));
    m_filter->setClearButtonEnabled(true);
    // Two columns fit a narrow dock: "name (partitions)" and the end offset; partitions are the children.
    m_topics = new QStandardItemModel(0, 2, this);
    m_topics->setHorizontalHeaderLabels({tr("Topic"), tr("End offset")});
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_topics);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setRecursiveFilteringEnabled(false);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    m_tree = new QTreeView(this);
    m_tree->setObjectName(QStringLiteral("topicTree"));
    m_tree->setModel(m_proxy);
    m_tree->setUniformRowHeights(true);
    m_tree->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_tree->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_tree->setToolTip(tr("Double-click a topic to send to it (F5 refreshes)"));
    connect(m_tree, &QTreeView::doubleClicked, this, [this](const QModelIndex &index) {
        QModelIndex topic = index.siblingAtColumn(0);
        if (topic.parent().isValid())
            topic = topic.parent();
        emit topicActivated(topic.data(Qt::UserRole).toString());
    });
    m_state = new QLabel(this);
    m_state->setObjectName(QStringLiteral("topicState"));
    m_state->setWordWrap(true);
    m_state->setTextInteractionFlags(Qt::TextSelectableByMouse);

    layout->addWidget(section(tr("Profiles")));
    layout->addWidget(m_profiles);
    layout->addSpacing(4);
    layout->addWidget(section(tr("Topics")));
    layout->addWidget(m_filter);
    layout->addWidget(m_tree, 1);
    layout->addWidget(m_state);
}

void ConnectionsPanel::setProfiles(const QStringList &names, const QString &current)
{
    const QSignalBlocker block(m_profiles);
    m_profiles->clear();
    for (const QString &name : names) {
        auto *item = new QListWidgetItem(name, m_profiles);
        // A green dot marks the profile in use, as in the layout sketch.
        item->setIcon(
            QIcon(name == current ? QStringLiteral(":/icons/profile.svg") : QStringLiteral(":/icons/profile-off.svg")));
    }
    const auto found = m_profiles->findItems(current, Qt::MatchExactly);
    if (!found.isEmpty())
        m_profiles->setCurrentItem(found.first());
}

QString ConnectionsPanel::currentProfile() const
{
    return m_profiles->currentItem() ? m_profiles->currentItem()->text() : QString();
}

QStringList ConnectionsPanel::topicNames() const
{
    QStringList names;
    for (int r = 0; r < m_topics->rowCount(); ++r)
        names << m_topics->item(r)->data(Qt::UserRole).toString();
    return names;
}

void ConnectionsPanel::refresh()
{
    if (m_refreshing) {
        m_again = true; // one more round when this one ends, so a refresh after a send is never lost
        return;
    }
    auto connection = m_provider(currentProfile());
    if (!connection.ok()) {
        m_state->setText(connection.error().message());
        return;
    }
    m_refreshing = true;
    m_state->setText(tr("Refreshing…"));
    const core::Properties props = connection.value();
    auto *watcher = new QFutureWatcher<TopicsOutcome>(this);
    connect(watcher, &QFutureWatcher<TopicsOutcome>::finished, this, [this, watcher] {
        watcher->deleteLater();
        m_refreshing = false;
        const TopicsOutcome out = watcher->result();
        if (!out.error.isEmpty()) {
            m_state->setText(out.error);
            emit failed(out.error);
        } else {
            m_topics->removeRows(0, m_topics->rowCount());
            const QLocale locale;
            QStringList names;
            for (qsizetype t = 0; t < out.topics.size(); ++t) {
                const core::TopicInfo &topic = out.topics[t];
                const QList<std::int64_t> &ends = out.endOffsets[t];
                qint64 total = 0;
                for (std::int64_t e : ends)
                    total += std::max<std::int64_t>(0, e);
                auto *name = new QStandardItem(
                    QStringLiteral("%1  (%2)").arg(topic.name, locale.toString(topic.partitions.size())));
                name->setData(topic.name, Qt::UserRole);
                name->setToolTip(topic.error.isEmpty() ? topic.name : topic.error);
                auto *end = new QStandardItem(ends.isEmpty() ? QString() : locale.toString(total));
                end->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
                for (qsizetype p = 0; p < topic.partitions.size(); ++p) {
                    const core::PartitionInfo &info = topic.partitions[p];
                    auto *pn = new QStandardItem(tr("partition %1 · leader %2").arg(info.id).arg(info.leader));
                    pn->setData(topic.name, Qt::UserRole);
                    auto *pe = new QStandardItem(p < ends.size() ? locale.toString(qlonglong(ends[p])) : QString());
                    pe->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
                    name->appendRow({pn, pe});
                }
                m_topics->appendRow({name, end});
                names << topic.name;
            }
            m_state->setText(tr("%n topic(s)", nullptr, int(names.size())));
            emit topicsRefreshed(names);
        }
        if (std::exchange(m_again, false))
            refresh();
    });
    watcher->setFuture(QtConcurrent::run([props] {
        TopicsOutcome out;
        auto info = core::fetchMetadata(props, MetadataTimeoutMs);
        if (!info.ok()) {
            out.error = info.error().message();
            return out;
        }
        for (const core::TopicInfo &topic : std::as_const(info->topics)) {
            if (topic.name.startsWith(QLatin1String("__")))
                continue; // internal topics are not send targets
            out.topics.append(topic);
            auto ends = core::fetchEndOffsets(props, topic.name, int(topic.partitions.size()), MetadataTimeoutMs);
            out.endOffsets.append(ends.ok() ? ends.value() : QList<std::int64_t>());
        }
        return out;
    }));
}

} // namespace kbatch::ui
