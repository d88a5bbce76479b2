/// Why the benchmark could not finish; it prints this and exits with 1.
struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
