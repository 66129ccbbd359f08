/// Every change to a record is an event: who, when, on which device, which fields
/// changed from what to what. History, audit and (later) sync all come from events.
public struct Event: Hashable, Sendable {
    public typealias ID = Identifier<Event>

    public var id: ID
    public var hlc: HLC
    public var author: User.ID
    public var entity: EntityRef
    public var action: EventAction
    public var changes: [FieldChange]

    public init(id: ID, hlc: HLC, author: User.ID, entity: EntityRef, action: EventAction, changes: [FieldChange]) {
        self.id = id
        self.hlc = hlc
        self.author = author
        self.entity = entity
        self.action = action
        self.changes = changes
    }

    public var device: Device.ID { hlc.device }

    /// Names of the changed fields, for audit lines (never the values).
    /// Each once, top-level: paths name list elements by id or by a hash of their content.
    public var fieldNames: [String] {
        var seen: Set<String> = []
        return changes.map(\.topField).filter { seen.insert($0).inserted }
    }

    /// The top-level fields changed.
    public var topFields: Set<String> { Set(changes.map(\.topField)) }
}

/// Which record an event is about.
public struct EntityRef: Hashable, Sendable, Codable, CustomStringConvertible {
    public var kind: RecordKind
    public var id: String

    public init(kind: RecordKind, id: String) {
        self.kind = kind
        self.id = id
    }

    public var description: String { "\(kind.rawValue):\(id)" }
}

public enum EventAction: String, Sendable, Codable, CaseIterable {
    /// The record came into being.
    case create
    /// Fields of an existing record changed.
    case update
    /// A printout of the record was made (no field changes).
    case print
    /// The record left the store in an export (no field changes).
    case export
}

extension Event {
    public func write(to writer: inout BinaryWriter) {
        // Version 2 adds each change's bases; events without any are still written as 1,
        // so stores and bundles from before read them the same.
        let version: UInt8 = changes.contains { $0.bases != nil } ? 2 : 1
        writer.byte(version)
        writer.string(id.raw)
        writer.varint(hlc.wallMillis)
        writer.uvarint(UInt64(hlc.counter))
        writer.string(hlc.device.raw)
        writer.string(author.raw)
        writer.string(entity.kind.rawValue)
        writer.string(entity.id)
        writer.string(action.rawValue)
        writer.uvarint(UInt64(changes.count))
        for change in changes {
            writer.string(change.field)
            Event.writeOptional(change.old, to: &writer)
            Event.writeOptional(change.new, to: &writer)
            if version == 2 {
                writer.bool(change.bases != nil)
                if let bases = change.bases {
                    writer.uvarint(UInt64(bases.count))
                    for base in bases { writer.string(base.raw) }
                }
            }
        }
    }

    public init(from reader: inout BinaryReader) throws {
        let version = try reader.byte()
        guard version == 1 || version == 2 else { throw BinaryError.malformed("event version") }
        let id = ID(try reader.string())
        let wall = try reader.varint()
        let counter = try reader.uvarint()
        let device = Device.ID(try reader.string())
        let author = User.ID(try reader.string())
        guard let kind = RecordKind(rawValue: try reader.string()) else { throw BinaryError.malformed("record kind") }
        let entityID = try reader.string()
        guard let action = EventAction(rawValue: try reader.string()) else { throw BinaryError.malformed("event action") }
        let n = try reader.count()
        var changes: [FieldChange] = []
        changes.reserveCapacity(n)
        for _ in 0..<n {
            let field = try reader.string()
            let old = try Event.readOptional(&reader)
            let new = try Event.readOptional(&reader)
            if version == 2, try reader.bool() {
                let bases = try (0..<reader.count()).map { _ in ID(try reader.string()) }
                changes.append(FieldChange(path: field, old: old, new: new, bases: bases))
            } else {
                changes.append(FieldChange(field: field, old: old, new: new))
            }
        }
        self.init(id: id, hlc: HLC(wallMillis: wall, counter: UInt32(truncatingIfNeeded: counter), device: device),
                  author: author, entity: EntityRef(kind: kind, id: entityID), action: action, changes: changes)
    }

    private static func writeOptional(_ value: Value?, to writer: inout BinaryWriter) {
        writer.bool(value != nil)
        value?.write(to: &writer)
    }

    private static func readOptional(_ reader: inout BinaryReader) throws -> Value? {
        try reader.bool() ? try Value(from: &reader) : nil
    }

    /// Encodes a batch of events saved together (one durable frame in the store).
    public static func encodeBatch(_ events: [Event]) -> [UInt8] {
        var writer = BinaryWriter(capacity: 512)
        writer.uvarint(UInt64(events.count))
        for event in events { event.write(to: &writer) }
        return writer.bytes
    }

    public static func decodeBatch(_ bytes: [UInt8]) throws -> [Event] {
        var reader = BinaryReader(bytes)
        let n = try reader.count()
        var events: [Event] = []
        events.reserveCapacity(n)
        for _ in 0..<n { events.append(try Event(from: &reader)) }
        guard reader.isAtEnd else { throw BinaryError.malformed("trailing bytes") }
        return events
    }
}
