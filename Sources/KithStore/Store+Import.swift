import Crypto
import KithCore

/// Records made by one person at one time, for bulk creation (synthetic demo stores,
/// imports): each becomes one frame of the family's log with that author and time.
public struct ImportedChange: Sendable {
    public var author: User.ID
    public var atSeconds: Double
    public var records: [any FamilyScoped]

    public init(author: User.ID, atSeconds: Double, records: [any FamilyScoped]) {
        self.author = author
        self.atSeconds = atSeconds
        self.records = records
    }
}

extension Store {
    /// Creates many families at once. Files are written without one flush each; one
    /// filesystem flush and the index write at the end make the whole import durable
    /// before this returns (10,000 flushes would take many seconds for nothing).
    ///
    /// Each change is signed by its author: with `signers`' identity for them, or this
    /// user's own.
    package func bulkImport(_ families: [(id: Family.ID, changes: [ImportedChange])], signers: [User.ID: Identity] = [:]) throws(StoreError) {
        guard canManageUsers else { throw .notPermitted(action: "importFamilies") }
        let encoder = ValueEncoder()
        var newGrants: [KeyGrant] = []
        var familyTeams: [Family.ID: Team.ID] = [:]
        var matchEntries: [RegistryEntry] = []
        for (id, changes) in families {
            let path = layout.family(id.raw)
            guard !io.exists(path) else { throw .alreadyExists(path: "families/\(id.raw).log") }
            var values: [EntityRef: Value] = [:]
            var all: [Event] = []
            var batches: [[UInt8]] = []
            for change in changes {
                var clock = HLC(wallMillis: Int64(change.atSeconds * 1000), counter: 0, device: device)
                var events: [Event] = []
                for record in change.records {
                    guard let new = try? encoder.encode(record) else { continue }
                    let old = values[record.ref]
                    let fieldChanges = new.changes(from: old)
                    if fieldChanges.isEmpty { continue }
                    events.append(Event(id: .random(), hlc: clock, author: change.author, entity: record.ref,
                                        action: old == nil ? .create : .update, changes: fieldChanges))
                    values[record.ref] = new
                    clock = clock.next(physicalMillis: clock.wallMillis)
                }
                batches.append(signers[change.author].map { SignedBatch.seal(events, owner: id.raw, signer: change.author, identity: $0) }
                    ?? sealBatch(events, owner: id.raw))
                all += events
                if let last = events.last { observe(last.hlc) }
            }
            guard let file = CaseFile(events: all) else { continue }
            var key: SymmetricKey?
            if familyKeysOn {
                let first = firstKey(for: file.family)
                newGrants += first.grants
                key = first.key
                if !policy.canSee(file.family) { familyKeys[id] = nil }
            }
            var bytes = FrameFile.header(kind: .family, owner: id.raw)
            for (n, batch) in batches.enumerated() {
                let payload = key.map { FamilyEntry.seal(batch, key: $0, epoch: 0, family: id, storeID: manifest.storeID) } ?? batch
                bytes += FrameFile.frame(payload, kind: .family, owner: id.raw, sequence: n, keyring: keyring)
            }
            try io.createExclusive(path, bytes, sync: false)
            familyTeams[id] = file.family.team
            if let entry = matchEntry(for: file) { matchEntries.append(entry) }
            // This user's index holds only what they may read.
            if !familyKeysOn || policy.canSee(file.family) {
                index[id] = IndexEntry(row: CaseloadRow(file), logSize: Int64(bytes.count), frames: changes.count)
            }
        }
        indexDirty = true
        try appendGrants(newGrants)
        try io.syncFilesystem(layout.root)
        try register(families.map { family in
            RegistryEntry(kind: .registered, family: family.id, team: familyTeams[family.id] ?? user.team)
        } + matchEntries)
        try flushIndex()
    }
}
