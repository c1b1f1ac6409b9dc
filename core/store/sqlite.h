// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

#include <memory>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace tern::store {

class Statement;

// One SQLite connection, used from one thread. Errors are values: every call that can fail returns false
// and leaves the reason in error(); nothing throws.
class Database
{
public:
    Database() = default;
    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    bool open(const QString &path);
    void close();
    bool isOpen() const { return m_db != nullptr; }

    bool exec(const char *sql);
    Statement prepare(const char *sql);
    Statement prepare(const QByteArray &sql);

    qint64 lastInsertRowId() const;
    int changes() const;
    QString error() const { return m_error; }
    sqlite3 *handle() const { return m_db; }

    void setError(const QString &context);

    // How many write transactions the calling thread has committed, on any connection (SQLite's commit hook;
    // read-only transactions do not count).
    static quint64 commitsOnThisThread();

private:
    sqlite3 *m_db = nullptr;
    QString m_error;
};

// A prepared statement. Binding indexes start at 1, column indexes at 0 (SQLite's own convention).
class Statement
{
public:
    Statement() = default;
    Statement(Database *db, sqlite3_stmt *stmt);
    ~Statement();
    Statement(Statement &&other) noexcept;
    Statement &operator=(Statement &&other) noexcept;

    bool isValid() const { return m_stmt != nullptr; }

    Statement &bind(int index, qint64 value);
    Statement &bind(int index, const QString &value);
    Statement &bind(int index, const QByteArray &value); // as a BLOB
    Statement &bindNull(int index);

    // Steps once: true while a row is available. done() tells a clean end from an error.
    bool next();
    // Runs to completion (INSERT/UPDATE/DELETE); false on error.
    bool run();
    bool isDone() const { return m_done; }
    void reset();

    qint64 int64(int column) const;
    QString text(int column) const;
    QByteArray blob(int column) const;
    bool isNull(int column) const;

private:
    Database *m_db = nullptr;
    sqlite3_stmt *m_stmt = nullptr;
    bool m_done = false;
    // The UTF-8 of each text parameter, bound without a copy (SQLITE_STATIC) and reused from row to row: a
    // sync binds eleven texts for each of 100k rows.
    std::vector<QByteArray> m_text;
};

// RAII transaction: rolls back unless commit() succeeded.
class Transaction
{
public:
    explicit Transaction(Database &db);
    ~Transaction();
    bool isActive() const { return m_active; }
    bool commit();

private:
    Database &m_db;
    bool m_active = false;
};

} // namespace tern::store
