import TiplineCrypto

/// The rejection names of proto/PROTOCOL.md, which the vectors' `expect:`
/// lines use, for each typed error. Matching typed errors (not message text)
/// is the point: a case passes only if the right check failed.
enum SpecErrorName {
    static func of(_ error: any Error) -> String {
        switch error {
        case let e as EnvelopeError:
            switch e {
            case .truncated: "truncated"
            case .badMagic: "badMagic"
            case .unsupportedFormat: "unsupportedFormat"
            case .unknownKind: "unknownKind"
            case .noRecipients: "noRecipients"
            case .tooManyRecipients: "tooManyRecipients"
            case .recipientsNotSorted: "recipientsNotSorted"
            case .duplicateRecipient: "duplicateRecipient"
            case .invalidCiphertextLength: "invalidCiphertextLength"
            case .contentTooLarge: "contentTooLarge"
            case .unexpectedKind: "unexpectedKind"
            case .contextMismatch: "contextMismatch"
            case .recipientMissing: "recipientMissing"
            case .unexpectedRecipient: "unexpectedRecipient"
            case .notARecipient: "notARecipient"
            case .wrappedKeyInvalid: "wrappedKeyInvalid"
            case .commitmentMismatch: "commitmentMismatch"
            case .authenticationFailed: "authenticationFailed"
            case .invalidPadding: "invalidPadding"
            }
        case let e as ReceivingKeyError: e.name
        case let e as KeyBundleError:
            switch e {
            case .truncated: "truncated"
            case .badMagic: "badMagic"
            case .unsupportedFormat: "unsupportedFormat"
            case .trailingBytes: "trailingBytes"
            case .invalidVersion: "invalidVersion"
            case .invalidValidityPeriod: "invalidValidityPeriod"
            case .noResponders: "noResponders"
            case .tooManyResponders: "tooManyResponders"
            case .respondersNotSorted: "respondersNotSorted"
            case .duplicateResponder: "duplicateResponder"
            case .invalidName: "invalidName"
            case .unknownRole: "unknownRole"
            case .invalidPolicy: "invalidPolicy"
            case .wrongOrganisation: "wrongOrganisation"
            case .badSignature: "badSignature"
            case .expired: "expired"
            case .notYetValid: "notYetValid"
            case .rollback: "rollback"
            case .equivocation: "equivocation"
            }
        case let e as KeystoreError:
            switch e {
            case .truncated: "truncated"
            case .badMagic: "badMagic"
            case .unsupportedFormat: "unsupportedFormat"
            case .unsupportedKDF: "unsupportedKDF"
            case .damagedHeader: "damagedHeader"
            case .parametersOutOfRange: "parametersOutOfRange"
            case .wrongPassphrase: "wrongPassphrase"
            case .damagedPayload: "damagedPayload"
            case .emptyPassphrase: "emptyPassphrase"
            case .invalidName: "invalidName"
            case .keyDerivationFailed: "keyDerivationFailed"
            case .tooManyReceivingKeys: "tooManyReceivingKeys"
            case .file: "file"
            }
        case let e as CodenameError:
            switch e {
            case .invalidCharacter: "invalidCharacter"
            case .wrongLength: "wrongLength"
            case .checkFailed: "checkFailed"
            }
        case let e as FingerprintError:
            switch e {
            case .invalidCharacter: "invalidCharacter"
            case .wrongLength: "wrongLength"
            case .checkFailed: "checkFailed"
            case .symbolMissing: "symbolMissing"
            }
        case let e as ProofOfWorkError:
            switch e {
            case .malformed: "malformed"
            case .badMagic: "badMagic"
            case .unsupportedFormat: "unsupportedFormat"
            case .unknownPurpose: "unknownPurpose"
            case .difficultyOutOfRange: "difficultyOutOfRange"
            case .forged: "forged"
            case .wrongPurpose: "wrongPurpose"
            case .expired: "expired"
            case .notYetValid: "notYetValid"
            case .insufficientWork: "insufficientWork"
            case .cancelled: "cancelled"
            }
        case let e as AttachmentStreamError:
            switch e {
            case .truncatedHeader: "truncatedHeader"
            case .badMagic: "badMagic"
            case .unsupportedFormat: "unsupportedFormat"
            case .invalidHeader: "invalidHeader"
            case .chunkAuthenticationFailed: "chunkAuthenticationFailed"
            case .truncated: "truncated"
            case .trailingData: "trailingData"
            case .nonCanonicalChunking: "nonCanonicalChunking"
            case .unexpectedTag: "unexpectedTag"
            case .readerOverrun: "readerOverrun"
            }
        case let e as ReleaseSignatureError:
            switch e {
            case .truncated: "truncated"
            case .badMagic: "badMagic"
            case .unsupportedFormat: "unsupportedFormat"
            case .invalidName: "invalidName"
            case .trailingBytes: "trailingBytes"
            case .wrongOrganisation: "wrongOrganisation"
            case .badSignature: "badSignature"
            case .sizeMismatch: "sizeMismatch"
            case .fileMismatch: "fileMismatch"
            }
        default:
            "unexpected error \(type(of: error)): \(error)"
        }
    }
}
