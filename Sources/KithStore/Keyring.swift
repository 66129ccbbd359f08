import Crypto
import CryptoExtras
import Foundation
import KithCore

/// The store's keys. A random 256-bit data key encrypts everything; subkeys for each
/// purpose are derived from it with HKDF. The data key itself is only ever stored
/// wrapped by a key derived from a user's passphrase (see `KeySlot`).
public struct Keyring: Sendable {
    let dataKey: SymmetricKey
    let recordKey: SymmetricKey
    let auditKey: SymmetricKey

    init(dataKey: SymmetricKey) {
        self.dataKey = dataKey
        recordKey = Keyring.derive(dataKey, "kith records v1")
        auditKey = Keyring.derive(dataKey, "kith audit mac v1")
    }

    static func generate() -> Keyring { Keyring(dataKey: SymmetricKey(size: .bits256)) }

    /// The keyring of one user's own files.
    static func personal(_ identity: Identity, storeID: String) -> Keyring {
        Keyring(dataKey: identity.derivedKey("kith personal files v1|\(storeID)"))
    }

    /// A keyring from fixed bytes (fuzzing and tests only: the same every run).
    package static func fixed(_ byte: UInt8) -> Keyring { Keyring(dataKey: SymmetricKey(data: [UInt8](repeating: byte, count: 32))) }

    private static func derive(_ key: SymmetricKey, _ purpose: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: key, info: Array(purpose.utf8), outputByteCount: 32)
    }

    /// Encrypts with AES-GCM; `associated` (file kind, entity id, sequence) is
    /// authenticated, so a frame moved to another file or position fails to open.
    func seal(_ plaintext: [UInt8], associated: [UInt8]) -> [UInt8] {
        // Sealing with a fresh random nonce cannot fail for in-memory inputs.
        let box = try! AES.GCM.seal(plaintext, using: recordKey, nonce: AES.GCM.Nonce(), authenticating: associated)
        return Array(box.combined!)
    }

    /// Returns nil when the bytes were changed, truncated or belong elsewhere.
    func open(_ sealed: [UInt8], associated: [UInt8]) -> [UInt8]? {
        guard let box = try? AES.GCM.SealedBox(combined: sealed),
              let plain = try? AES.GCM.open(box, using: recordKey, authenticating: associated) else { return nil }
        return Array(plain)
    }

    func mac(_ bytes: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: bytes, using: auditKey))
    }
}

/// scrypt parameters for deriving a key-encryption key from a passphrase.
public struct KDFParameters: Codable, Hashable, Sendable {
    public var logN: Int
    public var r: Int
    public var p: Int

    public init(logN: Int, r: Int = 8, p: Int = 1) {
        self.logN = logN
        self.r = r
        self.p = p
    }

    /// N = 2^17, r = 8, p = 1 (OWASP's minimum for scrypt): about 250 ms and 128 MiB on a
    /// 2-core laptop. Slots made with less are re-made at the next unlock.
    public static let standard = KDFParameters(logN: 17)
    /// For tests only: fast and weak.
    public static let fastForTests = KDFParameters(logN: 10)
}

/// One user's copy of the data key and their identity, wrapped by their passphrase.
///
/// The slot is also where a user's trust starts: `root` pins the signing key of the
/// team's founding record, and `signedOnly` says the store's logs were signed from the
/// start. Both are authenticated with the identity under the user's passphrase, so
/// someone who can edit the store's files, but doesn't know this passphrase, can't
/// change what this user trusts.
public struct KeySlot: Codable, Hashable, Sendable {
    public var user: String
    public var login: String
    public var role: String
    public var kdf: KDFParameters
    public var salt: String
    public var wrapped: String
    /// SHA-256 of the fields above: a slot that fails it is damaged, which a failed
    /// unwrap alone could not tell from a wrong passphrase. (Absent in older slots.)
    public var check: String?
    /// The user's private keys, sealed by the same passphrase-derived key (absent in
    /// slots from before identities: made at the next unlock).
    public var identity: String?
    /// The founding record's public signing key (base64), as this user trusts it.
    public var root: String?
    /// Every entry of the store's logs is signed: an unsigned one is refused.
    public var signedOnly: Bool?

    /// The slot's fields hash to its check (or it has none).
    public var isIntact: Bool { check == nil || check == computedCheck }

    var computedCheck: String {
        var text = "\(user)|\(login)|\(role)|\(kdf.logN),\(kdf.r),\(kdf.p)|\(salt)|\(wrapped)"
        if let identity { text += "|\(identity)|\(root ?? "")|\(signedOnly == true)" }
        return SHA256.hash(data: Array(text.utf8)).hexString
    }

    /// What the sealed identity is bound to: this store, this user and what they trust.
    func identityAssociated(storeID: String) -> [UInt8] { Array("kith identity v1|\(storeID)|\(user)|\(root ?? "")|\(signedOnly == true)".utf8) }

    /// What a user's slot trusts, carried from slot to slot (a new user's slot trusts what
    /// the user who added them trusts).
    struct Trust: Hashable, Sendable {
        var root: String?
        var signedOnly: Bool
    }

    var trust: Trust { Trust(root: root, signedOnly: signedOnly == true) }

    /// The key that wraps the data key, from the passphrase in Unicode NFKC (`raw`: exactly
    /// as given, for the other spellings older slots were made with).
    package static func derive(_ passphrase: String, salt: [UInt8], kdf: KDFParameters, raw: Bool = false) throws -> SymmetricKey {
        let text = raw ? passphrase : PassphrasePolicy.normalized(passphrase)
        return try KDF.Scrypt.deriveKey(from: Array(text.utf8), salt: salt, outputByteCount: 32,
                                        rounds: 1 << kdf.logN, blockSize: kdf.r, parallelism: kdf.p)
    }

    static func associated(storeID: String, user: String) -> [UInt8] { Array("kith slot v1|\(storeID)|\(user)".utf8) }

    static func make(user: User, keyring: Keyring, identity: Identity, trust: Trust, passphrase: String, kdf: KDFParameters,
                     storeID: String) throws -> KeySlot {
        var salt = [UInt8](repeating: 0, count: 16)
        var generator = SystemRandomNumberGenerator()
        for i in salt.indices { salt[i] = UInt8.random(in: 0...255, using: &generator) }
        let kek = try derive(passphrase, salt: salt, kdf: kdf)
        let raw = keyring.dataKey.withUnsafeBytes { Array($0) }
        let box = try AES.GCM.seal(raw, using: kek, nonce: AES.GCM.Nonce(), authenticating: associated(storeID: storeID, user: user.id.raw))
        var slot = KeySlot(user: user.id.raw, login: user.login, role: user.role.rawValue, kdf: kdf,
                           salt: Data(salt).base64EncodedString(), wrapped: box.combined!.base64EncodedString())
        slot.root = trust.root
        slot.signedOnly = trust.signedOnly
        let sealed = try AES.GCM.seal(identity.raw, using: kek, nonce: AES.GCM.Nonce(), authenticating: slot.identityAssociated(storeID: storeID))
        slot.identity = sealed.combined!.base64EncodedString()
        slot.check = slot.computedCheck
        return slot
    }

    /// What unlocking a slot gives: the data key, and the user's identity when the slot
    /// holds one.
    struct Unwrapped {
        var keyring: Keyring
        var identity: Identity?
    }

    /// The slot's identity does not open although the passphrase is right: the slot (or
    /// what it trusts) was changed.
    struct IdentityTampered: Error {}

    /// The data key and identity, or nil when the passphrase is wrong.
    func unwrap(passphrase: String, storeID: String) throws -> Unwrapped? {
        guard let salt = Data(base64Encoded: self.salt), let wrapped = Data(base64Encoded: self.wrapped) else { return nil }
        guard let box = try? AES.GCM.SealedBox(combined: wrapped) else { return nil }
        // NFC first; the passphrase as typed only where that differs (a slot from before).
        // NFKC first; then, only where they differ, NFC and the passphrase as typed (slots
        // made before passphrases were normalised that way).
        var forms: [String] = []
        for form in [PassphrasePolicy.normalized(passphrase), passphrase.precomposedStringWithCanonicalMapping, passphrase] where !forms.contains(form) {
            forms.append(form)
        }
        for form in forms {
            let kek = try KeySlot.derive(form, salt: Array(salt), kdf: kdf, raw: true)
            guard let key = try? AES.GCM.open(box, using: kek, authenticating: KeySlot.associated(storeID: storeID, user: user)) else { continue }
            guard let identity else { return Unwrapped(keyring: Keyring(dataKey: SymmetricKey(data: key)), identity: nil) }
            guard let sealed = Data(base64Encoded: identity), let identityBox = try? AES.GCM.SealedBox(combined: sealed),
                  let opened = try? AES.GCM.open(identityBox, using: kek, authenticating: identityAssociated(storeID: storeID)),
                  let me = Identity(raw: Array(opened)) else { throw IdentityTampered() }
            return Unwrapped(keyring: Keyring(dataKey: SymmetricKey(data: key)), identity: me)
        }
        return nil
    }
}
