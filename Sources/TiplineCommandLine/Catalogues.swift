/// The embedded catalogue files (Package.swift: `.embedInCode`), by language.
extension Localization {
    static func source(of language: Language) -> [UInt8] {
        switch language {
        case .english: PackageResources.en_catalogue
        case .chineseSimplified: PackageResources.zh_Hans_catalogue
        case .chineseTraditional: PackageResources.zh_Hant_catalogue
        case .vietnamese: PackageResources.vi_catalogue
        case .thai: PackageResources.th_catalogue
        case .indonesian: PackageResources.id_catalogue
        case .malay: PackageResources.ms_catalogue
        case .tagalog: PackageResources.tl_catalogue
        case .burmese: PackageResources.my_catalogue
        case .khmer: PackageResources.km_catalogue
        case .lao: PackageResources.lo_catalogue
        case .pseudo: []
        }
    }
}
