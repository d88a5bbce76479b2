/// A plain heap buffer allocated once per case and reused by every timed call,
/// so that neither side pays for allocation or zero-filling inside the loop.
/// It stands for the in-memory source and sink of the attachment cases and for
/// the bare envelope's output; benchmark data is not secret, so ordinary
/// memory is fine here (our wrappers keep their own secrets in locked memory).
final class ScratchBuffer {
    let bytes: UnsafeMutableBufferPointer<UInt8>

    init(count: Int) {
        bytes = .allocate(capacity: max(count, 1))
        bytes.initialize(repeating: 0)
    }

    deinit { bytes.deallocate() }

    var base: UnsafeMutablePointer<UInt8> { bytes.baseAddress! }

    /// True when the first `count` bytes equal `other`'s first `count` bytes.
    func prefixEquals(_ other: UnsafeBufferPointer<UInt8>, count: Int) -> Bool {
        count <= bytes.count && count <= other.count
            && UnsafeBufferPointer(rebasing: bytes[0..<count]).elementsEqual(other[0..<count])
    }
}
