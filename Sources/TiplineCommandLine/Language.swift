import Foundation

/// The languages `tip` speaks. The people this tip line exists for read
/// Chinese, Vietnamese, Thai, Indonesian, Malay, Tagalog, Burmese, Khmer,
/// Lao and English (issue 14); each has one catalogue in `Catalogues/`.
public enum Language: String, CaseIterable, Sendable {
    case english = "en"
    case chineseSimplified = "zh-Hans"
    case chineseTraditional = "zh-Hant"
    case vietnamese = "vi"
    case thai = "th"
    case indonesian = "id"
    case malay = "ms"
    case tagalog = "tl"
    case burmese = "my"
    case khmer = "km"
    case lao = "lo"
    /// A pseudo-language for tests: English wrapped in ⟦ ⟧ with accented
    /// letters, so that any English that bypasses the catalogue stands out.
    case pseudo = "qps"

    /// The languages a person may choose, in the menu's order.
    public static let offered: [Language] = allCases.filter { $0 != .pseudo }

    /// The language's own name, in its own script, for the menu.
    public var nativeName: String {
        switch self {
        case .english: "English"
        case .chineseSimplified: "简体中文"
        case .chineseTraditional: "繁體中文"
        case .vietnamese: "Tiếng Việt"
        case .thai: "ภาษาไทย"
        case .indonesian: "Bahasa Indonesia"
        case .malay: "Bahasa Melayu"
        case .tagalog: "Tagalog"
        case .burmese: "မြန်မာဘာသာ"
        case .khmer: "ភាសាខ្មែរ"
        case .lao: "ພາສາລາວ"
        case .pseudo: "⟦Ƥšéûđö⟧"
        }
    }

    /// Reads `--lang` values and POSIX locale names: `th`, `th_TH.UTF-8`,
    /// `zh_TW`, `zh-Hant`, `fil_PH`, `my_MM@zawgyi`. `nil` for a language
    /// tip does not speak, and for C and POSIX.
    public init?(locale text: String) {
        var name = text.trimmingCharacters(in: .whitespaces)
        if let dot = name.firstIndex(where: { $0 == "." || $0 == "@" }) { name = String(name[..<dot]) }
        name = name.replacingOccurrences(of: "-", with: "_")
        let parts = name.split(separator: "_").map { $0.lowercased() }
        guard let first = parts.first else { return nil }
        let rest = Set(parts.dropFirst())
        switch first {
        case "en": self = .english
        case "zh":
            self = rest.isDisjoint(with: ["hant", "tw", "hk", "mo"]) ? .chineseSimplified : .chineseTraditional
        case "vi": self = .vietnamese
        case "th": self = .thai
        case "id", "in": self = .indonesian
        case "ms": self = .malay
        case "tl", "fil": self = .tagalog
        case "my": self = .burmese
        case "km": self = .khmer
        case "lo": self = .lao
        case "qps": self = .pseudo
        default: return nil
        }
    }
}
