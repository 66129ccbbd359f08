/// A referral: someone asked for help for a family ("no wrong door"). It comes before the
/// work, or with it — a family can be referred again, years after it was closed — and its
/// decision says what happens: the family is opened for early help, signposted elsewhere,
/// taken no further, or stepped up to statutory services. The referrer's words are kept as
/// they were given.
public struct Referral: FamilyScoped {
    public typealias ID = Identifier<Referral>
    public static let kind = RecordKind.referral

    public var id: ID
    public var familyID: Family.ID
    public var receivedOn: Day
    public var source: Source
    public var agency: String
    public var contact: String
    /// Why they referred, in the referrer's words.
    public var reason: String
    public var presentingNeeds: String
    public var riskFactors: String
    /// The family agreed to the referral being made.
    public var consentToReferral: Bool
    public var decision: Decision
    public var decidedBy: User.ID?
    public var decidedOn: Day?
    public var decisionReason: String

    public init(id: ID, familyID: Family.ID, receivedOn: Day, source: Source, agency: String = "", contact: String = "", reason: String,
                presentingNeeds: String = "", riskFactors: String = "", consentToReferral: Bool, decision: Decision = .pending,
                decidedBy: User.ID? = nil, decidedOn: Day? = nil, decisionReason: String = "") {
        self.id = id
        self.familyID = familyID
        self.receivedOn = receivedOn
        self.source = source
        self.agency = agency
        self.contact = contact
        self.reason = reason
        self.presentingNeeds = presentingNeeds
        self.riskFactors = riskFactors
        self.consentToReferral = consentToReferral
        self.decision = decision
        self.decidedBy = decidedBy
        self.decidedOn = decidedOn
        self.decisionReason = decisionReason
    }

    public var entityID: String { id.raw }
    public var isPending: Bool { decision == .pending }

    /// Days a referral may wait for its decision before it is overdue.
    public static let decisionDays = 2

    public enum Source: String, Codable, Sendable, Labelled {
        case family, school, health, police, housing, community, other
        public static let labelPrefix = "referralSource"
    }

    public enum Decision: String, Codable, Sendable, Labelled {
        case pending, open, signpost, noFurtherAction, stepUp
        public static let labelPrefix = "referralDecision"
    }

    /// The family's status once `decision` is made on a family now `status`: opening it
    /// makes it active (a closed family is re-opened); any other decision closes a family
    /// that was only referred, and leaves one already being worked with as it is.
    public static func status(after decision: Decision, from status: FamilyStatus) -> FamilyStatus {
        switch decision {
        case .pending: status
        case .open: status == .paused ? .paused : .active
        case .signpost, .noFurtherAction, .stepUp: status == .referred ? .closed : status
        }
    }
}
