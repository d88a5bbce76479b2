import TiplineCrypto

/// Every test vector, generated deterministically from fixed seeds
/// (proto/PROTOCOL.md §10). `tipline-vectors` writes them to proto/vectors/;
/// the tests compare the committed files with a fresh generation and replay them.
public enum VectorSet {
    public static func generate() throws -> [VectorFile] {
        let fixtures = try VectorFixtures()
        var all: [VectorFile] = []
        all += try EnvelopeVectors.make(fixtures)
        all += try BundleVectors.make(fixtures)
        all += try ReceivingKeyVectors.make(fixtures)
        all += try KeystoreVectors.make()
        all += try CodenameVectors.make()
        all += try FingerprintVectors.make()
        all += try ProofOfWorkVectors.make()
        all += try AttachmentVectors.make()
        all += try SignedContentVectors.make(fixtures)
        all += ReleaseVectors.make(fixtures)
        return all
    }
}
