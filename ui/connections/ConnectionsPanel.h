#pragma once

#include "core/model/Error.h"
#include "core/model/ProducerSettings.h"

#include <QWidget>

#include <functional>

class QLabel;
class QLineEdit;
class QListWidget;
class QSortFilterProxyModel;
class QStandardItemModel;
class QTreeView;

namespace kbatch::ui {

// Connections dock: the profiles (Local sandbox first) and the topic tree of the current one, with partitions,
// leaders and end offsets. Metadata is fetched on a worker thread and delivered to this panel.
class ConnectionsPanel : public QWidget
{
    Q_OBJECT
public:
    using ConnectionProvider = std::function<core::Result<core::Properties>(const QString &profile)>;

    ConnectionsPanel(ConnectionProvider provider, QWidget *parent = nullptr);

    void setProfiles(const QStringList &names, const QString &current);
    QString currentProfile() const;
    void refresh(); // F5, and after each send
    QStandardItemModel *topicModel() const { return m_topics; }
    QStringList topicNames() const;
    bool isRefreshing() const { return m_refreshing; }

signals:
    void topicActivated(const QString &topic);
    void profileSelected(const QString &profile);
    void topicsRefreshed(const QStringList &topics);
    void failed(const QString &message);

private:
    ConnectionProvider m_provider;
    QListWidget *m_profiles;
    QLineEdit *m_filter;
    QTreeView *m_tree;
    QStandardItemModel *m_topics;
    QSortFilterProxyModel *m_proxy;
    QLabel *m_state;
    bool m_refreshing = false;
    bool m_again = false;
};

} // namespace kbatch::ui
