/// One attachment size: each client's peak resident memory and time.
struct SizeResult: Codable, Sendable {
    let mebibytes: Int
    /// `tip submit --attach`: sealing the tip, the proof of work, and the
    /// upload, encrypted on the fly.
    let submitPeakKiB: Int
    let submitSeconds: Double
    /// `tipline attachments`: unlocking the keystore, syncing the inbox, and
    /// the download, decrypted and verified into a file.
    let downloadPeakKiB: Int
    let downloadSeconds: Double
}
