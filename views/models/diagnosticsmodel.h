#pragma once

#include "model/workspace.h"

#include <QAbstractTableModel>

#include <memory>

namespace rw {

// Every finding of every open file: file, line, byte offset, code, message.
class DiagnosticsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Columns { FileColumn, LineColumn, OffsetColumn, CodeColumn, MessageColumn, ColumnCount };
    enum Roles { FileIndexRole = Qt::UserRole, RecordRole, SeverityRole };

    explicit DiagnosticsModel(QObject* parent = nullptr);
    void setWorkspace(std::shared_ptr<const Workspace> ws);
    const Diagnostic& diagnostic(int row, std::size_t* file = nullptr) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::shared_ptr<const Workspace> m_ws;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> m_rows; // (file, diagnostic)
};

} // namespace rw
