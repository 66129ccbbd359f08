/// What the team lead's view counts of one family over time, kept with its caseload row so
/// the dashboard reads no case file: when it opened, its closures, its steps between service
/// levels, and a score per measure at each completed assessment of the instruments whose
/// outcomes are followed.
public struct CaseHistory: Hashable, Sendable {
    public var openedOn: Day
    /// Every closure, oldest first (a family re-opened after one keeps it).
    public var closures: [ClosurePoint]
    /// Changes of service level after the first, oldest first.
    public var levelChanges: [LevelChange]
    /// Completed assessments of the followed instruments, oldest first.
    public var assessments: [AssessmentPoint]
    /// The last completed assessment of any instrument.
    public var lastAssessment: Day?
    /// Every referral, oldest first: when it came in and what was decided.
    public var referrals: [ReferralPoint] = []

    public struct ReferralPoint: Hashable, Sendable {
        public var day: Day
        public var decision: Referral.Decision
    }

    public struct ClosurePoint: Hashable, Sendable {
        public var day: Day
        public var reason: Closure.Reason
    }

    public struct LevelChange: Hashable, Sendable {
        public var day: Day
        public var from: ServiceLevel
        public var to: ServiceLevel
        /// To a more intensive level (primary → secondary → tertiary).
        public var isStepUp: Bool { to > from }
    }

    /// One completed assessment of a followed instrument: a score per measure from 0
    /// (worst) to 1 (best), in the order of `CaseHistory.followed` for its instrument
    /// (nil where nothing was rated). An array, not a dictionary: 10,000 rows hold these.
    public struct AssessmentPoint: Hashable, Sendable {
        public var day: Day
        public var instrumentID: String
        public var scores: [Double?]

        public func score(_ measure: String) -> Double? {
            guard let index = CaseHistory.measureIndex(instrumentID, measure), scores.indices.contains(index) else { return nil }
            return scores[index]
        }
    }

    public init(openedOn: Day, closures: [ClosurePoint] = [], levelChanges: [LevelChange] = [], assessments: [AssessmentPoint] = [], lastAssessment: Day? = nil) {
        self.openedOn = openedOn
        self.closures = closures
        self.levelChanges = levelChanges
        self.assessments = assessments
        self.lastAssessment = lastAssessment
    }

    /// The instruments whose outcomes the dashboard follows, and what it follows of each:
    /// the seven Welsh outcomes (each item, over its raters) and the three sides of the
    /// strengths and needs assessment (each domain, over its items).
    public static let outcomesInstrument = "kith.outcomes"
    public static let strengthsNeedsInstrument = "kith.strengths-needs"

    /// The followed instruments and their measures, from the newest shipped version of each:
    /// the order scores are kept in.
    public static let followed: [(instrumentID: String, measures: [String])] = [outcomesInstrument, strengthsNeedsInstrument].compactMap { id in
        guard let instrument = InstrumentLoader.shipped.filter({ $0.id == id }).max(by: { $0.version < $1.version }) else { return nil }
        return (id, measures(of: instrument))
    }

    static let measureIndexes: [String: [String: Int]] = Dictionary(uniqueKeysWithValues: followed.map { instrument, measures in
        (instrument, Dictionary(uniqueKeysWithValues: measures.enumerated().map { ($1, $0) }))
    })

    /// Where a measure's score is kept in a point of that instrument.
    public static func measureIndex(_ instrumentID: String, _ measure: String) -> Int? { measureIndexes[instrumentID]?[measure] }

    /// The measures of a followed instrument, in the instrument's order (empty for others).
    public static func measures(of instrument: Instrument) -> [String] {
        switch instrument.id {
        case outcomesInstrument: instrument.items.map(\.id)
        case strengthsNeedsInstrument: instrument.domains.map(\.id)
        default: []
        }
    }

    /// Scores of one assessment per measure (a measure with nothing rated has none).
    public static func scores(_ assessment: Assessment, instrument: Instrument) -> [String: Double] {
        func mean(_ items: [Instrument.Item]) -> Double? {
            var values: [Double] = []
            for item in items {
                let scale = instrument.scale(for: item)
                let keys = instrument.raters.isEmpty ? [item.id] : instrument.raters.map { RatingKey.make(item: item.id, rater: $0) }
                for key in keys {
                    if let value = assessment.rating(key).value, let g = scale.goodness(value) { values.append(g) }
                }
            }
            return values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
        }
        var scores: [String: Double] = [:]
        switch instrument.id {
        case outcomesInstrument:
            for item in instrument.items { scores[item.id] = mean([item]) }
        case strengthsNeedsInstrument:
            for domain in instrument.domains { scores[domain.id] = mean(domain.items) }
        default: break
        }
        return scores
    }

    public init(_ file: CaseFile, instruments: [Instrument] = InstrumentLoader.shipped) {
        let family = file.family
        openedOn = family.openedOn
        closures = file.closures.values.sorted { ($0.date, $0.id.raw) < ($1.date, $1.id.raw) }.map { ClosurePoint(day: $0.date, reason: $0.reason) }
        referrals = file.referrals.values.sorted { ($0.receivedOn, $0.id.raw) < ($1.receivedOn, $1.id.raw) }.map { ReferralPoint(day: $0.receivedOn, decision: $0.decision) }
        levelChanges = zip(family.serviceLevelHistory, family.serviceLevelHistory.dropFirst()).compactMap { before, after in
            before.level == after.level ? nil : LevelChange(day: after.from, from: before.level, to: after.level)
        }
        let complete = file.assessments.values.filter(\.isComplete).sorted { ($0.date, $0.id.raw) < ($1.date, $1.id.raw) }
        lastAssessment = complete.last?.date
        assessments = complete.compactMap { assessment in
            guard let instrument = instruments.first(where: { $0.id == assessment.instrumentID && $0.version == assessment.instrumentVersion })
                    ?? instruments.first(where: { $0.id == assessment.instrumentID }),
                  !CaseHistory.measures(of: instrument).isEmpty else { return nil }
            let scores = CaseHistory.scores(assessment, instrument: instrument)
            guard !scores.isEmpty, let order = CaseHistory.followed.first(where: { $0.instrumentID == instrument.id })?.measures else { return nil }
            return AssessmentPoint(day: assessment.date, instrumentID: instrument.id, scores: order.map { scores[$0] })
        }
    }
}

extension CaseHistory {
    func write(to w: inout BinaryWriter) {
        w.int(openedOn.ordinal)
        w.uvarint(UInt64(closures.count))
        for closure in closures {
            w.int(closure.day.ordinal)
            w.string(closure.reason.rawValue)
        }
        w.uvarint(UInt64(levelChanges.count))
        for change in levelChanges {
            w.int(change.day.ordinal)
            w.string(change.from.rawValue)
            w.string(change.to.rawValue)
        }
        w.uvarint(UInt64(assessments.count))
        for point in assessments {
            w.int(point.day.ordinal)
            w.string(point.instrumentID)
            w.uvarint(UInt64(point.scores.count))
            // Each score in ten-thousandths, 0 for none (so a score of 0 is kept as 1).
            for score in point.scores { w.uvarint(score.map { UInt64(max(1, ($0 * 10_000).rounded() + 1)) } ?? 0) }
        }
        w.bool(lastAssessment != nil)
        if let lastAssessment { w.int(lastAssessment.ordinal) }
    }

    init(from r: inout BinaryReader) throws {
        func labelled<L: Labelled>(_ type: L.Type) throws -> L {
            guard let value = L(rawValue: try r.string()) else { throw BinaryError.malformed("\(L.labelPrefix)") }
            return value
        }
        openedOn = Day(ordinal: try r.int())
        closures = try (0..<r.count()).map { _ in ClosurePoint(day: Day(ordinal: try r.int()), reason: try labelled(Closure.Reason.self)) }
        levelChanges = try (0..<r.count()).map { _ in
            LevelChange(day: Day(ordinal: try r.int()), from: try labelled(ServiceLevel.self), to: try labelled(ServiceLevel.self))
        }
        assessments = try (0..<r.count()).map { _ in
            let day = Day(ordinal: try r.int()), instrument = try r.string()
            let scores: [Double?] = try (0..<r.count()).map { _ in
                let stored = try r.uvarint()
                return stored == 0 ? nil : min(1, Double(stored - 1) / 10_000)
            }
            return AssessmentPoint(day: day, instrumentID: instrument, scores: scores)
        }
        lastAssessment = try r.bool() ? Day(ordinal: try r.int()) : nil
    }
}
