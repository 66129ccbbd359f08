import KithCore

/// Settling a conflict: the person chooses one of the values (or writes a new one), and
/// the choice is an event like any other — signed, sealed, merged on every laptop, and
/// replacing every change that was in conflict.
extension Store {
    /// Resolves `conflict` of family `id` with `value` (nil removes the leaf: "keep it
    /// removed"). Durable on return; refused when the conflict is no longer open (someone
    /// else settled it) or the user may not edit the family.
    @discardableResult
    public func resolve(_ conflict: FieldConflict, with value: Value?, family id: Family.ID) throws(StoreError) -> CaseFile {
        guard let entry = index[id] else { throw notInIndex(id) }
        guard policy.canSee(entry.row) else { throw .accessDenied(family: id.raw) }
        var current = try cached(id)
        guard policy.canEdit(current.file.family) else { throw .accessDenied(family: id.raw) }
        guard let fold = current.file.folds[conflict.ref], fold.conflicted.contains(conflict.path),
              Set(fold.heads(conflict.path).map(\.event)) == Set(conflict.heads.map(\.event)) else {
            throw .conflictSettled(record: conflict.ref.description, field: conflict.field)
        }
        if conflict.ref.kind == .family, Set(["lead", "coworkers", "team"]).contains(conflict.field) {
            // Who works with the family is decided as it always is, by who may decide it.
            var proposed = current.file.family
            let changes = fold.resolution(of: conflict.path, with: value)
            if let decoded = try? ValueDecoder().decode(Family.self, from: FieldPath.unflatten(FieldPath.applying(changes, to: fold.values))) {
                proposed = decoded
            }
            guard policy.canReassign(from: current.file.family, to: proposed) else { throw .notPermitted(action: conflict.field == "coworkers" ? "changeCoworkers" : "changeLead") }
        }
        let event = Event(id: ids.id(), hlc: tick(), author: user.id, entity: conflict.ref, action: .update,
                          changes: fold.resolution(of: conflict.path, with: value))
        // A written value must leave a record Kith can read (a date field holds a date).
        var probe = current.file
        probe.apply([event])
        if probe.unreadable.contains(conflict.ref) && !current.file.unreadable.contains(conflict.ref) {
            throw .invalidValue(record: conflict.ref.description, field: conflict.field)
        }
        try append([event], to: &current, family: id)
        index[id]?.row = CaseloadRow(current.file)
        indexDirty = true
        try recordAudit(.resolveConflict, target: id.raw, fields: event.fieldNames, sync: false)
        return current.file
    }
}
