import TiplineCommandLine
import TiplineCrypto

/// What `tip verify-release` tells a tipster, in their language: whether to
/// run the program, and what to do instead. The exit codes are the
/// documented ones (``TiplineCommandLine/ToolFailure/Code``): 4 for every way
/// a copy fails to be genuine, 2 for a fingerprint typo, 1 for a file that
/// cannot be read.
enum ReleaseWords {
    /// The words for `error`, met checking a program against the signature
    /// file at `signature`.
    static func failure(_ error: any Error, signature: String) -> ToolFailure {
        let code = ToolFailure.from(error).code
        let sentence: String
        // The catalogues' warning for a file that is not genuine, then why.
        func forged(_ reason: String) -> String {
            let warning = L("verify.forged")
            // Chinese puts no space after a full stop.
            return warning + (warning.hasSuffix("。") ? "" : " ") + reason
        }
        switch error {
        case ReleaseSignatureError.fileMismatch:
            sentence = forged(L("verify.changed"))
        case ReleaseSignatureError.sizeMismatch(let signed, let actual):
            sentence = forged(L("verify.incomplete", ["signed": String(signed), "actual": String(actual)]))
        case ReleaseSignatureError.wrongOrganisation:
            sentence = forged(L("verify.otherOrganisation"))
        case ReleaseSignatureError.badSignature:
            sentence = forged(L("verify.badSignature"))
        case ReleaseSignatureError.badMagic:
            // Not a release signature at all: a keystore, a page, the program.
            sentence = L("verify.notSignature", ["path": TerminalText.clean(signature, newlines: false)])
        case is ReleaseSignatureError:
            // Truncated, extra bytes, another format, a name that is not text:
            // to a tipster all the same, a .sig to fetch again; the program
            // itself may be fine, so it is not called forged.
            sentence = L("verify.damaged")
        case ReleaseFileError.notASignature(let path):
            sentence = L("verify.notSignature", ["path": TerminalText.clean(path, newlines: false)])
        case ReleaseFileError.unreadable(let path, _):
            sentence = L("file.unreadable", ["path": TerminalText.clean(path, newlines: false)])
        default:
            return TipsterWords.failure(error)
        }
        return ToolFailure(code, sentence, localized: true)
    }

    /// The typo message for `--org`, with the parser's details in English.
    static func typo(_ failure: ToolFailure) -> ToolFailure {
        let detail = Localization.language == .english ? " " + L("error.detail", ["detail": failure.message]) : ""
        return ToolFailure(.usage, L("error.fingerprint") + detail, localized: true)
    }
}
