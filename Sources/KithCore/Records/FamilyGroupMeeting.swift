/// A Family Group Meeting: the family, its network and professionals make a plan together.
public struct FamilyGroupMeeting: FamilyScoped {
    public typealias ID = Identifier<FamilyGroupMeeting>
    public static let kind = RecordKind.meeting

    public var id: ID
    public var familyID: Family.ID
    public var date: Day
    public var venue: String
    public var languageUsed: LanguagePreference
    public var coordinator: String
    public var attendees: [Attendee]
    public var childParticipation: ChildParticipation
    public var childParticipationNote: String
    public var worries: String
    public var strengths: String
    public var resources: String
    public var bottomLines: String
    public var privateFamilyTime: Bool
    public var familyPlan: [PlanAction]
    public var agreement: Agreement
    public var agreementNote: String
    public var contingency: String
    public var monitoring: String
    /// The family member who leads the plan.
    public var planLead: String
    public var reviewDate: Day?
    /// Who receives a copy of the plan.
    public var distribution: [String]

    public init(id: ID, familyID: Family.ID, date: Day, venue: String = "", languageUsed: LanguagePreference = .english,
                coordinator: String = "", attendees: [Attendee] = [], childParticipation: ChildParticipation = .viewsShared,
                childParticipationNote: String = "", worries: String = "", strengths: String = "", resources: String = "",
                bottomLines: String = "", privateFamilyTime: Bool = false, familyPlan: [PlanAction] = [],
                agreement: Agreement = .agreed, agreementNote: String = "", contingency: String = "", monitoring: String = "",
                planLead: String = "", reviewDate: Day? = nil, distribution: [String] = []) {
        self.id = id
        self.familyID = familyID
        self.date = date
        self.venue = venue
        self.languageUsed = languageUsed
        self.coordinator = coordinator
        self.attendees = attendees
        self.childParticipation = childParticipation
        self.childParticipationNote = childParticipationNote
        self.worries = worries
        self.strengths = strengths
        self.resources = resources
        self.bottomLines = bottomLines
        self.privateFamilyTime = privateFamilyTime
        self.familyPlan = familyPlan
        self.agreement = agreement
        self.agreementNote = agreementNote
        self.contingency = contingency
        self.monitoring = monitoring
        self.planLead = planLead
        self.reviewDate = reviewDate
        self.distribution = distribution
    }

    public var entityID: String { id.raw }

    public struct Attendee: Codable, Sendable, Hashable {
        public var name: String
        public var group: Group
        public var attendance: Attendance

        public init(name: String, group: Group, attendance: Attendance) {
            self.name = name
            self.group = group
            self.attendance = attendance
        }

        public enum Group: String, Codable, Sendable, Labelled {
            case family, network, professional, child
            public static let labelPrefix = "attendeeGroup"
        }

        public enum Attendance: String, Codable, Sendable, Labelled {
            case attended, apologies, writtenViews
            public static let labelPrefix = "attendance"
        }
    }

    public enum ChildParticipation: String, Codable, Sendable, Labelled {
        case attended, partOfMeeting, viewsShared, advocate, notInvolved
        public static let labelPrefix = "childParticipation"
    }

    public enum Agreement: String, Codable, Sendable, Labelled {
        case agreed, agreedWithChanges, notAgreed
        public static let labelPrefix = "agreement"
    }
}
