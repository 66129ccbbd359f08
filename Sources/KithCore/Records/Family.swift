/// The household: the unit of a case. Everything else in a case file belongs to one family.
public struct Family: FamilyScoped {
    public typealias ID = Identifier<Family>
    public static let kind = RecordKind.family

    public var id: ID
    /// A short human reference (e.g. `K-7Q3M2X`) for phone calls and printouts.
    public var reference: String
    public var displayName: String
    public var address: String?
    public var area: String?
    public var serviceLevel: ServiceLevel
    /// Every change of service level, oldest first; the current level is the last entry.
    public var serviceLevelHistory: [ServiceLevelChange]
    public var status: FamilyStatus
    public var lead: User.ID?
    public var coworkers: [User.ID]
    public var team: Team.ID
    public var language: LanguagePreference
    /// The language's name when `language == .other`.
    public var otherLanguage: String?
    public var interpreterNeeded: Bool
    public var activeOffer: ActiveOffer?
    public var riskLevel: RiskLevel
    /// A sensitive family's name is hidden in lists unless a worker chooses to show it.
    public var sensitive: Bool
    public var openedOn: Day

    public init(id: ID, reference: String, displayName: String, address: String? = nil, area: String? = nil,
                serviceLevel: ServiceLevel, serviceLevelHistory: [ServiceLevelChange] = [], status: FamilyStatus = .active,
                lead: User.ID?, coworkers: [User.ID] = [], team: Team.ID, language: LanguagePreference = .english,
                otherLanguage: String? = nil, interpreterNeeded: Bool = false, activeOffer: ActiveOffer? = nil,
                riskLevel: RiskLevel = .unknown, sensitive: Bool = false, openedOn: Day) {
        self.id = id
        self.reference = reference
        self.displayName = displayName
        self.address = address
        self.area = area
        self.serviceLevel = serviceLevel
        self.serviceLevelHistory = serviceLevelHistory
        self.status = status
        self.lead = lead
        self.coworkers = coworkers
        self.team = team
        self.language = language
        self.otherLanguage = otherLanguage
        self.interpreterNeeded = interpreterNeeded
        self.activeOffer = activeOffer
        self.riskLevel = riskLevel
        self.sensitive = sensitive
        self.openedOn = openedOn
    }

    public var entityID: String { id.raw }
    /// A family's own record belongs to its case file.
    public var familyID: Family.ID { id }

    /// Changes the service level and records the change in the history.
    public mutating func changeServiceLevel(to level: ServiceLevel, on day: Day, by user: User.ID, reason: String?) {
        guard level != serviceLevel || serviceLevelHistory.isEmpty else { return }
        serviceLevel = level
        serviceLevelHistory.append(ServiceLevelChange(level: level, from: day, by: user, reason: reason))
    }

    /// A reference derived from an id: `K-` and six base32 characters.
    public static func reference(for id: ID) -> String {
        "K-" + String(id.raw.prefix(6))
    }
}

/// Prevention levels: community-centred, family-centred, individual-centred.
public enum ServiceLevel: String, Codable, Sendable, Labelled, Comparable {
    case primary, secondary, tertiary
    public static let labelPrefix = "level"

    private var rank: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }
}

public struct ServiceLevelChange: Codable, Sendable, Hashable {
    public var level: ServiceLevel
    public var from: Day
    public var by: User.ID
    public var reason: String?

    public init(level: ServiceLevel, from: Day, by: User.ID, reason: String?) {
        self.level = level
        self.from = from
        self.by = by
        self.reason = reason
    }
}

public enum FamilyStatus: String, Codable, Sendable, Labelled {
    case referred, active, paused, closed
    public static let labelPrefix = "status"
}

public enum LanguagePreference: String, Codable, Sendable, Labelled {
    case welsh = "cy", english = "en", other
    public static let labelPrefix = "language"

    /// The printout language for this preference (other languages get English text).
    public var printLanguage: String { self == .welsh ? "cy" : "en" }
}

/// The Active Offer: services offered in Welsh without the family having to ask.
public struct ActiveOffer: Codable, Sendable, Hashable {
    public var on: Day
    public var by: User.ID

    public init(on: Day, by: User.ID) {
        self.on = on
        self.by = by
    }
}

public enum RiskLevel: String, Codable, Sendable, Labelled, Comparable {
    case unknown, low, medium, high
    public static let labelPrefix = "risk"

    private var rank: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }
}
