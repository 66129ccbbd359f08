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
        for (id, changes) in families {
            let path = layout.family(id.raw)
            guard !io.exists(path) else { throw .alreadyExists(path: "families/\(id.raw).log") }
            var bytes = FrameFile.header(kind: .family, owner: id.raw)
            var values: [EntityRef: Value] = [:]
            var all: [Event] = []
            for (n, change) in changes.enumerated() {
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
                let payload = signers[change.author].map { SignedBatch.seal(events, owner: id.raw, signer: change.author, identity: $0) }
                    ?? sealBatch(events, owner: id.raw)
                bytes += FrameFile.frame(payload, kind: .family, owner: id.raw, sequence: n, keyring: keyring)
                all += events
                if let last = events.last { observe(last.hlc) }
            }
            try io.createExclusive(path, bytes, sync: false)
            guard let file = CaseFile(events: all) else { continue }
            index[id] = IndexEntry(row: CaseloadRow(file), logSize: Int64(bytes.count), frames: changes.count)
        }
        indexDirty = true
        try io.syncFilesystem(layout.root)
        try register(families.map { family in
            RegistryEntry(kind: .registered, family: family.id, team: index[family.id]?.row.team ?? user.team)
        })
        try flushIndex()
    }
}
