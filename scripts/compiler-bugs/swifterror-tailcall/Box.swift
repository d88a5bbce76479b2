// A class whose initialiser hands fresh memory to a closure of a throwing
// type, like TiplineCrypto's SecureBytes did. The closure never throws, but
// its type does, so it is compiled with Swift's error register (swifterror).
public final class Box {
    let pointer: UnsafeMutableRawPointer
    public let count: Int

    public init<E: Error>(count: Int, initializer: (UnsafeMutableRawBufferPointer) throws(E) -> Void) throws(E) {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1), alignment: 16)
        try initializer(UnsafeMutableRawBufferPointer(start: raw, count: count))
        self.count = count
        pointer = raw
    }
}
