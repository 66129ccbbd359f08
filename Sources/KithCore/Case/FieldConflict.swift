/// Two or more changes of the same leaf of a record made without seeing each other, with
/// different values: shown to the people who may edit the family until one of them
/// chooses a value (or writes a new one).
public struct FieldConflict: Sendable, Hashable {
    public var ref: EntityRef
    /// The leaf (see `FieldPath`).
    public var path: String
    /// The competing changes, oldest first: who, on which laptop and when, and the value.
    public var heads: [RecordFold.Head]

    public init(ref: EntityRef, path: String, heads: [RecordFold.Head]) {
        self.ref = ref
        self.path = path
        self.heads = heads
    }

    /// The top-level field in conflict (what a form calls it).
    public var field: String { FieldPath.field(of: path) }

    /// The distinct values, in the order of the changes that made them.
    public var values: [Value?] {
        var seen: [Value?] = []
        for head in heads where !seen.contains(head.value) { seen.append(head.value) }
        return seen
    }
}
