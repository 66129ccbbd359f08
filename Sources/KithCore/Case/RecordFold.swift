/// One record folded from its events, leaf by leaf (see `FieldPath`), so that events
/// from several laptops merge the same way whatever order they arrive in.
///
/// Each change names the changes of its leaf it replaced (its bases: what its author saw).
/// A leaf's *heads* are the changes no other change replaced. One head, or several with
/// the same value, is a settled value; heads with different values are a conflict — two
/// people changed the leaf without seeing each other's change. The leaf then shows the
/// newest head's value (so the record still reads), and the conflict stays open until a
/// change whose bases are all the heads (a resolution) replaces them.
///
/// Heads are the changes seen minus the changes named as bases: a set, so the result
/// doesn't depend on the order events are applied in, and an event applied twice
/// changes nothing.
public struct RecordFold: Sendable, Equatable {
    public struct Head: Sendable, Hashable {
        public var event: Event.ID
        public var hlc: HLC
        public var author: User.ID
        public var value: Value?
        /// What the leaf was as its author saw it (kept so a removed element can come back).
        public var old: Value?
    }

    struct Leaf: Sendable, Equatable {
        var heads: [Head] = []
        var superseded: Set<Event.ID> = []

        /// The value shown: the newest head's (all agree unless the leaf is in conflict).
        var shown: Value? {
            heads.max { ($0.hlc, $0.event) < ($1.hlc, $1.event) }?.value
        }

        var isConflict: Bool {
            guard let first = heads.first else { return false }
            return heads.contains { $0.value != first.value }
        }
    }

    private(set) var leaves: [String: Leaf] = [:]
    /// Paths whose heads disagree.
    public private(set) var conflicted: Set<String> = []
    /// Top-level fields (escaped) with leaves below them (lists): a whole-field change
    /// of any other field touches its one leaf, without a look through them all.
    private var branched: Set<String> = []

    public init() {}

    /// The value of every leaf as shown.
    public var values: [String: Value] {
        var out: [String: Value] = [:]
        out.reserveCapacity(leaves.count)
        for (path, leaf) in leaves {
            if let value = leaf.shown { out[path] = value }
        }
        return out
    }

    /// The record as shown.
    public var value: Value { FieldPath.unflatten(values) }

    /// The changes at the heads of a leaf (more than one with different values: a conflict).
    public func heads(_ path: String) -> [Head] {
        (leaves[path]?.heads ?? []).sorted { ($0.hlc, $0.event) < ($1.hlc, $1.event) }
    }

    public mutating func apply(_ event: Event) {
        for change in event.changes {
            if let bases = change.bases {
                set(change.field, to: change.new, old: change.old, bases: bases, by: event)
            } else {
                applyWhole(change, by: event)
            }
        }
    }

    /// A change written before paths: it set a whole top-level field, replacing whatever
    /// the record had — every leaf of the field, as it stands.
    private mutating func applyWhole(_ change: FieldChange, by event: Event) {
        let field = FieldPath.escape(change.field)
        let under = branched.contains(field) ? leaves.keys.filter { $0 == field || $0.hasPrefix(field + "[") || $0.hasPrefix(field + ".") }
            : leaves[field] == nil ? [] : [field]
        var before: [String: Value] = [:]
        for path in under { if let value = leaves[path]?.shown { before[path] = value } }
        let after = FieldPath.flatten(field: change.field, value: change.new, previous: before)
        for path in Set(under).union(after.keys) {
            let leaf = leaves[path] ?? Leaf()
            guard after[path] != leaf.shown || leaf.isConflict else { continue }
            set(path, to: after[path], old: leaf.shown, bases: leaf.heads.map(\.event), by: event)
        }
    }

    private mutating func set(_ path: String, to value: Value?, old: Value? = nil, bases: [Event.ID], by event: Event) {
        if let end = path.firstIndex(where: { $0 == "[" || $0 == "." }) { branched.insert(String(path[..<end])) }
        var leaf = leaves[path] ?? Leaf()
        leaf.superseded.formUnion(bases)
        leaf.heads.removeAll { leaf.superseded.contains($0.event) }
        if !leaf.superseded.contains(event.id), !leaf.heads.contains(where: { $0.event == event.id }) {
            leaf.heads.append(Head(event: event.id, hlc: event.hlc, author: event.author, value: value, old: old))
        }
        if leaf.isConflict { conflicted.insert(path) } else { conflicted.remove(path) }
        leaves[path] = leaf
    }

    /// The changes that make the record `new`, each replacing the heads of its leaf as
    /// they stand (a leaf in conflict that is changed is resolved by the change).
    public func changes(to new: Value) -> [FieldChange] {
        let shown = values
        let after = FieldPath.flatten(new, previous: shown)
        return FieldPath.differences(from: shown, to: after).map { difference in
            FieldChange(path: difference.path, old: difference.old, new: difference.new,
                        bases: leaves[difference.path]?.heads.map(\.event) ?? [])
        }
    }

    /// The changes that settle a conflict on `path` with `value` (one of the heads' values,
    /// or a new one): the first names every head of the leaf as replaced.
    ///
    /// Keeping a value of a list element that someone else removed brings the element back:
    /// its other leaves return to what they were before the removal.
    public func resolution(of path: String, with value: Value?) -> [FieldChange] {
        var changes = [FieldChange(path: path, old: leaves[path]?.shown, new: value, bases: leaves[path]?.heads.map(\.event) ?? [])]
        guard value != nil else { return changes }
        for element in FieldPath.elements(containing: path) {
            for (leafPath, leaf) in leaves where leafPath != path && (leafPath == element + "#" || leafPath.hasPrefix(element + ".")) {
                guard leaf.shown == nil, let removed = leaf.heads.first(where: { $0.value == nil && $0.old != nil }) else { continue }
                changes.append(FieldChange(path: leafPath, old: nil, new: removed.old, bases: leaf.heads.map(\.event)))
            }
        }
        return changes
    }
}
