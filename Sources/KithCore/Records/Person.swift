/// A member of the household: child, parent, carer, sibling or other.
public struct Person: FamilyScoped {
    public typealias ID = Identifier<Person>
    public static let kind = RecordKind.person

    public var id: ID
    public var familyID: Family.ID
    public var role: PersonRole
    public var givenName: String
    public var familyName: String
    public var aliases: [String]
    public var dateOfBirth: Day?
    /// Used when the date of birth is not known.
    public var estimatedAge: Int?
    public var school: String?
    public var disability: String?
    public var communicationNeeds: String?
    public var livesInHousehold: Bool

    public init(id: ID, familyID: Family.ID, role: PersonRole, givenName: String, familyName: String,
                aliases: [String] = [], dateOfBirth: Day? = nil, estimatedAge: Int? = nil, school: String? = nil,
                disability: String? = nil, communicationNeeds: String? = nil, livesInHousehold: Bool = true) {
        self.id = id
        self.familyID = familyID
        self.role = role
        self.givenName = givenName
        self.familyName = familyName
        self.aliases = aliases
        self.dateOfBirth = dateOfBirth
        self.estimatedAge = estimatedAge
        self.school = school
        self.disability = disability
        self.communicationNeeds = communicationNeeds
        self.livesInHousehold = livesInHousehold
    }

    public var entityID: String { id.raw }

    public var fullName: String {
        [givenName, familyName].filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// Age in whole years on `day`: from the date of birth, else the estimate.
    public func age(on day: Day) -> Int? {
        if let dateOfBirth { return dateOfBirth.age(on: day) }
        return estimatedAge
    }

    public var isChild: Bool { role == .child || role == .sibling }
}

public enum PersonRole: String, Codable, Sendable, Labelled {
    case child, parent, carer, sibling, other
    public static let labelPrefix = "personRole"
}

/// The family's kith and kin: grandparents, friends, neighbours who can help.
public struct NetworkMember: FamilyScoped {
    public typealias ID = Identifier<NetworkMember>
    public static let kind = RecordKind.networkMember

    public var id: ID
    public var familyID: Family.ID
    public var name: String
    public var relationship: Relationship
    public var phone: String?
    /// What this person does in the family's plans, in plain words.
    public var roleInPlans: String?

    public init(id: ID, familyID: Family.ID, name: String, relationship: Relationship, phone: String? = nil, roleInPlans: String? = nil) {
        self.id = id
        self.familyID = familyID
        self.name = name
        self.relationship = relationship
        self.phone = phone
        self.roleInPlans = roleInPlans
    }

    public var entityID: String { id.raw }

    public enum Relationship: String, Codable, Sendable, Labelled {
        case grandparent, auntOrUncle, cousin, adultSibling, friend, neighbour, faithCommunity, other
        public static let labelPrefix = "relationship"
    }
}

/// Another agency's worker involved with the family.
public struct Professional: FamilyScoped {
    public typealias ID = Identifier<Professional>
    public static let kind = RecordKind.professional

    public var id: ID
    public var familyID: Family.ID
    public var name: String
    public var agency: String
    public var role: String
    public var phone: String?
    public var email: String?

    public init(id: ID, familyID: Family.ID, name: String, agency: String, role: String, phone: String? = nil, email: String? = nil) {
        self.id = id
        self.familyID = familyID
        self.name = name
        self.agency = agency
        self.role = role
        self.phone = phone
        self.email = email
    }

    public var entityID: String { id.raw }
}

/// Consent given by a family member for one purpose; withdrawing keeps the record.
/// Consent to share names the agencies it covers, and consent can be given until a date
/// (a reminder comes before it lapses).
public struct Consent: FamilyScoped {
    public typealias ID = Identifier<Consent>
    public static let kind = RecordKind.consent

    public var id: ID
    public var familyID: Family.ID
    public var scope: Scope
    /// The family member who gave it (older records name them in `givenBy` only).
    public var personID: Person.ID?
    /// The giver's name as it was when consent was recorded: what older records hold,
    /// and what laptops that know no `personID` still show.
    public var givenBy: String
    public var givenOn: Day
    public var method: Method
    /// For sharing: the agencies it covers, one per line or comma. Empty on a consent to
    /// share recorded before agencies were named (it covers any agency, as it was given).
    public var agencies: String?
    /// The last day it holds, when it was given for a time.
    public var until: Day?
    public var withdrawnOn: Day?

    public init(id: ID, familyID: Family.ID, scope: Scope, personID: Person.ID? = nil, givenBy: String, givenOn: Day, method: Method,
                agencies: String? = nil, until: Day? = nil, withdrawnOn: Day? = nil) {
        self.id = id
        self.familyID = familyID
        self.scope = scope
        self.personID = personID
        self.givenBy = givenBy
        self.givenOn = givenOn
        self.method = method
        self.agencies = agencies
        self.until = until
        self.withdrawnOn = withdrawnOn
    }

    public var entityID: String { id.raw }
    public var isActive: Bool { withdrawnOn == nil }

    /// How many days before `until` the reminder to renew it falls due.
    public static let renewalNoticeDays = 14

    /// Given by `day`, and neither withdrawn nor lapsed on it.
    public func isInForce(on day: Day) -> Bool {
        givenOn <= day && (withdrawnOn.map { day < $0 } ?? true) && (until.map { day <= $0 } ?? true)
    }

    /// The agencies named, each as typed.
    public var agencyList: [String] {
        (agencies ?? "").split(whereSeparator: { $0 == "," || $0 == "\n" || $0 == ";" })
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Covers sharing with `agency`: a consent to share that names it (compared without
    /// case or accents), or one recorded before agencies were named.
    public func covers(agency: String) -> Bool {
        guard scope == .informationSharing else { return false }
        let named = agencyList
        guard !named.isEmpty else { return true }
        let wanted = Consent.folded(agency)
        return named.contains { Consent.folded($0) == wanted }
    }

    static func folded(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    public enum Scope: String, Codable, Sendable, Labelled {
        case support, informationSharing, familyGroupMeeting, recording
        public static let labelPrefix = "consentScope"
    }

    public enum Method: String, Codable, Sendable, Labelled {
        case verbal, written, electronic
        public static let labelPrefix = "consentMethod"
    }

    /// Where a consent stands on a day, for the family screen.
    public enum Standing: String, Sendable, Labelled {
        case inForce, lapsesSoon, lapsed, withdrawn, notYet
        public static let labelPrefix = "consentStanding"
    }

    public func standing(on day: Day) -> Standing {
        if let withdrawnOn, withdrawnOn <= day { return .withdrawn }
        if day < givenOn { return .notYet }
        guard let until else { return .inForce }
        if until < day { return .lapsed }
        return day.adding(days: Consent.renewalNoticeDays) >= until ? .lapsesSoon : .inForce
    }
}

extension CaseFile {
    /// The consent in force on `day` to share the family's records with `agency`, if any.
    public func consentToShare(with agency: String, on day: Day) -> Consent? {
        ordered(consents).first { $0.isInForce(on: day) && $0.covers(agency: agency) }
    }

    /// The name of who gave a consent: the family member as they are named now, or the
    /// name recorded with it.
    public func giver(of consent: Consent) -> String {
        consent.personID.flatMap { people[$0]?.fullName } ?? consent.givenBy
    }
}

/// A risk factor seen (or ruled out) in the household, with the evidence for it.
public struct RiskFactorObservation: FamilyScoped {
    public typealias ID = Identifier<RiskFactorObservation>
    public static let kind = RecordKind.riskFactor

    public var id: ID
    public var familyID: Family.ID
    /// A code from `RiskFactor` or an agency's own code.
    public var code: String
    public var status: Status
    public var evidence: String
    public var observedOn: Day

    public init(id: ID, familyID: Family.ID, code: String, status: Status, evidence: String, observedOn: Day) {
        self.id = id
        self.familyID = familyID
        self.code = code
        self.status = status
        self.evidence = evidence
        self.observedOn = observedOn
    }

    public var entityID: String { id.raw }

    public enum Status: String, Codable, Sendable, Labelled {
        case present, past, absent, unknown
        public static let labelPrefix = "riskStatus"
    }
}

/// The risk factors named by the EU Child Guarantee. Agencies may add their own codes.
public enum RiskFactor: String, Sendable, Labelled {
    case singleEarner, parentDisability, mentalHealthOrIllness, substanceMisuse, domesticViolence
    case teenageMother, imprisonedParent, migrantOrMinority, housingDeprivation, childDisability
    case childInAlternativeCare, parentInAnotherMemberState
    public static let labelPrefix = "riskFactor"
}
