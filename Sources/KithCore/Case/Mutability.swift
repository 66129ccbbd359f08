/// Which saved records may still change. Notes, meetings, completed assessments and
/// agreed safety plans are a record of what happened: corrections are new records
/// (addenda, or a new version of the safety plan), never edits.
public enum Mutability {
    /// True when changing a record from `old` to `new` would rewrite history.
    public static func isViolation(kind: RecordKind, old: Value?, new: Value) -> Bool {
        guard let old, old != new else { return false }
        let before = old.objectValue ?? [:], after = new.objectValue ?? [:]
        switch kind {
        case .contactNote, .addendum, .closure, .meeting, .supervision:
            return true
        case .referral:
            // Decided once; another referral is a new record.
            return before["decision"] != .string(Referral.Decision.pending.rawValue)
        case .signOff:
            // A request may be answered once; after that only "seen" is written.
            guard before["state"] != .string(SignOff.State.pending.rawValue) else { return false }
            var b = before, a = after
            b["seenOn"] = nil
            a["seenOn"] = nil
            return a != b
        case .attachment:
            // Kept as attached; removing it is written once (who, when, why).
            guard before["removedOn"] == nil || before["removedOn"] == .null else { return true }
            var b = before, a = after
            for key in ["removedOn", "removedBy", "removalReason"] { b[key] = nil; a[key] = nil }
            return a != b
        case .actionCompletion:
            // Only reopening: who and when, once.
            guard before["reopenedOn"] == nil || before["reopenedOn"] == .null else { return true }
            var b = before, a = after
            for key in ["reopenedBy", "reopenedOn"] { b[key] = nil; a[key] = nil }
            return a != b
        case .assessment:
            return before["state"] == .string(Assessment.State.complete.rawValue)
        case .safetyPlan:
            // A draft can be edited; an active plan may only become superseded.
            guard before["status"] != .string(SafetyPlan.Status.draft.rawValue) else { return false }
            var unchanged = before
            unchanged["status"] = after["status"]
            let becameSuperseded = after["status"] == .string(SafetyPlan.Status.superseded.rawValue)
            return !(becameSuperseded && unchanged == after)
        default:
            return false
        }
    }

    /// True when `record`, once saved as it is, can no longer be edited (the form asks
    /// before saving it). A plan being superseded by its new version doesn't count: the
    /// new version is the record being saved.
    public static func isFinal(_ record: any FamilyScoped) -> Bool {
        switch record {
        case let assessment as Assessment: assessment.state == .complete
        case let plan as SafetyPlan: plan.status == .active
        default: type(of: record).kind.isImmutableOnceSaved
        }
    }
}
