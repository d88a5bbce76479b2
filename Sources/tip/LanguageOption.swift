import ArgumentParser

/// `--lang`, read before parsing (``TiplineCommandLine/LanguageChoice``);
/// declared here so that the parser accepts it and `--help` lists it.
struct LanguageOption: ParsableArguments {
    @Option(name: .customLong("lang"), help: ArgumentHelp(
        "The language: en, zh-Hans, zh-Hant, vi, th, id, ms, tl, my, km or lo (default: the locale; asked when it is C).",
        valueName: "code"))
    var lang: String?
}
