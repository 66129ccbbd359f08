import KithCore

/// A user's team hub as this laptop knows it: the address, their own login and password
/// there (sealed with the store's key, like everything in the store — never in a plain
/// config file, never on a command line), and how far they have pulled.
public struct HubSettings: Sendable, Equatable {
    /// The hub's address without a password (`postgres://ROLE@HOST:PORT/DATABASE`).
    public var url: String
    public var password: String
    /// The last entry of the team's stream taken in.
    public var cursor: Int64
    /// When the last sync finished (ms since 1970), nil before the first.
    public var lastSync: Int64?
    /// How far what this user wrote is known to be on the hub.
    public var marks: HubMarks
    /// How many audit entries of this laptop the hub holds anchored, as it last said (-1
    /// before it has): the point the next anchor proves (`Store.auditProof`).
    public var auditAnchored: Int

    public init(url: String, password: String, cursor: Int64 = 0, lastSync: Int64? = nil, marks: HubMarks = HubMarks(), auditAnchored: Int = -1) {
        self.url = url
        self.password = password
        self.cursor = cursor
        self.lastSync = lastSync
        self.marks = marks
        self.auditAnchored = auditAnchored
    }

    func bytes() -> [UInt8] {
        var w = BinaryWriter(capacity: 64 + marks.families.count * 40 + marks.shared.count * 8)
        w.byte(3)
        w.string(url)
        w.string(password)
        w.varint(cursor)
        w.bool(lastSync != nil)
        if let lastSync { w.varint(lastSync) }
        w.uvarint(UInt64(marks.families.count))
        for (family, mark) in marks.families.sorted(by: { $0.key < $1.key }) {
            w.string(family)
            w.varint(mark.size)
            w.int(mark.entries)
            w.uvarint(mark.last)
        }
        w.uvarint(UInt64(marks.shared.count))
        for digest in marks.shared.sorted() { w.uvarint(digest) }
        w.varint(Int64(auditAnchored))
        return w.bytes
    }

    package static func parse(_ bytes: [UInt8]) throws -> HubSettings {
        var r = BinaryReader(bytes)
        let version = try r.byte()
        guard (1...3).contains(version) else { throw BinaryError.malformed("hub settings version") }
        var settings = HubSettings(url: try r.string(), password: try r.string(), cursor: try r.varint())
        if try r.bool() { settings.lastSync = try r.varint() }
        if version >= 2 {
            for _ in 0..<(try r.count()) {
                let family = try r.string()
                let mark = HubMarks.Mark(size: try r.varint(), entries: try r.int(), last: try r.uvarint())
                guard mark.size >= 0, mark.entries >= 0 else { throw BinaryError.malformed("hub mark") }
                settings.marks.families[family] = mark
            }
            for _ in 0..<(try r.count()) { settings.marks.shared.insert(try r.uvarint()) }
        }
        if version >= 3 {
            let anchored = try r.varint()
            guard anchored >= -1, anchored <= Int64(Int32.max) else { throw BinaryError.malformed("hub audit anchor") }
            settings.auditAnchored = Int(anchored)
        }
        guard r.isAtEnd, settings.cursor >= 0 else { throw BinaryError.malformed("hub settings") }
        return settings
    }
}

/// How far what this user wrote is known to be on the hub, so a sync reads only the logs
/// that changed since: for each family log, its size and number of entries when all of
/// this user's entries in it were last confirmed there (and the last entry's short digest,
/// so a log rewritten meanwhile is read whole again); the short digests of the team-log
/// entries, grants and registrations already handled.
public struct HubMarks: Sendable, Equatable {
    public struct Mark: Sendable, Equatable {
        public var size: Int64
        public var entries: Int
        public var last: UInt64
    }

    public var families: [String: Mark] = [:]
    public var shared: Set<UInt64> = []

    public init() {}
}

/// What this user has to send to the hub: their entries beyond the marks (and the
/// registrations, which anyone passes on), and the marks to keep once they are there.
package struct HubOutgoing: Sendable {
    package var items: [SyncItem]
    package var marks: HubMarks
    /// For a team lead or admin: the team's deactivated users, whose access to the hub
    /// ends with this sync if it hasn't already.
    package var retired: [String] = []
}

extension Store {
    /// This user's hub, nil when they have none. A file that doesn't read is named.
    public func hubSettings() throws(StoreError) -> HubSettings? {
        let path = layout.hub(user.login)
        guard io.exists(path) else { return nil }
        guard let bytes = try? io.readAll(path),
              let contents = try? FrameFile.read(bytes, kind: .hubSettings, owner: manifest.storeID + "|" + user.login, keyring: keyring),
              let payload = contents.payloads.first, let settings = try? HubSettings.parse(payload) else {
            throw .corrupt(file: "hub-\(user.login).bin", detail: "unreadable hub settings (kith hub connect writes them again)")
        }
        return settings
    }

    /// What this user wrote that isn't known to be on the hub beyond `marks`. Reads only
    /// the family logs whose size differs from their mark (a day's work, not the caseload).
    package func hubOutgoing(since marks: HubMarks) throws(StoreError) -> HubOutgoing {
        var next = HubMarks()
        var items: [SyncItem] = []
        for item in try sharedItems() {
            let digest = item.shortDigest
            next.shared.insert(digest)
            if marks.shared.contains(digest) { continue }
            if item.kind == .registry || author(of: item) == user.id { items.append(item) }
        }
        for (name, size) in io.fs.sizes(in: layout.families, suffix: ".log") {
            let id = String(name)
            let mark = marks.families[id]
            if let mark, mark.size == size {
                next.families[id] = mark
                continue
            }
            let payloads = familyPayloads(Family.ID(id))
            // A log that doesn't read now is read again next time (`check` names it).
            if payloads.isEmpty && size > 0 {
                if let mark { next.families[id] = mark }
                continue
            }
            // Entries after the mark when the log only grew since; all of them otherwise.
            var from = 0
            if let mark, mark.size < size, mark.entries > 0, mark.entries <= payloads.count,
               Store.shortDigest(payloads[mark.entries - 1]) == mark.last {
                from = mark.entries
            }
            for payload in payloads[from...] {
                let item = SyncItem(kind: .family, family: id, payload: payload)
                if author(of: item) == user.id { items.append(item) }
            }
            next.families[id] = HubMarks.Mark(size: size, entries: payloads.count, last: payloads.last.map(Store.shortDigest) ?? 0)
        }
        let retired = user.role == .worker ? [] : users.values.filter { !$0.active && $0.team == user.team }.map(\.id.raw).sorted()
        return HubOutgoing(items: items, marks: next, retired: retired)
    }

    /// Keeps this user's hub settings, durably.
    public func saveHubSettings(_ settings: HubSettings) throws(StoreError) {
        let owner = manifest.storeID + "|" + user.login
        try io.writeAtomically(layout.hub(user.login), FrameFile.header(kind: .hubSettings, owner: owner)
            + FrameFile.frame(settings.bytes(), kind: .hubSettings, owner: owner, sequence: 0, keyring: keyring))
    }
}
