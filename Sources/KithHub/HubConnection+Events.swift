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
