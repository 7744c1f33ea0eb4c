#pragma once

// A minimal HTTP/1.1 receiver on 127.0.0.1 for the alert tests: it records
// each request (method, path, headers in lower case, body) and answers with
// the next scripted status (200 when the script is used up), or never
// (kHang), closing the connection after each answer.
#include <QHash>
#include <QTcpServer>
#include <QTcpSocket>

#include <QDir>

#include <deque>
#include <string>
#include <string_view>
#include <unistd.h>
#include <vector>

// the sockets this process has open now ("no socket unless asked" is checked with it)
inline int socketsOpen()
{
    int n = 0;
    QDir dir(QStringLiteral("/proc/self/fd"));
    for (const QString& entry : dir.entryList(QDir::System | QDir::Files | QDir::NoDotAndDotDot)) {
        char target[256] = {};
        const std::string link = "/proc/self/fd/" + entry.toStdString();
        const ssize_t len = ::readlink(link.c_str(), target, sizeof target - 1);
        if (len > 0 && std::string_view(target, static_cast<std::size_t>(len)).rfind("socket:", 0) == 0)
            ++n;
    }
    return n;
}

class LoopbackServer
{
public:
    static constexpr int kHang = -1;

    struct Request
    {
        QByteArray method, path, body;
        QHash<QByteArray, QByteArray> headers;
    };

    LoopbackServer()
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, [this] {
            while (QTcpSocket* s = m_server.nextPendingConnection()) {
                auto* buffer = new QByteArray;
                QObject::connect(s, &QTcpSocket::destroyed, [buffer] { delete buffer; });
                QObject::connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
                QObject::connect(s, &QTcpSocket::readyRead, s, [this, s, buffer] {
                    buffer->append(s->readAll());
                    if (complete(*buffer))
                        respond(s, *buffer);
                });
            }
        });
    }

    bool listen(quint16 port = 0) { return m_server.listen(QHostAddress::LocalHost, port); }
    void close() { m_server.close(); }
    quint16 port() const { return m_server.serverPort(); }
    std::string url(const char* path) const { return "http://127.0.0.1:" + std::to_string(port()) + path; }
    void answer(std::deque<int> statuses) { m_script = std::move(statuses); }
    const std::vector<Request>& requests() const { return m_requests; }

private:
    static bool complete(const QByteArray& b)
    {
        const int end = b.indexOf("\r\n\r\n");
        if (end < 0)
            return false;
        const int at = b.toLower().indexOf("content-length:");
        const int length = at < 0 || at > end ? 0 : b.mid(at + 15, b.indexOf("\r\n", at) - at - 15).trimmed().toInt();
        return b.size() >= end + 4 + length;
    }

    void respond(QTcpSocket* s, const QByteArray& b)
    {
        Request r;
        const int end = b.indexOf("\r\n\r\n");
        const QList<QByteArray> lines = b.left(end).split('\n');
        const QList<QByteArray> first = lines.front().trimmed().split(' ');
        r.method = first.value(0);
        r.path = first.value(1);
        for (int i = 1; i < lines.size(); ++i) {
            const int colon = lines[i].indexOf(':');
            if (colon > 0)
                r.headers.insert(lines[i].left(colon).trimmed().toLower(), lines[i].mid(colon + 1).trimmed());
        }
        r.body = b.mid(end + 4);
        m_requests.push_back(r);
        const int status = m_script.empty() ? 200 : m_script.front();
        if (!m_script.empty())
            m_script.pop_front();
        if (status == kHang)
            return; // the client's timeout ends it
        QByteArray answer = "HTTP/1.1 " + QByteArray::number(status) + " Scripted\r\nContent-Length: 0\r\nConnection: close\r\n";
        if (status >= 300 && status < 400)
            answer += "Location: http://127.0.0.1:9/elsewhere\r\n";
        s->write(answer + "\r\n");
        s->disconnectFromHost();
    }

    QTcpServer m_server;
    std::deque<int> m_script;
    std::vector<Request> m_requests;
};
