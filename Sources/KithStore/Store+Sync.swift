import Crypto
import KithCore

/// What one laptop holds, in a form another can compare with its own: for each family the
/// number of entries in its log and the XOR of their digests (so any difference in the set
/// shows, whatever the order), and the digests of every team-log entry, key grant and
/// registration. Sent in every bundle, kept for each laptop heard from, so the next
/// bundle for it carries only what differs.
package struct SyncSummary: Sendable, Equatable {
    package struct Mark: Sendable, Hashable {
        package var count: Int
        package var xor: [UInt8]

        static let empty = Mark(count: 0, xor: [UInt8](repeating: 0, count: 16))

        mutating func add(_ digest: [UInt8]) {
            count += 1
            for n in 0..<16 { xor[n] ^= digest[n] }
        }
    }

    package var families: [Family.ID: Mark] = [:]
    package var team: Set<UInt64> = []
    package var grants: Set<UInt64> = []
    package var registry: Set<UInt64> = []

    package init() {}

    /// Entries this laptop holds that `other` does not, counted (families whose marks
    /// differ count the difference in entries, at least one).
    package func ahead(of other: SyncSummary) -> Int {
        var count = team.subtracting(other.team).count + grants.subtracting(other.grants).count + registry.subtracting(other.registry).count
        for (id, mark) in families where other.families[id] != mark {
            count += max(1, mark.count - (other.families[id]?.count ?? 0))
        }
        return count
    }
}

/// One unit a bundle (or, later, the hub) carries: an entry of the team log, one key
/// grant, one registration, or an entry of a family's log — each exactly as written
/// (sealed and signed by its author), never re-signed on the way.
package struct SyncItem: Sendable, Hashable {
    package enum Kind: UInt8, Sendable {
        case team = 1, grant = 2, registry = 3, family = 4
    }

    package var kind: Kind
    /// The family of a family entry (empty otherwise).
    package var family: String
    package var payload: [UInt8]

    package init(kind: Kind, family: String = "", payload: [UInt8]) {
        self.kind = kind
        self.family = family
        self.payload = payload
    }

    /// The first 8 bytes of the payload's digest, as summaries list it.
    var shortDigest: UInt64 { Store.shortDigest(payload) }
}

/// What taking in a bundle changed.
public struct MergeReport: Sendable, Equatable {
    public var entries = 0
    public var families: Set<Family.ID> = []
    public var teamEntries = 0
    public var grants = 0
    public var registrations = 0

    public init() {}

    public var isEmpty: Bool { entries + teamEntries + grants + registrations == 0 }
}

extension Store {
    static func shortDigest(_ payload: [UInt8]) -> UInt64 {
        entryDigest(payload).prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// Registrations travel (which families exist, and the duplicate check's keys); what a
    /// laptop found wrong with its own files (entries set aside, losses accepted) does not.
    static func travels(_ entry: RegistryEntry) -> Bool { entry.kind == .registered || entry.kind == .matchKeys }

    /// Every item this store holds, in the order each log holds them (the team log's order
    /// matters to its checkpoint), with `progress` told of each family read.
    package func syncItems(progress: (Int, Int) -> Void = { _, _ in }) throws(StoreError) -> [SyncItem] {
        var items = try sharedItems()
        let names = (io.fs.names(in: layout.families) ?? []).filter { $0.hasSuffix(".log") && !$0.hasPrefix(".") }.sorted()
        for (n, name) in names.enumerated() {
            let id = String(name.dropLast(4))
            for payload in familyPayloads(Family.ID(id)) { items.append(SyncItem(kind: .family, family: id, payload: payload)) }
            progress(n + 1, names.count)
        }
        return items
    }

    /// The team log's entries, grants and registrations (everything but the family logs).
    func sharedItems() throws(StoreError) -> [SyncItem] {
        var items: [SyncItem] = []
        let (team, _) = try teamLog.load(io: io, keyring: keyring) { path throws(StoreError) in try setAsideCopy(path) }
        items += team.map { SyncItem(kind: .team, payload: $0) }
        for grant in grants.values.joined() { items.append(SyncItem(kind: .grant, payload: KeyGrant.encode([grant]))) }
        let (registered, _) = try registryLog.load(io: io, keyring: keyring) { path throws(StoreError) in try setAsideCopy(path) }
        var seen: Set<[UInt8]> = []
        for payload in registered {
            for entry in (try? RegistryEntry.decode(payload)) ?? [] where Store.travels(entry) {
                let one = RegistryEntry.encode([entry])
                if seen.insert(one).inserted { items.append(SyncItem(kind: .registry, payload: one)) }
            }
        }
        return items
    }

    /// The entries of a family's log as they are (an unreadable log gives none: it is named
    /// by `check`, and the copy on another laptop is the way back).
    func familyPayloads(_ id: Family.ID) -> [[UInt8]] {
        guard let bytes = try? io.readAll(layout.family(id.raw)),
              let contents = try? FrameFile.read(bytes, kind: .family, owner: id.raw, keyring: keyring) else { return [] }
        return contents.payloads
    }

    /// The summary of `items` (as `syncItems` gives them).
    package static func summary(of items: [SyncItem]) -> SyncSummary {
        var summary = SyncSummary()
        for item in items {
            switch item.kind {
            case .team: summary.team.insert(item.shortDigest)
            case .grant: summary.grants.insert(item.shortDigest)
            case .registry: summary.registry.insert(item.shortDigest)
            case .family: summary.families[Family.ID(item.family), default: .empty].add(entryDigest(item.payload))
            }
        }
        return summary
    }

    /// The items `peer` lacks: a family's whole log when its mark differs, the team-log
    /// entries, grants and registrations it doesn't list. Everything when `peer` is nil.
    package static func items(_ items: [SyncItem], notIn peer: SyncSummary?, mine: SyncSummary) -> [SyncItem] {
        guard let peer else { return items }
        return items.filter { item in
            switch item.kind {
            case .team: !peer.team.contains(item.shortDigest)
            case .grant: !peer.grants.contains(item.shortDigest)
            case .registry: !peer.registry.contains(item.shortDigest)
            case .family: peer.families[Family.ID(item.family)] != mine.families[Family.ID(item.family)]
            }
        }
    }

    /// Takes in items from another laptop: each log gains what it doesn't hold (team-log
    /// entries one by one, in the order given; grants and registrations in one write each;
    /// each family's new entries in one append), then everything is read again as at
    /// unlock. Durable on return; taking the same items in again changes nothing.
    package func merge(_ items: [SyncItem], progress: (Int, Int) -> Void = { _, _ in }) throws(StoreError) -> MergeReport {
        guard !isBeside else { throw .notPermitted(action: "merge") }
        var report = MergeReport()
        // Family logs are compared entry by entry as they are merged (`mergeFamilyEntries`).
        let mine = Store.summary(of: try sharedItems())
        for item in items where item.kind == .team && !mine.team.contains(item.shortDigest) {
            try teamLog.append(item.payload, io: io, keyring: keyring) { path throws(StoreError) in try setAsideCopy(path) }
            report.teamEntries += 1
        }
        if report.teamEntries > 0 { try loadTeam() }
        var newGrants: [KeyGrant] = []
        var newRegistrations: [RegistryEntry] = []
        var heldGrants = mine.grants, heldRegistrations = mine.registry
        for item in items {
            switch item.kind {
            case .grant where heldGrants.insert(item.shortDigest).inserted:
                guard let grants = try? KeyGrant.decode(item.payload), grants.count == 1 else { continue }
                newGrants += grants
            case .registry where heldRegistrations.insert(item.shortDigest).inserted:
                guard let entries = try? RegistryEntry.decode(item.payload), entries.count == 1, Store.travels(entries[0]) else { continue }
                newRegistrations += entries
            default: continue
            }
        }
        if !newGrants.isEmpty { try appendGrants(newGrants) }
        report.grants = newGrants.count
        var byFamily: [String: [[UInt8]]] = [:]
        var order: [String] = []
        // An id that can't name a file (`../x`) is no family of Kith's: left out.
        for item in items where item.kind == .family && Store.isSafeFileID(item.family) {
            if byFamily[item.family] == nil { order.append(item.family) }
            byFamily[item.family, default: []].append(item.payload)
        }
        // A family registered with none of its entries here (nor coming now) is awaited:
        // not here yet, which is not the same as lost.
        let waiting = newRegistrations.filter { entry in
            entry.kind == .registered && byFamily[entry.family.raw] == nil && index[entry.family] == nil
                && !awaited.contains(entry.family) && !io.exists(layout.family(entry.family.raw))
        }
        if !newRegistrations.isEmpty { try register(newRegistrations + waiting.map { RegistryEntry(kind: .awaited, family: $0.family, team: $0.team) }) }
        report.registrations = newRegistrations.count
        var arrived: [RegistryEntry] = []
        for (n, family) in order.enumerated() {
            let id = Family.ID(family)
            let added = try mergeFamilyEntries(id, byFamily[family] ?? [], durable: false)
            if added > 0 {
                report.entries += added
                report.families.insert(id)
                if awaited.contains(id) { arrived.append(RegistryEntry(kind: .arrived, family: id, team: registry[id] ?? user.team)) }
            }
            progress(n + 1, order.count)
        }

        if !report.families.isEmpty { try io.syncFilesystem(layout.root) }
        // Once the entries are durable (a crash between leaves an awaited family with its
        // log, which the next open settles).
        try register(arrived)
        // Keys that arrived open families that were only bytes before; rows follow.
        if report.grants > 0 { try loadGrants() }
        if report.registrations > 0 { try loadRegistry() }
        for id in report.families.union(registry.keys.filter { index[$0] == nil }) where !familyKeysOn || holdsKey(id) {
            cache[id] = nil
            if let read = try? readFamily(id) {
                if policy.canSee(read.file.family) {
                    index[id] = IndexEntry(row: CaseloadRow(read.file), logSize: read.size, frames: read.frames)
                } else {
                    index[id] = nil
                }
                damaged[id] = nil
                indexDirty = true
            }
        }
        grantMissing()
        try flushIndex()
        return report
    }
}

extension Store {
    /// Who wrote an item, as this laptop can tell: the signer of a team-log or family
    /// entry (nil for a family entry it holds no key to), the granter of a key grant.
    /// A registration is signed by nobody: whoever holds it may pass it on (nil).
    package func author(of item: SyncItem) -> User.ID? {
        switch item.kind {
        case .team:
            return (try? SignedBatch.open(item.payload))?.signer
        case .grant:
            return (try? KeyGrant.decode(item.payload))?.first?.granter
        case .registry:
            return nil
        case .family:
            let id = Family.ID(item.family)
            let batch = FamilyEntry.epoch(of: item.payload) == nil ? item.payload : openEntry(item.payload, family: id)?.batch
            return batch.flatMap { try? SignedBatch.open($0) }?.signer
        }
    }

    /// The items this user may hand to a hub: what they wrote, and registrations.
    package func ownItems() throws(StoreError) -> [SyncItem] {
        try syncItems().filter { item in item.kind == .registry || author(of: item) == user.id }
    }
}
