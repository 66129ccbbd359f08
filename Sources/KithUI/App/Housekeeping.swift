import KithCore

/// The clock of a Kith left open: when the index is written and the outbox read (at a quiet
/// moment after saves, or once a minute), and when Kith locks itself for want of keys.
struct Housekeeping: Sendable, Equatable {
    /// Seconds without a key before the index is written (after saves) or the outbox read.
    static let quietSeconds = 3.0
    /// At most this long between two rounds of housekeeping while Kith is left open.
    static let everySeconds = 60.0

    /// Seconds without a key before Kith locks itself (case records must not stay on an
    /// unattended screen).
    var idleLockSeconds = Double(Team.defaultIdleLockMinutes) * 60
    private var lastInputAt = 0.0
    /// Saves since the last index write wait for one.
    private var indexFlushDue = false
    private var lastRunAt = 0.0

    mutating func input(at now: Double) { lastInputAt = now }

    mutating func saved() { indexFlushDue = true }

    /// Whether it is time for `.flushIndex` (which also takes in the outbox); if so, it is
    /// counted as done.
    mutating func due(at now: Double) -> Bool {
        guard now - lastInputAt >= Housekeeping.quietSeconds,
              indexFlushDue || now - lastRunAt >= Housekeeping.everySeconds else { return false }
        indexFlushDue = false
        lastRunAt = now
        return true
    }

    func idle(at now: Double) -> Bool { now - lastInputAt >= idleLockSeconds }
}
