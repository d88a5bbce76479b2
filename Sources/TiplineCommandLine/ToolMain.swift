import ArgumentParser
import Glibc
import TiplineCrypto

/// The entry point both tools share: core dumps off before anything else,
/// then parse and run; every error ends as one line on stderr and a
/// documented exit code, never a stack trace.
public enum ToolMain {
    public static func run(_ root: any AsyncParsableCommand.Type, name: String) async -> Never {
        do {
            try ProcessHardening.disableCoreDumps()
        } catch {
            Console.error("\(name): cannot disable core dumps: \(error)")
            exit(70)
        }
        var command: any ParsableCommand
        do {
            command = try await root.asyncParseAsRoot(nil)
        } catch {
            root.exit(withError: error)
        }
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            exit(0)
        } catch let error as CleanExit {
            root.exit(withError: error)
        } catch let error as ExitCode {
            exit(error.rawValue)
        } catch let error as ValidationError {
            root.exit(withError: error)
        } catch where String(reflecting: type(of: error)).hasPrefix("ArgumentParser.") {
            // Help, version and completion requests arrive as the run() of a
            // built-in command throwing ArgumentParser's own (internal) errors.
            root.exit(withError: error)
        } catch {
            let failure = ToolFailure.from(error)
            Console.error(Console.styled("\(name): ", code: "31;1") + failure.message)
            exit(failure.code.rawValue)
        }
    }
}
