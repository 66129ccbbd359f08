extension AccessPolicy {
    /// What `events` do that only a team lead may — record supervision, or answer a
    /// sign-off — when this user may not: the action's name, for the refusal. Judged by
    /// the changes themselves, so the store applies the same rule to its own saves and to
    /// what it merges from other laptops.
    public func leadOnlyAction(in events: [Event], family: Family) -> String? {
        for event in events {
            switch event.entity.kind {
            case .supervision where !canSupervise(family):
                return "recordSupervision"
            case .signOff where !canSignOff(family):
                for change in event.changes {
                    let field = change.topField
                    let empty = change.new == nil || change.new == .null || change.new == .string("")
                    if SignOff.decisionFields.contains(field) && !empty { return "signOff" }
                    if field == "state" && change.new != .string(SignOff.State.pending.rawValue) { return "signOff" }
                }
            default:
                continue
            }
        }
        return nil
    }
}
