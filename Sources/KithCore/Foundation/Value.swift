/// A record field's value, the unit of an event's field change.
///
/// Records are `Codable` structs; `ValueEncoder` turns one into an `.object` whose keys are
/// the record's fields, so a change can be stored per field with its old and new value.
public enum Value: Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([Value])
    case object([String: Value])

    public var objectValue: [String: Value]? {
        if case .object(let fields) = self { return fields }
        return nil
    }

    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// A short, content-free description of the shape, for error messages.
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "bool"
        case .int: "int"
        case .double: "double"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

/// One field of one record changed: the value it started from and the value it became.
/// `old == nil` means the field did not exist (a new record); `new == nil` removes it.
///
/// A change made since records merge between laptops names a leaf (`FieldPath`) and the
/// changes of that leaf it replaced, as its author saw them (`bases`; empty for a leaf
/// that was new to them). A change without bases — written before, or whole-field changes
/// of the team's records — sets a whole top-level field and replaces whatever was there.
public struct FieldChange: Hashable, Sendable {
    public var field: String
    public var old: Value?
    public var new: Value?
    public var bases: [Event.ID]?

    /// A change of a whole top-level field.
    public init(field: String, old: Value?, new: Value?) {
        self.field = field
        self.old = old
        self.new = new
        self.bases = nil
    }

    /// A change of one leaf, replacing the changes `bases`.
    public init(path: String, old: Value?, new: Value?, bases: [Event.ID]) {
        self.field = path
        self.old = old
        self.new = new
        self.bases = bases
    }

    /// The top-level field changed (for audit lines and access checks).
    public var topField: String { bases == nil ? field : FieldPath.field(of: field) }
}

extension Value {
    /// The per-field differences from `old` to `self`, both expected to be objects.
    public func changes(from old: Value?) -> [FieldChange] {
        let before = old?.objectValue ?? [:]
        let after = objectValue ?? [:]
        var result: [FieldChange] = []
        for key in Set(before.keys).union(after.keys).sorted() where before[key] != after[key] {
            result.append(FieldChange(field: key, old: before[key], new: after[key]))
        }
        return result
    }

    /// Applies field changes to an object value (a missing object starts empty).
    public func applying(_ changes: [FieldChange]) -> Value {
        var fields = objectValue ?? [:]
        for change in changes {
            fields[change.field] = change.new
        }
        return .object(fields)
    }
}
