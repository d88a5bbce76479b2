import ArgumentParser
import Glibc
import TiplineCrypto

/// Reads a passphrase from the terminal with echo off, straight into locked memory.
public enum TerminalPassphrase {
    public static func read(prompt: String) throws -> SecureBytes {
        // The controlling terminal, or else standard input when it is a
        // terminal (a program started on a terminal it does not control).
        let opened = open("/dev/tty", O_RDWR | O_CLOEXEC)
        let fd = opened >= 0 ? opened : (isatty(0) == 1 ? 0 : -1)
        guard fd >= 0 else {
            throw ValidationError("no terminal to ask for the passphrase; use --passphrase-file or TIPLINE_PASSPHRASE")
        }
        defer { if opened >= 0 { close(opened) } }
        // Echo goes off before the prompt shows, and keys typed ahead are
        // kept (TCSADRAIN, not TCSAFLUSH): a secret pasted the moment the
        // prompt appears is neither shown nor lost.
        var saved = termios()
        tcgetattr(fd, &saved)
        var silent = saved
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(fd, TCSADRAIN, &silent)
        _ = prompt.withCString { write(fd == 0 ? 2 : fd, $0, strlen($0)) }
        defer {
            tcsetattr(fd, TCSADRAIN, &saved)
            _ = write(fd == 0 ? 2 : fd, "\n", 1)
        }
        let capacity = 1024
        return SecureBytes(capacity: capacity) { buffer -> Int in
            var length = 0
            var byte: UInt8 = 0
            while length < capacity, Glibc.read(fd, &byte, 1) == 1, byte != 0x0A, byte != 0x0D {
                buffer[length] = byte
                length += 1
            }
            byte = 0
            return length
        }
    }
}
