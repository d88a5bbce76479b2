import Foundation

/// Folders that will hold decrypted material: created with mode 0700 (and
/// tightened if they exist), with file names that cannot escape them.
public enum PrivateDirectory {
    public static func create(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        chmod(path, 0o700)
    }

    /// A name from a tip (hostile input) made safe as one path component.
    public static func safeName(_ name: String) -> String {
        let cleaned = name.unicodeScalars.map { scalar -> Character in
            scalar == "/" || scalar == "\\" || scalar.properties.generalCategory == .control ? "_" : Character(scalar)
        }
        var result = String(cleaned).trimmingCharacters(in: .whitespaces)
        while result.hasPrefix(".") { result.removeFirst() }
        return result.isEmpty ? "attachment" : String(result.prefix(120))
    }
}
