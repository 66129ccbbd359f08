import Crypto
import Foundation
import KithCore

/// A user's own keys: one signs everything they write (so nobody else's laptop, and no
/// one editing files, can write in their name), one receives keys sealed to them. The
/// private halves exist only wrapped by the user's passphrase (`KeySlot.identity`) and in
/// memory while they are signed in.
public struct Identity: Sendable {
    let signing: Curve25519.Signing.PrivateKey
    let agreement: Curve25519.KeyAgreement.PrivateKey

    package static func generate() -> Identity {
        Identity(signing: Curve25519.Signing.PrivateKey(), agreement: Curve25519.KeyAgreement.PrivateKey())
    }

    private init(signing: Curve25519.Signing.PrivateKey, agreement: Curve25519.KeyAgreement.PrivateKey) {
        self.signing = signing
        self.agreement = agreement
    }

    /// From the 64 bytes `raw` gives (signing key, then agreement key).
    package init?(raw: [UInt8]) {
        guard raw.count == 64,
              let signing = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw[0..<32]),
              let agreement = try? Curve25519.KeyAgreement.PrivateKey(rawRepresentation: raw[32..<64]) else { return nil }
        self.init(signing: signing, agreement: agreement)
    }

    var raw: [UInt8] { Array(signing.rawRepresentation) + Array(agreement.rawRepresentation) }

    public var publicKeys: PublicIdentity {
        PublicIdentity(signing: signing.publicKey.rawRepresentation.base64EncodedString(),
                       agreement: agreement.publicKey.rawRepresentation.base64EncodedString())
    }

    /// A key for this user's own files (their caseload index), derived from their private
    /// agreement key: nobody else's passphrase opens it.
    func derivedKey(_ purpose: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: agreement.rawRepresentation), info: Array(purpose.utf8), outputByteCount: 32)
    }

    /// An Ed25519 signature of `bytes`.
    func sign(_ bytes: [UInt8]) -> [UInt8] {
        // Signing in memory with a valid key does not fail.
        Array(try! signing.signature(for: bytes))
    }
}

/// A user's public keys as their user record publishes them.
public struct PublicIdentity: Hashable, Sendable {
    public var signing: String
    public var agreement: String

    public init(signing: String, agreement: String) {
        self.signing = signing
        self.agreement = agreement
    }

    /// Whether `signature` is this user's signature of `bytes`.
    static func verify(_ signature: [UInt8], of bytes: [UInt8], by signingKey: String) -> Bool {
        guard let key = PublicKeys.shared.key(signingKey) else { return false }
        return key.isValidSignature(signature, for: bytes)
    }
}

/// Signing keys as parsed from their base64 text, kept: every entry of every log is
/// checked against one of a handful of keys.
final class PublicKeys: @unchecked Sendable {
    static let shared = PublicKeys()
    private let lock = NSLock()
    private var parsed: [String: Curve25519.Signing.PublicKey] = [:]

    func key(_ text: String) -> Curve25519.Signing.PublicKey? {
        lock.lock()
        defer { lock.unlock() }
        if let key = parsed[text] { return key }
        guard let raw = Data(base64Encoded: text), let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw) else { return nil }
        if parsed.count > 1_000 { parsed.removeAll() }
        parsed[text] = key
        return key
    }
}
