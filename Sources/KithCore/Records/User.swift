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

    public init(id: ID, login: String, displayName: String, role: Role, team: Team.ID, active: Bool = true) {
        self.id = id
        self.login = login
        self.displayName = displayName
        self.role = role
        self.team = team
        self.active = active
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

    public init(id: ID, name: String) {
        self.id = id
        self.name = name
    }

    public var entityID: String { id.raw }
}
