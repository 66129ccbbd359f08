import Crypto
import KithCore
import KithStore

/// A laptop and the hub, brought up to date with each other: what this user wrote that
/// the hub lacks goes up (each entry pushed by its author, as the hub insists), then
/// everything after the laptop's cursor comes down, in batches, and goes through the same
/// merge as a bundle (signatures, rights and conflicts judged on the laptop). A dropped
/// connection loses nothing: a batch pushed is on the hub once its transaction commits,
/// and the cursor moves only past entries merged durably — the next run carries on.
public enum HubSync {
    public struct Report: Sendable, Equatable {
        public var pushed = 0
        public var pulled = 0
        /// Rows of a kind this Kith doesn't know (from a newer one): kept on the hub, not taken in.
        public var unknown = 0
        public var merged = MergeReport()
        /// What the hub said of this laptop's audit trail.
        public var audit: AuditAnswer?
        /// The settings to keep: the cursor past the last entry taken in, the marks past what was sent.
        public var settings: HubSettings
    }

    /// Entries per push transaction, and per pull (the app pulls `pullBatch` a round, so
    /// a save waits at most for one merge of that many; `kith sync` takes `commandBatch`).
    static let pushBatch = 500
    package static let pullBatch = 500
    static let commandBatch = 5_000
    /// Pulled bytes `kith sync` merges at once (a team's first pull is merged in a few steps).
    static let mergeBytes = 64 << 20

    /// The whole exchange, as `kith sync` runs it.
    public static func run(_ store: Store, on hub: HubConnection, settings: HubSettings) async throws -> Report {
        var report = Report(settings: settings)
        let outgoing = try store.hubOutgoing(since: settings.marks)
        try await deactivate(outgoing.retired, on: hub)
        report.pushed = try await push(outgoing.items, by: store.user.id.raw, to: hub)
        report.settings.marks = outgoing.marks
        // Batches are merged together up to `mergeBytes` (a family's log is read and its row
        // rebuilt once per merge, not once per batch); what came down before a dropped
        // connection is merged before the error is passed on.
        var waiting = Pulled(cursor: report.settings.cursor), bytes = 0
        func mergeWaiting() throws {
            guard waiting.count > 0 else { return }
            report.add(try store.merge(waiting.items), waiting)
            waiting = Pulled(cursor: waiting.cursor)
            bytes = 0
        }
        do {
            while true {
                let pulled = try await pull(hub, after: waiting.cursor, limit: commandBatch)
                if pulled.count == 0 { break }
                waiting.items += pulled.items
                waiting.count += pulled.count
                waiting.unknown += pulled.unknown
                waiting.cursor = pulled.cursor
                bytes += pulled.items.reduce(0) { $0 + $1.payload.count }
                if pulled.count < commandBatch { break }
                if bytes >= mergeBytes { try mergeWaiting() }
            }
        } catch let error as HubError {
            try mergeWaiting()
            throw error
        }
        try mergeWaiting()
        report.audit = try await anchor(store, on: hub, settings: &report.settings)
        return report
    }

    /// Entries taken from the hub, ready for `Store.merge`.
    package struct Pulled: Sendable {
        package var items: [SyncItem] = []
        /// Rows read (known kinds or not).
        package var count = 0
        package var unknown = 0
        /// The last row read.
        package var cursor: Int64
    }

    /// Up to `limit` entries after `cursor`, in the hub's order.
    package static func pull(_ hub: HubConnection, after cursor: Int64, limit: Int) async throws(HubError) -> Pulled {
        let entries = try await hub.pull(after: cursor, limit: limit)
        var pulled = Pulled(count: entries.count, cursor: entries.last?.seq ?? cursor)
        for entry in entries {
            guard let kind = SyncItem.Kind(rawValue: UInt8(clamping: entry.kind)) else {
                pulled.unknown += 1
                continue
            }
            pulled.items.append(SyncItem(kind: kind, family: entry.family, payload: entry.payload))
        }
        return pulled
    }

    /// Ends the hub access of these users of the team (a team lead's or admin's laptop,
    /// following the signed deactivations in the team log): they read and push nothing
    /// from their next statement on. How many were still active.
    @discardableResult
    package static func deactivate(_ users: [String], on hub: HubConnection) async throws(HubError) -> Int {
        guard !users.isEmpty else { return 0 }
        let rows = try await hub.rows("SELECT count(*) FILTER (WHERE kith.deactivate(u)) FROM unnest(\(users)) AS u")
        return rows.first.flatMap { try? $0.decode(Int64.self) }.map(Int.init) ?? 0
    }

    /// Pushes the items the hub doesn't hold yet, each as written by `author` (the
    /// hub's check that a member pushes only their own); how many went up.
    package static func push(_ items: [SyncItem], by author: String, to hub: HubConnection) async throws(HubError) -> Int {
        var pushed = 0
        var start = 0
        while start < items.count {
            let batch = Array(items[start..<min(start + 1000, items.count)])
            start += batch.count
            let held = try await hub.held(batch.map { digest($0.payload) })
            let missing = batch.filter { !held.contains(digest($0.payload)) }
            var offset = 0
            while offset < missing.count {
                let chunk = Array(missing[offset..<min(offset + pushBatch, missing.count)])
                offset += chunk.count
                // One statement per chunk: the entries go through kith.push in order,
                // in one transaction, in one round trip.
                try await hub.transaction { (c) throws(HubError) in
                    try await c.push(chunk.map { (Int16($0.kind.rawValue), $0.family, $0.payload) }, author: author)
                }
                pushed += chunk.count
            }
        }
        return pushed
    }

    /// An entry's id on the hub: the hex of its SHA-256.
    static func digest(_ payload: [UInt8]) -> String {
        SHA256.hash(data: payload).map { String(format: "%02x", $0) }.joined()
    }
}

extension HubSync.Report {
    /// Counts a pulled batch once it is merged, and moves the cursor past it.
    package mutating func add(_ merged: MergeReport, _ pulled: HubSync.Pulled) {
        self.merged.entries += merged.entries
        self.merged.families.formUnion(merged.families)
        self.merged.teamEntries += merged.teamEntries
        self.merged.grants += merged.grants
        self.merged.registrations += merged.registrations
        self.pulled += pulled.count
        unknown += pulled.unknown
        settings.cursor = pulled.cursor
    }
}

extension HubConnection {
    /// Which of these entry ids (hex SHA-256) the hub holds for this team.
    func held(_ ids: [String]) async throws(HubError) -> Set<String> {
        guard !ids.isEmpty else { return [] }
        let rows = try await rows("SELECT encode(event_id, 'hex') FROM kith.events WHERE event_id IN (SELECT decode(x, 'hex') FROM unnest(\(ids)) AS x)")
        var held: Set<String> = []
        for row in rows { if let id = try? row.decode(String.self) { held.insert(id) } }
        return held
    }
}
