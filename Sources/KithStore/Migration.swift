import KithCore

/// Brings an older store up to the current schema. Each step is small, idempotent and
/// runs with the store locked, before anything else reads it.
///
/// - Schema 1 (the first release) had no audit trail and no `quarantine/` or
///   `instruments/` folders. Schema 2 adds them.
enum Migration {
    static func run(from schema: Int, layout: StoreLayout, io: FileIO, keyring: Keyring, storeID: String) throws(StoreError) {
        var version = schema
        while version < Manifest.currentSchema {
            switch version {
            case 1:
                try io.makeDirectory(layout.quarantine)
                try io.makeDirectory(layout.instruments)
                if !io.exists(layout.audit) { try AuditLog.create(path: layout.audit, owner: storeID, io: io) }
            default:
                throw .newerSchema(found: schema, supported: Manifest.currentSchema)
            }
            version += 1
        }
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
            let actual = io.size(layout.family(id.raw)) ?? 0
            if let recorded = index[id]?.logSize, actual < recorded {
                note(StoreProblem(.truncated, file: "families/\(name)", detail: "\(actual) of \(recorded) bytes"))
            }
            cache[id] = nil
            do {
                let read = try readFamily(id)
                remember(id, read)
                report.families += 1
                report.events += read.file.events.count
                report.records += read.file.values.count
                let row = CaseloadRow(read.file)
                if index[id]?.row != row || index[id]?.logSize != read.size {
                    index[id] = IndexEntry(row: row, logSize: read.size, frames: read.frames)
                    indexDirty = true
                    note(StoreProblem(.indexRebuilt, file: "index.bin", detail: "row \(id.raw)"))
                }
            } catch {
                note(StoreProblem(.fileSetAside, file: "families/\(name)", detail: "unreadable"))
            }
        }
        report.drafts = drafts().count
        if let trail = try? auditTrail() {
            report.auditEntries = trail.entries.count
            if !trail.brokenAt.isEmpty {
                note(StoreProblem(.auditChainBroken, file: "audit.log", detail: "entries \(trail.brokenAt.prefix(5).map(String.init).joined(separator: ","))"))
            }
        } else {
            note(StoreProblem(.auditChainBroken, file: "audit.log", detail: "unreadable"))
        }
        try? recordAudit(.check, target: "", sync: true)
        flushIndexIfNeeded()
        report.problems = problems
        return report
    }
}
