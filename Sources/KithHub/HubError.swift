/// What went wrong with the hub, in terms a person can act on: a setting to correct, a
/// server to reach, an account to ask for. Names hosts, users, tables and SQLSTATE codes —
/// never anything from a family's record (the hub holds none it can read).
public enum HubError: Error, Equatable, Sendable {
    /// The hub URL can't be used (`reason`: scheme, password, user, database, port,
    /// plainText — a remote host without TLS).
    case badURL(reason: String)
    /// No PostgreSQL answered there (down, firewalled, wrong port): normal when offline.
    case unreachable(endpoint: String)
    /// The server refused the user's credentials.
    case authentication(user: String)
    /// The server refused what was asked (`code`: SQLSTATE, e.g. 42501 no privilege).
    case refused(code: String, detail: String)
    /// There is no such database on the server.
    case noDatabase(name: String)
    /// The database has no Kith schema (run `kith hub init` there first).
    case notAHub
    /// The hub's schema is newer than this Kith.
    case newerHub(found: Int, supported: Int)
    /// The connection dropped mid-way; nothing half-done stays (retry).
    case connectionLost

    /// The hub can't be reached now: normal for a laptop, said without alarm.
    public var isOffline: Bool {
        switch self {
        case .unreachable, .connectionLost: true
        default: false
        }
    }
}
