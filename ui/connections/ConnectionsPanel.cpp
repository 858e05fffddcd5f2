#include "ui/connections/ConnectionsPanel.h"

#include "core/kafka/Metadata.h"
#include "core/profiles/ConnectionProfile.h"
#include "ui/widgets/Theme.h"

#include <QApplication>
#include <QClipboard>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace kbatch::ui {

namespace {
struct TopicsOutcome
{
    core::ClusterInfo info;
    QString error;
};
// For the whole refresh: connecting, the topics and every end offset.
constexpr int RefreshTimeoutMs = 5000;
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

    // The sandbox's address, selectable and with a copy button: kcat -b <this> reads what KBatch sent.
    m_sandboxRow = new QWidget(this);
    m_sandboxRow->setObjectName(QStringLiteral("sandboxAddressRow"));
    auto *sandboxLayout = new QHBoxLayout(m_sandboxRow);
    sandboxLayout->setContentsMargins(0, 0, 0, 0);
    sandboxLayout->setSpacing(4);
    m_sandboxAddress = new QLineEdit(m_sandboxRow);
    m_sandboxAddress->setObjectName(QStringLiteral("sandboxAddress"));
    m_sandboxAddress->setReadOnly(true);
    m_sandboxAddress->setFont(Theme::monospaceFont());
    m_sandboxAddress->setToolTip(tr("The local sandbox's bootstrap servers: any Kafka client can connect to them, "
                                    "e.g. kcat -b ADDRESS -L"));
    auto *copy = new QToolButton(m_sandboxRow);
    copy->setObjectName(QStringLiteral("sandboxAddressCopy"));
    copy->setIcon(Theme::icon(QStringLiteral("edit-copy"), QStringLiteral("duplicate")));
    copy->setToolTip(tr("Copy the sandbox's address"));
    copy->setAutoRaise(true);
    connect(copy, &QToolButton::clicked, this,
            [this] { QApplication::clipboard()->setText(m_sandboxAddress->text()); });
    sandboxLayout->addWidget(new QLabel(tr("Sandbox"), m_sandboxRow));
    sandboxLayout->addWidget(m_sandboxAddress, 1);
    sandboxLayout->addWidget(copy);
    m_sandboxRow->hide();

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
    m_state->setTextFormat(Qt::PlainText); // broker errors are shown as they are, never as HTML
    m_state->setTextInteractionFlags(Qt::TextSelectableByMouse);

    layout->addWidget(section(tr("Profiles")));
    layout->addWidget(m_profiles);
    layout->addWidget(m_sandboxRow);
    layout->addSpacing(4);
    layout->addWidget(section(tr("Topics")));
    layout->addWidget(m_filter);
    layout->addWidget(m_tree, 1);
    layout->addWidget(m_state);
}

ConnectionsPanel::~ConnectionsPanel()
{
    // The worker stops waiting for a broker; its watcher, a child, goes with this panel, so nothing is delivered.
    if (m_cancel)
        m_cancel->store(true);
}

void ConnectionsPanel::setProfiles(const QStringList &names, const QString &current)
{
    {
        const QSignalBlocker block(m_profiles);
        m_profiles->clear();
        for (const QString &name : names) {
            auto *item = new QListWidgetItem(name, m_profiles);
            // A green dot marks the profile in use, as in the layout sketch.
            item->setIcon(QIcon(name == current ? QStringLiteral(":/icons/profile.svg")
                                                : QStringLiteral(":/icons/profile-off.svg")));
        }
        const auto found = m_profiles->findItems(current, Qt::MatchExactly);
        if (!found.isEmpty())
            m_profiles->setCurrentItem(found.first());
        updateProfileToolTips();
    }
    if (current == m_shownProfile)
        return;
    // Another cluster: its topics, not the last one's. Until they come the tree is empty and says it is loading.
    m_shownProfile = current;
    m_topics->removeRows(0, m_topics->rowCount());
    emit topicsRefreshed({});
    refresh();
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

QString ConnectionsPanel::stateText() const
{
    return m_state->text();
}

QString ConnectionsPanel::sandboxAddress() const
{
    return m_sandboxAddress->text();
}

void ConnectionsPanel::setSandboxAddress(const QString &bootstrap)
{
    if (bootstrap == m_sandboxAddress->text())
        return;
    m_sandboxAddress->setText(bootstrap);
    m_sandboxAddress->setCursorPosition(0);
    m_sandboxRow->setVisible(!bootstrap.isEmpty());
    updateProfileToolTips();
    emit sandboxAddressChanged(bootstrap);
}

void ConnectionsPanel::updateProfileToolTips()
{
    const auto found = m_profiles->findItems(core::sandboxProfileName(), Qt::MatchExactly);
    if (found.isEmpty())
        return;
    const QString address = m_sandboxAddress->text();
    found.first()->setToolTip(
        address.isEmpty() ? tr("The built-in sandbox cluster; it starts when first used")
                          : tr("The built-in sandbox cluster, on %1 (any Kafka client can connect)").arg(address));
}

void ConnectionsPanel::refresh()
{
    const QString profile = currentProfile();
    if (m_cancel && m_refreshing == profile) {
        m_again = true; // one more round when this one ends, so a refresh after a send is never lost
        return;
    }
    if (m_cancel) // another profile's refresh: stop it, and drop whatever it still delivers
        m_cancel->store(true);
    m_cancel.reset();
    m_again = false;
    const quint64 generation = ++m_generation;
    auto connection = m_provider(profile); // starts the sandbox when it is the sandbox's
    if (!connection.ok()) {
        m_state->setText(connection.error().message());
        return;
    }
    if (profile == core::sandboxProfileName()) {
        for (const core::Property &p : connection.value())
            if (p.first == QLatin1String("bootstrap.servers"))
                setSandboxAddress(p.second);
    }
    auto cancel = std::make_shared<core::CancelFlag>(false);
    m_cancel = cancel;
    m_refreshing = profile;
    m_state->setText(tr("Loading the topics of '%1'…").arg(profile));
    const core::Properties props = connection.value();
    auto *watcher = new QFutureWatcher<TopicsOutcome>(this);
    connect(watcher, &QFutureWatcher<TopicsOutcome>::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_generation)
            return; // for a profile no longer shown
        m_cancel.reset();
        const TopicsOutcome out = watcher->result();
        if (!out.error.isEmpty()) {
            m_state->setText(out.error); // the tree keeps what this profile's last refresh found
            emit failed(out.error);
        } else {
            showTopics(out.info);
        }
        if (std::exchange(m_again, false))
            refresh();
    });
    // The flag is shared with the worker, so it outlives this panel if the worker does.
    watcher->setFuture(QtConcurrent::run([props, cancel] {
        TopicsOutcome out;
        auto info = core::fetchTopics(props, RefreshTimeoutMs, cancel.get());
        if (info.ok())
            out.info = std::move(info.value());
        else
            out.error = info.error().message();
        return out;
    }));
}

void ConnectionsPanel::showTopics(const core::ClusterInfo &info)
{
    m_topics->removeRows(0, m_topics->rowCount());
    const QLocale locale;
    QStringList names;
    for (const core::TopicInfo &topic : info.topics) {
        if (topic.name.startsWith(QLatin1String("__")))
            continue; // internal topics are not send targets
        qint64 total = 0;
        bool known = false;
        for (const core::PartitionInfo &p : topic.partitions) {
            total += std::max<std::int64_t>(0, p.endOffset);
            known = known || p.endOffset >= 0;
        }
        auto *name =
            new QStandardItem(QStringLiteral("%1  (%2)").arg(topic.name, locale.toString(topic.partitions.size())));
        name->setData(topic.name, Qt::UserRole);
        name->setToolTip(topic.error.isEmpty() ? topic.name : topic.error);
        auto *end = new QStandardItem(known ? locale.toString(total) : QString());
        end->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        for (const core::PartitionInfo &p : topic.partitions) {
            auto *pn = new QStandardItem(tr("partition %1 · leader %2").arg(p.id).arg(p.leader));
            pn->setData(topic.name, Qt::UserRole);
            auto *pe = new QStandardItem(p.endOffset >= 0 ? locale.toString(qlonglong(p.endOffset)) : QString());
            pe->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            name->appendRow({pn, pe});
        }
        m_topics->appendRow({name, end});
        names << topic.name;
    }
    m_state->setText(tr("%n topic(s)", nullptr, int(names.size())));
    emit topicsRefreshed(names);
}

} // namespace kbatch::ui
