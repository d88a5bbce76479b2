/// Arithmetic in GF(2^5) with the primitive polynomial x^5 + x^2 + 1, used by
/// the check symbols of codenames and fingerprints (proto/PROTOCOL.md §2.6).
/// Addition is XOR.
enum GF32 {
    static let modulus: UInt8 = 0b10_0101

    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        var a = a, b = b, product: UInt8 = 0
        while b != 0 {
            if b & 1 != 0 { product ^= a }
            b >>= 1
            a <<= 1
            if a & 0b10_0000 != 0 { a ^= modulus }
        }
        return product
    }

    /// α^n for the generator α = x (the value 2); α has order 31.
    static func alphaPower(_ n: Int) -> UInt8 {
        var result: UInt8 = 1
        for _ in 0..<(n % 31) { result = multiply(result, 2) }
        return result
    }

    /// The check symbol `c` such that Σ α^(i+1)·v_i over data and `c` (at
    /// index `values.count`) is zero.
    static func checkSymbol(for values: [UInt8]) -> UInt8 {
        let sum = syndrome(values)
        // α^(n+1) · c = sum, so c = α^(31 - (n+1) mod 31) · sum.
        let position = (values.count + 1) % 31
        return multiply(alphaPower((31 - position) % 31), sum)
    }

    /// Σ α^(i+1)·v_i; zero for symbols that end in a correct check symbol.
    static func syndrome(_ values: [UInt8]) -> UInt8 {
        var sum: UInt8 = 0
        for (i, v) in values.enumerated() { sum ^= multiply(alphaPower(i + 1), v) }
        return sum
    }
}
