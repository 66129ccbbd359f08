import Crypto
import Foundation
import KithCore

/// What a new laptop needs to become one of the team's: the store's identity and key, the
/// new member's own identity, what their slot trusts, the team log as it stands and a
/// bundle of everything, sealed to them.
struct JoinPackage {
    var storeID: String
    var schema: Int
    var dataKey: [UInt8]
    var user: User.ID
    var login: String
    var role: User.Role
    var identity: [UInt8]
    var trust: KeySlot.Trust
    var teamPayloads: [[UInt8]]
    var bundle: [UInt8]

    static let magic = Array("KITHJOIN".utf8)
    static let associated = Array("kith join v1".utf8)

    func encode() -> [UInt8] {
        var w = BinaryWriter(capacity: bundle.count + 4096)
        w.byte(1)
        w.string(storeID)
        w.int(schema)
        w.data(dataKey)
        w.string(user.raw)
        w.string(login)
        w.string(role.rawValue)
        w.data(identity)
        w.optionalString(trust.root)
        w.bool(trust.signedOnly)
        w.uvarint(UInt64(teamPayloads.count))
        for payload in teamPayloads { w.data(payload) }
        w.data(bundle)
        return w.bytes
    }

    static func decode(_ bytes: [UInt8]) throws -> JoinPackage {
        var r = BinaryReader(bytes)
        guard try r.byte() == 1 else { throw BinaryError.malformed("join version") }
        let package = JoinPackage(storeID: try r.string(), schema: try r.int(), dataKey: try r.data(), user: User.ID(try r.string()),
                                  login: try r.string(), role: User.Role(rawValue: try r.string()) ?? .worker, identity: try r.data(),
                                  trust: KeySlot.Trust(root: try r.optionalString(), signedOnly: try r.bool()),
                                  teamPayloads: try (0..<r.count()).map { _ in try r.data() }, bundle: try r.data())
        guard r.isAtEnd, package.dataKey.count == 32 else { throw BinaryError.malformed("join package") }
        return package
    }

    /// The join file: `KITHJOIN`, the derivation's parameters and salt, then the package
    /// sealed (AES-GCM) with a key derived from the one-time code by scrypt.
    func seal(code: String, kdf: KDFParameters) throws -> [UInt8] {
        var salt = [UInt8](repeating: 0, count: 16)
        var generator = SystemRandomNumberGenerator()
        for n in salt.indices { salt[n] = UInt8.random(in: 0...255, using: &generator) }
        let key = try KeySlot.derive(JoinPackage.normalized(code), salt: salt, kdf: kdf, raw: true)
        let box = try AES.GCM.seal(encode(), using: key, nonce: AES.GCM.Nonce(), authenticating: JoinPackage.associated)
        var w = BinaryWriter()
        w.raw(JoinPackage.magic)
        w.int(kdf.logN)
        w.int(kdf.r)
        w.int(kdf.p)
        w.data(salt)
        w.data(Array(box.combined!))
        return w.bytes
    }

    static func open(_ bytes: [UInt8], code: String) throws(StoreError) -> JoinPackage {
        guard bytes.starts(with: magic) else { throw .joinRefused(reason: "notAJoinFile") }
        var r = BinaryReader(Array(bytes.dropFirst(magic.count)))
        guard let logN = try? r.int(), let cost = try? r.int(), let parallel = try? r.int(), let salt = try? r.data(), let sealed = try? r.data(),
              r.isAtEnd, (10...20).contains(logN), (1...16).contains(cost), (1...4).contains(parallel), salt.count == 16 else {
            throw .joinRefused(reason: "damaged")
        }
        guard let key = try? KeySlot.derive(normalized(code), salt: salt, kdf: KDFParameters(logN: logN, r: cost, p: parallel), raw: true),
              let box = try? AES.GCM.SealedBox(combined: sealed),
              let plain = try? AES.GCM.open(box, using: key, authenticating: associated) else {
            throw .joinRefused(reason: "wrongCode")
        }
        guard let package = try? decode(Array(plain)) else { throw .joinRefused(reason: "damaged") }
        return package
    }

    /// The code as typed: case, spaces and dashes don't matter.
    static func normalized(_ code: String) -> String {
        String(code.uppercased().filter { $0.isLetter || $0.isNumber })
    }

    /// A one-time code of 20 Crockford base32 characters (100 bits), in groups of four.
    static func newCode() -> String {
        var generator = SystemRandomNumberGenerator()
        let raw = Base32.random(count: 20, using: &generator)
        return stride(from: 0, to: 20, by: 4).map { n in
            String(raw[raw.index(raw.startIndex, offsetBy: n)..<raw.index(raw.startIndex, offsetBy: n + 4)])
        }.joined(separator: "-")
    }
}

/// A join file and the one-time code that opens it (said to the new member in person or by
/// phone, never sent with the file).
public struct Invitation: Sendable {
    public var file: [UInt8]
    public var code: String
    public var user: User
}

extension Store {
    /// Invites someone to work on a laptop of their own (team leads and admins): a user
    /// record with a new identity, published by this user's signed entry, and a join file
    /// holding that identity, the store's key and everything the team holds — sealed with a
    /// one-time code. An existing user who doesn't unlock this laptop (invited before, the
    /// file lost) gets a new identity, as a reset gives. Audited.
    ///
    /// Without `caseload`, the file carries the team, its keys and registrations but no
    /// family's entries: the new laptop pulls those from the team's hub.
    public func invite(login: String, displayName: String, role: User.Role, team: Team.ID? = nil, caseload: Bool = true,
                       kdf: KDFParameters = .standard) throws(StoreError) -> Invitation {
        guard canManageUsers else { throw .notPermitted(action: "addUsers") }
        guard identity != nil else { throw .notPermitted(action: "exportBundle") }
        let slots = try Store.readSlots(layout, io)
        let newIdentity = Identity.generate()
        var person: User
        if let existing = users.values.first(where: { $0.login == login }) {
            guard existing.active, !slots.slots.contains(where: { $0.user == existing.id.raw }) else { throw .duplicateLogin(login: login) }
            guard existing.id != user.id, existing.role != .admin || user.role == .admin else { throw .notPermitted(action: "resetUsers") }
            person = existing
        } else {
            guard !slots.slots.contains(where: { $0.login == login }) else { throw .duplicateLogin(login: login) }
            person = User(id: .random(), login: login, displayName: displayName, role: role, team: team ?? user.team)
        }
        let replacing = person.signingKey != nil
        person.signingKey = newIdentity.publicKeys.signing
        person.agreementKey = newIdentity.publicKeys.agreement
        try saveTeamRecords([person])
        if replacing { _ = rotateKeys(awayFrom: person.id) }
        // Keys for what they may read (a team lead: the team's families) before the bundle.
        grantMissing()
        let (bundle, _) = try exportBundle(for: caseload ? .everything : .membership)
        let (team, _) = try teamLog.load(io: io, keyring: keyring) { path throws(StoreError) in try setAsideCopy(path) }
        let code = JoinPackage.newCode()
        let package = JoinPackage(storeID: manifest.storeID, schema: manifest.schema, dataKey: keyring.dataKey.withUnsafeBytes { Array($0) },
                                  user: person.id, login: person.login, role: person.role, identity: newIdentity.raw, trust: trust,
                                  teamPayloads: team, bundle: bundle)
        let file: [UInt8]
        do { file = try package.seal(code: code, kdf: kdf) } catch { throw .io(file: "join", operation: "deriveKey", reason: "scryptFailed") }
        try recordAudit(.inviteUser, target: person.ref.description, sync: true)
        return Invitation(file: file, code: code, user: person)
    }

    /// The login a join file is for, when `code` opens it (to ask for their passphrase by name).
    public static func invitedLogin(file: [UInt8], code: String) throws(StoreError) -> String {
        try JoinPackage.open(file, code: code).login
    }

    /// Makes this laptop's store from a join file: the code opens it, the new member sets
    /// their own passphrase, and everything the file carries is taken in as a bundle is.
    /// Returns the store, unlocked as them.
    public static func join(at root: String, file: [UInt8], code: String, passphrase: String, kdf: KDFParameters = .standard,
                            clock: StoreClock = .system, fileSystem: any FileSystem = PosixFileSystem.shared) throws(StoreError) -> Store {
        let package = try JoinPackage.open(file, code: code)
        try check(newPassphrase: passphrase, login: package.login)
        guard let identity = Identity(raw: package.identity) else { throw .joinRefused(reason: "damaged") }
        let layout = StoreLayout(root: root)
        let io = FileIO(root: layout.root, fileSystem: fileSystem)
        // Their slot names them as their record does (the record itself comes with the team log).
        let person = User(id: package.user, login: package.login, displayName: package.login, role: package.role, team: Team.ID(""))
        try writeNewStore(layout, io, storeID: package.storeID, device: Device.ID.random(), keyring: Keyring(dataKey: SymmetricKey(data: package.dataKey)),
                          user: person, identity: identity, trust: package.trust, passphrase: passphrase, kdf: kdf,
                          teamPayloads: package.teamPayloads, schema: package.schema, clock: clock)
        let store = try open(at: root, login: package.login, passphrase: passphrase, clock: clock, fileSystem: fileSystem)
        try store.recordAudit(.joinTeam, target: person.ref.description, sync: true)
        try store.importBundle(package.bundle, file: "join")
        return store
    }
}
