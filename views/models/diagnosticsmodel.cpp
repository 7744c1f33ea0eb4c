#include "views/models/diagnosticsmodel.h"

#include "app/text/diagnostictext.h"
#include "model/visibletext.h"

namespace rw {

DiagnosticsModel::DiagnosticsModel(QObject* parent) : QAbstractTableModel(parent) {}

void DiagnosticsModel::setWorkspace(std::shared_ptr<const Workspace> ws)
{
    beginResetModel();
    m_ws = std::move(ws);
    m_rows.clear();
    if (m_ws)
        for (std::size_t f = 0; f < m_ws->fileCount(); ++f)
            for (std::size_t d = 0; d < m_ws->file(f).diagnostics().size(); ++d)
                m_rows.emplace_back(static_cast<std::uint32_t>(f), static_cast<std::uint32_t>(d));
    endResetModel();
}

const Diagnostic& DiagnosticsModel::diagnostic(int row, std::size_t* file) const
{
    const auto& [f, d] = m_rows[static_cast<std::size_t>(row)];
    if (file)
        *file = f;
    return m_ws->file(f).diagnostics()[d];
}

int DiagnosticsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int DiagnosticsModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant DiagnosticsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    std::size_t file = 0;
    const Diagnostic& d = diagnostic(index.row(), &file);
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case FileColumn: return visibleUtf8(m_ws->file(file).path()).section(QLatin1Char('/'), -1);
        case LineColumn: return d.line ? QVariant(static_cast<qulonglong>(d.line)) : QVariant(QString());
        case OffsetColumn: return static_cast<qulonglong>(d.offset);
        case CodeColumn: return QString::fromLatin1(diagnosticCodeName(d.code));
        case MessageColumn: return QString::fromStdString(describeDiagnostic(d));
        default: break;
        }
        break;
    case Qt::ToolTipRole:
        if (index.column() == MessageColumn)
            return QString::fromStdString(describeDiagnostic(d));
        if (index.column() == FileColumn)
            return visibleUtf8(m_ws->file(file).path());
        break;
    case FileIndexRole: return static_cast<qulonglong>(file);
    case RecordRole: return static_cast<qlonglong>(d.record);
    case SeverityRole: return static_cast<int>(diagnosticSeverity(d.code));
    default: break;
    }
    return {};
}

QVariant DiagnosticsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case FileColumn: return tr("File");
    case LineColumn: return tr("Line");
    case OffsetColumn: return tr("Byte offset");
    case CodeColumn: return tr("Code");
    case MessageColumn: return tr("Finding");
    default: break;
    }
    return {};
}

} // namespace rw
