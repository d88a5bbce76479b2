import ArgumentParser
import TiplineClient
import TiplineCommandLine
import TiplineCrypto

extension TiplineCommand {
    /// A responder's receiving keys (issue 15, PROTOCOL.md §3.4–§3.6).
    struct Keys: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Your receiving keys: the short-lived keys tips are sealed to, and destroyed after.",
            discussion: """
                Tips are sealed to short-lived receiving keys, not to your long-term key. Each is valid for the window
                the organisation's bundle sets (7 days by default); tipline inbox makes the next one before the current
                one ends, and destroys a key once its window and grace period are over and everything sealed to it is
                in your local case archive. After that, nobody can open those tips with any key you hold, however your
                keys are obtained later.

                Examples:
                  tipline keys list --server 127.0.0.1:7040 --key alice.key --org 1B6-X4F-2RQ-…
                  tipline keys rotate --server 127.0.0.1:7040 --key alice.key --org 1B6-X4F-2RQ-…
                """,
            subcommands: [List.self, Rotate.self])

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "List your receiving keys, their windows, and whether the server serves them.",
                discussion: """
                    Examples:
                      tipline keys list --server 127.0.0.1:7040 --key alice.key --org 1B6-X4F-2RQ-…
                      tipline keys list --json | jq '.[] | select(.served == false)'
                    """)

            @OptionGroup var options: ResponderOptions

            @Flag(help: "Print the keys as JSON.")
            var json = false

            func run() async throws {
                let workspace = try await options.openWorkspace(sync: false)
                defer { Task { await workspace.connection.close() } }
                let served = Set(workspace.receivingKeys.compactMap { try? ReceivingKeyStatement(parsing: $0).keyId })
                let now = workspace.connection.clock()
                struct Key: Encodable {
                    let keyId: String
                    let notBefore: UInt64
                    let notAfter: UInt64
                    let served: Bool
                    let state: String
                }
                let keys = workspace.keys.receivingKeys.map { held in
                    let statement = held.statement
                    let state = now < statement.notBefore ? "not yet valid"
                        : now < statement.notAfter ? "in use"
                        : "closed; destroyed after \(Time.format(statement.notAfter + UInt64(workspace.bundle.receivingKeys.grace)))"
                    return Key(keyId: statement.keyId.description, notBefore: statement.notBefore, notAfter: statement.notAfter,
                               served: served.contains(statement.keyId), state: state)
                }
                if json {
                    try Console.json(keys)
                    return
                }
                guard !keys.isEmpty else {
                    Console.output("No receiving keys yet: tips are sealed to your long-term key. Run tipline keys rotate.")
                    return
                }
                var table = TextTable(["KEY", "FROM", "UNTIL", "SERVED", "STATE"])
                for key in keys {
                    table.add([key.keyId, Time.format(key.notBefore), Time.format(key.notAfter), key.served ? "yes" : "no", key.state])
                }
                Console.output(table.render())
            }
        }

        struct Rotate: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Make a new receiving key now, publish it, and destroy keys that are spent.",
                discussion: """
                    The new key is written to your keystore before it is published, so no tip is ever sealed to a key
                    you do not hold. tipline inbox does the same on its own when a key is due.

                    Examples:
                      tipline keys rotate --server 127.0.0.1:7040 --key alice.key --org 1B6-X4F-2RQ-…
                      tipline keys rotate --json
                    """)

            @OptionGroup var options: ResponderOptions

            @Flag(help: "Print what was done as JSON.")
            var json = false

            func run() async throws {
                let session = try await options.openSession()
                defer { Task { await session.workspace.connection.close() } }
                _ = try session.workspace.cases()     // archives what the keys open before any is destroyed
                let outcome = try await ReceivingKeyUpkeep.run(session, force: true)
                if json {
                    struct Result: Encodable {
                        let created: String?
                        let notAfter: UInt64?
                        let destroyed: [String]
                        let published: Int
                    }
                    try Console.json(Result(created: outcome.created?.keyId.description, notAfter: outcome.created?.notAfter,
                                            destroyed: outcome.destroyed.map(\.keyId.description), published: outcome.published))
                }
            }
        }
    }
}
