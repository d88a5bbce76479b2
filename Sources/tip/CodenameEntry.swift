import Foundation
import TiplineCommandLine
import TiplineCrypto

/// The codename, from where the tipster gave it: the command line, the first
/// line of standard input, or typed at the terminal without being shown.
/// Typed, a mistake (caught by the check symbol, before anything is sent)
/// asks again.
enum CodenameEntry {
    static func keys(given: String?, fromStandardInput: Bool) throws -> CodenameKeys {
        if let given { return try Codename(parsing: given).deriveKeys() }
        if fromStandardInput { return try Codename(parsing: readLine(strippingNewline: true) ?? "").deriveKeys() }
        while true {
            let secret = try TerminalPassphrase.read(prompt: L("ask.codename") + " ")
            let typed = secret.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
            do { return try Codename(parsing: typed).deriveKeys() } catch {
                Console.error(L("codename.typo"))
            }
        }
    }
}
