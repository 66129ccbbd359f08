import KithCore

/// One family in the index: its caseload row and how long its log was when the row was made.
struct IndexEntry: Hashable {
    var row: CaseloadRow
    var logSize: Int64
    var frames: Int
}

extension Store {
    var recordedAuditHead: AuditLog.Head? {
        get { auditHeadFromIndex }
        set { auditHeadFromIndex = newValue }
    }

    /// Loads the index and brings it up to date with the family logs: a log whose size
    /// differs from the recorded one is re-read (a crash before the index was written),
    /// a log shorter than recorded is reported (entries may have been lost).
    func loadIndex() throws(StoreError) {
        index = [:]
        var rebuiltAll = false
        if io.exists(layout.index) {
            let bytes = try io.readAll(layout.index)
            if let contents = try? FrameFile.read(bytes, kind: .index, owner: manifest.storeID, keyring: keyring),
               let payload = contents.payloads.first, !contents.isDamaged, !contents.legacy,
               let parsed = try? parseIndex(payload) {
                index = parsed
            } else {
                try setAside(layout.index)
                note(StoreProblem(.indexRebuilt, file: "index.bin", detail: "unreadable index set aside"))
                rebuiltAll = true
            }
        } else if !io.list(layout.families).isEmpty {
            note(StoreProblem(.indexRebuilt, file: "index.bin", detail: "missing"))
            rebuiltAll = true
        }
        try reconcileIndex()
        if rebuiltAll { indexDirty = true }
    }

    private func parseIndex(_ payload: [UInt8]) throws -> [Family.ID: IndexEntry] {
        var r = BinaryReader(payload)
        guard try r.byte() == 1, try r.string() == manifest.storeID else { throw BinaryError.malformed("index header") }
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
            if let entry = index[id], size < entry.logSize {
                note(StoreProblem(.truncated, file: "families/\(name).log", detail: "\(size) of \(entry.logSize) bytes"))
            }
            do {
                let cached = try readFamily(id)
                index[id] = IndexEntry(row: CaseloadRow(cached.file), logSize: cached.size, frames: cached.frames)
            } catch {
                index[id] = nil
            }
            indexDirty = true
        }
        for id in index.keys where !seen.contains(id) {
            note(StoreProblem(.fileSetAside, file: "families/\(id.raw).log", detail: "missing"))
            index[id] = nil
            indexDirty = true
        }
    }

    /// Writes the index atomically (temp file, fsync, rename, directory fsync).
    public func flushIndex() throws(StoreError) {
        refreshStaleRows()
        try flushAudit(sync: true)
        var w = BinaryWriter(capacity: 256 * index.count + 128)
        w.byte(1)
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
        indexDirty = false
    }

    /// Writes the index if saves changed it (call at quiet moments).
    public func flushIndexIfNeeded() {
        if indexDirty { try? flushIndex() }
    }

    public var indexNeedsFlush: Bool { indexDirty }
}
