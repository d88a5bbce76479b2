import Foundation
import TiplineCrypto

/// Release signatures on disk (proto/PROTOCOL.md §9.1): the program read in
/// pieces, the `.sig` file beside it, and every failure as one line.
public enum ReleaseFiles {
    /// Signs the file at `path` with the organisation's key and writes the
    /// signature to `out`, replacing an older one: it is public, and signing
    /// again is how a rebuilt release gets its signature.
    public static func sign(_ path: String, name: String, out: String, organisation: KeystoreContents,
                            now: UInt64) throws -> ReleaseSignature {
        guard ReleaseSignature.isValidName(name) else {
            throw ToolFailure(.usage, "--name: a release name is 1 to 255 bytes, with no control character and no /")
        }
        let digest: ReleaseDigest
        do {
            digest = try ReleaseDigest(contentsOf: path)
        } catch {
            throw ToolFailure(.failure, "cannot read \(path): \(error)")
        }
        let signature = try ReleaseSignature(signing: digest, name: name, signedAt: now, by: organisation.signingKey)
        do {
            // 0644: a signature is for everyone to read, unlike a key.
            try AtomicFile.write(signature.encoded, to: out, mode: 0o644, overwrite: true)
        } catch {
            throw ToolFailure(.failure, "cannot write \(out): \(error)")
        }
        return signature
    }

    /// Checks the file at `path` against the signature file at
    /// `signaturePath` and the fingerprint the tipster was given. Returns the
    /// signature only if the file is the one the organisation signed; throws
    /// ``ReleaseFileError`` or ``TiplineCrypto/ReleaseSignatureError``.
    public static func verify(_ path: String, signature signaturePath: String, pinned: Fingerprint) throws -> ReleaseSignature {
        let bytes: [UInt8]
        do {
            bytes = try AtomicFile.read(signaturePath, limit: ReleaseSignature.maximumByteCount)
        } catch .tooLarge {
            throw ReleaseFileError.notASignature(path: signaturePath)
        } catch {
            throw ReleaseFileError.unreadable(path: signaturePath, reason: "\(error)")
        }
        let signature = try ReleaseSignature(parsing: bytes)
        let digest: ReleaseDigest
        do {
            digest = try ReleaseDigest(contentsOf: path)
        } catch {
            throw ReleaseFileError.unreadable(path: path, reason: "\(error)")
        }
        try signature.verify(pinned: pinned, file: digest)
        return signature
    }
}
