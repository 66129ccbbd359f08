import KithCore

/// One line of the family registry: which families the store holds, kept apart from the
/// family logs themselves, so a log that goes missing, is emptied or is swapped is known
/// to be missing — by every `check` and on the caseload — until a person restores it or
/// accepts the loss (`kith repair`).
package struct RegistryEntry: Hashable, Sendable {
    package enum Kind: UInt8, Sendable {
        /// The family's log was created.
        case registered = 1
        /// The family's log was lost and a team lead accepted the loss.
        case lossAccepted = 2
        /// `count` damaged entries of the family's log were set aside (copied to quarantine/).
        case entriesSetAside = 3
        /// A team lead accepted the entries set aside or lost so far.
        case setAsideAccepted = 4
        /// The family's log was found shorter than acknowledged: `count` entries lost
        /// (no copy exists; a backup may have them).
        case entriesLost = 5
        /// What the duplicate check knows of the family now (`data`: `MatchKeys`, blinded).
        case matchKeys = 6
        /// Registered on the team, but no entry of it had reached this laptop when its
        /// registration did (a laptop that joined without the caseload): not here yet, not lost.
        case awaited = 7
        /// The first entries of an awaited family arrived: from now on its log missing is a loss.
        case arrived = 8
        /// The family was removed under the retention rule (`data`: its `Tombstone`); its
        /// earlier entries are dropped from the registry when it is rewritten.
        case removed = 9
    }

    package var kind: Kind
    package var family: Family.ID
    package var team: Team.ID
    package var count = 0
    package var data: [UInt8] = []

    package init(kind: Kind, family: Family.ID, team: Team.ID, count: Int = 0, data: [UInt8] = []) {
        self.kind = kind
        self.family = family
        self.team = team
        self.count = count
        self.data = data
    }

    /// Version 2 adds `data` to each entry; version 1 (without) is still read.
    package static func encode(_ entries: [RegistryEntry]) -> [UInt8] {
        var w = BinaryWriter(capacity: 40 * entries.count + 8)
        w.byte(2)
        w.uvarint(UInt64(entries.count))
        for entry in entries {
            w.byte(entry.kind.rawValue)
            w.string(entry.family.raw)
            w.string(entry.team.raw)
            w.int(entry.count)
            w.data(entry.data)
        }
        return w.bytes
    }

    package static func decode(_ payload: [UInt8]) throws -> [RegistryEntry] {
        var r = BinaryReader(payload)
        let version = try r.byte()
        guard version == 1 || version == 2 else { throw BinaryError.malformed("registry version") }
        return try (0..<r.count()).map { _ in
            guard let kind = Kind(rawValue: try r.byte()) else { throw BinaryError.malformed("registry entry") }
            return RegistryEntry(kind: kind, family: Family.ID(try r.string()), team: Team.ID(try r.string()), count: try r.int(),
                                 data: version == 2 ? try r.data() : [])
        }
    }
}

extension Store {
    /// Reads the registry (both copies). When neither copy can be read the registry starts
    /// again from what the index and the logs know (reported: a log that went missing at the
    /// same time would not be noticed), rather than locking everyone out.
    func loadRegistry() throws(StoreError) {
        registry = [:]
        removedFamilies = [:]
        matchIndex = [:]
        entriesSetAside = [:]
        entriesLost = [:]
        awaited = []
        let loaded: (payloads: [[UInt8]], findings: [MirroredLog.Finding])
        do {
            loaded = try registryLog.load(io: io, keyring: keyring) { path throws(StoreError) in try setAsideCopy(path) }
        } catch {
            for copy in [layout.registry, layout.registry + ".2"] where io.exists(copy) { try setAside(copy) }
            try registryLog.create([], io: io, keyring: keyring)
            note(StoreProblem(.fileSetAside, file: "families.reg", detail: "both copies unreadable; started again from the index"))
            return
        }
        let (payloads, findings) = loaded
        report(findings, file: "families.reg")
        for payload in payloads {
            guard let entries = try? RegistryEntry.decode(payload) else {
                note(StoreProblem(.corruptEntriesSetAside, file: "families.reg", detail: "1 entries"))
                continue
            }
            for entry in entries { apply(entry) }
        }
    }

    private func apply(_ entry: RegistryEntry) {
        switch entry.kind {
        case .registered: registry[entry.family] = entry.team
        case .lossAccepted: registry[entry.family] = nil; entriesSetAside[entry.family] = nil; entriesLost[entry.family] = nil; awaited.remove(entry.family)
        case .entriesSetAside: entriesSetAside[entry.family, default: 0] += entry.count
        case .entriesLost: entriesLost[entry.family, default: 0] += entry.count
        case .setAsideAccepted: entriesSetAside[entry.family] = nil; entriesLost[entry.family] = nil
        case .matchKeys: matchIndex[entry.family] = try? MatchKeys.decode(entry.data)
        case .awaited: awaited.insert(entry.family)
        case .arrived: awaited.remove(entry.family)
        case .removed:
            registry[entry.family] = nil; matchIndex[entry.family] = nil; awaited.remove(entry.family)
            entriesSetAside[entry.family] = nil; entriesLost[entry.family] = nil; damaged[entry.family] = nil
            removedFamilies[entry.family] = (try? Tombstone.decode(entry.data)) ?? Tombstone(reference: Family.reference(for: entry.family), on: Day(ordinal: 0), by: "", rule: "")
        }
    }

    /// Records durably that damaged entries of a family's log were set aside, so every
    /// later `check` still reports it until a team lead accepts it (`kith repair`).
    func recordEntriesSetAside(_ id: Family.ID, count: Int) {
        let entry = RegistryEntry(kind: .entriesSetAside, family: id, team: registry[id] ?? user.team, count: count)
        if (try? register([entry])) == nil { entriesSetAside[id, default: 0] += count }
    }

    /// Records durably that a family's log was shorter than acknowledged.
    func recordEntriesLost(_ id: Family.ID, count: Int) {
        let entry = RegistryEntry(kind: .entriesLost, family: id, team: registry[id] ?? user.team, count: count)
        if (try? register([entry])) == nil { entriesLost[id, default: 0] += count }
    }

    /// Families with damaged entries set aside or lost that nobody has accepted yet, and how many.
    public var familiesWithEntriesSetAside: [Family.ID: Int] { entriesSetAside.merging(entriesLost, uniquingKeysWith: +) }

    /// Reports what was set aside or lost and not yet accepted (on every check).
    func reportEntriesSetAside() {
        for (id, count) in entriesSetAside {
            note(StoreProblem(.corruptEntriesSetAside, file: "families/\(id.raw).log", detail: "\(count) entries"))
        }
        for (id, count) in entriesLost {
            note(StoreProblem(.truncated, file: "families/\(id.raw).log", detail: "\(count) entries"))
        }
    }

    /// Records new families in the registry, durably in both copies.
    func register(_ entries: [RegistryEntry]) throws(StoreError) {
        guard !entries.isEmpty else { return }
        try registryLog.append(RegistryEntry.encode(entries), io: io, keyring: keyring) { path throws(StoreError) in try setAsideCopy(path) }
        for entry in entries { apply(entry) }
    }

    /// Turns what reading a mirrored log found into problems the person sees.
    func report(_ findings: [MirroredLog.Finding], file: String) {
        for finding in findings {
            switch finding {
            case .caughtUp: break
            case .copyRepaired(let copy): note(StoreProblem(.copyRepaired, file: copy))
            case .bothDamaged(let n): note(StoreProblem(.corruptEntriesSetAside, file: file, detail: "\(n) entries"))
            }
        }
    }

    /// Families the registry holds whose log is missing or unreadable, with what is wrong.
    public var damagedFamilies: [Family.ID: String] { damaged }

    /// Marks a registered family whose log can't be read: its row stays on the caseload,
    /// marked damaged, and every `check` reports it until it is restored or its loss accepted.
    func markDamaged(_ id: Family.ID, _ detail: String) {
        damaged[id] = detail
        note(StoreProblem(.familyMissing, file: "families/\(id.raw).log", detail: detail))
        if index[id] == nil, let team = registry[id] {
            index[id] = IndexEntry(row: CaseloadRow.placeholder(for: id, team: team), logSize: 0, frames: 0)
        }
        index[id]?.row.damaged = true
        cache[id] = nil
        indexDirty = true
    }

    // MARK: - Repair

    /// A quarantined file that holds an authentic log of a family.
    public struct RestoreCandidate: Hashable, Sendable {
        public var file: String
        public var family: Family.ID
        public var entries: Int
    }

    /// Quarantined copies that could put a damaged family back, most complete first.
    public func restoreCandidates() -> [RestoreCandidate] {
        var result: [RestoreCandidate] = []
        for name in io.list(layout.quarantine) {
            guard let owner = name.split(separator: ".").first.map(String.init) else { continue }
            let path = "\(layout.quarantine)/\(name)"
            guard let bytes = try? io.readAll(path) else { continue }
            var candidates = [owner]
            if bytes.count > 11, bytes.starts(with: FrameFile.magic) {
                let length = Int(bytes[10])
                if bytes.count >= 11 + length { candidates.append(String(decoding: bytes[11..<(11 + length)], as: UTF8.self)) }
            }
            for id in Set(candidates).map(Family.ID.init) where damaged[id] != nil {
                if let contents = try? FrameFile.read(bytes, kind: .family, owner: id.raw, keyring: keyring), !contents.payloads.isEmpty {
                    result.append(RestoreCandidate(file: "quarantine/\(name)", family: id, entries: contents.payloads.count))
                }
            }
        }
        return result.sorted { ($0.family, -$0.entries, $0.file) < ($1.family, -$1.entries, $1.file) }
    }

    /// Puts a family's log back from a quarantined copy (`quarantine/NAME`), whatever name
    /// it has there; the damaged file in its place, if any, is set aside first. Audited.
    public func restore(from file: String) throws(StoreError) -> Family.ID {
        guard canManageUsers else { throw .notPermitted(action: "repair") }
        let name = file.hasPrefix("quarantine/") ? String(file.dropFirst("quarantine/".count)) : file
        guard !name.contains("/"), !name.isEmpty else { throw .noSuchFamily(id: file) }
        let bytes = try io.readAll("\(layout.quarantine)/\(name)")
        guard let candidate = restoreCandidates().first(where: { $0.file == "quarantine/\(name)" }) else {
            throw .corrupt(file: "quarantine/\(name)", detail: "not a log of a damaged family")
        }
        let id = candidate.family
        let path = layout.family(id.raw)
        if io.exists(path) { try setAside(path) }
        guard let contents = try? FrameFile.read(bytes, kind: .family, owner: id.raw, keyring: keyring) else {
            throw .corrupt(file: "quarantine/\(name)", detail: "unreadable")
        }
        var rewritten = FrameFile.header(kind: .family, owner: id.raw)
        for (n, payload) in contents.payloads.enumerated() {
            rewritten += FrameFile.frame(payload, kind: .family, owner: id.raw, sequence: n, keyring: keyring)
        }
        try io.createExclusive(path, rewritten)
        damaged[id] = nil
        cache[id] = nil
        let read = try readFamily(id)
        index[id] = IndexEntry(row: CaseloadRow(read.file), logSize: read.size, frames: read.frames)
        indexDirty = true
        try recordAudit(.repair, target: id.raw, fields: ["restore"], sync: true)
        return id
    }

    /// Accepts a loss: for a family whose log is gone, that it is lost (it leaves the
    /// caseload); for a family whose damaged entries were set aside, that those entries are
    /// gone (the copies stay in quarantine/). Either way `check` stops reporting it. Team
    /// leads only; audited, and recorded in the registry.
    public func acceptLoss(of id: Family.ID) throws(StoreError) {
        guard canManageUsers else { throw .notPermitted(action: "repair") }
        if damaged[id] == nil, entriesSetAside[id] != nil || entriesLost[id] != nil {
            try register([RegistryEntry(kind: .setAsideAccepted, family: id, team: registry[id] ?? user.team)])
            try recordAudit(.repair, target: id.raw, fields: ["acceptEntriesSetAside"], sync: true)
            return
        }
        guard damaged[id] != nil, let team = registry[id] else { throw .noSuchFamily(id: id.raw) }
        try register([RegistryEntry(kind: .lossAccepted, family: id, team: team)])
        damaged[id] = nil
        index[id] = nil
        cache[id] = nil
        indexDirty = true
        try recordAudit(.repair, target: id.raw, fields: ["acceptLoss"], sync: true)
    }
}

extension Store {
    /// The registry entry that keeps the duplicate check's view of a family current, or nil
    /// when it is unchanged.
    func matchEntry(for file: CaseFile) -> RegistryEntry? {
        let keys = MatchKeys(CaseloadRow(file), key: MatchKeys.key(keyring))
        guard matchIndex[file.family.id] != keys else { return nil }
        return RegistryEntry(kind: .matchKeys, family: file.family.id, team: file.family.team, data: keys.encoded())
    }
}
