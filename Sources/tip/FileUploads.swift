import Foundation
import TiplineClient
import TiplineCommandLine
import TiplineRPC

/// Sends a stored tip's files, one after another, and never lets a broken
/// connection cost the tipster their tip or their codename: the codename is
/// already on the screen, a file whose upload broke is sent again on a new
/// connection (asked when guided; up to ``automaticRetries`` times, with a
/// growing pause, otherwise), and whatever still did not arrive is named,
/// with the one command that sends it later (issue 14).
struct FileUploads {
    /// Tries after the first, without a person to ask: 2, 4 and 8 seconds apart.
    static let automaticRetries = 3

    /// How an upload failure is met.
    enum Failure {
        /// The connection broke or the server was busy: the same file may go again.
        case retry(ToolFailure)
        /// The server will not take this file, ever: it says why.
        case final(String)
    }

    let guided: Bool

    /// Uploads `files` with `upload`; returns the files that did not arrive.
    func send(_ files: [AttachmentFile], connection: inout TiplineConnection, session: TipsterConnection,
              upload: (AttachmentFile, TiplineConnection, ProgressDisplay) async throws -> Void) async -> [AttachmentFile] {
        for (index, file) in files.enumerated() {
            let title = file.isText ? L("send.text") : L("send.file", ["name": file.name])
            var tries = 0
            while true {
                let bar = ProgressDisplay(title, total: file.encryptedSize, unit: .bytes)
                do {
                    try await upload(file, connection, bar)
                    bar.finish()
                    break
                } catch {
                    Console.error("")
                    switch Self.classify(error) {
                    case .final(let sentence):
                        Console.error(sentence)
                        return Array(files[index...])
                    case .retry(let failure):
                        Console.error(L("upload.lost", ["name": TerminalText.clean(file.name, newlines: false)]))
                        if Localization.language == .english { Console.error("(\(failure.message))") }
                        Console.error(L("upload.safe"))
                        tries += 1
                        if guided {
                            guard Prompt.confirm(L("upload.retry")) else { return Array(files[index...]) }
                        } else {
                            guard tries <= Self.automaticRetries else { return Array(files[index...]) }
                            try? await Task.sleep(for: .seconds(1 << tries))
                        }
                        Console.error(L("upload.again"))
                        await connection.close()
                        if let fresh = try? await session.reconnect() { connection = fresh }
                    }
                }
            }
        }
        return []
    }

    /// Which failures are worth another try. The server's refusals that no
    /// retry changes (no slot left, the token expired, a file that changed)
    /// get their own sentence.
    static func classify(_ error: any Error) -> Failure {
        switch error {
        case let rpc as RPCError:
            switch rpc.status {
            case .resourceExhausted where rpc.message.contains("slots"):
                return .final(L("upload.full"))
            case .permissionDenied where rpc.message.contains("expired"):
                return .final(L("upload.expired"))
            case .permissionDenied, .unauthenticated:
                return .final(L("codename.unknown"))
            case .unavailable, .deadlineExceeded, .resourceExhausted, .cancelled, .unknown, .`internal`, .aborted:
                return .retry(ToolFailure.from(error))
            default:
                return .final(TipsterWords.failure(error).message)
            }
        case is TipsterError:
            return .final(TipsterWords.failure(error).message)
        default:
            let failure = ToolFailure.from(error)
            return failure.code == .unreachable || failure.code == .busy || failure.code == .failure
                ? .retry(failure) : .final(TipsterWords.failure(error).message)
        }
    }

    /// Names the files that did not arrive, and the command that sends them
    /// with the codename alone (``Resend``).
    static func reportMissing(_ files: [AttachmentFile], resendCommand: [String]) {
        guard !files.isEmpty else { return }
        Console.error("")
        Console.error(L("upload.missing"))
        for file in files { Console.error("  - " + TerminalText.clean(file.isText ? L("send.text") : file.name, newlines: false)) }
        let paths = files.filter { !$0.isText }.map { Console.shellWord($0.path) }
        guard !paths.isEmpty else { return }
        Console.error(L("upload.how"))
        Console.error("  " + (resendCommand + paths).joined(separator: " "))
    }
}
