/// Encodes any `Encodable` into a `Value` tree without going through JSON text.
public struct ValueEncoder: Sendable {
    public init() {}

    public func encode<T: Encodable>(_ value: T) throws -> Value {
        if let direct = ValueEncoder.direct(value) { return direct }
        let encoder = _ValueEncoder(codingPath: [])
        try value.encode(to: encoder)
        return encoder.storage.value
    }

    /// Fast paths for leaf types whose `Codable` conformance is a single value.
    static func direct(_ value: Any) -> Value? {
        switch value {
        case let v as String: return .string(v)
        case let v as Int: return .int(Int64(v))
        case let v as Bool: return .bool(v)
        case let v as Double: return .double(v)
        case let v as Day: return .string(v.iso)
        default: return nil
        }
    }
}

/// Mutable node of the tree under construction; containers write into their node.
final class ValueBox {
    enum Node {
        case empty
        case single(Value)
        case object([String: ValueBox])
        case array([ValueBox])
    }

    var node: Node = .empty

    var value: Value {
        switch node {
        case .empty: return .object([:])
        case .single(let value): return value
        case .object(let fields): return .object(fields.mapValues(\.value))
        case .array(let items): return .array(items.map(\.value))
        }
    }
}

final class _ValueEncoder: Encoder {
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    let storage = ValueBox()

    init(codingPath: [any CodingKey]) { self.codingPath = codingPath }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .object = storage.node {} else { storage.node = .object([:]) }
        return KeyedEncodingContainer(KeyedValueEncoder<Key>(box: storage, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .array = storage.node {} else { storage.node = .array([]) }
        return UnkeyedValueEncoder(box: storage, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleValueEncoder(box: storage, codingPath: codingPath)
    }
}

private func encodeChild<T: Encodable>(_ value: T, path: [any CodingKey]) throws -> ValueBox {
    if let direct = ValueEncoder.direct(value) {
        let box = ValueBox()
        box.node = .single(direct)
        return box
    }
    let encoder = _ValueEncoder(codingPath: path)
    try value.encode(to: encoder)
    return encoder.storage
}

private func leaf(_ value: Value) -> ValueBox {
    let box = ValueBox()
    box.node = .single(value)
    return box
}

struct KeyedValueEncoder<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let box: ValueBox
    let codingPath: [any CodingKey]

    private func set(_ child: ValueBox, _ key: Key) {
        guard case .object(var fields) = box.node else { return }
        fields[key.stringValue] = child
        box.node = .object(fields)
    }

    mutating func encodeNil(forKey key: Key) throws { set(leaf(.null), key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { set(leaf(.bool(value)), key) }
    mutating func encode(_ value: String, forKey key: Key) throws { set(leaf(.string(value)), key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { set(leaf(.double(value)), key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { set(leaf(.int(Int64(value))), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { set(leaf(.int(value)), key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { set(leaf(.int(Int64(value))), key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { set(leaf(.int(Int64(value))), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { set(leaf(.int(Int64(value))), key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { set(leaf(.int(Int64(value))), key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { set(leaf(.int(Int64(value))), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { set(leaf(.int(Int64(value))), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { set(leaf(.int(Int64(value))), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { set(leaf(.int(Int64(value))), key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { set(leaf(.double(Double(value))), key) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        set(try encodeChild(value, path: codingPath + [key]), key)
    }
    /// Absent optionals are left out entirely, so a missing field and nil are the same.
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) }
    }
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) }
    }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) }
    }
    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let child = ValueBox()
        child.node = .object([:])
        set(child, key)
        return KeyedEncodingContainer(KeyedValueEncoder<NestedKey>(box: child, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = ValueBox()
        child.node = .array([])
        set(child, key)
        return UnkeyedValueEncoder(box: child, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder { _ValueEncoder(codingPath: codingPath) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { _ValueEncoder(codingPath: codingPath + [key]) }
}

struct IndexKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(_ index: Int) { stringValue = String(index); intValue = index }
    init?(stringValue: String) { self.stringValue = stringValue; intValue = Int(stringValue) }
    init?(intValue: Int) { self.init(intValue) }
}

struct UnkeyedValueEncoder: UnkeyedEncodingContainer {
    let box: ValueBox
    let codingPath: [any CodingKey]

    var count: Int {
        if case .array(let items) = box.node { return items.count }
        return 0
    }

    private func append(_ child: ValueBox) {
        guard case .array(var items) = box.node else { return }
        items.append(child)
        box.node = .array(items)
    }

    mutating func encodeNil() throws { append(leaf(.null)) }
    mutating func encode(_ value: Bool) throws { append(leaf(.bool(value))) }
    mutating func encode(_ value: String) throws { append(leaf(.string(value))) }
    mutating func encode(_ value: Int) throws { append(leaf(.int(Int64(value)))) }
    mutating func encode(_ value: Double) throws { append(leaf(.double(value))) }
    mutating func encode(_ value: Int8) throws { append(leaf(.int(Int64(value)))) }
    mutating func encode(_ value: Int16) throws { append(leaf(.int(Int64(value)))) }
    mutating func encode(_ value: Int32) throws { append(leaf(.int(Int64(value)))) }
    mutating func encode(_ value: UInt) throws { append(leaf(.int(Int64(value)))) }
    mutating func encode(_ value: UInt8) throws { append(leaf(.int(Int64(value)))) }
    mutating func encode(_ value: UInt16) throws { append(leaf(.int(Int64(value)))) }
    mutating func encode(_ value: UInt32) throws { append(leaf(.int(Int64(value)))) }
    mutating func encode(_ value: UInt64) throws { append(leaf(.int(Int64(value)))) }
    mutating func encode(_ value: Int64) throws { append(leaf(.int(Int64(value)))) }
    mutating func encode(_ value: Float) throws { append(leaf(.double(Double(value)))) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        append(try encodeChild(value, path: codingPath + [IndexKey(count)]))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let child = ValueBox()
        child.node = .object([:])
        append(child)
        return KeyedEncodingContainer(KeyedValueEncoder<NestedKey>(box: child, codingPath: codingPath))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let child = ValueBox()
        child.node = .array([])
        append(child)
        return UnkeyedValueEncoder(box: child, codingPath: codingPath)
    }

    mutating func superEncoder() -> any Encoder { _ValueEncoder(codingPath: codingPath) }
}

struct SingleValueEncoder: SingleValueEncodingContainer {
    let box: ValueBox
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { box.node = .single(.null) }
    mutating func encode(_ value: Bool) throws { box.node = .single(.bool(value)) }
    mutating func encode(_ value: String) throws { box.node = .single(.string(value)) }
    mutating func encode(_ value: Double) throws { box.node = .single(.double(value)) }
    mutating func encode(_ value: Int) throws { box.node = .single(.int(Int64(value))) }
    mutating func encode(_ value: Int64) throws { box.node = .single(.int(value)) }
    mutating func encode(_ value: Int8) throws { box.node = .single(.int(Int64(value))) }
    mutating func encode(_ value: Int16) throws { box.node = .single(.int(Int64(value))) }
    mutating func encode(_ value: Int32) throws { box.node = .single(.int(Int64(value))) }
    mutating func encode(_ value: UInt) throws { box.node = .single(.int(Int64(value))) }
    mutating func encode(_ value: UInt8) throws { box.node = .single(.int(Int64(value))) }
    mutating func encode(_ value: UInt16) throws { box.node = .single(.int(Int64(value))) }
    mutating func encode(_ value: UInt32) throws { box.node = .single(.int(Int64(value))) }
    mutating func encode(_ value: UInt64) throws { box.node = .single(.int(Int64(value))) }
    mutating func encode(_ value: Float) throws { box.node = .single(.double(Double(value))) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        let child = try encodeChild(value, path: codingPath)
        box.node = child.node
    }
}
