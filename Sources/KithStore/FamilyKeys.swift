import Crypto
import Foundation
import KithCore

/// One family's key for one epoch, sealed to one user.
///
/// Every family has its own random key, and a new one (the next epoch) whenever someone
/// who could read it no longer may: what is written afterwards uses the new key, which the
/// person who left never receives. A grant seals an epoch's key to one user's agreement
/// key with HPKE (X25519, HKDF-SHA256, ChaCha20-Poly1305) in authenticated mode: only that
/// user can open it, and opening it proves which user sealed it. The grant's ids are bound
/// as HPKE's info, so a grant can't be relabelled for another family, epoch or person.
package struct KeyGrant: Hashable, Sendable {
    package var family: Family.ID
    package var epoch: Int
    package var recipient: User.ID
    /// Which of the recipient's keys it is sealed to (`tag`): after a reset gives them a new
    /// one, grants to the old key no longer count as theirs. Empty in version-1 grants.
    var recipientKey: [UInt8] = []
    package var granter: User.ID
    /// HPKE's encapsulated key (32 bytes), then the sealed family key.
    var sealed: [UInt8]

    static let suite = HPKE.Ciphersuite.Curve25519_SHA256_ChachaPoly

    static func info(storeID: String, family: Family.ID, epoch: Int, recipient: User.ID, granter: User.ID) -> Data {
        Data("kith family key v1|\(storeID)|\(family.raw)|\(epoch)|\(recipient.raw)|\(granter.raw)".utf8)
    }

    /// A short fingerprint of an agreement key (base64): the first 8 bytes of its SHA-256.
    /// Kept once made: every grant of every family is compared with a handful of keys.
    static func tag(_ agreementKey: String?) -> [UInt8] {
        guard let agreementKey else { return [] }
        return KeyTags.shared.tag(agreementKey)
    }

    /// Whether this grant is to `user`'s current key.
    func isTo(_ user: User) -> Bool {
        recipient == user.id && (recipientKey.isEmpty || recipientKey == KeyGrant.tag(user.agreementKey))
    }

    /// Seals `key` to `recipientKey` (base64 X25519) as `granter`.
    static func make(_ key: SymmetricKey, family: Family.ID, epoch: Int, to recipient: User.ID, recipientKey: String,
                     granter: User.ID, identity: Identity, storeID: String) -> KeyGrant? {
        guard let raw = Data(base64Encoded: recipientKey),
              let publicKey = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: raw),
              var sender = try? HPKE.Sender(recipientKey: publicKey, ciphersuite: suite,
                                            info: info(storeID: storeID, family: family, epoch: epoch, recipient: recipient, granter: granter),
                                            authenticatedBy: identity.agreement),
              let sealed = try? sender.seal(key.withUnsafeBytes { Array($0) }) else { return nil }
        return KeyGrant(family: family, epoch: epoch, recipient: recipient, recipientKey: tag(recipientKey), granter: granter,
                        sealed: Array(sender.encapsulatedKey) + Array(sealed))
    }

    /// The family key, when this grant is addressed to `identity` and was sealed by the
    /// holder of `granterKey` (base64 X25519).
    func open(with identity: Identity, granterKey: String, storeID: String) -> SymmetricKey? {
        guard sealed.count > 32, let raw = Data(base64Encoded: granterKey),
              let publicKey = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: raw),
              var recipient = try? HPKE.Recipient(privateKey: identity.agreement, ciphersuite: KeyGrant.suite,
                                                  info: KeyGrant.info(storeID: storeID, family: family, epoch: epoch,
                                                                      recipient: self.recipient, granter: granter),
                                                  encapsulatedKey: Data(sealed[0..<32]), authenticatedBy: publicKey),
              let key = try? recipient.open(sealed[32...]), key.count == 32 else { return nil }
        return SymmetricKey(data: key)
    }

    /// One entry of `grants.log`: the grants one user made at one moment.
    static func encode(_ grants: [KeyGrant]) -> [UInt8] {
        var w = BinaryWriter(capacity: 150 * grants.count + 8)
        w.byte(2)
        w.uvarint(UInt64(grants.count))
        for grant in grants {
            w.string(grant.family.raw)
            w.int(grant.epoch)
            w.string(grant.recipient.raw)
            w.data(grant.recipientKey)
            w.string(grant.granter.raw)
            w.data(grant.sealed)
        }
        return w.bytes
    }

    package static func decode(_ payload: [UInt8]) throws -> [KeyGrant] {
        var r = BinaryReader(payload)
        let version = try r.byte()
        guard version == 1 || version == 2 else { throw BinaryError.malformed("grants version") }
        return try (0..<r.count()).map { _ in
            KeyGrant(family: Family.ID(try r.string()), epoch: try r.int(), recipient: User.ID(try r.string()),
                     recipientKey: version == 2 ? try r.data() : [], granter: User.ID(try r.string()), sealed: try r.data())
        }
    }
}

/// An entry of a family log sealed with the family's key for one epoch:
/// `KFE1`, the epoch (u32), then AES-GCM of the signed batch, authenticated with the
/// store, family and epoch. The frame around it is sealed with the store's key as every
/// frame is, so anyone who can open the store can check the log's frames for damage, but
/// only those holding the family's key can read what the entries say.
package enum FamilyEntry {
    static let magic: [UInt8] = Array("KFE1".utf8)

    static func associated(storeID: String, family: Family.ID, epoch: Int) -> [UInt8] {
        Array("kith family entry v1|\(storeID)|\(family.raw)|\(epoch)".utf8)
    }

    static func seal(_ batch: [UInt8], key: SymmetricKey, epoch: Int, family: Family.ID, storeID: String) -> [UInt8] {
        // Sealing in memory with a fresh nonce cannot fail.
        let box = try! AES.GCM.seal(batch, using: key, nonce: AES.GCM.Nonce(),
                                    authenticating: associated(storeID: storeID, family: family, epoch: epoch))
        var w = BinaryWriter(capacity: batch.count + 40)
        w.raw(magic)
        w.uint32LE(UInt32(epoch))
        w.raw(Array(box.combined!))
        return w.bytes
    }

    /// The epoch a sealed entry was written in, or nil for an entry from before family keys.
    package static func epoch(of payload: [UInt8]) -> Int? {
        guard payload.count >= 8 + 28, payload.starts(with: magic) else { return nil }
        return Int(UInt32(payload[4]) | UInt32(payload[5]) << 8 | UInt32(payload[6]) << 16 | UInt32(payload[7]) << 24)
    }

    /// The signed batch inside, or nil when `key` is not the one it was sealed with (or it
    /// was changed).
    static func open(_ payload: [UInt8], key: SymmetricKey, family: Family.ID, storeID: String) -> [UInt8]? {
        guard let epoch = epoch(of: payload), let box = try? AES.GCM.SealedBox(combined: payload[8...]),
              let plain = try? AES.GCM.open(box, using: key, authenticating: associated(storeID: storeID, family: family, epoch: epoch)) else {
            return nil
        }
        return Array(plain)
    }
}

/// Agreement-key fingerprints as made from their base64 text, kept.
final class KeyTags: @unchecked Sendable {
    static let shared = KeyTags()
    private let lock = NSLock()
    private var made: [String: [UInt8]] = [:]

    func tag(_ key: String) -> [UInt8] {
        lock.lock()
        defer { lock.unlock() }
        if let tag = made[key] { return tag }
        guard let raw = Data(base64Encoded: key) else { return [] }
        let tag = Array(SHA256.hash(data: raw).prefix(8))
        if made.count > 1_000 { made.removeAll() }
        made[key] = tag
        return tag
    }
}
