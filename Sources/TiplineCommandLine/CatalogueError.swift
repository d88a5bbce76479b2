/// A catalogue file that cannot be read. Catalogues are compiled in, so
/// this is a build defect that the catalogue tests catch, never a user's.
public enum CatalogueError: Error, Equatable, CustomStringConvertible {
    case malformedLine(language: String, line: Int)
    case duplicateOrEmptyId(language: String, line: Int)

    public var description: String {
        switch self {
        case .malformedLine(let language, let line): "catalogue \(language), line \(line): expected `id = text`"
        case .duplicateOrEmptyId(let language, let line): "catalogue \(language), line \(line): empty or repeated id"
        }
    }
}
