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
    public private(set) var manifest: Manifest
    public let device: Device.ID
    public private(set) var user: User
    public internal(set) var users: [User.ID: User] = [:]
    public internal(set) var teams: [Team.ID: Team] = [:]
    /// Problems found and handled while working (shown to the user, reported by check).
    public private(set) var problems: [StoreProblem] = []

    let io: FileIO
    let keyring: Keyring
    private let lock: StoreLock
    let clock: StoreClock
    var hlc: HLC
    var teamLog: MirroredLog
    var registryLog: MirroredLog
    /// Families the store holds (from the registry), with their team.
    var registry: [Family.ID: Team.ID] = [:]
    /// Registered families whose log is missing or unreadable, with what is wrong.
    var damaged: [Family.ID: String] = [:]
    var teamValues: [EntityRef: Value] = [:]
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
    /// Audit entries not written yet (saves; see `recordAudit`).
    var pendingAudit: [AuditEntry] = []
    /// The audit trail's witness as last read or written.
    var anchor = AuditAnchorState()
    /// An audit append failed and could not be taken back: re-read the head first.
    var auditNeedsReopen = false
    /// Ids for events: a fast generator seeded from the system's randomness once per session.
    var ids = SeededGenerator(seed: UInt64.random(in: 1...UInt64.max))

    public static let minimumPassphraseLength = 8
    /// How long deriving the key from the passphrase took at unlock (for the benchmark).
    public private(set) var keyDerivationMilliseconds: Double = 0

    public var policy: AccessPolicy { AccessPolicy(user: user) }
    public var team: Team? { teams[user.team] }

    init(layout: StoreLayout, manifest: Manifest, device: Device.ID, user: User, io: FileIO, keyring: Keyring,
         lock: StoreLock, clock: StoreClock, audit: AuditLog) {
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
    }

    deinit { close() }

    /// Flushes the index and releases the lock. Safe to call twice. When everything was
    /// written the store is marked as closed cleanly, so the next start can trust the index
    /// without looking at every family log.
    public func close() {
        let audited = (try? flushAudit(sync: true)) != nil
        if indexDirty { try? flushIndex() }
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

    static func readSlots(_ layout: StoreLayout, _ io: FileIO) throws(StoreError) -> KeySlots {
        let bytes = try io.readAll(layout.keys)
        guard let slots = try? JSONDecoder().decode(KeySlots.self, from: Data(bytes)) else { throw .corrupt(file: "keys.json", detail: "unreadable") }
        return slots
    }

    static func readManifest(_ layout: StoreLayout, _ io: FileIO) throws(StoreError) -> Manifest {
        guard io.exists(layout.manifest) else { throw .noStore(path: layout.root) }
        let bytes = try io.readAll(layout.manifest)
        guard let manifest = try? JSONDecoder().decode(Manifest.self, from: Data(bytes)), manifest.format == Manifest.formatName else {
            throw .foreign(file: "store.json")
        }
        return manifest
    }

    /// Opens and unlocks a store as `login`. A wrong passphrase changes nothing.
    public static func open(at root: String, login: String, passphrase: String, clock: StoreClock = .system,
                            fileSystem: any FileSystem = PosixFileSystem.shared) throws(StoreError) -> Store {
        let layout = StoreLayout(root: root)
        let io = FileIO(root: layout.root, fileSystem: fileSystem)
        var manifest = try readManifest(layout, io)
        guard manifest.schema <= Manifest.currentSchema else {
            throw .newerSchema(found: manifest.schema, supported: Manifest.currentSchema)
        }
        let slots = try readSlots(layout, io)
        guard let slot = slots.slots.first(where: { $0.login == login }) else { throw .unknownUser(login: login) }
        let keyring: Keyring
        let derivationStart = clockMilliseconds()
        do {
            guard let unwrapped = try slot.unwrap(passphrase: passphrase, storeID: manifest.storeID) else { throw StoreError.wrongPassphrase(login: login) }
            keyring = unwrapped
        } catch let error as StoreError {
            throw error
        } catch {
            throw .corrupt(file: "keys.json", detail: "key slot parameters")
        }
        let derivation = clockMilliseconds() - derivationStart
        let lock = try StoreLock.acquire(layout, io: io)
        for directory in [layout.root, layout.families, layout.drafts] { io.removeStaleTemporaries(in: directory) }
        let deviceBytes = (try? io.readAll(layout.device)) ?? []
        let device = Device.ID(String(decoding: deviceBytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        let anchorIsNew = manifest.schema < 3
        if manifest.schema < Manifest.currentSchema {
            try Migration.run(from: manifest.schema, layout: layout, io: io, keyring: keyring, storeID: manifest.storeID)
            manifest.schema = Manifest.currentSchema
            try writeManifest(manifest, layout, io)
        }
        let placeholder = User(id: User.ID(slot.user), login: login, displayName: login, role: User.Role(rawValue: slot.role) ?? .worker, team: Team.ID(""))
        let store = Store(layout: layout, manifest: manifest, device: device, user: placeholder, io: io, keyring: keyring,
                          lock: lock, clock: clock, audit: AuditLog(head: .init(), path: layout.audit, owner: manifest.storeID))
        store.keyDerivationMilliseconds = derivation
        try store.loadTeam()
        guard let me = store.users[placeholder.id] else { throw .corrupt(file: "team.log", detail: "no record for this user") }
        guard me.active else { throw .notPermitted(action: "unlock (user deactivated)") }
        store.user = me
        try store.loadRegistry()
        try store.loadIndex(cleanMarker: lock.previousMarker)
        try store.openAudit(anchorIsNew: anchorIsNew)
        try store.recordAudit(.unlock, target: "", sync: true)
        return store
    }

    static func writeManifest(_ manifest: Manifest, _ layout: StoreLayout, _ io: FileIO) throws(StoreError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard let data = try? encoder.encode(manifest) else { throw .io(file: "store.json", operation: "encode", reason: "") }
        try io.writeAtomically(layout.manifest, Array(data))
    }

    static func writeSlots(_ slots: KeySlots, _ layout: StoreLayout, _ io: FileIO) throws(StoreError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard let data = try? encoder.encode(slots) else { throw .io(file: "keys.json", operation: "encode", reason: "") }
        try io.writeAtomically(layout.keys, Array(data))
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
        guard passphrase.count >= minimumPassphraseLength else { throw .weakPassphrase(minimum: minimumPassphraseLength) }
        let layout = StoreLayout(root: root)
        let io = FileIO(root: layout.root, fileSystem: fileSystem)
        if io.exists(layout.manifest) { throw .alreadyExists(path: root) }
        let parent = FileIO.directory(of: layout.root)
        if !io.exists(layout.root) {
            guard io.exists(parent) else { throw .io(file: parent, operation: "create store", reason: "the folder above does not exist") }
            do { try io.makeDirectory(layout.root) } catch { throw StoreError.notWritable(path: root) }
        }
        guard io.canWrite(layout.root) else { throw .notWritable(path: root) }
        for directory in [layout.families, layout.drafts, layout.quarantine, layout.instruments] {
            try io.makeDirectory(directory)
        }
        // The new folders are entries of their parents: flush those too, or a power cut
        // soon after `init` could leave a store without its folders.
        try io.syncDirectory(parent)
        try io.syncDirectory(layout.root)
        var rng = SystemRandomNumberGenerator()
        let storeID = Base32.random(count: 16, using: &rng)
        let device = Device.ID.random()
        try io.writeAtomically(layout.device, Array("\(device.raw)\n".utf8))
        let keyring = Keyring.generate()
        let team = Team(id: teamID ?? .random(), name: teamName)
        let user = User(id: firstUser.id ?? .random(), login: firstUser.login, displayName: firstUser.displayName, role: firstUser.role, team: team.id)
        let slot: KeySlot
        do { slot = try KeySlot.make(user: user, keyring: keyring, passphrase: passphrase, kdf: kdf, storeID: storeID) } catch {
            throw .io(file: "keys.json", operation: "derive key", reason: "scrypt failed")
        }
        try writeSlots(KeySlots(version: 1, slots: [slot]), layout, io)
        let now = Int64(clock.now() * 1000)
        var hlc = HLC(wallMillis: now, counter: 0, device: device)
        var events: [Event] = []
        for record in [try? ValueEncoder().encode(team), try? ValueEncoder().encode(user)].compactMap({ $0 }) {
            let ref = events.isEmpty ? team.ref : user.ref
            events.append(Event(id: .random(), hlc: hlc, author: user.id, entity: ref, action: .create, changes: record.changes(from: nil)))
            hlc = hlc.next(physicalMillis: now)
        }
        var teamLog = MirroredLog(path: layout.teamLog, kind: .team, owner: storeID)
        try teamLog.create([Event.encodeBatch(events)], io: io, keyring: keyring)
        var registry = MirroredLog(path: layout.registry, kind: .registry, owner: storeID)
        try registry.create([], io: io, keyring: keyring)
        try AuditLog.create(path: layout.audit, owner: storeID, io: io)
        try io.createExclusive(layout.auditAnchor, FrameFile.header(kind: .auditAnchor, owner: storeID)
            + FrameFile.frame(AuditAnchorEntry(kind: .head, sequence: 0, mac: AuditLog.Head().mac).encoded(),
                              kind: .auditAnchor, owner: storeID, sequence: 0, keyring: keyring))
        let manifest = Manifest(format: Manifest.formatName, schema: Manifest.currentSchema, storeID: storeID, created: Day(secondsSince1970: clock.now()).iso)
        try writeManifest(manifest, layout, io)
        let store = try open(at: root, login: firstUser.login, passphrase: passphrase, clock: clock, fileSystem: fileSystem)
        try store.recordAudit(.createStore, target: "", sync: true)
        return store
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
