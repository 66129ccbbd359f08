/// Who may see and do what. Every read path of the store goes through this, not only the UI.
///
/// - A worker sees the families they lead or co-work.
/// - A team lead sees every family of their team, and may flag records.
/// - An admin manages users and sees no case files (least privilege).
public struct AccessPolicy: Sendable, Hashable {
    public let user: User

    public init(user: User) { self.user = user }

    public func canSee(lead: User.ID?, coworkers: [User.ID], team: Team.ID) -> Bool {
        guard user.active else { return false }
        switch user.role {
        case .worker: return lead == user.id || coworkers.contains(user.id)
        case .teamLead: return team == user.team || lead == user.id || coworkers.contains(user.id)
        case .admin: return false
        }
    }

    public func canSee(_ family: Family) -> Bool {
        canSee(lead: family.lead, coworkers: family.coworkers, team: family.team)
    }

    public func canSee(_ row: CaseloadRow) -> Bool {
        canSee(lead: row.lead, coworkers: row.coworkers, team: row.team)
    }

    /// Editing follows seeing: whoever may see a case file may add to it.
    public func canEdit(_ family: Family) -> Bool { canSee(family) }

    /// Creating a family: workers and team leads.
    public var canCreateFamilies: Bool { user.active && user.role != .admin }

    /// Only team leads raise flags back to workers.
    public func canFlag(_ family: Family) -> Bool { user.role == .teamLead && canSee(family) }

    /// The worker on the family or the team lead may resolve a flag.
    public func canResolveFlag(on family: Family) -> Bool { canSee(family) }

    /// Reassigning the lead practitioner (or the family's team) is a team lead's decision.
    public func canChangeLead(_ family: Family) -> Bool { user.role == .teamLead && canSee(family) }

    /// Who co-works a family: its lead worker or a team lead decides.
    public func canChangeCoworkers(_ family: Family) -> Bool {
        canSee(family) && (family.lead == user.id || user.role == .teamLead)
    }

    /// The assignment change `new` makes to `old` (lead, team, co-workers), if allowed.
    public func canReassign(from old: Family, to new: Family) -> Bool {
        if (old.lead != new.lead || old.team != new.team) && !canChangeLead(old) { return false }
        if Set(old.coworkers) != Set(new.coworkers) && !canChangeCoworkers(old) { return false }
        return true
    }

    /// Closing a case ends the work with a family: its lead worker or a team lead decides,
    /// not a co-worker.
    public func canClose(_ family: Family) -> Bool {
        canSee(family) && (family.lead == user.id || user.role == .teamLead)
    }

    /// Supervision is recorded by a team lead.
    public func canSupervise(_ family: Family) -> Bool { user.role == .teamLead && canSee(family) }

    /// A team lead signs off (approves or returns) what a worker sends.
    public func canSignOff(_ family: Family) -> Bool { user.role == .teamLead && canSee(family) }

    /// Workers send their work for sign-off; a team lead's own work needs none.
    public func canRequestSignOff(_ family: Family) -> Bool { user.role == .worker && canEdit(family) }

    /// Whoever may add to a case but not close it (a co-worker) proposes its closure to
    /// a team lead instead.
    public func canProposeClosure(_ family: Family) -> Bool { canEdit(family) && !canClose(family) }

    public var canManageUsers: Bool { user.active && user.role == .admin }
}
