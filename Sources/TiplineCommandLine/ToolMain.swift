import ArgumentParser
import Glibc
import TiplineCrypto

/// The entry point both tools share: core dumps off before anything else,
/// then parse and run; every error ends as one line on stderr and a
/// documented exit code, never a stack trace. Every way out runs
/// ``ExitCleanup`` first (a private Tor is stopped and its folder removed).
public enum ToolMain {
    /// `describe` turns an error into what the user reads: `tip` passes
    /// ``TipsterWords/failure(_:)``, which speaks the tipster's language.
    /// `usage` may replace ArgumentParser's (English) text of a usage error
    /// with the user's language; it returns nil to keep ArgumentParser's.
    public static func run(_ root: any AsyncParsableCommand.Type, name: String,
                           describe: (any Error) -> ToolFailure = ToolFailure.from,
                           usage: @escaping (_ message: String) -> String? = { _ in nil }) async -> Never {
        usageWords = usage
        do {
            try ProcessHardening.disableCoreDumps()
        } catch {
            Console.error("\(name): cannot disable core dumps: \(error)")
            exit(70)
        }
        var command: any ParsableCommand
        do {
            command = try await root.asyncParseAsRoot(ProcessArguments.arguments)
        } catch {
            exitForArgumentParser(error, root: root)
        }
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            exit(0)
        } catch let error as CleanExit {
            ExitCleanup.run()
            root.exit(withError: error)
        } catch let error as ExitCode {
            exit(error.rawValue)
        } catch let error as ValidationError {
            exitForArgumentParser(error, root: root)
        } catch where String(reflecting: type(of: error)).hasPrefix("ArgumentParser.") {
            // Help, version and completion requests arrive as the run() of a
            // built-in command throwing ArgumentParser's own (internal) errors.
            exitForArgumentParser(error, root: root)
        } catch {
            let failure = describe(error)
            Console.error(Console.styled("\(name): ", code: "31;1") + TerminalText.clean(failure.message))
            exit(failure.code.rawValue)
        }
    }

    /// ArgumentParser's message, with usage errors exiting 2 (the documented
    /// code; ArgumentParser's own is 64) and help exiting 0.
    static func exitForArgumentParser(_ error: any Error, root: any AsyncParsableCommand.Type) -> Never {
        ExitCleanup.run()
        if root.exitCode(for: error) == .validationFailure {
            Console.error(usageWords(root.message(for: error)) ?? root.fullMessage(for: error))
            exit(ToolFailure.Code.usage.rawValue)
        }
        root.exit(withError: error)
    }

    nonisolated(unsafe) private static var usageWords: (String) -> String? = { _ in nil }

    /// Every exit in this file: the cleanup hooks first.
    private static func exit(_ code: Int32) -> Never {
        ExitCleanup.run()
        Glibc.exit(code)
    }
}
