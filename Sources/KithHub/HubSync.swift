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
        /// The last entry taken in.
        public var cursor: Int64 = 0
    }

    /// Entries per push transaction, and per pull.
    static let pushBatch = 100
    static let pullBatch = 500

    public static func run(_ store: Store, on hub: HubConnection, after cursor: Int64) async throws -> Report {
        var report = Report()
        report.cursor = cursor
        report.pushed = try await push(store, to: hub)
        while true {
            let entries = try await hub.pull(after: report.cursor, limit: pullBatch)
            if entries.isEmpty { break }
            var items: [SyncItem] = []
            for entry in entries {
                guard let kind = SyncItem.Kind(rawValue: UInt8(clamping: entry.kind)) else {
                    report.unknown += 1
                    continue
                }
                items.append(SyncItem(kind: kind, family: entry.family, payload: entry.payload))
            }
            let merged = try store.merge(items)
            report.merged.entries += merged.entries
            report.merged.families.formUnion(merged.families)
            report.merged.teamEntries += merged.teamEntries
            report.merged.grants += merged.grants
            report.merged.registrations += merged.registrations
            report.pulled += entries.count
            report.cursor = entries.last?.seq ?? report.cursor
            if entries.count < pullBatch { break }
        }
        return report
    }

    /// Pushes this user's items the hub doesn't hold; how many went up.
    static func push(_ store: Store, to hub: HubConnection) async throws -> Int {
        let mine = try store.ownItems()
        let me = store.user.id.raw
        var pushed = 0
        var start = 0
        while start < mine.count {
            let batch = Array(mine[start..<min(start + 1000, mine.count)])
            start += batch.count
            let held = try await hub.held(batch.map { digest($0.payload) })
            let missing = batch.filter { !held.contains(digest($0.payload)) }
            var offset = 0
            while offset < missing.count {
                let chunk = Array(missing[offset..<min(offset + pushBatch, missing.count)])
                offset += chunk.count
                try await hub.transaction { (c) throws(HubError) in
                    for item in chunk { _ = try await c.push(kind: Int16(item.kind.rawValue), family: item.family, author: me, payload: item.payload) }
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
