/// What the fuzz service's failing method throws when it is not to fail with
/// an ``RPCError``: the server must turn it into INTERNAL without its text.
struct FuzzHandlerError: Error {}
