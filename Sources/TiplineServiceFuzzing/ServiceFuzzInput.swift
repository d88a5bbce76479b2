import TiplineProto

/// How the service fuzz target reads one input: a sequence of calls to the
/// real methods, each with protobuf fields from the fuzz bytes.
///
///     per call (at most 8):
///       byte      method: index into ``ServiceFuzzInput/methods`` (mod its count)
///       byte      flags:
///                   bit 0  sign the request (with the responder's key for
///                          responder methods, the mailbox key for mailbox
///                          methods), so authenticated paths are reached
///                   bit 1  put the world's real ids in field 1 (tip id,
///                          mailbox id, attachment id, or the upload's start)
///                   bit 2  sign at a time outside the request window
///                   bit 3  sign with the other key (a mailbox key where a
///                          responder's is expected, and the reverse)
///                   bit 4  cancel the call right after sending it
///                   bit 5  give the call a 1 ms deadline
///                   bit 6  client-streaming: send the body again as a chunk
///                   bit 7  leave END_STREAM off (a call that never finishes)
///       2 bytes   body length, big-endian (cut to what is left)
///       body      the request message's bytes: protobuf fields as the
///                 fuzzer made them, after the real ids when bit 1 is set
///
/// `tipline-fuzz-service --write-seeds DIR` writes a valid call of every
/// method, one file each.
public struct ServiceFuzzInput: Sendable {
    public struct Call: Sendable, Equatable {
        public var method: Int
        public var flags: UInt8
        public var body: [UInt8]

        public init(method: Int, flags: UInt8, body: [UInt8]) {
            self.method = method
            self.flags = flags
            self.body = body
        }

        var signs: Bool { flags & 0x01 != 0 }
        var realIds: Bool { flags & 0x02 != 0 }
        var staleTime: Bool { flags & 0x04 != 0 }
        var otherKey: Bool { flags & 0x08 != 0 }
        var cancels: Bool { flags & 0x10 != 0 }
        var shortDeadline: Bool { flags & 0x20 != 0 }
        var chunkAgain: Bool { flags & 0x40 != 0 }
        var leavesOpen: Bool { flags & 0x80 != 0 }

        /// The call as input bytes (for seeds).
        public var encoded: [UInt8] {
            [UInt8(method), flags, UInt8(body.count >> 8 & 0xFF), UInt8(body.count & 0xFF)] + body
        }
    }

    /// Every method of the contract, in a fixed order.
    public static let methods: [String] = TiplineMethod.all
    static let maximumCalls = 8

    public let calls: [Call]

    public init(_ bytes: [UInt8]) {
        var calls: [Call] = []
        var index = 0
        while index + 4 <= bytes.count && calls.count < Self.maximumCalls {
            let method = Int(bytes[index]) % Self.methods.count
            let flags = bytes[index + 1]
            let length = Int(bytes[index + 2]) << 8 | Int(bytes[index + 3])
            index += 4
            let end = min(index + length, bytes.count)
            calls.append(Call(method: method, flags: flags, body: Array(bytes[index..<end])))
            index = end
        }
        self.calls = calls
    }
}
