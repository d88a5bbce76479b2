import Testing
import TiplineCommandLine

/// "Loopback" decides whether `tip` may connect without a proxy, so it must
/// mean a parsed loopback address, never a name that merely looks like one.
struct ServerAddressTests {
    @Test(arguments: ["127.0.0.1:7040", "127.1.2.3:1", "127.255.255.255:80", "[::1]:7040", "[::ffff:127.0.0.1]:7040",
                      "[0:0:0:0:0:0:0:1]:7040"])
    func loopbackAddresses(text: String) throws {
        #expect(try ServerAddress(parsing: text).isLoopback, "\(text)")
    }

    @Test(arguments: ["127.attacker.example:7040", "127.0.0.1.attacker.example:7040", "localhost:7040", "localhost.:7040",
                      "128.0.0.1:7040", "10.0.0.1:7040", "[::2]:7040", "[::ffff:10.0.0.1]:7040", "127:7040",
                      "0x7f.0.0.1:7040", "127.1:7040", "tipline.example.onion:7040", "[fe80::1]:7040"])
    func notLoopback(text: String) throws {
        #expect(try !ServerAddress(parsing: text).isLoopback, "\(text)")
    }
}
