/// Why an upload could not start, or the slot it holds.
public enum UploadReservation: Equatable, Sendable {
    /// The slot is taken: chunks may be staged under `uploadId`, which
    /// becomes the attachment's id when the upload completes.
    case reserved(uploadId: [UInt8])
    /// Every slot of the tip is used by an attachment or an upload in progress.
    case noSlotLeft
    /// Uploads in progress on the whole server would exceed the staging quota.
    case stagingFull
}
