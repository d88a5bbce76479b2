import CSodium

/// Length hiding for envelope content (proto/PROTOCOL.md §4.2).
///
/// The padded length is the smallest power of two that is at least
/// `max(len + 1, 1024)`. Powers of two leak only the order of magnitude of a
/// tip, which matters more than bandwidth for the short texts tips usually
/// are. Padding is ISO/IEC 7816-4 (`0x80` then zeros), exactly what
/// `sodium_pad` writes when its block size is the padded length.
public enum EnvelopePadding {
    /// The smallest padded length: 1 KiB.
    public static let minimumPaddedLength = 1024
    /// The largest padded length: 4 MiB.
    public static let maximumPaddedLength = 4 * 1024 * 1024

    /// The padded length for `contentLength` bytes, or `nil` if too long.
    public static func paddedLength(forContentLength contentLength: Int) -> Int? {
        guard contentLength >= 0, contentLength < maximumPaddedLength else { return nil }
        var length = minimumPaddedLength
        while length < contentLength + 1 { length <<= 1 }
        return length
    }

    /// True when `length` is one of the buckets: a power of two from 1 KiB to 4 MiB.
    public static func isValidPaddedLength(_ length: Int) -> Bool {
        length >= minimumPaddedLength && length <= maximumPaddedLength && length & (length - 1) == 0
    }

    /// Writes `content || 0x80 || 0x00…` into `buffer`, whose size is the padded length.
    static func pad(_ content: UnsafeRawBufferPointer, into buffer: UnsafeMutableRawBufferPointer) {
        buffer.copyMemory(from: content)
        var padded: Int = 0
        _ = sodium_pad(&padded, buffer.baseAddress!.assumingMemoryBound(to: UInt8.self),
                       content.count, buffer.count, buffer.count)
    }

    /// The content length of a padded buffer, found in constant time by
    /// `sodium_unpad`; `nil` when the padding is malformed.
    static func unpaddedLength(of buffer: UnsafeRawBufferPointer) -> Int? {
        var length: Int = 0
        let status = sodium_unpad(&length, buffer.baseAddress!.assumingMemoryBound(to: UInt8.self),
                                  buffer.count, buffer.count)
        return status == 0 ? length : nil
    }
}
