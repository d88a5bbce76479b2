import Glibc

/// Errors and notices go to stderr; data to stdout.
func printError(_ message: String) {
    var line = message + "\n"
    line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}

func exitProcess(_ code: Int32) -> Never { exit(code) }
