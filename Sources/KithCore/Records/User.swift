/// A person who uses Kith. Roles decide what they may see and do (see `AccessPolicy`).
public struct User: Record, Hashable {
    public typealias ID = Identifier<User>
    public static let kind = RecordKind.user

    public var id: ID
    /// The short name typed or chosen at unlock; shown before the store is unlocked.
    public var login: String
    public var displayName: String
    public var role: Role
    public var team: Team.ID
    public var active: Bool
    /// The worker's work phone, printed for families under "Who to call".
    public var phone: String?
    /// The user's public keys (base64): one that checks what they sign, one that family
    /// keys are sealed to. Absent for users of a store from before identities, until
    /// their next unlock.
    public var signingKey: String?
    public var agreementKey: String?

    public init(id: ID, login: String, displayName: String, role: Role, team: Team.ID, active: Bool = true, phone: String? = nil) {
        self.id = id
        self.login = login
        self.displayName = displayName
        self.role = role
        self.team = team
        self.active = active
        self.phone = phone
    }

    public var entityID: String { id.raw }

    public enum Role: String, Codable, Sendable, Labelled {
        case worker, teamLead, admin
        public static let labelPrefix = "role"
    }
}

/// A team: the unit a team lead oversees.
public struct Team: Record, Hashable {
    public typealias ID = Identifier<Team>
    public static let kind = RecordKind.team

    public var id: ID
    public var name: String
    /// The team office's phone and the out-of-hours number, set by a team lead and
    /// printed for families.
    public var phone: String?
    public var outOfHours: String?
    /// Minutes without a key before Kith locks itself (nil: `defaultIdleLockMinutes`).
    public var idleLockMinutes: Int?
    /// How long closed families are kept (nil: no rule, nothing is removed).
    public var retention: RetentionRule?

    public static let defaultIdleLockMinutes = 10
    public static let idleLockRange = 1...60

    public init(id: ID, name: String, phone: String? = nil, outOfHours: String? = nil) {
        self.id = id
        self.name = name
        self.phone = phone
        self.outOfHours = outOfHours
    }

    public var entityID: String { id.raw }
}
