import Foundation
import SwiftProtobuf
import TiplineLocking

/// `count` request messages of `size` bytes each, made only when the client
/// asks for the next one; `pulled` says how many it has asked for, which is
/// how far a client-streaming call has got its sender to run ahead.
struct CountingRequests: AsyncSequence, Sendable {
    let count: Int
    let size: Int
    let taken = Locked(0)

    var pulled: Int { taken.withLock { $0 } }

    struct AsyncIterator: AsyncIteratorProtocol {
        let sequence: CountingRequests

        mutating func next() async -> Google_Protobuf_BytesValue? {
            let index = sequence.taken.withLock { taken -> Int? in
                guard taken < sequence.count else { return nil }
                taken += 1
                return taken
            }
            guard let index else { return nil }
            return Google_Protobuf_BytesValue(Data(repeating: UInt8(truncatingIfNeeded: index), count: sequence.size))
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(sequence: self) }
}
