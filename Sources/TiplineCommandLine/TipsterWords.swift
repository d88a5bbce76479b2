import TiplineClient
import TiplineCrypto
import TiplineRPC

/// What `tip` tells a tipster when something fails, in their language: one
/// plain sentence per kind of failure, with the exit code of
/// ``ToolFailure/Code``. The libraries' English details are added only in
/// an English run, where they are in the reader's language.
public enum TipsterWords {
    public static func failure(_ error: any Error) -> ToolFailure {
        let failure = ToolFailure.from(error)
        let sentence: String
        switch error {
        case KeyBundleError.wrongOrganisation:
            sentence = L("error.impostor")
        case is FingerprintError:
            sentence = L("error.fingerprint")
        case is CodenameError:
            sentence = L("codename.typo")
        case TipsterError.emptyTip:
            sentence = L("error.emptyTip")
        case is RecipientSelectionError:
            sentence = L("error.noReceivingKeys")
        case TipsterError.unreadableFile(let path):
            sentence = L("file.unreadable", ["path": TerminalText.clean(path, newlines: false)])
        case TipsterError.fileChanged(let path):
            sentence = L("upload.changed", ["name": TerminalText.clean(path, newlines: false)])
        case let tooLong as TooLongError:
            sentence = L("error.tooLong", ["size": ProgressDisplay.size(UInt64(tooLong.bytes)),
                                          "limit": ProgressDisplay.size(UInt64(tooLong.limit))])
        case let known as ToolFailure where known.localized:
            return known
        default:
            switch failure.code {
            case .unreachable: sentence = L("error.unreachable")
            case .busy: sentence = L("error.busy")
            case .untrusted: sentence = failure.message == ToolFailure.notYourOrganisation ? L("error.impostor") : L("error.untrusted")
            case .refused: sentence = L("error.refused")
            case .usage, .failure: sentence = Localization.language == .english ? failure.message : L("error.failed")
            }
        }
        let detail = Localization.language == .english && sentence != failure.message
            ? " " + L("error.detail", ["detail": failure.message]) : ""
        return ToolFailure(failure.code, sentence + detail, localized: true)
    }
}
