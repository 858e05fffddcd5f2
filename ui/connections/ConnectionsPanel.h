#pragma once

#include "core/kafka/CancelFlag.h"
#include "core/model/Error.h"
#include "core/model/ProducerSettings.h"

#include <QWidget>

#include <functional>
#include <memory>

class QLabel;
class QLineEdit;
class QListWidget;
class QSortFilterProxyModel;
class QStandardItemModel;
class QTreeView;
class QWidget;

namespace kbatch::core {
struct ClusterInfo;
}

namespace kbatch::ui {

// Connections dock: the profiles (Local sandbox first, with its address once it runs) and the topic tree of the
// current one, with partitions, leaders and end offsets. Metadata is fetched on a worker thread, over one client per
// refresh, and delivered to this panel. Choosing another profile empties the tree and loads that profile's topics;
// an answer that comes for a profile no longer shown is dropped. A refresh still running when the panel goes is
// cancelled (it stops waiting for a broker within 100 ms) and its answer is never delivered.
class ConnectionsPanel : public QWidget
{
    Q_OBJECT
public:
    using ConnectionProvider = std::function<core::Result<core::Properties>(const QString &profile)>;

    ConnectionsPanel(ConnectionProvider provider, QWidget *parent = nullptr);
    ~ConnectionsPanel() override;

    void setProfiles(const QStringList &names, const QString &current);
    QString currentProfile() const;
    void refresh(); // F5, after each send, and when another profile is chosen
    QStandardItemModel *topicModel() const { return m_topics; }
    QStringList topicNames() const;
    bool isRefreshing() const { return m_cancel != nullptr; }
    QString stateText() const;
    // The sandbox's bootstrap list ("127.0.0.1:port,..."), once it runs (the sandbox profile's refresh starts it):
    // shown under the profiles, copyable, so that kcat or another client can be pointed at it.
    QString sandboxAddress() const;

signals:
    void topicActivated(const QString &topic);
    void profileSelected(const QString &profile);
    void topicsRefreshed(const QStringList &topics);
    void failed(const QString &message);
    void sandboxAddressChanged(const QString &bootstrap);

private:
    void showTopics(const core::ClusterInfo &info);
    void updateProfileToolTips();
    void setSandboxAddress(const QString &bootstrap);

    ConnectionProvider m_provider;
    QListWidget *m_profiles;
    QWidget *m_sandboxRow;
    QLineEdit *m_sandboxAddress;
    QLineEdit *m_filter;
    QTreeView *m_tree;
    QStandardItemModel *m_topics;
    QSortFilterProxyModel *m_proxy;
    QLabel *m_state;
    QString m_shownProfile;                     // whose topics the tree shows (or is loading)
    std::shared_ptr<core::CancelFlag> m_cancel; // the refresh in flight's; null when none runs
    QString m_refreshing;                       // the profile it is for
    quint64 m_generation = 0;                   // of the refresh whose answer the tree waits for
    bool m_again = false;
};

} // namespace kbatch::ui
