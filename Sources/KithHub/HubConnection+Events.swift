import Crypto
import Foundation
import PostgresNIO

/// An entry as the hub holds it: its number in the team's stream and the bytes a laptop
/// sealed and signed (the hub can't open them).
public struct HubEntry: Sendable, Equatable {
    public var seq: Int64
    /// `SyncItem.Kind`: 1 team log, 2 key grant, 3 registration, 4 family entry.
    public var kind: Int16
    /// The family of a family entry (empty otherwise).
    public var family: String
    public var author: String
    public var payload: [UInt8]

    public init(seq: Int64, kind: Int16, family: String, author: String, payload: [UInt8]) {
        self.seq = seq
        self.kind = kind
        self.family = family
        self.author = author
        self.payload = payload
    }
}

extension HubConnection {
    /// Pushes one entry this member wrote; its number in the team's stream (the same
    /// number again if the hub has it already).
    public func push(kind: Int16, family: String, author: String, payload: [UInt8]) async throws(HubError) -> Int64 {
        let rows = try await rows("SELECT kith.push(\(kind), \(family), \(author), \(ByteBuffer(bytes: payload)))")
        guard let row = rows.first, let seq = try? row.decode(Int64.self) else { throw .refused(code: "push", detail: "answer") }
        return seq
    }

    /// Pushes entries this member wrote, in order, in one statement (each through
    /// `kith.push`, so each is checked and numbered as if pushed alone).
    public func push(_ entries: [(kind: Int16, family: String, payload: [UInt8])], author: String) async throws(HubError) {
        guard !entries.isEmpty else { return }
        let kinds = entries.map(\.kind), families = entries.map(\.family), payloads = entries.map { ByteBuffer(bytes: $0.payload) }
        let rows = try await rows("""
            SELECT kith.push(e.kind, e.family, \(author), e.payload)
            FROM unnest(\(kinds)::smallint[], \(families)::text[], \(payloads)::bytea[]) WITH ORDINALITY AS e(kind, family, payload, n)
            ORDER BY e.n
            """)
        guard rows.count == entries.count else { throw .refused(code: "push", detail: "answer") }
    }

    /// The team's entries after `cursor`, in order, at most `limit`.
    public func pull(after cursor: Int64, limit: Int = 500) async throws(HubError) -> [HubEntry] {
        let rows = try await rows("SELECT seq, kind, family, author, payload FROM kith.events WHERE seq > \(cursor) ORDER BY seq LIMIT \(limit)")
        var entries: [HubEntry] = []
        for row in rows {
            // A row that doesn't read is a hub that drifted: said, never skipped.
            guard let (seq, kind, family, author, payload) = try? row.decode((Int64, Int16, String, String, ByteBuffer).self) else {
                throw .refused(code: "decode", detail: "events")
            }
            entries.append(HubEntry(seq: seq, kind: kind, family: family, author: author, payload: Array(payload.readableBytesView)))
        }
        return entries
    }
}

extension HubConnection {
    /// Whether the connection has ended (closed, dropped or timed out).
    public var isClosed: Bool { connection.isClosed }

    /// Calls `woken` with each number the hub announces for `team`'s stream (`kith.push`
    /// notifies on every entry), until the connection ends. Not bounded in time: a quiet
    /// team is normal, and a laptop polls besides.
    public func listen(team: String, _ woken: @escaping @Sendable (Int64) -> Void) async throws(HubError) {
        let channel = "kith_" + Insecure.MD5.hash(data: Array(team.utf8)).map { String(format: "%02x", $0) }.joined()
        do {
            for try await notification in try await connection.listen(channel) {
                woken(Int64(notification.payload) ?? 0)
            }
        } catch {
            throw HubConnection.translate(error, address: address)
        }
    }
}
