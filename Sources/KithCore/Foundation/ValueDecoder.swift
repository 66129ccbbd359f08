/// Decodes a `Decodable` from a `Value` tree.
///
/// Lenient in one way that matters for records written by older versions: a missing
/// list field decodes as an empty list, so adding a list field to a record needs no migration.
public struct ValueDecoder: Sendable {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from value: Value) throws -> T {
        if let direct: T = try ValueDecoder.direct(value, as: type, path: []) { return direct }
        return try T(from: _ValueDecoder(value: value, codingPath: []))
    }

    static func direct<T>(_ value: Value, as type: T.Type, path: [any CodingKey]) throws -> T? {
        switch type {
        case is String.Type:
            guard case .string(let v) = value else { throw mismatch(type, value, path) }
            return v as? T
        case is Int.Type:
            guard case .int(let v) = value else { throw mismatch(type, value, path) }
            return Int(v) as? T
        case is Bool.Type:
            guard case .bool(let v) = value else { throw mismatch(type, value, path) }
            return v as? T
        case is Day.Type:
            guard case .string(let v) = value, let day = Day(iso: v) else { throw mismatch(type, value, path) }
            return day as? T
        default:
            return nil
        }
    }

    static func mismatch(_ type: Any.Type, _ value: Value, _ path: [any CodingKey]) -> DecodingError {
        DecodingError.typeMismatch(type, .init(codingPath: path, debugDescription: "expected \(type), found \(value.kindName)"))
    }
}

struct _ValueDecoder: Decoder {
    let value: Value
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let fields) = value else { throw ValueDecoder.mismatch([String: Any].self, value, codingPath) }
        return KeyedDecodingContainer(KeyedValueDecoder<Key>(fields: fields, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let items) = value else { throw ValueDecoder.mismatch([Any].self, value, codingPath) }
        return UnkeyedValueDecoder(items: items, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleValueDecoder(value: value, codingPath: codingPath)
    }
}

private func decodeChild<T: Decodable>(_ type: T.Type, _ value: Value, path: [any CodingKey]) throws -> T {
    if let direct: T = try ValueDecoder.direct(value, as: type, path: path) { return direct }
    return try T(from: _ValueDecoder(value: value, codingPath: path))
}

private func integer<T: FixedWidthInteger>(_ value: Value, _ type: T.Type, _ path: [any CodingKey]) throws -> T {
    switch value {
    case .int(let v):
        guard let exact = T(exactly: v) else { throw ValueDecoder.mismatch(type, value, path) }
        return exact
    case .double(let d):
        guard let exact = T(exactly: d) else { throw ValueDecoder.mismatch(type, value, path) }
        return exact
    default:
        throw ValueDecoder.mismatch(type, value, path)
    }
}

private func double(_ value: Value, _ path: [any CodingKey]) throws -> Double {
    switch value {
    case .double(let d): return d
    case .int(let i): return Double(i)
    default: throw ValueDecoder.mismatch(Double.self, value, path)
    }
}

struct KeyedValueDecoder<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let fields: [String: Value]
    let codingPath: [any CodingKey]

    var allKeys: [Key] { fields.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { fields[key.stringValue] != nil }

    private func require(_ key: Key) throws -> Value {
        guard let value = fields[key.stringValue] else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "missing field \(key.stringValue)"))
        }
        return value
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        guard let value = fields[key.stringValue] else { return true }
        return value == .null
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
        let value = try require(key)
        guard case .bool(let b) = value else { throw ValueDecoder.mismatch(type, value, codingPath + [key]) }
        return b
    }

    func decode(_ type: String.Type, forKey key: Key) throws -> String {
        let value = try require(key)
        guard case .string(let s) = value else { throw ValueDecoder.mismatch(type, value, codingPath + [key]) }
        return s
    }

    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try double(require(key), codingPath + [key]) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { Float(try double(require(key), codingPath + [key])) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try integer(require(key), type, codingPath + [key]) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try integer(require(key), type, codingPath + [key]) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try integer(require(key), type, codingPath + [key]) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try integer(require(key), type, codingPath + [key]) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try integer(require(key), type, codingPath + [key]) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try integer(require(key), type, codingPath + [key]) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try integer(require(key), type, codingPath + [key]) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try integer(require(key), type, codingPath + [key]) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try integer(require(key), type, codingPath + [key]) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try integer(require(key), type, codingPath + [key]) }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        guard let value = fields[key.stringValue] else {
            if T.self is any ExpressibleByArrayLiteral.Type {
                return try decodeChild(type, .array([]), path: codingPath + [key])
            }
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "missing field \(key.stringValue)"))
        }
        return try decodeChild(type, value, path: codingPath + [key])
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let value = fields[key.stringValue], value != .null else { return nil }
        return try decodeChild(type, value, path: codingPath + [key])
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try _ValueDecoder(value: require(key), codingPath: codingPath + [key]).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try _ValueDecoder(value: require(key), codingPath: codingPath + [key]).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { _ValueDecoder(value: .object(fields), codingPath: codingPath) }
    func superDecoder(forKey key: Key) throws -> any Decoder { _ValueDecoder(value: try require(key), codingPath: codingPath + [key]) }
}

struct UnkeyedValueDecoder: UnkeyedDecodingContainer {
    let items: [Value]
    let codingPath: [any CodingKey]
    var currentIndex = 0

    init(items: [Value], codingPath: [any CodingKey]) {
        self.items = items
        self.codingPath = codingPath
    }

    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    private mutating func next() throws -> Value {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(Value.self, .init(codingPath: codingPath, debugDescription: "list ended"))
        }
        defer { currentIndex += 1 }
        return items[currentIndex]
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, items[currentIndex] == .null else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let path = codingPath + [IndexKey(currentIndex)]
        return try decodeChild(type, next(), path: path)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try _ValueDecoder(value: next(), codingPath: codingPath).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try _ValueDecoder(value: next(), codingPath: codingPath).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder { _ValueDecoder(value: try next(), codingPath: codingPath) }
}

struct SingleValueDecoder: SingleValueDecodingContainer {
    let value: Value
    let codingPath: [any CodingKey]

    func decodeNil() -> Bool { value == .null }

    func decode(_ type: Bool.Type) throws -> Bool {
        guard case .bool(let b) = value else { throw ValueDecoder.mismatch(type, value, codingPath) }
        return b
    }

    func decode(_ type: String.Type) throws -> String {
        guard case .string(let s) = value else { throw ValueDecoder.mismatch(type, value, codingPath) }
        return s
    }

    func decode(_ type: Double.Type) throws -> Double { try double(value, codingPath) }
    func decode(_ type: Float.Type) throws -> Float { Float(try double(value, codingPath)) }
    func decode(_ type: Int.Type) throws -> Int { try integer(value, type, codingPath) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(value, type, codingPath) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(value, type, codingPath) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(value, type, codingPath) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(value, type, codingPath) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(value, type, codingPath) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(value, type, codingPath) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(value, type, codingPath) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(value, type, codingPath) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(value, type, codingPath) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decodeChild(type, value, path: codingPath) }
}
