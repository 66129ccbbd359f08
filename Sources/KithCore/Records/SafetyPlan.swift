/// A safety plan designed by the family with its network. Versioned: revising creates a
/// new record that `supersedes` the old one; the old version stays readable.
public struct SafetyPlan: FamilyScoped {
    public typealias ID = Identifier<SafetyPlan>
    public static let kind = RecordKind.safetyPlan

    public var id: ID
    public var familyID: Family.ID
    public var version: Int
    public var supersedes: ID?
    public var status: Status
    /// An immediate plan must be reviewed within `immediateReviewDays` of being made.
    public var immediate: Bool
    public var worries: [WorryStatement]
    public var judgements: [SafetyJudgement]
    public var network: [SafetyNetworkEntry]
    public var rules: [String]
    public var triggers: [String]
    public var bottomLines: [String]
    public var contingencies: [Contingency]
    public var childView: String
    public var agreedBy: [String]
    public var agreedOn: Day?
    public var createdOn: Day
    public var reviewDate: Day?

    public static let immediateReviewDays = 7

    public init(id: ID, familyID: Family.ID, version: Int = 1, supersedes: ID? = nil, status: Status = .active,
                immediate: Bool = false, worries: [WorryStatement] = [], judgements: [SafetyJudgement] = [],
                network: [SafetyNetworkEntry] = [], rules: [String] = [], triggers: [String] = [], bottomLines: [String] = [],
                contingencies: [Contingency] = [], childView: String = "", agreedBy: [String] = [], agreedOn: Day? = nil,
                createdOn: Day, reviewDate: Day? = nil) {
        self.id = id
        self.familyID = familyID
        self.version = version
        self.supersedes = supersedes
        self.status = status
        self.immediate = immediate
        self.worries = worries
        self.judgements = judgements
        self.network = network
        self.rules = rules
        self.triggers = triggers
        self.bottomLines = bottomLines
        self.contingencies = contingencies
        self.childView = childView
        self.agreedBy = agreedBy
        self.agreedOn = agreedOn
        self.createdOn = createdOn
        self.reviewDate = reviewDate
    }

    public var entityID: String { id.raw }

    /// The date the plan must be reviewed by: the stated date, never later than 7 days
    /// after creation for an immediate plan.
    public var effectiveReviewDate: Day? {
        guard immediate else { return reviewDate }
        let limit = createdOn.adding(days: Self.immediateReviewDays)
        guard let reviewDate else { return limit }
        return min(reviewDate, limit)
    }

    /// The next version of this plan: same content, a new id, `supersedes` pointing here.
    public func revised(id newID: ID, on day: Day) -> SafetyPlan {
        var next = self
        next.id = newID
        next.version = version + 1
        next.supersedes = id
        next.status = .active
        next.createdOn = day
        next.agreedBy = []
        next.agreedOn = nil
        next.reviewDate = nil
        return next
    }

    public enum Status: String, Codable, Sendable, Labelled {
        case draft, active, superseded
        public static let labelPrefix = "safetyStatus"
    }
}

/// Who is worried, about what, and what happens if nothing changes — paired with a safety goal.
public struct WorryStatement: Codable, Sendable, Hashable {
    public var who: String
    public var about: String
    public var ifNothingChanges: String
    public var safetyGoal: String

    public init(who: String, about: String, ifNothingChanges: String, safetyGoal: String) {
        self.who = who
        self.about = about
        self.ifNothingChanges = ifNothingChanges
        self.safetyGoal = safetyGoal
    }
}

/// A 0–10 judgement of how safe things are (10 = safe enough to close), with the reason.
public struct SafetyJudgement: Codable, Sendable, Hashable {
    public var who: String
    public var score: Int
    public var reason: String

    public init(who: String, score: Int, reason: String) {
        self.who = who
        self.score = score
        self.reason = reason
    }
}

public struct SafetyNetworkEntry: Codable, Sendable, Hashable {
    /// The family's network member, when the person is one.
    public var member: NetworkMember.ID?
    public var name: String
    public var role: String
    public var phone: String
    public var agreed: Bool

    public init(member: NetworkMember.ID? = nil, name: String, role: String, phone: String, agreed: Bool) {
        self.member = member
        self.name = name
        self.role = role
        self.phone = phone
        self.agreed = agreed
    }
}

/// "If … then … who."
public struct Contingency: Codable, Sendable, Hashable {
    public var ifWhat: String
    public var then: String
    public var who: String

    public init(ifWhat: String, then: String, who: String) {
        self.ifWhat = ifWhat
        self.then = then
        self.who = who
    }
}
