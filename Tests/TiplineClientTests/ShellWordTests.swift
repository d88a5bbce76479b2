import Foundation
import Testing
@testable import TiplineCommandLine

/// `Console.shellWord`, which writes the file names of the `tip resend …`
/// line a tipster copies: whatever a file is called, the line shows nothing
/// the terminal would obey, and bash reads back the very same name.
@Suite struct ShellWordTests {
    /// What bash makes of `word` as one argument, as bytes.
    func bashReads(_ word: String) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", "printf %s " + word]
        // \u escapes turn into UTF-8 only in a UTF-8 locale, as a tipster's terminal has.
        process.environment = ["LC_ALL": "C.UTF-8", "PATH": "/usr/bin:/bin"]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return data
    }

    @Test(arguments: [
        "photo.jpg", "my photo.jpg", "it's.jpg", "a\\b", "$HOME", "`id`", "ภาพถ่าย.jpg",
        "evil\u{1B}]0;owned\u{07}.jpg", "clear\u{1B}[2J.png", "bell\u{07}", "line\nbreak", "tab\tname",
        "rtl\u{202E}gpj.exe", "c1\u{9B}31m", "del\u{7F}", "tag\u{E0041}", "quote'\u{1B}'mix\\",
    ])
    func bashReadsTheSameNameAndTheTerminalSeesNoControl(_ name: String) throws {
        let word = Console.shellWord(name)
        #expect(!word.unicodeScalars.contains(where: { TerminalText.isObeyed($0) || $0 == "\n" }), "\(word.debugDescription)")
        #expect(try bashReads(word) == Data(name.utf8), "\(name.debugDescription) → \(word)")
    }

    @Test func plainNamesStayPlainAndControlsAreWrittenAsEscapes() {
        #expect(Console.shellWord("photo.jpg") == "photo.jpg")
        #expect(Console.shellWord("my photo.jpg") == "'my photo.jpg'")
        #expect(Console.shellWord("a\u{1B}b") == "$'a\\x1bb'")
        #expect(Console.shellWord("x\u{202E}y") == "$'x\\u202ey'")
    }
}
