extension String {
    /// The longest prefix of whole Unicode scalars that fits in `limit` UTF-8
    /// bytes: cutting bytes mid-character would decode to a replacement
    /// character and grow the text past the limit.
    func utf8Prefix(_ limit: Int) -> String {
        var used = 0
        var scalars = String.UnicodeScalarView()
        for scalar in unicodeScalars {
            let width = UTF8.width(scalar)
            if used + width > limit { break }
            used += width
            scalars.append(scalar)
        }
        return String(scalars)
    }
}
