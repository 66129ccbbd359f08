import Crypto
import Foundation
import KithCore

/// Where time comes from (injected so tests and benchmarks are repeatable).
public struct StoreClock: Sendable {
    public var now: @Sendable () -> Double
    public init(now: @escaping @Sendable () -> Double) { self.now = now }
    public static let system = StoreClock { Date().timeIntervalSince1970 }
}

/// The local file store: encrypted, append-only, crash-safe.
///
/// One `Store` is one unlocked session of one user, holding the single-writer lock.
/// Every read of case data goes through the user's `AccessPolicy`; every save is
/// durable (fdatasync) before the call returns.
public final class Store {
    public let layout: StoreLayout
    public internal(set) var manifest: Manifest
    public let device: Device.ID
    public private(set) var user: User
    public internal(set) var users: [User.ID: User] = [:]
    public internal(set) var teams: [Team.ID: Team] = [:]
    /// Problems found and handled while working (shown to the user, reported by check).
    public private(set) var problems: [StoreProblem] = []

    let io: FileIO
    let keyring: Keyring
    /// The single-writer lock; nil for a store opened beside a running Kith.
    private let lock: StoreLock?
    /// Opened beside a running Kith (`open(beside: true)`): reads only, and records what
    /// must be recorded in its own outbox file (see Store+Outbox).
    public var isBeside: Bool { lock == nil }
    /// The outbox file of a store opened beside, with the descriptor holding its lock.
    var outboxFile: (path: String, lock: FileDescriptor, frames: Int)?
    let clock: StoreClock
    var hlc: HLC
    var teamLog: MirroredLog
    var registryLog: MirroredLog
    var grantsLog: MirroredLog
    /// Every key grant in the store, by family: who holds which epoch (nothing opened).
    var grants: [Family.ID: [KeyGrant]] = [:]
    /// Family keys this user has opened, by family and epoch.
    var familyKeys: [Family.ID: [Int: [HeldKey]]] = [:]
    /// Families the store holds (from the registry), with their team.
    var registry: [Family.ID: Team.ID] = [:]
    /// Registered families none of whose entries has reached this laptop yet (`RegistryEntry.Kind.awaited`).
    var awaited: Set<Family.ID> = []
    /// What the duplicate check knows of every family (from the registry; blinded).
    var matchIndex: [Family.ID: MatchKeys] = [:]
    /// What was written in the families this user may see, for full-text search (loaded
    /// or built at the first search), with each family's log size when its lines were read.
    var textIndex: TextIndex?
    var textSizes: [Family.ID: Int64] = [:]
    var textDirty = false
    /// Families removed under the retention rule: what is left of them.
    var removedFamilies: [Family.ID: Tombstone] = [:]
    /// Registered families whose log is missing or unreadable, with what is wrong.
    var damaged: [Family.ID: String] = [:]
    /// Families whose damaged entries were set aside, not yet accepted: how many.
    var entriesSetAside: [Family.ID: Int] = [:]
    /// Families whose log was found shorter than acknowledged, not yet accepted: entries lost.
    var entriesLost: [Family.ID: Int] = [:]
    var teamValues: [EntityRef: Value] = [:]
    /// Users deactivated, with the clock reading of the team-log entry that did it.
    var deactivatedAt: [User.ID: HLC] = [:]
    /// Unsigned team-log entries are still taken (a store from before identities whose
    /// history no signed checkpoint has closed yet).
    var unsignedTeamEntries = false
    /// The team log's entries so far and the SHA-256 of their bytes (see `closeUnsignedHistory`).
    var teamEntries = 0
    var teamDigest = SHA256()
    /// Signing keys users had before a reset, each with the clock reading it was replaced at.
    var formerSigningKeys: [User.ID: [(key: String, until: HLC)]] = [:]
    var index: [Family.ID: IndexEntry] = [:]
    /// Families saved since their caseload row was computed: rows are derived data, so
    /// they are brought up to date when read, not inside the save.
    var staleRows: Set<Family.ID> = []
    var indexDirty = false
    /// The authentication tag of the index file as last read or written: it names that
    /// exact file in the clean-close marker.
    var indexTag: [UInt8]?
    var cache: [Family.ID: CachedCase] = [:]
    var cacheOrder: [Family.ID] = []
    var audit: AuditLog
    var auditHeadFromIndex: AuditLog.Head?
    var draftFrames: [Draft.ID: Int] = [:]
    /// Damaged draft journals already copied to quarantine/ this session.
    var draftsCopied: Set<String> = []
    /// Audit entries not written yet (saves; see `recordAudit`).
    var pendingAudit: [AuditEntry] = []
    /// The audit trail's witness as last read or written.
    var anchor = AuditAnchorState()
    /// An audit append failed and could not be taken back: re-read the head first.
    var auditNeedsReopen = false
    /// Durable heads of the audit trail handed to the hub this session, each a point of
    /// the chain this process holds (so proving one needs no reading of the trail).
    var auditPointsSent: [Int: [UInt8]] = [:]
    /// Ids for events and outbox files, from the system's randomness.
    let ids = IDSource.system()
    /// The signed-in user's keys (nil only for a store from before identities opened
    /// beside a running Kith, whose slot is made anew at the next unlock).
    var identity: Identity?
    /// What this user's slot trusts: the founding key, and whether every entry is signed.
    var trust = KeySlot.Trust(root: nil, signedOnly: false)

    public static let minimumPassphraseLength = PassphrasePolicy.minimumLength

    /// Throws when a new passphrase would be refused, saying why.
    public static func check(newPassphrase passphrase: String, login: String) throws(StoreError) {
        switch PassphrasePolicy.problem(passphrase, login: login) {
        case nil: return
        case .tooShort?: throw .weakPassphrase(minimum: minimumPassphraseLength)
        case let problem?: throw .guessablePassphrase(reason: problem.rawValue)
        }
    }
    /// Wrong passphrases typed for this user since their last unlock (they are told).
    public private(set) var failedAttempts = 0
    /// How long deriving the key from the passphrase took at unlock (for the benchmark).
    public private(set) var keyDerivationMilliseconds: Double = 0

    public var policy: AccessPolicy { AccessPolicy(user: user) }
    public var team: Team? { teams[user.team] }

    init(layout: StoreLayout, manifest: Manifest, device: Device.ID, user: User, io: FileIO, keyring: Keyring,
         lock: StoreLock?, clock: StoreClock, audit: AuditLog) {
        self.layout = layout
        self.manifest = manifest
        self.device = device
        self.user = user
        self.io = io
        self.keyring = keyring
        self.lock = lock
        self.clock = clock
        self.audit = audit
        hlc = HLC(wallMillis: 0, counter: 0, device: device)
        teamLog = MirroredLog(path: layout.teamLog, kind: .team, owner: manifest.storeID)
        registryLog = MirroredLog(path: layout.registry, kind: .registry, owner: manifest.storeID)
        grantsLog = MirroredLog(path: layout.grants, kind: .grants, owner: manifest.storeID)
    }

    deinit { close() }

    /// Flushes the index and releases the lock. Safe to call twice. When everything was
    /// written the store is marked as closed cleanly, so the next start can trust the index
    /// without looking at every family log.
    public func close() {
        guard let lock else {
            closeOutbox()
            return
        }
        try? ingestOutbox()
        let audited = (try? flushAudit(sync: true)) != nil
        if indexDirty { try? flushIndex() } else if textDirty { try? writeTextIndex() }
        if audited && !indexDirty && pendingAudit.isEmpty, let indexTag { lock.markClosedCleanly(indexTag: indexTag) }
        lock.release()
    }

    // MARK: - Opening

    /// Whether a store exists at `root`.
    public static func exists(at root: String, fileSystem: any FileSystem = PosixFileSystem.shared) -> Bool {
        FileIO(root: root, fileSystem: fileSystem).exists(StoreLayout(root: root).manifest)
    }

    /// The users who can unlock the store (logins and roles only; nothing is decrypted).
    public static func userSlots(at root: String, fileSystem: any FileSystem = PosixFileSystem.shared) throws(StoreError) -> [UserSlotInfo] {
        let layout = StoreLayout(root: root)
        let io = FileIO(root: layout.root, fileSystem: fileSystem)
        guard io.exists(layout.manifest) else { throw .noStore(path: root) }
        return try readSlots(layout, io).slots.map { UserSlotInfo(login: $0.login, role: User.Role(rawValue: $0.role)) }
    }

    /// The key slots from `keys.json`, or its second copy when that one can't be read.
    static func readSlots(_ layout: StoreLayout, _ io: FileIO) throws(StoreError) -> KeySlots {
        let copies = readCopies(layout.keys, io, as: KeySlots.self)
        guard let slots = copies.primary ?? copies.second else { throw .corrupt(file: "keys.json", detail: "both copies unreadable") }
        return slots
    }

    static func readManifest(_ layout: StoreLayout, _ io: FileIO) throws(StoreError) -> Manifest {
        guard io.exists(layout.manifest) || io.exists(layout.manifest + ".2") else { throw .noStore(path: layout.root) }
        let copies = readCopies(layout.manifest, io, as: Manifest.self)
        guard let manifest = [copies.primary, copies.second].compactMap({ $0 }).first(where: { $0.format == Manifest.formatName }) else {
            throw .foreign(file: "store.json")
        }
        return manifest
    }

    /// A small JSON file kept as two copies (`NAME` and `NAME.2`), each decoded if it can be.
    static func readCopies<T: Decodable>(_ path: String, _ io: FileIO, as type: T.Type) -> (primary: T?, second: T?) {
        func decode(_ path: String) -> T? {
            guard let bytes = try? io.readAll(path) else { return nil }
            return try? JSONDecoder().decode(T.self, from: Data(bytes))
        }
        return (decode(path), decode(path + ".2"))
    }

    /// Writes both copies of a small JSON file, each atomically and durably.
    static func writeCopies<T: Encodable>(_ value: T, _ path: String, _ io: FileIO) throws(StoreError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard let data = try? encoder.encode(value) else { throw .io(file: io.relative(path), operation: "encode", reason: "unknown") }
        try io.writeAtomically(path, Array(data))
        try io.writeAtomically(path + ".2", Array(data))
    }

    /// Unwraps the data key with whichever copy of the user's slot is intact. A slot whose
    /// checksum fails is damaged, not a wrong passphrase: the message must say which.
    static func unlock(login: String, passphrase: String, layout: StoreLayout, io: FileIO, storeID: String) throws(StoreError) -> (KeySlot.Unwrapped, KeySlot) {
        let copies = readCopies(layout.keys, io, as: KeySlots.self)
        let candidates = [copies.primary, copies.second].compactMap { $0?.slots.first { $0.login == login } }
        guard !candidates.isEmpty else {
            if copies.primary == nil && copies.second == nil { throw .corrupt(file: "keys.json", detail: "both copies unreadable") }
            throw .unknownUser(login: login)
        }
        var tried: Set<KeySlot> = []
        var intactRefused = false
        for slot in candidates where !tried.contains(slot) {
            tried.insert(slot)
            guard slot.isIntact else { continue }
            do {
                if let unwrapped = try slot.unwrap(passphrase: passphrase, storeID: storeID) { return (unwrapped, slot) }
                intactRefused = true
            } catch {
                continue        // parameters out of range, or the identity changed: damaged
            }
        }
        if intactRefused { throw .wrongPassphrase(login: login) }
        throw .keySlotDamaged(login: login)
    }

    /// Whether `passphrase` is the signed-in user's (the idle lock). Nothing is changed.
    public func confirms(passphrase: String) -> Bool {
        guard let slots = try? Store.readSlots(layout, io), let slot = slots.slots.first(where: { $0.user == user.id.raw }) else { return false }
        return (try? slot.unwrap(passphrase: passphrase, storeID: manifest.storeID)) != nil
    }

    /// At unlock, the only moment the passphrase is at hand, a slot is made again when it
    /// holds no identity yet (a store from before identities: one is made, and its public
    /// keys published in the user's record) or was wrapped with less than today's scrypt
    /// cost (slots made for tests, N = 2^10, keep theirs). Best effort: failing leaves the
    /// old slot, which still opens.
    func upgradeSlot(_ slot: KeySlot, passphrase: String) {
        let standard = KDFParameters.standard
        let weak = slot.kdf.logN < standard.logN && slot.kdf.logN > KDFParameters.fastForTests.logN
        guard weak || identity == nil,
              var slots = try? Store.readSlots(layout, io), let index = slots.slots.firstIndex(where: { $0.user == slot.user }) else { return }
        let identity = self.identity ?? Identity.generate()
        guard let remade = try? KeySlot.make(user: user, keyring: keyring, identity: identity, trust: trust, passphrase: passphrase,
                                             kdf: weak ? standard : slot.kdf, storeID: manifest.storeID) else { return }
        slots.slots[index] = remade
        guard (try? Store.writeSlots(slots, layout, io)) != nil else { return }
        self.identity = identity
    }

    /// Publishes this user's public keys in their record when it lacks them (a store from
    /// before identities; the first entry they sign is this one).
    func publishKeys() throws(StoreError) {
        guard let keys = identity?.publicKeys, user.signingKey != keys.signing || user.agreementKey != keys.agreement else { return }
        var me = user
        me.signingKey = keys.signing
        me.agreementKey = keys.agreement
        try saveTeamRecords([me])
        user = me
    }

    /// After unlocking: both copies of `keys.json` and `store.json` are made whole again
    /// from the intact one (slot by slot for the keys). A copy that was unreadable or held
    /// a damaged slot is reported; one that was only behind (a change interrupted between
    /// writing the first copy and the second, the first being written first) is caught up.
    func repairCopies() throws(StoreError) {
        let keys = Store.readCopies(layout.keys, io, as: KeySlots.self)
        var merged: [KeySlot] = []
        for source in [keys.primary, keys.second].compactMap({ $0 }) {
            for slot in source.slots {
                if let at = merged.firstIndex(where: { $0.user == slot.user }) {
                    if !merged[at].isIntact && slot.isIntact { merged[at] = slot }
                } else {
                    merged.append(slot)
                }
            }
        }
        let whole = KeySlots(version: 1, slots: merged)
        for (copy, name) in [(keys.primary, "keys.json"), (keys.second, "keys.json.2")]
            where copy == nil || copy?.slots.contains(where: { !$0.isIntact }) == true {
            note(StoreProblem(.copyRepaired, file: name))
        }
        if keys.primary != whole || keys.second != whole { try Store.writeCopies(whole, layout.keys, io) }
        let manifests = Store.readCopies(layout.manifest, io, as: Manifest.self)
        for (copy, name) in [(manifests.primary, "store.json"), (manifests.second, "store.json.2")] where copy == nil {
            note(StoreProblem(.copyRepaired, file: name))
        }
        if manifests.primary != manifest || manifests.second != manifest { try Store.writeCopies(manifest, layout.manifest, io) }
    }

    /// Opens and unlocks a store as `login`. A wrong passphrase changes nothing.
    ///
    /// `beside`: for commands that only read (`kith print`, `kith user list`) while Kith has
    /// the store open. No lock is taken and nothing in the store is written or repaired;
    /// the unlock, views and printouts are recorded durably in an outbox file of this
    /// session's, taken into the audit trail and the family logs by the next session that
    /// holds the lock (the running Kith when it closes, or whichever opens next).
    public static func open(at root: String, login: String, passphrase: String, clock: StoreClock = .system,
                            fileSystem: any FileSystem = PosixFileSystem.shared, beside: Bool = false) throws(StoreError) -> Store {
        let layout = StoreLayout(root: root)
        let io = FileIO(root: layout.root, fileSystem: beside ? ReadOnlyFileSystem(fileSystem, writable: layout.outbox) : fileSystem)
        var manifest = try readManifest(layout, io)
        guard manifest.schema <= Manifest.currentSchema else {
            throw .newerSchema(found: manifest.schema, supported: Manifest.currentSchema)
        }
        let attempts = FailedAttempts(path: layout.attempts, io: io)
        let failedBefore = attempts.count(login)
        let wait = FailedAttempts.delay(after: failedBefore)
        if wait > 0 { Thread.sleep(forTimeInterval: wait) }
        let derivationStart = clockMilliseconds()
        let (unwrapped, slot): (KeySlot.Unwrapped, KeySlot)
        do {
            (unwrapped, slot) = try unlock(login: login, passphrase: passphrase, layout: layout, io: io, storeID: manifest.storeID)
        } catch {
            if case .wrongPassphrase = error { attempts.record(login) }
            throw error
        }
        let keyring = unwrapped.keyring
        let derivation = clockMilliseconds() - derivationStart
        let lock = beside ? nil : try StoreLock.acquire(layout, io: io)
        if !beside { for directory in [layout.root, layout.families, layout.drafts] { io.removeStaleTemporaries(in: directory) } }
        let deviceBytes = (try? io.readAll(layout.device)) ?? []
        let device = Device.ID(String(decoding: deviceBytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        let anchorIsNew = manifest.schema < 3
        if manifest.schema < Manifest.currentSchema {
            // Only the session holding the lock may migrate.
            if beside { throw .locked(path: layout.root, pid: StoreLock.holder(layout, io: io)) }
            if manifest.schema < Migration.lastFileSchema {
                try Migration.run(from: manifest.schema, layout: layout, io: io, keyring: keyring, storeID: manifest.storeID)
                manifest.schema = Migration.lastFileSchema
                try writeManifest(manifest, layout, io)
            }
        }
        let placeholder = User(id: User.ID(slot.user), login: login, displayName: login, role: User.Role(rawValue: slot.role) ?? .worker, team: Team.ID(""))
        let store = Store(layout: layout, manifest: manifest, device: device, user: placeholder, io: io, keyring: keyring,
                          lock: lock, clock: clock, audit: AuditLog(head: .init(), path: layout.audit, owner: manifest.storeID))
        store.keyDerivationMilliseconds = derivation
        store.failedAttempts = failedBefore
        if failedBefore > 0 && !beside { attempts.clear(login) }
        store.identity = unwrapped.identity
        store.trust = slot.trust
        if !beside { try store.repairCopies() }
        try store.loadTeam()
        guard let me = store.users[placeholder.id] else { throw .corrupt(file: "team.log", detail: "no record for this user") }
        guard me.active else { throw .notPermitted(action: "unlockDeactivated") }
        store.user = me
        if !beside {
            store.upgradeSlot(slot, passphrase: passphrase)
            // Unpublished, the key would sign entries nobody else could check: until it is
            // published (tried again at each unlock) this session writes as before.
            if StoreError.capture({ () throws(StoreError) in try store.publishKeys() }) != nil { store.identity = nil }
            store.closeUnsignedHistory()
        }
        try store.loadRegistry()
        try store.loadGrants()
        if store.manifest.schema < Manifest.currentSchema { try store.migrateToFamilyKeys() }
        try store.loadIndex(cleanMarker: lock?.previousMarker ?? "")
        store.grantMissing()
        store.resealOwnDrafts()
        if !beside { try store.openAudit(anchorIsNew: anchorIsNew) }
        try store.recordAudit(.unlock, target: "", sync: true)
        if !beside {
            store.ingestOutboxReporting()
        }
        return store
    }

    static func writeManifest(_ manifest: Manifest, _ layout: StoreLayout, _ io: FileIO) throws(StoreError) {
        try writeCopies(manifest, layout.manifest, io)
    }

    static func writeSlots(_ slots: KeySlots, _ layout: StoreLayout, _ io: FileIO) throws(StoreError) {
        try writeCopies(slots, layout.keys, io)
    }

    // MARK: - Creating

    /// The first user of a new store.
    public struct NewUser: Sendable {
        public var login: String
        public var displayName: String
        public var role: User.Role
        /// A fixed id (deterministic demo stores); nil for a random one.
        public var id: User.ID?
        public init(login: String, displayName: String, role: User.Role, id: User.ID? = nil) {
            self.login = login
            self.displayName = displayName
            self.role = role
            self.id = id
        }
    }

    /// Creates a store with one team and its first user, then opens it.
    public static func create(at root: String, teamName: String, teamID: Team.ID? = nil, firstUser: NewUser, passphrase: String,
                              kdf: KDFParameters = .standard, clock: StoreClock = .system,
                              fileSystem: any FileSystem = PosixFileSystem.shared) throws(StoreError) -> Store {
        try check(newPassphrase: passphrase, login: firstUser.login)
        let layout = StoreLayout(root: root)
        let io = FileIO(root: layout.root, fileSystem: fileSystem)
        var rng = SystemRandomNumberGenerator()
        let storeID = Base32.random(count: 16, using: &rng)
        let device = Device.ID.random()
        let keyring = Keyring.generate()
        let team = Team(id: teamID ?? .random(), name: teamName)
        var user = User(id: firstUser.id ?? .random(), login: firstUser.login, displayName: firstUser.displayName, role: firstUser.role, team: team.id)
        // The founder's identity signs the founding entry; every slot pins its key.
        let identity = Identity.generate()
        user.signingKey = identity.publicKeys.signing
        user.agreementKey = identity.publicKeys.agreement
        let now = Int64(clock.now() * 1000)
        var hlc = HLC(wallMillis: now, counter: 0, device: device)
        var events: [Event] = []
        for record in [try? ValueEncoder().encode(team), try? ValueEncoder().encode(user)].compactMap({ $0 }) {
            let ref = events.isEmpty ? team.ref : user.ref
            events.append(Event(id: .random(), hlc: hlc, author: user.id, entity: ref, action: .create, changes: record.changes(from: nil)))
            hlc = hlc.next(physicalMillis: now)
        }
        try writeNewStore(layout, io, storeID: storeID, device: device, keyring: keyring, user: user, identity: identity,
                          trust: KeySlot.Trust(root: identity.publicKeys.signing, signedOnly: true), passphrase: passphrase, kdf: kdf,
                          teamPayloads: [SignedBatch.seal(events, owner: Store.teamLogOwner, signer: user.id, identity: identity)],
                          schema: Manifest.currentSchema, clock: clock)
        let store = try open(at: root, login: firstUser.login, passphrase: passphrase, clock: clock, fileSystem: fileSystem)
        try store.recordAudit(.createStore, target: "", sync: true)
        return store
    }

    /// Writes a new store's files: folders, this laptop's device id, the user's key slot,
    /// the team log as given, empty registry and grants, the audit trail and its witness,
    /// and the manifest last (a folder without it is no store, and can be made again).
    static func writeNewStore(_ layout: StoreLayout, _ io: FileIO, storeID: String, device: Device.ID, keyring: Keyring, user: User,
                              identity: Identity, trust: KeySlot.Trust, passphrase: String, kdf: KDFParameters, teamPayloads: [[UInt8]],
                              schema: Int, clock: StoreClock) throws(StoreError) {
        if io.exists(layout.manifest) { throw .alreadyExists(path: layout.root) }
        let parent = FileIO.directory(of: layout.root)
        if !io.exists(layout.root) {
            guard io.exists(parent) else { throw .io(file: parent, operation: "createStore", reason: "parentMissing") }
            do { try io.makeDirectory(layout.root) } catch { throw StoreError.notWritable(path: layout.root) }
        }
        guard io.canWrite(layout.root) else { throw .notWritable(path: layout.root) }
        for directory in [layout.families, layout.drafts, layout.quarantine, layout.instruments] {
            try io.makeDirectory(directory)
        }
        // The new folders are entries of their parents: flush those too, or a power cut
        // soon after `init` could leave a store without its folders.
        try io.syncDirectory(parent)
        try io.syncDirectory(layout.root)
        try io.writeAtomically(layout.device, Array("\(device.raw)\n".utf8))
        let slot: KeySlot
        do {
            slot = try KeySlot.make(user: user, keyring: keyring, identity: identity, trust: trust, passphrase: passphrase, kdf: kdf, storeID: storeID)
        } catch {
            throw .io(file: "keys.json", operation: "deriveKey", reason: "scryptFailed")
        }
        try writeSlots(KeySlots(version: 1, slots: [slot]), layout, io)
        var teamLog = MirroredLog(path: layout.teamLog, kind: .team, owner: storeID)
        try teamLog.create(teamPayloads, io: io, keyring: keyring)
        var registry = MirroredLog(path: layout.registry, kind: .registry, owner: storeID)
        try registry.create([], io: io, keyring: keyring)
        try AuditLog.create(path: layout.audit, owner: storeID, io: io)
        try io.createExclusive(layout.auditAnchor, FrameFile.header(kind: .auditAnchor, owner: storeID)
            + FrameFile.frame(AuditAnchorEntry(kind: .head, sequence: 0, mac: AuditLog.Head().mac).encoded(),
                              kind: .auditAnchor, owner: storeID, sequence: 0, keyring: keyring))
        let manifest = Manifest(format: Manifest.formatName, schema: schema, storeID: storeID, created: Day(secondsSince1970: clock.now()).iso)
        try writeManifest(manifest, layout, io)
    }

    // MARK: - Clock

    /// The next clock reading for an event made now.
    func tick() -> HLC {
        hlc = hlc.next(physicalMillis: Int64(clock.now() * 1000))
        return hlc
    }

    func observe(_ reading: HLC) {
        if reading > hlc { hlc = HLC(wallMillis: reading.wallMillis, counter: reading.counter, device: device) }
    }

    func note(_ problem: StoreProblem) {
        if !problems.contains(problem) { problems.append(problem) }
    }

    /// Forgets problems already shown to the user.
    public func clearProblems() { problems.removeAll() }
}

/// Monotonic milliseconds, for timing the passphrase derivation.
func clockMilliseconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) * 1000 + Double(time.tv_nsec) / 1_000_000
}
