import KithCore

/// One family in the index: its caseload row and how long its log was when the row was made.
struct IndexEntry: Hashable {
    var row: CaseloadRow
    var logSize: Int64
    var frames: Int
}

extension Store {
    /// Raised whenever what a caseload row holds changes meaning, so older indexes are
    /// rebuilt from the logs. 2: contact counts every record of meeting the family, and
    /// rows carry members' names as written (to say why a search found a family). 3: rows
    /// carry the family's actions ("my actions" reads no case file).
    static let indexVersion: UInt8 = 3

    var recordedAuditHead: AuditLog.Head? {
        get { auditHeadFromIndex }
        set { auditHeadFromIndex = newValue }
    }

    /// Loads the index and brings it up to date with the family logs.
    ///
    /// After a clean close (`trusted`) the index's sizes are the logs' sizes, so only the
    /// names in `families/` are compared (one directory read, no file touched). After a
    /// crash every log's size is compared: one that grew is read again, one shorter than
    /// recorded is reported (acknowledged entries may be missing). Either way a family the
    /// registry holds without a readable log stays on the caseload, marked damaged.
    func loadIndex(cleanMarker: String = "") throws(StoreError) {
        index = [:]
        var rebuiltAll = false
        var trusted = false
        if io.exists(layout.index) {
            let bytes = try io.readAll(layout.index)
            indexTag = Array(bytes.suffix(16))
            trusted = cleanMarker == StoreLock.closedMarker(indexTag: indexTag ?? [])
            if let contents = try? FrameFile.read(bytes, kind: .index, owner: manifest.storeID, keyring: keyring),
               let payload = contents.payloads.first, !contents.isDamaged, !contents.legacy,
               let parsed = try? parseIndex(payload) {
                index = parsed
            } else if let contents = try? FrameFile.read(bytes, kind: .index, owner: manifest.storeID, keyring: keyring),
                      contents.payloads.first?.first.map({ $0 < Store.indexVersion }) == true {
                // Written by an older Kith whose rows meant less (e.g. contact counted only
                // notes): made again from the logs, which is not damage.
                rebuiltAll = true
            } else {
                try setAside(layout.index)
                note(StoreProblem(.indexRebuilt, file: "index.bin", detail: "unreadable index set aside"))
                rebuiltAll = true
            }
        } else if !io.list(layout.families).isEmpty {
            note(StoreProblem(.indexRebuilt, file: "index.bin", detail: "missing"))
            rebuiltAll = true
        }
        if trusted && !rebuiltAll { try reconcileNames() } else { try reconcileIndex() }
        try reconcileRegistry()
        if rebuiltAll { indexDirty = true }
    }

    private func parseIndex(_ payload: [UInt8]) throws -> [Family.ID: IndexEntry] {
        var r = BinaryReader(payload)
        guard try r.byte() == Store.indexVersion, try r.string() == manifest.storeID else { throw BinaryError.malformed("index header") }
        let wall = try r.varint(), counter = try r.uvarint()
        observe(HLC(wallMillis: wall, counter: UInt32(truncatingIfNeeded: counter), device: device))
        let mac = try r.data()
        let sequence = try r.int(), frames = try r.int(), length = try r.varint()
        recordedAuditHead = AuditLog.Head(mac: mac, sequence: sequence, frames: frames, length: length)
        let count = try r.count()
        var result: [Family.ID: IndexEntry] = [:]
        result.reserveCapacity(count)
        for _ in 0..<count {
            let row = try CaseloadRow(from: &r)
            let size = try r.varint()
            let frames = try r.int()
            result[row.familyID] = IndexEntry(row: row, logSize: size, frames: frames)
        }
        return result
    }

    private func reconcileIndex() throws(StoreError) {
        var seen: Set<Family.ID> = []
        seen.reserveCapacity(index.count)
        for (name, size) in io.sizes(in: layout.families, suffix: ".log") {
            let id = Family.ID(String(name))
            seen.insert(id)
            if let entry = index[id], entry.logSize == size { continue }
            reread(id)   // reports a log shorter than the index recorded
        }
        for id in index.keys where !seen.contains(id) { markDamaged(id, "missing") }
    }

    /// After a clean close: only which logs exist is compared with the index.
    private func reconcileNames() throws(StoreError) {
        var seen: Set<Family.ID> = []
        seen.reserveCapacity(index.count)
        for name in io.fs.names(in: layout.families) ?? [] where name.hasSuffix(".log") && !name.hasPrefix(".") {
            let id = Family.ID(String(name.dropLast(4)))
            seen.insert(id)
            if index[id] == nil { reread(id) }
        }
        for id in index.keys where !seen.contains(id) { markDamaged(id, "missing") }
    }

    /// Reads one log again for its row; an unreadable one is marked damaged.
    private func reread(_ id: Family.ID) {
        do {
            let cached = try readFamily(id)
            index[id] = IndexEntry(row: CaseloadRow(cached.file), logSize: cached.size, frames: cached.frames)
            damaged[id] = nil
        } catch {
            markDamaged(id, "unreadable")
        }
        indexDirty = true
    }

    /// Every registered family is in the index (a damaged row if its log is gone), and every
    /// log in the index is registered (a crash between creating a log and registering it).
    private func reconcileRegistry() throws(StoreError) {
        for (id, _) in registry where index[id] == nil { markDamaged(id, "missing") }
        // Beside a running Kith a log may be newer than the registry read a moment ago: its
        // writer registers it.
        if isBeside { return }
        var unregistered: [RegistryEntry] = []
        for (id, entry) in index where registry[id] == nil && damaged[id] == nil {
            unregistered.append(RegistryEntry(kind: .registered, family: id, team: entry.row.team))
        }
        for id in index.keys where registry[id] == nil && damaged[id] != nil {
            // Neither registered nor readable: nothing acknowledged depends on it.
            index[id] = nil
            damaged[id] = nil
            indexDirty = true
        }
        try register(unregistered.sorted { $0.family < $1.family })
    }

    /// Writes the index atomically (temp file, fsync, rename, directory fsync).
    public func flushIndex() throws(StoreError) {
        refreshStaleRows()
        try flushAudit(sync: true)
        var w = BinaryWriter(capacity: 256 * index.count + 128)
        w.byte(Store.indexVersion)
        w.string(manifest.storeID)
        w.varint(hlc.wallMillis)
        w.uvarint(UInt64(hlc.counter))
        w.data(audit.head.mac)
        w.int(audit.head.sequence)
        w.int(audit.head.frames)
        w.varint(audit.head.length)
        w.uvarint(UInt64(index.count))
        for id in index.keys.sorted() {
            let entry = index[id]!
            entry.row.write(to: &w)
            w.varint(entry.logSize)
            w.int(entry.frames)
        }
        let bytes = FrameFile.header(kind: .index, owner: manifest.storeID)
            + FrameFile.frame(w.bytes, kind: .index, owner: manifest.storeID, sequence: 0, keyring: keyring)
        try io.writeAtomically(layout.index, bytes)
        indexTag = Array(bytes.suffix(16))
        indexDirty = false
    }

    /// Writes the index if saves changed it (call at quiet moments).
    public func flushIndexIfNeeded() {
        if indexDirty { try? flushIndex() }
    }

    public var indexNeedsFlush: Bool { indexDirty }
}
