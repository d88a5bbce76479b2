import Foundation
import TiplineProto

/// An upload's requests: the start message, then each piece as a chunk.
struct UploadParts<Pieces: AsyncSequence & Sendable>: AsyncSequence, Sendable where Pieces.Element == [UInt8] {
    typealias Element = Tipline_V1_UploadAttachmentRequest
    let start: Tipline_V1_UploadAttachmentRequest
    let pieces: Pieces

    struct AsyncIterator: AsyncIteratorProtocol {
        var start: Tipline_V1_UploadAttachmentRequest?
        var pieces: Pieces.AsyncIterator

        mutating func next() async throws -> Tipline_V1_UploadAttachmentRequest? {
            if let first = start {
                start = nil
                return first
            }
            guard let piece = try await pieces.next() else { return nil }
            return .with { $0.chunk = Data(piece) }
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(start: start, pieces: pieces.makeAsyncIterator()) }
}
