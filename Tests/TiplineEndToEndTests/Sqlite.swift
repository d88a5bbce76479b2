import GRDB

/// Direct access to a database file, as someone holding the disk would have.
enum Sqlite {
    static func execute(_ path: String, _ sql: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { try $0.execute(sql: sql) }
        try queue.close()
    }
}
