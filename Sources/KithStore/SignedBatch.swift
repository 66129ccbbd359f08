import KithCore

/// A batch of events as a log holds it: signed by the one user who wrote them, and bound
/// to the log it belongs in (the signature covers the log's owner, so a signed batch
/// can't be moved into another family's log). Logs from before identities hold plain
/// batches, which read as unsigned.
///
/// Layout: `KSB1`, the signer's id, the batch (`Event.encodeBatch`), the 64-byte Ed25519
/// signature. A plain batch can never start with `KSB1`: its second byte would have to be
/// an event's version (1), not `S`.
package enum SignedBatch {
    static let magic: [UInt8] = Array("KSB1".utf8)

    /// What the signature covers.
    static func signedBytes(_ batch: [UInt8], owner: String) -> [UInt8] { Array("kith batch v1|\(owner)|".utf8) + batch }

    package static func seal(_ events: [Event], owner: String, signer: User.ID, identity: Identity) -> [UInt8] {
        let batch = Event.encodeBatch(events)
        var w = BinaryWriter(capacity: batch.count + 120)
        for byte in magic { w.byte(byte) }
        w.string(signer.raw)
        w.data(batch)
        w.data(identity.sign(signedBytes(batch, owner: owner)))
        return w.bytes
    }

    package struct Opened {
        var events: [Event]
        /// Nil for a plain batch (from before identities).
        var signer: User.ID?
        var signature: [UInt8] = []
        var batch: [UInt8] = []

        /// Whether `signingKey` (base64) signed this batch for the log of `owner`.
        func isSigned(by signingKey: String, owner: String) -> Bool {
            PublicIdentity.verify(signature, of: SignedBatch.signedBytes(batch, owner: owner), by: signingKey)
        }
    }

    /// Reads a payload, signed or plain. Throws when it is neither.
    package static func open(_ payload: [UInt8]) throws -> Opened {
        guard payload.starts(with: magic) else { return Opened(events: try Event.decodeBatch(payload)) }
        var r = BinaryReader(Array(payload.dropFirst(magic.count)))
        let signer = User.ID(try r.string())
        let batch = try r.data()
        let signature = try r.data()
        guard r.isAtEnd, signature.count == 64 else { throw BinaryError.malformed("signed batch") }
        return Opened(events: try Event.decodeBatch(batch), signer: signer, signature: signature, batch: batch)
    }
}

/// Why a log entry was refused (not applied), as `kith check` and the notices name it.
enum Refusal: String, Sendable {
    /// Unsigned in a store whose entries are all signed.
    case unsigned
    /// The signer is no user of this store, or has published no key.
    case unknownSigner
    /// The signature does not check out with the signer's key.
    case badSignature
    /// The events name another author than the signer.
    case notTheAuthor
    /// The signer had no right to make this change.
    case notPermitted
    /// A family entry not sealed with a family key, in a store whose entries all are.
    case notSealed
    /// Sealed with a key that is not the family's: the reader holds that epoch's key and
    /// it does not open the entry (made up, or moved from another family's log).
    case wrongKey
    /// Sealed with an older key of the family than an entry before it (named by stores
    /// from before entries merged between laptops; no longer a reason to refuse).
    case staleKey
    /// A signed checkpoint closed the team log's unsigned history, and that history is no
    /// longer what it saw.
    case historyChanged
    /// It opens with the family's key but what it holds is not entries Kith wrote.
    case unreadable
}
