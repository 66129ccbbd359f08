/// What an assessment shows at a glance: per domain how many items are rated, where the
/// domain sits (concern … strength), how it moved since the previous assessment, and
/// which items are of concern.
public struct AssessmentSummary: Hashable, Sendable {
    public struct DomainLine: Hashable, Sendable {
        public var domainID: String
        public var rated: Int
        public var total: Int
        /// 0 (worst) … 1 (best), the mean over rated items; nil when nothing is rated.
        public var score: Double?
        public var band: Band?
        public var previousScore: Double?
        public var change: Change?
        /// Rating keys rated in a concern band.
        public var concerns: [String]
        /// Items whose rating moved since the previous assessment (an average can stay
        /// the same while one item falls from 5 to 2 and another rises).
        public var moved: [Moved] = []
    }

    public struct Moved: Hashable, Sendable {
        public var key: String
        public var from: Int
        public var to: Int
        public var change: Change
    }

    public enum Change: String, Hashable, Sendable, Labelled {
        case better, same, worse
        public static let labelPrefix = "change"
    }

    public var domains: [DomainLine]
    public var rated: Int
    public var total: Int

    /// Differences smaller than this (on the 0…1 scale) count as "same".
    public static let sameWithin = 0.05

    public init(instrument: Instrument, assessment: Assessment, previous: Assessment? = nil) {
        var lines: [DomainLine] = []
        var ratedAll = 0, totalAll = 0
        for domain in instrument.domains {
            var rated = 0, total = 0
            var scores: [Double] = [], previousScores: [Double] = []
            var concerns: [String] = []
            var moved: [Moved] = []
            for item in domain.items {
                let scale = instrument.scale(for: item)
                guard scale.kind != .narrative else { continue }
                let keys = instrument.raters.isEmpty ? [item.id] : instrument.raters.map { RatingKey.make(item: item.id, rater: $0) }
                for key in keys {
                    total += 1
                    let rating = assessment.rating(key)
                    if rating.isRated { rated += 1 }
                    if let value = rating.value, let g = scale.goodness(value) {
                        scores.append(g)
                        if scale.band(value) == .concern { concerns.append(key) }
                    }
                    if let value = previous?.rating(key).value, let g = scale.goodness(value) {
                        previousScores.append(g)
                        if let now = rating.value, now != value, let gNow = scale.goodness(now) {
                            moved.append(Moved(key: key, from: value, to: now, change: gNow > g ? .better : .worse))
                        }
                    }
                }
            }
            let score = scores.isEmpty ? nil : scores.reduce(0, +) / Double(scores.count)
            let previousScore = previousScores.isEmpty ? nil : previousScores.reduce(0, +) / Double(previousScores.count)
            var change: Change?
            if let score, let previousScore {
                let delta = score - previousScore
                change = abs(delta) < AssessmentSummary.sameWithin ? .same : delta > 0 ? .better : .worse
            }
            lines.append(DomainLine(domainID: domain.id, rated: rated, total: total, score: score, band: score.map(Band.init(goodness:)),
                                    previousScore: previousScore, change: change, concerns: concerns, moved: moved))
            ratedAll += rated
            totalAll += total
        }
        domains = lines
        rated = ratedAll
        total = totalAll
    }

    /// The first rating key (in instrument order) not yet rated, after `key` (wrapping).
    public static func nextUnrated(in instrument: Instrument, assessment: Assessment, after key: String?) -> String? {
        let keys = instrument.ratedKeys
        guard !keys.isEmpty else { return nil }
        let start = key.flatMap { keys.firstIndex(of: $0) }.map { $0 + 1 } ?? 0
        for offset in 0..<keys.count {
            let candidate = keys[(start + offset) % keys.count]
            if !assessment.rating(candidate).isRated { return candidate }
        }
        return nil
    }

    /// Domains of concern that no active plan goal answers (a warning, never a block).
    public func domainsWithoutGoals(instrument: Instrument, plans: [Plan]) -> [String] {
        let linked = Set(plans.filter { $0.status == .active }.flatMap(\.goals).filter { $0.status != .dropped }.compactMap(\.linkedDomain))
        return domains.filter { $0.band == .concern && !linked.contains("\(instrument.id)/\($0.domainID)") }.map(\.domainID)
    }
}

extension Rating {
    /// The change between a previous and a current rating on a scale, if both are values.
    public func change(from previous: Rating, on scale: Scale) -> AssessmentSummary.Change? {
        guard let now = value, let before = previous.value, let a = scale.goodness(now), let b = scale.goodness(before) else { return nil }
        if a == b { return .same }
        return a > b ? .better : .worse
    }
}

extension AssessmentSummary {
    /// Every item that moved since last time, as "Item: 5 → 2 (worse)", in the language of
    /// `strings`: shown beside the domain averages, which can hide a fall.
    public func movedLines(_ instrument: Instrument, strings s: Strings) -> [String] {
        domains.flatMap(\.moved).compactMap { moved in
            let itemID = moved.key.split(separator: "@").first.map(String.init) ?? moved.key
            guard let item = instrument.items.first(where: { $0.id == itemID }) else { return nil }
            return s("assessment.moved", ["item": item.text.text(s.language), "from": String(moved.from), "to": String(moved.to),
                                           "change": s(moved.change.labelKey)])
        }
    }

    /// "same on average, 2 items moved" when the average hides movement.
    public static func changeText(_ line: DomainLine, strings s: Strings) -> String? {
        guard let change = line.change else { return nil }
        if change == .same && !line.moved.isEmpty { return s("assessment.sameButMoved", ["n": String(line.moved.count)]) }
        return s(change.labelKey)
    }
}
