import Testing
@testable import TiplineCommandLine

/// Paths as people type, paste or drag them (issue 14).
@Suite struct TypedPathTests {
    let none: (String) -> Bool = { _ in false }

    @Test func quotesEscapesHomeAndFileAddressesAreUndone() {
        #expect(TypedPath.paths(in: "  /tmp/a.jpg \n", exists: none) == ["/tmp/a.jpg"])
        #expect(TypedPath.paths(in: "'/tmp/my photo.jpg' ", exists: none) == ["/tmp/my photo.jpg"])
        #expect(TypedPath.paths(in: "\"/tmp/say \\\"hi\\\".txt\"", exists: none) == ["/tmp/say \"hi\".txt"])
        #expect(TypedPath.paths(in: "/tmp/my\\ photo.jpg", exists: none) == ["/tmp/my photo.jpg"])
        #expect(TypedPath.paths(in: "~/notes.txt", home: "/home/ana", exists: none) == ["/home/ana/notes.txt"])
        #expect(TypedPath.paths(in: "~", home: "/home/ana", exists: none) == ["/home/ana"])
        #expect(TypedPath.paths(in: "file:///tmp/%E0%B8%A0%E0%B8%B2%E0%B8%9E.jpg", exists: none) == ["/tmp/ภาพ.jpg"])
        #expect(TypedPath.paths(in: "'/tmp/a b.jpg' '/tmp/c.png'", exists: none) == ["/tmp/a b.jpg", "/tmp/c.png"])
        #expect(TypedPath.paths(in: "   ", exists: none) == [])
    }

    @Test func aTypedNameThatExistsIsTakenAsItStands() {
        #expect(TypedPath.paths(in: "/tmp/my photo.jpg", exists: { $0 == "/tmp/my photo.jpg" }) == ["/tmp/my photo.jpg"])
        #expect(TypedPath.paths(in: "~/my photo.jpg", home: "/h", exists: { $0 == "/h/my photo.jpg" }) == ["/h/my photo.jpg"])
    }
}
