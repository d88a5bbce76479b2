extension TipService {
    /// The page size a list request gets: its own limit, at most the server's.
    func pageLimit(_ requested: UInt32) -> Int {
        requested == 0 ? configuration.listPageSize : min(Int(requested), configuration.listPageSize)
    }

    /// The first items of `rows` that fit `limit` items and the configured
    /// byte budget (always at least one), and whether anything was left out.
    /// `rows` holds up to `limit + 1` items, so a full page knows if there is more.
    func page<Row>(_ rows: [Row], limit: Int, size: (Row) -> Int) -> (page: [Row], more: Bool) {
        var bytes = 0
        var taken = 0
        for row in rows.prefix(limit) {
            let next = size(row)
            if taken > 0 && bytes + next > configuration.listPageBytes { break }
            bytes += next
            taken += 1
        }
        return (Array(rows.prefix(taken)), taken < rows.count)
    }
}
