import KithCore

/// What is left of a family removed under the retention rule: its reference, when, by
/// whom and under which rule. Nothing of what was written about the family.
public struct Tombstone: Hashable, Sendable {
    public var reference: String
    public var on: Day
    /// The team lead's user id.
    public var by: String
    /// The rule as it stood (`RetentionRule.summary`).
    public var rule: String

    public init(reference: String, on: Day, by: String, rule: String) {
        self.reference = reference
        self.on = on
        self.by = by
        self.rule = rule
    }

    func encoded() -> [UInt8] {
        var w = BinaryWriter()
        w.byte(1)
        w.string(reference)
        w.int(on.ordinal)
        w.string(by)
        w.string(rule)
        return w.bytes
    }

    static func decode(_ bytes: [UInt8]) throws -> Tombstone {
        var r = BinaryReader(bytes)
        guard try r.byte() == 1 else { throw BinaryError.malformed("tombstone version") }
        return Tombstone(reference: try r.string(), on: Day(ordinal: try r.int()), by: try r.string(), rule: try r.string())
    }
}

/// A closed family whose time under the retention rule has run out.
public struct RetentionDue: Hashable, Sendable {
    public var family: Family.ID
    public var reference: String
    public var closedOn: Day
    public var dueOn: Day
    public var years: Int
}

extension Store {
    /// The team's retention rule (nil: none set, nothing is ever due).
    public var retentionRule: RetentionRule? { team?.retention }

    /// Sets (or, with nil, clears) the team's retention rule. Team leads only; it is a
    /// team record, so it reaches every laptop of the team.
    public func setRetentionRule(_ rule: RetentionRule?) throws(StoreError) {
        guard user.role == .teamLead else { throw .notPermitted(action: "retention") }
        var team = teams[user.team] ?? Team(id: user.team, name: "")
        team.retention = rule
        try saveTeamRecords([team])
    }

    /// Closed families of the lead's team due for removal on `today`, longest overdue first.
    public func retentionDue(today: Day) throws(StoreError) -> [RetentionDue] {
        guard user.role == .teamLead else { throw .notPermitted(action: "retention") }
        guard let rule = retentionRule else { return [] }
        var due: [RetentionDue] = []
        // (The caseload brings rows a save or a sync changed up to date first.)
        for row in caseload() where row.status == .closed && row.team == user.team {
            let id = row.familyID
            let file = try readCase(id)
            guard let closedOn = file.closedOn else { continue }
            let dueOn = rule.dueOn(closedOn: closedOn, kinds: file.recordKinds)
            if dueOn <= today {
                due.append(RetentionDue(family: id, reference: file.family.reference, closedOn: closedOn, dueOn: dueOn, years: rule.years(for: file.recordKinds)))
            }
        }
        return due.sorted { ($0.dueOn, $0.reference) < ($1.dueOn, $1.reference) }
    }

    /// Families removed under the retention rule, by reference.
    public var tombstones: [Tombstone] { removedFamilies.values.sorted { ($0.on, $0.reference) < ($1.on, $1.reference) } }

    /// Removes a family due under the retention rule, for good: the tombstone is recorded
    /// first (registry and audit trail), then its log, drafts, printouts and set-aside
    /// copies are deleted, the caseload indexes rewritten or dropped (each user's is
    /// rebuilt from the logs at their next unlock), and the registry rewritten without
    /// anything it held of the family but the tombstone. Team leads of the family's team.
    @discardableResult
    public func removeForRetention(_ id: Family.ID, today: Day) throws(StoreError) -> Tombstone {
        guard !isBeside else { throw .notPermitted(action: "writeBeside") }
        guard user.role == .teamLead, let rule = retentionRule else { throw .notPermitted(action: "retention") }
        guard let due = try retentionDue(today: today).first(where: { $0.family == id }) else { throw .notPermitted(action: "retentionNotDue") }
        let tombstone = Tombstone(reference: due.reference, on: today, by: user.id.raw, rule: rule.summary)
        try recordAudit(.removeForRetention, target: id.raw, fields: ["reference:\(due.reference)", "rule:\(rule.summary)"], sync: true)
        try register([RegistryEntry(kind: .removed, family: id, team: user.team, data: tombstone.encoded())])

        // The family's own files, and what was made from it.
        try io.remove(layout.family(id.raw))
        for draft in allDrafts() where draft.family == id { try io.remove(layout.draft(draft.id.raw)) }
        let logName = "\(id.raw).log"
        for name in io.list(layout.quarantine) where name.hasPrefix(logName) { try io.remove("\(layout.quarantine)/\(name)") }
        let reference = Array(due.reference.utf8)
        for name in io.list(layout.printouts) {
            let path = "\(layout.printouts)/\(name)"
            // Printouts are named by the family's reference; exports list it in a row.
            if name.hasPrefix(due.reference) || ((try? io.readAll(path))?.contains(reference) ?? false) { try io.remove(path) }
        }
        try io.syncDirectory(layout.families)

        // Derived data: this user's index now, everyone else's rebuilt at their next unlock.
        index[id] = nil
        forget(id)
        indexDirty = true
        try flushIndex()
        let own = indexFile.path
        for name in io.list(layout.root) where name.hasPrefix("index") && name.hasSuffix(".bin") && "\(layout.root)/\(name)" != own {
            try io.remove("\(layout.root)/\(name)")
        }
        // Every text index holds what was written: each is built again at its next search.
        for name in io.list(layout.root) where name.hasPrefix("text") && name.hasSuffix(".bin") { try io.remove("\(layout.root)/\(name)") }
        textIndex = nil
        textSizes = [:]
        textDirty = false
        try compactRegistry()
        return tombstone
    }

    /// Rewrites the registry keeping, of each removed family, only its tombstone.
    func compactRegistry() throws(StoreError) {
        let loaded = try registryLog.load(io: io, keyring: keyring) { path throws(StoreError) in try setAsideCopy(path) }
        var kept: [[UInt8]] = []
        for payload in loaded.payloads {
            guard let entries = try? RegistryEntry.decode(payload) else { continue }
            let remaining = entries.filter { removedFamilies[$0.family] == nil || $0.kind == .removed }
            if !remaining.isEmpty { kept.append(RegistryEntry.encode(remaining)) }
        }
        try registryLog.create(kept, io: io, keyring: keyring)
    }
}
