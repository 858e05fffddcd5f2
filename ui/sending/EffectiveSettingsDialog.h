#pragma once

#include "core/kafka/ProducerConfig.h"

#include <QDialog>

class QLabel;
class QTableWidget;

namespace kbatch::ui {

// Every producer property a send uses and where it came from (profile, template, default, command line), as
// buildProducerConfig() decides it: what the trust model keeps apart (docs/security.md) made visible. Secrets show
// as "(secret)".
class EffectiveSettingsDialog : public QDialog
{
    Q_OBJECT
public:
    explicit EffectiveSettingsDialog(QWidget *parent = nullptr);

    // `caption` says which send the list is for ("the next send to orders with profile 'staging'").
    void show(const core::EffectiveSettings &settings, const QString &caption);
    void showError(const QString &error, const QString &caption);

private:
    QLabel *m_caption;
    QTableWidget *m_table;
};

} // namespace kbatch::ui
