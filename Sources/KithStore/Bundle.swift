import Crypto
import Foundation
import KithCore

/// Why a bundle was refused. Nothing of a refused bundle is taken in.
package enum BundleRefusal: String, Error, Sendable, Equatable {
    /// Not a Kith bundle at all.
    case notABundle
    /// Written by a newer Kith.
    case newerVersion
    /// It ends early (a copy cut short).
    case truncated
    /// Its bytes were changed after it was written (or it is damaged).
    case tampered
    /// From a team other than this store's.
    case otherTeam
    /// Signed by someone this laptop doesn't know (yet): take in a bundle from a team lead first.
    case unknownSender
    /// Signed by someone who may not send the team's records (deactivated).
    case senderNotPermitted
    /// Not sealed to this user (made before they joined, or for someone else).
    case notForYou
}

/// A bundle file: what one laptop sends another, with no server between them.
///
/// ```
/// "KITHBNDL" | header | chunk count | chunks | signature
/// ```
/// The header (readable) names the team, who sent it from which laptop and when, and the
/// bundle's key sealed to each active member of the team with HPKE (authenticated by the
/// sender's key: only members open it, and opening it proves who sealed it). The body —
/// the sender's summary and the items — is split into chunks of a megabyte, each sealed
/// with AES-GCM bound to the header, its number and whether it is the last, so a bundle
/// cut short or with chunks reordered doesn't open. The sender's Ed25519 signature covers
/// everything before it. A bundle is checked whole (signature, sender's rights, every
/// chunk) before anything in it is taken in.
package struct Bundle: Sendable {
    package struct Header: Sendable {
        package var storeID: String
        package var sender: User.ID
        package var device: Device.ID
        package var createdMillis: Int64
        /// Sealed bundle key per recipient: who, which of their keys (tag), and the sealed key.
        var recipients: [(user: User.ID, keyTag: [UInt8], sealed: [UInt8])]

        func bytes() -> [UInt8] {
            var w = BinaryWriter()
            w.byte(1)
            w.string(storeID)
            w.string(sender.raw)
            w.string(device.raw)
            w.varint(createdMillis)
            w.uvarint(UInt64(recipients.count))
            for recipient in recipients {
                w.string(recipient.user.raw)
                w.data(recipient.keyTag)
                w.data(recipient.sealed)
            }
            return w.bytes
        }

        static func parse(_ bytes: [UInt8]) throws -> Header {
            var r = BinaryReader(bytes)
            guard try r.byte() == 1 else { throw BundleRefusal.newerVersion }
            let storeID = try r.string(), sender = User.ID(try r.string()), device = Device.ID(try r.string())
            let created = try r.varint()
            let recipients = try (0..<r.count()).map { _ in (User.ID(try r.string()), try r.data(), try r.data()) }
            guard r.isAtEnd else { throw BinaryError.malformed("bundle header") }
            return Header(storeID: storeID, sender: sender, device: device, createdMillis: created, recipients: recipients)
        }
    }

    package var header: Header
    package var summary: SyncSummary
    package var items: [SyncItem]

    static let magic = Array("KITHBNDL".utf8)
    static let chunkSize = 1 << 20

    static func info(_ storeID: String, _ sender: User.ID, _ recipient: User.ID, _ created: Int64) -> Data {
        Data("kith bundle key v1|\(storeID)|\(sender.raw)|\(recipient.raw)|\(created)".utf8)
    }

    static func chunkAD(_ headerDigest: [UInt8], _ n: Int, last: Bool) -> [UInt8] {
        Array("kith bundle chunk v1|".utf8) + headerDigest + Array("|\(n)|\(last ? "end" : "more")".utf8)
    }

    // MARK: - Writing

    /// The bundle's bytes: sealed to `recipients` (user and agreement key), signed by `identity`.
    package static func write(storeID: String, sender: User.ID, device: Device.ID, createdMillis: Int64, identity: Identity,
                              recipients: [(User.ID, String)], summary: SyncSummary, items: [SyncItem]) -> [UInt8] {
        let key = SymmetricKey(size: .bits256)
        var sealedKeys: [(user: User.ID, keyTag: [UInt8], sealed: [UInt8])] = []
        for (user, agreementKey) in recipients {
            guard let raw = Data(base64Encoded: agreementKey),
                  let publicKey = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: raw),
                  var hpke = try? HPKE.Sender(recipientKey: publicKey, ciphersuite: KeyGrant.suite,
                                              info: info(storeID, sender, user, createdMillis), authenticatedBy: identity.agreement),
                  let sealed = try? hpke.seal(key.withUnsafeBytes { Array($0) }) else { continue }
            sealedKeys.append((user, KeyGrant.tag(agreementKey), Array(hpke.encapsulatedKey) + Array(sealed)))
        }
        let header = Header(storeID: storeID, sender: sender, device: device, createdMillis: createdMillis, recipients: sealedKeys).bytes()
        let headerDigest = Array(SHA256.hash(data: header))
        let body = encodeBody(summary: summary, items: items)
        var out = BinaryWriter(capacity: body.count + body.count / 50 + 4096)
        out.raw(magic)
        out.data(header)
        let chunks = max(1, (body.count + chunkSize - 1) / chunkSize)
        out.uvarint(UInt64(chunks))
        for n in 0..<chunks {
            let part = body[min(body.count, n * chunkSize)..<min(body.count, (n + 1) * chunkSize)]
            // Sealing in memory with a fresh nonce cannot fail.
            let box = try! AES.GCM.seal(part, using: key, nonce: AES.GCM.Nonce(), authenticating: chunkAD(headerDigest, n, last: n == chunks - 1))
            out.data(Array(box.combined!))
        }
        out.data(identity.sign(Array(SHA256.hash(data: out.bytes))))
        return out.bytes
    }

    static func encodeBody(summary: SyncSummary, items: [SyncItem]) -> [UInt8] {
        var w = BinaryWriter(capacity: items.reduce(0) { $0 + $1.payload.count + 24 } + summary.families.count * 40 + 64)
        w.byte(1)
        w.uvarint(UInt64(summary.families.count))
        for (id, mark) in summary.families.sorted(by: { $0.key < $1.key }) {
            w.string(id.raw)
            w.uvarint(UInt64(mark.count))
            w.raw(mark.xor)
        }
        for set in [summary.team, summary.grants, summary.registry] {
            w.uvarint(UInt64(set.count))
            for digest in set.sorted() { w.raw((0..<8).map { UInt8(truncatingIfNeeded: digest >> (56 - 8 * $0)) }) }
        }
        w.uvarint(UInt64(items.count))
        for item in items {
            w.byte(item.kind.rawValue)
            w.string(item.family)
            w.data(item.payload)
        }
        return w.bytes
    }

    static func decodeBody(_ bytes: [UInt8]) throws -> (SyncSummary, [SyncItem]) {
        var r = BinaryReader(bytes)
        guard try r.byte() == 1 else { throw BundleRefusal.newerVersion }
        var summary = SyncSummary()
        for _ in 0..<(try r.count()) {
            let id = Family.ID(try r.string())
            summary.families[id] = SyncSummary.Mark(count: Int(clamping: try r.uvarint()), xor: try r.raw(16))
        }
        var sets: [Set<UInt64>] = []
        for _ in 0..<3 {
            sets.append(Set(try (0..<r.count()).map { _ in try r.raw(8).reduce(0) { $0 << 8 | UInt64($1) } }))
        }
        (summary.team, summary.grants, summary.registry) = (sets[0], sets[1], sets[2])
        let items = try (0..<r.count()).map { _ in
            guard let kind = SyncItem.Kind(rawValue: try r.byte()) else { throw BinaryError.malformed("bundle item") }
            return SyncItem(kind: kind, family: try r.string(), payload: try r.data())
        }
        guard r.isAtEnd else { throw BinaryError.malformed("bundle body") }
        return (summary, items)
    }

    // MARK: - Reading

    /// Opens a bundle for `user` (with `identity`) of the team `storeID`, whose members'
    /// records `users` are: checked whole, or refused with the first reason found.
    package static func open(_ bytes: [UInt8], storeID: String, user: User.ID, identity: Identity,
                             users: [User.ID: User]) throws(BundleRefusal) -> Bundle {
        guard bytes.starts(with: magic) else { throw .notABundle }
        var r = BinaryReader(Array(bytes.dropFirst(magic.count)))
        let headerBytes: [UInt8], header: Header
        var chunks: [[UInt8]] = []
        do {
            headerBytes = try r.data()
            header = try Header.parse(headerBytes)
        } catch {
            throw refusal(for: error)
        }
        guard header.storeID == storeID else { throw .otherTeam }
        guard let sender = users[header.sender], let signingKey = sender.signingKey, let senderAgreement = sender.agreementKey else {
            throw .unknownSender
        }
        let signed: Int
        let signature: [UInt8]
        do {
            let count = try r.count()
            for _ in 0..<count { chunks.append(try r.data()) }
            signed = magic.count + r.offset
            signature = try r.data()
            guard r.isAtEnd else { throw BinaryError.malformed("bundle end") }
        } catch {
            throw refusal(for: error)
        }
        guard PublicIdentity.verify(signature, of: Array(SHA256.hash(data: bytes[0..<signed])), by: signingKey) else { throw .tampered }
        guard sender.active else { throw .senderNotPermitted }
        guard let mine = header.recipients.first(where: { $0.user == user && $0.keyTag == KeyGrant.tag(users[user]?.agreementKey) }) else {
            throw .notForYou
        }
        guard mine.sealed.count > 32, let raw = Data(base64Encoded: senderAgreement),
              let senderKey = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: raw),
              var hpke = try? HPKE.Recipient(privateKey: identity.agreement, ciphersuite: KeyGrant.suite,
                                             info: info(storeID, header.sender, user, header.createdMillis),
                                             encapsulatedKey: Data(mine.sealed[0..<32]), authenticatedBy: senderKey),
              let keyBytes = try? hpke.open(mine.sealed[32...]), keyBytes.count == 32 else { throw .tampered }
        let key = SymmetricKey(data: keyBytes)
        let headerDigest = Array(SHA256.hash(data: headerBytes))
        var body: [UInt8] = []
        for (n, chunk) in chunks.enumerated() {
            guard let box = try? AES.GCM.SealedBox(combined: chunk),
                  let plain = try? AES.GCM.open(box, using: key, authenticating: chunkAD(headerDigest, n, last: n == chunks.count - 1)) else {
                throw .tampered
            }
            body += plain
        }
        do {
            let (summary, items) = try decodeBody(body)
            return Bundle(header: header, summary: summary, items: items)
        } catch {
            // Sealed and signed, yet not what a Kith wrote: changed before it was sealed.
            throw error as? BundleRefusal ?? .tampered
        }
    }

    /// What a reading error says about the file: bytes that ran out are a copy cut short;
    /// anything else is damage (or a newer Kith, which says so itself).
    static func refusal(for error: any Error) -> BundleRefusal {
        if let refusal = error as? BundleRefusal { return refusal }
        return error as? BinaryError == .truncated ? .truncated : .tampered
    }
}
