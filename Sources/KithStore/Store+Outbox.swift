import KithCore

/// One thing a session beside a running Kith recorded: audit entries, and for printouts
/// the event that puts the printout in the family's history.
struct OutboxEntry: Hashable {
    var family: Family.ID?
    /// The family log's entry as sealed (signed) by the session that made it, and its events.
    var batch: [UInt8] = []
    var events: [Event] = []
    var audit: [AuditEntry]

    init(family: Family.ID? = nil, batch: [UInt8] = [], events: [Event] = [], audit: [AuditEntry]) {
        self.family = family
        self.batch = batch
        self.events = events
        self.audit = audit
    }

    func bytes() -> [UInt8] {
        var w = BinaryWriter()
        w.byte(1)
        w.string(family?.raw ?? "")
        w.data(batch)
        w.uvarint(UInt64(audit.count))
        for entry in audit { w.data(entry.bytes()) }
        return w.bytes
    }

    static func parse(_ bytes: [UInt8]) throws -> OutboxEntry {
        var r = BinaryReader(bytes)
        guard try r.byte() == 1 else { throw BinaryError.malformed("outbox version") }
        let family = try r.string()
        let batch = try r.data()
        // A sealed entry's events are read by whoever takes it in, if they hold its key.
        let events = batch.isEmpty || FamilyEntry.epoch(of: batch) != nil ? [] : try SignedBatch.open(batch).events
        let audit = try (0..<r.count()).map { _ in
            var entry = BinaryReader(try r.data())
            return try AuditEntry.parse(&entry)
        }
        return OutboxEntry(family: family.isEmpty ? nil : Family.ID(family), batch: batch, events: events, audit: audit)
    }
}

/// The outbox: how a store opened beside a running Kith records what it must without
/// writing where the running Kith writes.
///
/// Each beside session writes one file, `outbox/<random>.log` (encrypted, authenticated
/// frames like every log), made under a hidden name, locked, then given its real name —
/// so a file is never taken in while its writer still holds it. Each entry is durable
/// before the call that made it returns (a printout's entry before the printout exists).
///
/// The session holding the lock takes each unlocked file in: events its family log does
/// not have yet (by event id), then audit entries the trail does not have yet (same time,
/// person, device, action and target), then removes the file. A crash at any step leaves
/// the file to be taken in again, which adds nothing twice.
extension Store {
    func writeToOutbox(_ entry: OutboxEntry) throws(StoreError) {
        let owner = manifest.storeID
        if outboxFile == nil {
            try io.makeDirectory(layout.outbox)
            let name = "\(ids.id(Event.ID.self).raw)-\(device.raw).log"
            let hidden = "\(layout.outbox)/.\(name)", path = "\(layout.outbox)/\(name)"
            try io.createExclusive(hidden, FrameFile.header(kind: .outbox, owner: owner))
            let fd: FileDescriptor
            do { fd = try io.fs.open(hidden, .read) } catch { throw io.failure(hidden, error) }
            guard io.fs.tryLock(fd) else {
                io.fs.close(fd)
                throw .io(file: "outbox/\(name)", operation: "flock", reason: "EAGAIN")
            }
            do { try io.fs.rename(hidden, to: path) } catch {
                io.fs.close(fd)
                throw io.failure(path, error)
            }
            try io.syncDirectory(layout.outbox)
            outboxFile = (path, fd, 0)
        }
        guard let file = outboxFile else { return }
        try io.append(file.path, FrameFile.frame(entry.bytes(), kind: .outbox, owner: owner, sequence: file.frames, keyring: keyring))
        outboxFile?.frames += 1
    }

    /// Lets go of this session's outbox file (the next session holding the lock takes it in).
    func closeOutbox() {
        guard let file = outboxFile else { return }
        io.fs.close(file.lock)
        outboxFile = nil
    }

    /// Takes in what sessions beside this one recorded; a problem is reported, never fatal.
    public func ingestOutboxReporting() {
        do { try ingestOutbox() } catch {
            note(StoreProblem(.outboxWaiting, file: "outbox/", detail: "\(error)"))
        }
    }

    /// Takes every finished outbox file into the family logs and the audit trail, once.
    public func ingestOutbox() throws(StoreError) {
        guard !isBeside else { return }
        let names = io.list(layout.outbox).filter { $0.hasSuffix(".log") }
        guard !names.isEmpty else { return }
        var known: Set<[UInt8]>?
        for name in names {
            let path = "\(layout.outbox)/\(name)"
            let fd: FileDescriptor
            do { fd = try io.fs.open(path, .read) } catch { continue }
            defer { io.fs.close(fd) }
            // Still held by a session beside this one: taken in after it ends.
            guard io.fs.tryLock(fd) else { continue }
            let bytes = try io.readAll(path)
            guard let contents = try? FrameFile.read(bytes, kind: .outbox, owner: manifest.storeID, keyring: keyring) else {
                try setAside(path)
                note(StoreProblem(.fileSetAside, file: "outbox/\(name)", detail: "not a Kith outbox"))
                continue
            }
            if contents.isDamaged {
                try setAsideCopy(path)
                note(StoreProblem(.corruptEntriesSetAside, file: "outbox/\(name)", detail: "\(contents.damagedEntries) entries"))
            }
            var entries: [OutboxEntry] = []
            for payload in contents.payloads {
                if let entry = try? OutboxEntry.parse(payload) { entries.append(entry) }
            }
            for entry in entries {
                guard let family = entry.family, !entry.batch.isEmpty else { continue }
                do { try takeIn(entry.batch, family: family, from: "outbox/\(name)") } catch {
                    // The audit entries still go in; the file is kept in quarantine.
                    try setAsideCopy(path)
                    note(StoreProblem(.corruptEntriesSetAside, file: "outbox/\(name)", detail: "events for families/\(family.raw).log"))
                }
            }
            if known == nil { known = Set(try verifiedAudit().entries.map(Store.auditKey)) }
            for entry in entries.flatMap(\.audit) where known?.insert(Store.auditKey(entry)).inserted == true {
                pendingAudit.append(entry)
            }
            try flushAudit(sync: true)
            indexDirty = true
            do { try io.fs.unlink(path) } catch { throw io.failure(path, error) }
            try io.syncDirectory(layout.outbox)
        }
    }

    /// An audit entry without its place in the trail: what makes two copies the same entry.
    private static func auditKey(_ entry: AuditEntry) -> [UInt8] {
        var entry = entry
        entry.sequence = 0
        return entry.bytes()
    }

    /// Appends an entry to a family's log as its writer sealed it, once: not when the log
    /// holds its events already, nor when it doesn't check out (named, not applied).
    private func takeIn(_ batch: [UInt8], family id: Family.ID, from file: String) throws(StoreError) {
        if familyKeysOn && !holdsKey(id) {
            try takeInUnread(batch, family: id, from: file)
            return
        }
        var current = try cached(id)
        var signed = batch
        if familyKeysOn {
            guard let opened = openEntry(batch, family: id) else {
                try takeInUnread(batch, family: id, from: file)
                return
            }
            signed = opened.batch
        }
        guard let entry = try? SignedBatch.open(signed) else { throw .corrupt(file: file, detail: "undecodable entry") }
        let held = Set(current.file.events.map(\.id))
        guard entry.events.contains(where: { !held.contains($0.id) }) else { return }
        if let refusal = refusal(of: entry, family: id, before: current.file.family) {
            note(StoreProblem(.entryRefused, file: file, detail: "1|\(refusal.rawValue)"))
            return
        }
        for event in entry.events { observe(event.hlc) }
        try appendPayload(batch, events: entry.events, to: &current, family: id)
        if let epoch = FamilyEntry.epoch(of: batch) { current.usedEpochs.insert(epoch); remember(id, current) }
        indexDirty = true
    }

    /// An entry sealed with a key this user does not hold (someone else printed beside this
    /// session): appended as it is, once — unless the log already holds those very bytes —
    /// and checked, like every entry, by those who read the family.
    private func takeInUnread(_ payload: [UInt8], family id: Family.ID, from file: String) throws(StoreError) {
        guard FamilyEntry.epoch(of: payload) != nil else { throw .corrupt(file: file, detail: "undecodable entry") }
        let path = layout.family(id.raw)
        guard io.exists(path) else { throw .noSuchFamily(id: id.raw) }
        let contents: FrameFile.Contents
        do { contents = try FrameFile.read(try io.readAll(path), kind: .family, owner: id.raw, keyring: keyring) } catch {
            throw .familyDamaged(reference: Family.reference(for: id))
        }
        if contents.payloads.contains(payload) { return }
        if contents.tornTail || contents.isDamaged { throw .familyDamaged(reference: Family.reference(for: id)) }
        try io.append(path, FrameFile.frame(payload, kind: .family, owner: id.raw, sequence: contents.frameCount, keyring: keyring))
        forget(id)
    }
}
