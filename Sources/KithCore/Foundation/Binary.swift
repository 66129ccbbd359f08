/// A compact, versionable binary encoding used for store frames, the index and drafts.
///
/// Integers are LEB128 varints (zig-zag for signed), strings and byte runs are
/// length-prefixed. Readers throw `BinaryError.truncated` rather than trapping, so a
/// damaged file is an error a person can act on, never a crash.
public struct BinaryWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    public mutating func byte(_ value: UInt8) { bytes.append(value) }

    public mutating func uvarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    public mutating func varint(_ value: Int64) {
        uvarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    public mutating func int(_ value: Int) { varint(Int64(value)) }

    public mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    public mutating func string(_ value: String) {
        var copy = value
        copy.withUTF8 { buffer in
            uvarint(UInt64(buffer.count))
            bytes.append(contentsOf: buffer)
        }
    }

    public mutating func data(_ value: [UInt8]) {
        uvarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    public mutating func optionalString(_ value: String?) {
        bool(value != nil)
        if let value { string(value) }
    }

    public mutating func double(_ value: Double) {
        var bits = value.bitPattern
        for _ in 0..<8 {
            bytes.append(UInt8(bits & 0xFF))
            bits >>= 8
        }
    }

    public mutating func raw(_ value: [UInt8]) { bytes.append(contentsOf: value) }

    public mutating func uint32LE(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8((value >> UInt32(shift)) & 0xFF)) }
    }
}

public enum BinaryError: Error, Equatable, Sendable {
    /// The bytes ended before the value did.
    case truncated
    /// A tag or length that no writer produces.
    case malformed(String)
}

public struct BinaryReader {
    public let bytes: [UInt8]
    public private(set) var offset: Int

    public init(_ bytes: [UInt8], offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    public var isAtEnd: Bool { offset >= bytes.count }
    public var remaining: Int { bytes.count - offset }

    public mutating func byte() throws -> UInt8 {
        guard offset < bytes.count else { throw BinaryError.truncated }
        defer { offset += 1 }
        return bytes[offset]
    }

    public mutating func uvarint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte()
            guard shift < 64 else { throw BinaryError.malformed("varint too long") }
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
        }
    }

    public mutating func varint() throws -> Int64 {
        let raw = try uvarint()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    public mutating func int() throws -> Int { Int(try varint()) }

    public mutating func bool() throws -> Bool { try byte() != 0 }

    public mutating func count() throws -> Int {
        let n = try uvarint()
        guard n <= UInt64(remaining) else { throw BinaryError.truncated }
        return Int(n)
    }

    public mutating func string() throws -> String {
        let n = try count()
        defer { offset += n }
        return String(decoding: bytes[offset..<offset + n], as: UTF8.self)
    }

    public mutating func data() throws -> [UInt8] {
        let n = try count()
        defer { offset += n }
        return Array(bytes[offset..<offset + n])
    }

    public mutating func optionalString() throws -> String? {
        try bool() ? try string() : nil
    }

    public mutating func double() throws -> Double {
        guard remaining >= 8 else { throw BinaryError.truncated }
        var bits: UInt64 = 0
        for i in 0..<8 { bits |= UInt64(bytes[offset + i]) << UInt64(8 * i) }
        offset += 8
        return Double(bitPattern: bits)
    }

    public mutating func raw(_ n: Int) throws -> [UInt8] {
        guard n >= 0, remaining >= n else { throw BinaryError.truncated }
        defer { offset += n }
        return Array(bytes[offset..<offset + n])
    }

    public mutating func uint32LE() throws -> UInt32 {
        let b = try raw(4)
        return UInt32(b[0]) | UInt32(b[1]) << 8 | UInt32(b[2]) << 16 | UInt32(b[3]) << 24
    }
}

extension Value {
    /// Writes the value with a one-byte tag; object keys are sorted so equal values encode equally.
    public func write(to writer: inout BinaryWriter) {
        switch self {
        case .null: writer.byte(0)
        case .bool(let b): writer.byte(b ? 2 : 1)
        case .int(let i): writer.byte(3); writer.varint(i)
        case .double(let d): writer.byte(4); writer.double(d)
        case .string(let s): writer.byte(5); writer.string(s)
        case .array(let items):
            writer.byte(6)
            writer.uvarint(UInt64(items.count))
            for item in items { item.write(to: &writer) }
        case .object(let fields):
            writer.byte(7)
            writer.uvarint(UInt64(fields.count))
            for key in fields.keys.sorted() {
                writer.string(key)
                fields[key]!.write(to: &writer)
            }
        }
    }

    public init(from reader: inout BinaryReader, depth: Int = 0) throws {
        guard depth < 64 else { throw BinaryError.malformed("nesting too deep") }
        switch try reader.byte() {
        case 0: self = .null
        case 1: self = .bool(false)
        case 2: self = .bool(true)
        case 3: self = .int(try reader.varint())
        case 4: self = .double(try reader.double())
        case 5: self = .string(try reader.string())
        case 6:
            let n = try reader.count()
            var items: [Value] = []
            items.reserveCapacity(n)
            for _ in 0..<n { items.append(try Value(from: &reader, depth: depth + 1)) }
            self = .array(items)
        case 7:
            let n = try reader.count()
            var fields: [String: Value] = [:]
            fields.reserveCapacity(n)
            for _ in 0..<n {
                let key = try reader.string()
                fields[key] = try Value(from: &reader, depth: depth + 1)
            }
            self = .object(fields)
        case let tag:
            throw BinaryError.malformed("unknown value tag \(tag)")
        }
    }
}
