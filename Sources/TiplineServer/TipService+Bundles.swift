import Logging
import TiplineCrypto
import TiplineProto
import TiplineRPC
import TiplineStore

extension TipService {
    func registerBundleMethods(_ table: inout MethodTable) {
        table.register(TiplineMethod.getBundle, .unary(Tipline_V1_GetBundleRequest.self, Tipline_V1_GetBundleResponse.self) { _, _ in
            let current = try self.currentBundle()
            let now = self.clock()
            self.receivingKeys.prune(now: now)
            let served = self.receivingKeys.served(now: now, bundle: current.bundle)
            return .with {
                $0.signedBundle = current.signed.encoded.data
                $0.receivingKeys = served.map(\.encoded.data)
            }
        })
        table.register(TiplineMethod.listBundles,
                       .unary(Tipline_V1_ListBundlesRequest.self, Tipline_V1_ListBundlesResponse.self) { request, _ in
            let after = try WireInteger.storable(request.afterVersion, field: "after_version")
            let limit = self.pageLimit(request.limit)
            // One more than the page, to know whether there is more.
            let rows = try await self.store.bundles(after: after, limit: limit + 1)
            let (page, more) = self.page(rows, limit: limit, size: { $0.signed.count })
            return .with {
                $0.signedBundles = page.map(\.signed.data)
                $0.more = more
                $0.nextAfterVersion = page.last?.version ?? after
            }
        })
        table.register(TiplineMethod.publishBundle,
                       .unary(Tipline_V1_PublishBundleRequest.self, Tipline_V1_PublishBundleResponse.self) { request, _ in
            try await self.publish(Array(request.signedBundle))
        })
    }

    /// Accepts a bundle only if the organisation signed it, it is valid now,
    /// its version is higher than the one in force, and it names this server.
    func publish(_ bytes: [UInt8]) async throws -> Tipline_V1_PublishBundleResponse {
        let signed: SignedKeyBundle
        do { signed = try SignedKeyBundle(parsing: bytes) } catch {
            throw RPCError(.invalidArgument, "malformed key bundle: \(error)")
        }
        let now = clock()
        let bundle: KeyBundle
        do {
            bundle = try signed.verify(pinned: configuration.organisation, now: now, lastSeen: bundles.get()?.signed.seen)
        } catch KeyBundleError.wrongOrganisation where configuration.organisation.isOneSymbolShort(of: signed.unverifiedBundle.organisationFingerprint) {
            // A configuration in the legacy form (PROTOCOL.md §2.5) that is
            // this organisation's fingerprint with a character left out: a
            // typo for the operator to fix, not another organisation.
            logger.error("""
                the configured organisation fingerprint has a typo: it is the fingerprint of the organisation that \
                made the bundle just offered, \(signed.unverifiedBundle.organisationFingerprint), with one character \
                left out; compare it with the one your organisation gave you and correct the configuration
                """)
            throw RPCError(.permissionDenied, """
                the server's configured organisation fingerprint has a typo: it is this bundle's organisation \
                fingerprint with one character left out; the server's operator must correct it
                """)
        } catch KeyBundleError.wrongOrganisation, KeyBundleError.badSignature {
            throw RPCError(.permissionDenied, "the key bundle is not signed by this server's organisation")
        } catch {
            throw RPCError(.failedPrecondition, "\(error)")
        }
        if let current = bundles.get(), current.id == signed.id {
            throw RPCError(.alreadyExists, "this key bundle is already in force")
        }
        guard bundle.serverKey == identity.publicKey else {
            throw RPCError(.failedPrecondition, "the key bundle names another server identity key")
        }
        do {
            _ = try await store.publishBundle(signed: signed.encoded, version: bundle.version, id: signed.id, now: now)
        } catch let error as StoreError {
            throw error.rpcError
        }
        bundles.set(.init(bundle: bundle, signed: signed))
        logger.info("key bundle published", metadata: ["version": "\(bundle.version)", "responders": "\(bundle.responders.count)"])
        return .with {
            $0.version = bundle.version
            $0.bundleID = signed.id.data
        }
    }
}
