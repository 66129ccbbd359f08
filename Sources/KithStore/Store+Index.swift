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
    /// carry the family's actions ("my actions" reads no case file). 6: consent given until
    /// a date is due for renewal.
    static let indexVersion: UInt8 = 6

    /// Where this user's caseload index is and what seals it: their own file under a key
    /// from their identity once families have keys, else the store's one index.
    var indexFile: (path: String, name: String, keyring: Keyring) {
        guard familyKeysOn, let identity else { return (layout.index, "index.bin", keyring) }
        let path = layout.index(for: user.id.raw)
        return (path, String(path.split(separator: "/").last ?? "index"), Keyring.personal(identity, storeID: manifest.storeID))
    }

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
        let file = indexFile
        if io.exists(file.path) {
            let bytes = try io.readAll(file.path)
            indexTag = Array(bytes.suffix(16))
            trusted = cleanMarker == StoreLock.closedMarker(indexTag: indexTag ?? [])
            if let contents = try? FrameFile.read(bytes, kind: .index, owner: manifest.storeID, keyring: file.keyring),
               let payload = contents.payloads.first, !contents.isDamaged, !contents.legacy,
               let parsed = try? parseIndex(payload) {
                index = parsed
            } else if let contents = try? FrameFile.read(bytes, kind: .index, owner: manifest.storeID, keyring: file.keyring),
                      contents.payloads.first?.first.map({ $0 < Store.indexVersion }) == true {
                // Written by an older Kith whose rows meant less (e.g. contact counted only
                // notes): made again from the logs, which is not damage.
                rebuiltAll = true
            } else {
                try setAside(file.path)
                note(StoreProblem(.indexRebuilt, file: file.name, detail: "unreadable index set aside"))
                rebuiltAll = true
            }
        } else if !io.list(layout.families).isEmpty {
            // A user's first unlock (each has an index of their own) is not damage.
            if !familyKeysOn { note(StoreProblem(.indexRebuilt, file: file.name, detail: "missing")) }
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
            if familyKeysOn && !holdsKey(id) { continue }     // not this user's to read
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
            if index[id] == nil && (!familyKeysOn || holdsKey(id)) { reread(id) }
        }
        for id in index.keys where !seen.contains(id) { markDamaged(id, "missing") }
    }

    /// Reads one log again for its row; an unreadable one is marked damaged.
    private func reread(_ id: Family.ID) {
        do {
            let cached = try readFamily(id)
            // This user's index holds only families they may see now.
            if familyKeysOn && !policy.canSee(cached.file.family) {
                index[id] = nil
            } else {
                index[id] = IndexEntry(row: CaseloadRow(cached.file), logSize: cached.size, frames: cached.frames)
            }
            damaged[id] = nil
        } catch {
            if case .accessDenied = error { index[id] = nil } else { markDamaged(id, "unreadable") }
        }
        indexDirty = true
    }

    /// Every registered family is in the index (a damaged row if its log is gone), and every
    /// log in the index is registered (a crash between creating a log and registering it).
    private func reconcileRegistry() throws(StoreError) {
        for (id, _) in registry where index[id] == nil && !awaited.contains(id) && (!familyKeysOn || holdsKey(id)) && !io.exists(layout.family(id.raw)) {
            markDamaged(id, "missing")
        }
        // Beside a running Kith a log may be newer than the registry read a moment ago: its
        // writer registers it.
        if isBeside { return }
        try register(awaited.filter { io.exists(layout.family($0.raw)) }.sorted().map { RegistryEntry(kind: .arrived, family: $0, team: registry[$0] ?? user.team) })
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
        // Once families have keys, a user's index holds only what they may see.
        let policy = self.policy
        let kept = index.keys.filter { !familyKeysOn || policy.canSee(index[$0]!.row) }.sorted()
        w.uvarint(UInt64(kept.count))
        for id in kept {
            let entry = index[id]!
            entry.row.write(to: &w)
            w.varint(entry.logSize)
            w.int(entry.frames)
        }
        let file = indexFile
        let bytes = FrameFile.header(kind: .index, owner: manifest.storeID)
            + FrameFile.frame(w.bytes, kind: .index, owner: manifest.storeID, sequence: 0, keyring: file.keyring)
        try io.writeAtomically(file.path, bytes)
        indexTag = Array(bytes.suffix(16))
        indexDirty = false
        if textDirty { try writeTextIndex() }
    }

    /// Writes the index if saves changed it (call at quiet moments).
    public func flushIndexIfNeeded() {
        if indexDirty { try? flushIndex() }
    }

    public var indexNeedsFlush: Bool { indexDirty }
}
