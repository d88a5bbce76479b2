/// Upload pieces as an async sequence, for tests that stream an attachment
/// through the typed client.
public struct Pieces: AsyncSequence, Sendable {
    public typealias Element = [UInt8]
    let pieces: [[UInt8]]
    public init(_ pieces: [[UInt8]]) { self.pieces = pieces }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var index = 0
        let pieces: [[UInt8]]
        public mutating func next() async throws -> [UInt8]? {
            defer { index += 1 }
            return index < pieces.count ? pieces[index] : nil
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(pieces: pieces) }
}
