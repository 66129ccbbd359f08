/// A worker's request that the team lead sign off a completed assessment, a plan, a
/// safety plan or a closure, and the lead's answer.
///
/// The request is the worker's and the decision the lead's (the store refuses a decision
/// from anyone else, on this laptop and in what it merges). A returned item stays in the
/// worker's list until they have seen it (`seenOn`); sending it again is a new request.
/// A co-worker who may not close the case proposes its closure here: the case closes
/// when a lead approves (`proposedClosure`, the target then being the family).
public struct SignOff: FamilyScoped {
    public typealias ID = Identifier<SignOff>
    public static let kind = RecordKind.signOff

    public var id: ID
    public var familyID: Family.ID
    public var target: EntityRef
    public var requestedBy: User.ID
    public var requestedOn: Day
    public var note: String
    public var proposedClosure: ProposedClosure?
    public var state: State
    public var decidedBy: User.ID?
    public var decidedOn: Day?
    public var comment: String
    public var seenOn: Day?

    public init(id: ID, familyID: Family.ID, target: EntityRef, requestedBy: User.ID, requestedOn: Day, note: String = "",
                proposedClosure: ProposedClosure? = nil, state: State = .pending, decidedBy: User.ID? = nil, decidedOn: Day? = nil,
                comment: String = "", seenOn: Day? = nil) {
        self.id = id
        self.familyID = familyID
        self.target = target
        self.requestedBy = requestedBy
        self.requestedOn = requestedOn
        self.note = note
        self.proposedClosure = proposedClosure
        self.state = state
        self.decidedBy = decidedBy
        self.decidedOn = decidedOn
        self.comment = comment
        self.seenOn = seenOn
    }

    public var entityID: String { id.raw }

    public var isPending: Bool { state == .pending }
    /// Returned and not yet seen by the worker who sent it.
    public var isReturnedUnseen: Bool { state == .returned && seenOn == nil }

    /// The kinds that can be sent (a closure also as a proposal, on the family).
    public static let kinds: Set<RecordKind> = [.assessment, .plan, .safetyPlan, .closure]

    /// The fields only a team lead may set (besides `state` leaving `pending`).
    public static let decisionFields: Set<String> = ["decidedBy", "decidedOn", "comment"]

    public enum State: String, Codable, Sendable, Labelled {
        case pending, approved, returned
        public static let labelPrefix = "signOff.state"
    }

    public struct ProposedClosure: Codable, Sendable, Hashable {
        public var date: Day
        public var reason: Closure.Reason
        public var note: String

        public init(date: Day, reason: Closure.Reason, note: String = "") {
            self.date = date
            self.reason = reason
            self.note = note
        }
    }

    /// The answer, as a lead gives it.
    public func decided(_ state: State, by lead: User.ID, on day: Day, comment: String) -> SignOff {
        var copy = self
        copy.state = state
        copy.decidedBy = lead
        copy.decidedOn = day
        copy.comment = comment
        return copy
    }
}

extension CaseFile {
    /// The request waiting for a decision on `ref`, if any.
    public func pendingSignOff(for ref: EntityRef) -> SignOff? {
        signOffs.values.filter { $0.target == ref && $0.isPending }.min { ($0.requestedOn, $0.entityID) < ($1.requestedOn, $1.entityID) }
    }

    /// The latest request about `ref`, whatever its state.
    public func latestSignOff(for ref: EntityRef) -> SignOff? {
        ordered(signOffs).last { $0.target == ref }
    }

    /// Why `ref` can't be sent for sign-off now (nil when it can): a string-table key.
    public func signOffRefusal(for ref: EntityRef) -> String? {
        guard SignOff.kinds.contains(ref.kind) else { return "signOff.notThisKind" }
        switch ref.kind {
        case .assessment:
            guard let a = assessments[Assessment.ID(ref.id)] else { return "record.missing" }
            if !a.isComplete { return "signOff.assessmentNotComplete" }
        case .plan:
            guard let p = plans[Plan.ID(ref.id)] else { return "record.missing" }
            if p.status != .active { return "signOff.notActive" }
        case .safetyPlan:
            guard let p = safetyPlans[SafetyPlan.ID(ref.id)] else { return "record.missing" }
            if p.status == .superseded { return "signOff.notActive" }
        case .closure:
            if closures[Closure.ID(ref.id)] == nil { return "record.missing" }
        default:
            break
        }
        if pendingSignOff(for: ref) != nil { return "signOff.alreadyPending" }
        if latestSignOff(for: ref)?.state == .approved { return "signOff.alreadyApproved" }
        return nil
    }
}
