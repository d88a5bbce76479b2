/// One of a responder's receiving keys as their keystore holds it: the
/// signed statement they published and the private half, in locked memory
/// (proto/PROTOCOL.md §3.4, §7).
public struct HeldReceivingKey: Sendable {
    public let statement: ReceivingKeyStatement
    public let keyPair: BoxKeyPair

    public init(statement: ReceivingKeyStatement, keyPair: BoxKeyPair) {
        precondition(statement.publicKey == keyPair.publicKey, "the statement is for another key")
        self.statement = statement
        self.keyPair = keyPair
    }
}
