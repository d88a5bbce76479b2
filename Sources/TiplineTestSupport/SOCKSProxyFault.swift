/// A way for ``TestSOCKSProxy`` to misbehave, so that tests can check what
/// the client makes of a broken proxy.
public enum SOCKSProxyFault: Sendable {
    /// Accept the TCP connection, read everything, answer nothing.
    case neverAnswers
    /// Close the connection as soon as the client's greeting arrives.
    case closesAfterGreeting
    /// Answer the greeting with bytes that are not SOCKS5 (an HTTP error, as
    /// from an HTTP proxy configured by mistake) and keep the connection open.
    case answersGarbage
}
