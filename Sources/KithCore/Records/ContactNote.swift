/// A visit, call or meeting. Immutable once saved: corrections are addenda.
public struct ContactNote: FamilyScoped {
    public typealias ID = Identifier<ContactNote>
    public static let kind = RecordKind.contactNote

    public var id: ID
    public var familyID: Family.ID
    public var contactKind: Kind
    public var date: Day
    /// Household members seen.
    public var seen: [Person.ID]
    public var childSeenAlone: Bool
    public var text: String
    public var followUps: [PlanAction]
    /// The worker marked it as a significant event: it goes in the chronology. (Optional:
    /// notes written before it was asked have none.)
    public var significant: Bool?

    public init(id: ID, familyID: Family.ID, contactKind: Kind, date: Day, seen: [Person.ID] = [], childSeenAlone: Bool = false,
                text: String, followUps: [PlanAction] = [], significant: Bool? = nil) {
        self.id = id
        self.familyID = familyID
        self.contactKind = contactKind
        self.date = date
        self.seen = seen
        self.childSeenAlone = childSeenAlone
        self.text = text
        self.followUps = followUps
        self.significant = significant
    }

    public var entityID: String { id.raw }
    public var isSignificant: Bool { significant == true }

    public enum Kind: String, Codable, Sendable, Labelled {
        case visit, call, meeting, message
        public static let labelPrefix = "contactKind"
    }
}

/// A review: how outcomes and goals moved, and what happens next.
public struct Review: FamilyScoped {
    public typealias ID = Identifier<Review>
    public static let kind = RecordKind.review

    public var id: ID
    public var familyID: Family.ID
    public var date: Day
    /// The outcomes-check assessment made for this review, if any.
    public var outcomeCheck: Assessment.ID?
    public var outcomeNote: String
    public var goalUpdates: [GoalUpdate]
    public var decision: Decision
    public var notes: String
    public var nextReviewDate: Day?

    public init(id: ID, familyID: Family.ID, date: Day, outcomeCheck: Assessment.ID? = nil, outcomeNote: String = "",
                goalUpdates: [GoalUpdate] = [], decision: Decision, notes: String = "", nextReviewDate: Day?) {
        self.id = id
        self.familyID = familyID
        self.date = date
        self.outcomeCheck = outcomeCheck
        self.outcomeNote = outcomeNote
        self.goalUpdates = goalUpdates
        self.decision = decision
        self.notes = notes
        self.nextReviewDate = nextReviewDate
    }

    public var entityID: String { id.raw }

    public struct GoalUpdate: Codable, Sendable, Hashable {
        public var plan: Plan.ID
        public var goal: String
        public var status: Goal.Status
        public var note: String

        public init(plan: Plan.ID, goal: String, status: Goal.Status, note: String) {
            self.plan = plan
            self.goal = goal
            self.status = status
            self.note = note
        }
    }

    public enum Decision: String, Codable, Sendable, Labelled {
        case `continue`, revisePlan, stepUp, stepDown, close
        public static let labelPrefix = "decision"
    }
}

/// The end of work with a family, with the reason.
public struct Closure: FamilyScoped {
    public typealias ID = Identifier<Closure>
    public static let kind = RecordKind.closure

    public var id: ID
    public var familyID: Family.ID
    public var date: Day
    public var reason: Reason
    public var note: String

    public init(id: ID, familyID: Family.ID, date: Day, reason: Reason, note: String = "") {
        self.id = id
        self.familyID = familyID
        self.date = date
        self.reason = reason
        self.note = note
    }

    public var entityID: String { id.raw }

    public enum Reason: String, Codable, Sendable, Labelled {
        case goalsMet, familyDeclined, movedAway, steppedUpToStatutory, transferred, other
        public static let labelPrefix = "closureReason"
    }
}

/// A team lead's note on any record, back to the worker; open until resolved.
public struct Flag: FamilyScoped {
    public typealias ID = Identifier<Flag>
    public static let kind = RecordKind.flag

    public var id: ID
    public var familyID: Family.ID
    /// The record flagged (the family itself when the flag is about the whole case).
    public var target: EntityRef
    public var note: String
    public var raisedBy: User.ID
    public var raisedOn: Day
    public var resolvedBy: User.ID?
    public var resolvedOn: Day?
    public var response: String?

    public init(id: ID, familyID: Family.ID, target: EntityRef, note: String, raisedBy: User.ID, raisedOn: Day,
                resolvedBy: User.ID? = nil, resolvedOn: Day? = nil, response: String? = nil) {
        self.id = id
        self.familyID = familyID
        self.target = target
        self.note = note
        self.raisedBy = raisedBy
        self.raisedOn = raisedOn
        self.resolvedBy = resolvedBy
        self.resolvedOn = resolvedOn
        self.response = response
    }

    public var entityID: String { id.raw }
    public var isOpen: Bool { resolvedOn == nil }
}
