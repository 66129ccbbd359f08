/// When Kith left open syncs with the hub: at once after a save, when the hub announces
/// something new, while a pull left more to fetch, and every half minute besides (in case
/// the announcement was missed). A hub that can't be reached is tried again after 5, 10,
/// 20… seconds, up to two minutes; one that refused the login, every five minutes.
struct HubSchedule: Sendable, Equatable {
    static let pollSeconds = 30.0
    static let longestWait = 120.0
    static let refusedWait = 300.0

    var lastRoundAt = -Double.infinity
    /// Rounds that failed in a row.
    var failures = 0
    var refused = false
    /// A save since the last round started.
    var saved = false
    /// The last pull was full: there is more on the hub.
    var more = false

    func due(at now: Double, announced: Bool) -> Bool {
        if refused { return now - lastRoundAt >= HubSchedule.refusedWait }
        if failures > 0 {
            let wait = min(HubSchedule.longestWait, 5 * Double(1 << min(failures - 1, 6)))
            return now - lastRoundAt >= wait
        }
        return saved || more || announced || now - lastRoundAt >= HubSchedule.pollSeconds
    }

    mutating func started(at now: Double) {
        lastRoundAt = now
        saved = false
        more = false
    }

    mutating func finished(error: Bool, refused: Bool, full: Bool) {
        failures = error ? failures + 1 : 0
        self.refused = refused
        more = !error && full
    }
}
