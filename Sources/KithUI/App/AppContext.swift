import KithCore

/// Who is working and in which store, as the screens need it (no store access).
public struct SessionInfo: Sendable, Equatable {
    public var user: User
    public var users: [User.ID: User]
    public var teamName: String
    public var storePath: String
    public var isDemo: Bool
    /// The team's setting: minutes without a key before Kith locks itself.
    public var idleLockMinutes: Int
    /// The user has a team hub (`kith hub connect`): Kith syncs with it while open.
    public var hasHub: Bool

    public init(user: User, users: [User.ID: User], teamName: String, storePath: String, isDemo: Bool,
                idleLockMinutes: Int = Team.defaultIdleLockMinutes, hasHub: Bool = false) {
        self.hasHub = hasHub
        self.user = user
        self.users = users
        self.teamName = teamName
        self.storePath = storePath
        self.isDemo = isDemo
        self.idleLockMinutes = idleLockMinutes
    }

    public var policy: AccessPolicy { AccessPolicy(user: user) }

    public func name(_ id: User.ID?) -> String {
        guard let id else { return "" }
        return users[id]?.displayName ?? id.raw
    }

    /// Workers and leads of the user's team, for choosing a lead practitioner.
    public var teamMembers: [User] {
        users.values.filter { $0.team == user.team && $0.active && $0.role != .admin }.sorted { $0.displayName < $1.displayName }
    }
}

/// Everything screens need besides their own state: language, theme, time, window size,
/// the session and the instrument library.
public struct AppContext: Sendable {
    public var strings: Strings
    public var theme: Theme
    public var size: Size
    /// Seconds since 1970, from the last tick.
    public var now: Double
    public var today: Day
    public var session: SessionInfo?
    public var instruments: InstrumentLibrary
    /// Drafts found at unlock that are still waiting (offered back, put off with "later").
    public var draftsWaiting: Set<String> = []
    /// Where every new record, draft and request id comes from (see `IDSource`).
    public var ids: IDSource
    /// The team hub as the header shows it (nil: no hub, or not heard of yet).
    public var hub: HubStatus?

    public init(strings: Strings, theme: Theme, size: Size, now: Double, today: Day, session: SessionInfo? = nil,
                instruments: InstrumentLibrary = InstrumentLibrary(), ids: IDSource = .system()) {
        self.ids = ids
        self.strings = strings
        self.theme = theme
        self.size = size
        self.now = now
        self.today = today
        self.session = session
        self.instruments = instruments
    }

    public var render: RenderContext { RenderContext(theme: theme, strings: strings, today: today) }

    /// The area screens draw in: everything but the header, status and footer rows.
    public var screenArea: Rect { Rect(x: 0, y: 1, width: size.width, height: size.height - 3) }
}
