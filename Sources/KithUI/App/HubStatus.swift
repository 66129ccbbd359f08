import KithCore

/// The team hub as the header shows it: when this laptop last synced, whether the hub can
/// be reached, and how many of the user's changes are not on it yet. Being offline is
/// normal (a home visit with no signal): it is shown, never raised as an error.
public struct HubStatus: Sendable, Equatable {
    public enum Connection: Sendable, Equatable {
        case online
        case offline
        /// The hub refused this laptop's login (retired, or the password changed).
        case refused
    }

    public var connection: Connection
    /// When the last sync finished (seconds since 1970), nil before the first.
    public var lastSync: Double?
    public var notSent: Int

    public init(connection: Connection, lastSync: Double?, notSent: Int) {
        self.connection = connection
        self.lastSync = lastSync
        self.notSent = notSent
    }

    /// "synced 2 min ago", "offline · 12 changes not sent".
    public func line(now: Double, strings: Strings) -> String {
        let pending = notSent == 1 ? strings("hub.notSent.one") : strings("hub.notSent", ["n": String(notSent)])
        switch connection {
        case .refused:
            return strings("hub.refused")
        case .offline:
            return notSent > 0 ? strings("hub.offline") + " · " + pending : strings("hub.offline")
        case .online:
            let synced = lastSync.map { strings("hub.synced", ["ago": HubStatus.ago(now - $0, strings: strings)]) } ?? strings("hub.notYet")
            return notSent > 0 ? synced + " · " + pending : synced
        }
    }

    /// "just now", "2 min ago", "3 h ago", "2 days ago".
    static func ago(_ seconds: Double, strings: Strings) -> String {
        let seconds = max(0, seconds)
        if seconds < 60 { return strings("hub.ago.now") }
        if seconds < 3600 { return strings("hub.ago.minutes", ["n": String(Int(seconds / 60))]) }
        if seconds < 86_400 { return strings("hub.ago.hours", ["n": String(Int(seconds / 3600))]) }
        return strings("hub.ago.days", ["n": String(Int(seconds / 86_400))])
    }
}
