#pragma once

#include <QToolButton>

#include <optional>

namespace kbatch::ui {

class ConnectionsPanel;
class SendBar;
class ConnectionService;

// Next to the topic field: when the Local sandbox profile is selected and the typed topic is not in the topic
// tree, offers to create it on the sandbox (asking for the partition count), then refreshes the tree. Hidden for
// every other profile: KBatch never creates topics on a real cluster.
class CreateTopicButton : public QToolButton
{
    Q_OBJECT
public:
    CreateTopicButton(SendBar *bar, ConnectionsPanel *connections, ConnectionService *service,
                      QWidget *parent = nullptr);

    // Asks for the partition count (default 3); nullopt when cancelled. Tests answer through setNextPartitionCount()
    // without a dialog (0 means "cancel").
    static std::optional<int> askPartitions(QWidget *parent, const QString &topic);
    static void setNextPartitionCount(int partitions) { s_nextPartitions = partitions; }

    void updateOffer();
    void createTopic();

signals:
    void created(const QString &topic);
    void failed(const QString &message);

private:
    SendBar *m_bar;
    ConnectionsPanel *m_connections;
    ConnectionService *m_service;
    static inline std::optional<int> s_nextPartitions;
};

} // namespace kbatch::ui
