import KithCore

/// Brings an older store up to the current schema. Each step is small, idempotent and
/// runs with the store locked, before anything else reads it.
///
/// - Schema 1 (the first release) had no audit trail and no `quarantine/` or
///   `instruments/` folders. Schema 2 adds them.
/// - Schema 3 writes frames in format 2 (a checked header per frame, so damage is found
///   where it is). Every encrypted file is rewritten; a file already in format 2 is left.
enum Migration {
    /// The last schema reached by rewriting files alone; schema 4 (keys per family) needs
    /// the unlocked store's users and identity (`Store.migrateToFamilyKeys`).
    static let lastFileSchema = 3

    static func run(from schema: Int, layout: StoreLayout, io: FileIO, keyring: Keyring, storeID: String) throws(StoreError) {
        var version = schema
        while version < lastFileSchema {
            switch version {
            case 1:
                try io.makeDirectory(layout.quarantine)
                try io.makeDirectory(layout.instruments)
                if !io.exists(layout.audit) { try AuditLog.create(path: layout.audit, owner: storeID, io: io) }
            case 2:
                try upgradeFrames(layout: layout, io: io, keyring: keyring, storeID: storeID)
                try addSecondCopiesAndRegistry(layout: layout, io: io, keyring: keyring, storeID: storeID)
            default:
                throw .newerSchema(found: schema, supported: Manifest.currentSchema)
            }
            version += 1
        }
    }
}

extension Migration {
    /// Rewrites every format-1 file in format 2 with the same payloads. A file with
    /// damaged entries or a torn tail is copied to quarantine/ first, so nothing is lost.
    static func upgradeFrames(layout: StoreLayout, io: FileIO, keyring: Keyring, storeID: String) throws(StoreError) {
        var files: [(path: String, kind: FrameFile.Kind, owner: String)] = [
            (layout.teamLog, .team, storeID), (layout.audit, .audit, storeID), (layout.index, .index, storeID),
        ]
        for name in io.list(layout.families) where name.hasSuffix(".log") {
            files.append((layout.family(String(name.dropLast(4))), .family, String(name.dropLast(4))))
        }
        for name in io.list(layout.drafts) where name.hasSuffix(".draft") {
            files.append((layout.draft(String(name.dropLast(6))), .draft, String(name.dropLast(6))))
        }
        try io.makeDirectory(layout.quarantine)
        for (path, kind, owner) in files where io.exists(path) {
            let bytes = try io.readAll(path)
            guard let contents = try? FrameFile.read(bytes, kind: kind, owner: owner, keyring: keyring), contents.legacy else { continue }
            if contents.isDamaged || contents.tornTail {
                let name = path.split(separator: "/").last.map(String.init) ?? "file"
                try io.createExclusive("\(layout.quarantine)/\(name).format1", bytes)
            }
            var rewritten = FrameFile.header(kind: kind, owner: owner)
            for (n, payload) in contents.payloads.enumerated() {
                rewritten += FrameFile.frame(payload, kind: kind, owner: owner, sequence: n, keyring: keyring)
            }
            try io.writeAtomically(path, rewritten)
        }
    }
}

extension Migration {
    /// Schema 3 keeps two copies of the team log and starts the family registry with the
    /// families whose logs are there now.
    static func addSecondCopiesAndRegistry(layout: StoreLayout, io: FileIO, keyring: Keyring, storeID: String) throws(StoreError) {
        if !io.exists(layout.teamLog + ".2") { try io.createExclusive(layout.teamLog + ".2", try io.readAll(layout.teamLog)) }
        // Key slots gain their checksum and a second copy.
        var slots = try Store.readSlots(layout, io)
        for i in slots.slots.indices where slots.slots[i].check == nil { slots.slots[i].check = slots.slots[i].computedCheck }
        try Store.writeSlots(slots, layout, io)
        guard !io.exists(layout.registry) else { return }
        var entries: [RegistryEntry] = []
        for name in io.list(layout.families) where name.hasSuffix(".log") {
            let id = String(name.dropLast(4))
            guard let contents = try? FrameFile.read(try io.readAll(layout.family(id)), kind: .family, owner: id, keyring: keyring),
                  let file = CaseFile(events: contents.payloads.flatMap { (try? Event.decodeBatch($0)) ?? [] }) else { continue }
            entries.append(RegistryEntry(kind: .registered, family: Family.ID(id), team: file.family.team))
        }
        var registry = MirroredLog(path: layout.registry, kind: .registry, owner: storeID)
        try registry.create(entries.isEmpty ? [] : [RegistryEntry.encode(entries)], io: io, keyring: keyring)
    }
}

/// What `kith check` found.
public struct CheckReport: Sendable {
    public var families = 0
    public var events = 0
    public var records = 0
    public var drafts = 0
    public var auditEntries = 0
    public var users = 0
    public var problems: [StoreProblem] = []

    public var isClean: Bool { !problems.contains(where: \.isSerious) }
}

extension Store {
    /// Verifies every family log, the index, the drafts and the audit chain; repairs what
    /// can be repaired without losing bytes and reports everything it found.
    public func check() -> CheckReport {
        refreshStaleRows()
        var report = CheckReport()
        report.users = users.count
        for name in io.list(layout.families) where name.hasSuffix(".log") {
            let id = Family.ID(String(name.dropLast(4)))
            cache[id] = nil
            if familyKeysOn && !holdsKey(id) {
                // Not this user's to read: its frames are still checked for damage.
                checkFrames(id)
                continue
            }
            do {
                let read = try readFamily(id)
                damaged[id] = nil          // a log put back by hand reads again
                remember(id, read)
                report.families += 1
                report.events += read.file.events.count
                report.records += read.file.values.count
                let row = CaseloadRow(read.file)
                if familyKeysOn && !policy.canSee(read.file.family) { continue }
                if index[id]?.row != row || index[id]?.logSize != read.size {
                    index[id] = IndexEntry(row: row, logSize: read.size, frames: read.frames)
                    indexDirty = true
                    note(StoreProblem(.indexRebuilt, file: indexFile.name, detail: "row \(id.raw)"))
                }
            } catch {
                // readFamily set the file aside and marked the family damaged.
            }
        }
        for id in registry.keys where !io.exists(layout.family(id.raw)) && damaged[id] == nil && !awaited.contains(id) {
            note(StoreProblem(.familyMissing, file: "families/\(id.raw).log", detail: "missing"))
        }
        let notHereYet = awaited.filter { registry[$0] != nil && !io.exists(layout.family($0.raw)) }.count
        if notHereYet > 0 { note(StoreProblem(.familiesAwaited, file: "families.reg", detail: String(notHereYet))) }
        report.drafts = drafts().count
        if let trail = try? verifiedAudit() {
            report.auditEntries = trail.entries.count
            if !trail.broken.isEmpty {
                note(StoreProblem(.auditChainBroken, file: "audit.log", detail: "entries \(trail.broken.prefix(5).map(String.init).joined(separator: ","))"))
            }
            _ = try? compareAuditWithAnchor(head: trail.head, macs: trail.macs)
            reportAuditGaps()
        } else {
            note(StoreProblem(.auditChainBroken, file: "audit.log", detail: "unreadable"))
        }
        for (id, detail) in damaged { note(StoreProblem(.familyMissing, file: "families/\(id.raw).log", detail: detail)) }
        reportEntriesSetAside()
        try? recordAudit(.check, target: "", sync: true)
        flushIndexIfNeeded()
        report.problems = problems
        return report
    }
}

extension Store {
    /// Checks a log this user can't read for damage: its frames are sealed with the store's
    /// key, what they hold with the family's. Reported, not repaired: repairing rewrites
    /// the log, which is for someone who can read it.
    func checkFrames(_ id: Family.ID) {
        let name = "families/\(id.raw).log"
        guard let bytes = try? io.readAll(layout.family(id.raw)) else {
            note(StoreProblem(.familyMissing, file: name, detail: "unreadable"))
            return
        }
        guard let contents = try? FrameFile.read(bytes, kind: .family, owner: id.raw, keyring: keyring) else {
            note(StoreProblem(.familyMissing, file: name, detail: "not a family log"))
            return
        }
        if contents.isDamaged { note(StoreProblem(.familyMissing, file: name, detail: "\(contents.damagedEntries) damaged entries")) }
        if let unsealed = contents.payloads.firstIndex(where: { FamilyEntry.epoch(of: $0) == nil }) {
            note(StoreProblem(.entryRefused, file: name, detail: "\(unsealed + 1)|\(Refusal.notSealed.rawValue)"))
        }
    }
}
