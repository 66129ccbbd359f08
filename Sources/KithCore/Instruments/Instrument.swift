/// Text in English and, where given, Welsh.
public struct LocalizedText: Hashable, Sendable {
    public var en: String
    public var cy: String?

    public init(en: String, cy: String? = nil) {
        self.en = en
        self.cy = cy
    }

    public func text(_ language: Strings.Language) -> String {
        language == .cy ? (cy ?? en) : en
    }
}

/// An assessment instrument: domains of items rated on scales. Instruments are data
/// files with an id and version; every assessment pins both, so a later version of an
/// instrument never changes how an old assessment reads.
public struct Instrument: Hashable, Sendable, Identifiable {
    public var id: String
    public var version: Int
    public var title: LocalizedText
    public var summary: LocalizedText?
    /// Where the instrument comes from and under what terms (shown in the chooser).
    public var licence: String
    /// People who each rate every item (e.g. worker, parent, child); empty: one rating.
    public var raters: [String]
    public var scales: [String: Scale]
    public var domains: [Domain]

    public struct Domain: Hashable, Sendable, Identifiable {
        public var id: String
        public var title: LocalizedText
        public var items: [Item]
    }

    public struct Item: Hashable, Sendable, Identifiable {
        public var id: String
        public var text: LocalizedText
        public var guidance: LocalizedText?
        public var scale: String
        /// For action-level scales: whether the item is a need or a strength.
        public var polarity: Polarity

        public enum Polarity: String, Hashable, Sendable { case need, strength }
    }

    public var items: [Item] { domains.flatMap(\.items) }

    public func scale(for item: Item) -> Scale { scales[item.scale] ?? .narrative }

    public func domain(of itemID: String) -> Domain? { domains.first { $0.items.contains { $0.id == itemID } } }

    /// Every rating key of the instrument in order (items × raters).
    public var ratingKeys: [String] {
        items.flatMap { item in raters.isEmpty ? [item.id] : raters.map { RatingKey.make(item: item.id, rater: $0) } }
    }

    /// Keys that take a rating (narrative items take only text).
    public var ratedKeys: [String] {
        items.filter { scale(for: $0).kind != .narrative }.flatMap { item in
            raters.isEmpty ? [item.id] : raters.map { RatingKey.make(item: item.id, rater: $0) }
        }
    }
}

/// A rating scale. The kinds are the scale *types* of common instruments, so an agency
/// can load its own licensed definitions: bipolar ordinal (−3..+2), action level 0–3
/// with need/strength polarity, journey 1–10, judgement 0–10, status 1–4 with bands,
/// checklist (present/absent/unknown), ordinal (any ordered options) and narrative.
public struct Scale: Hashable, Sendable {
    public var id: String
    public var kind: Kind
    public var options: [Option]
    /// Labels for strength-polarity items on action-level scales.
    public var strengthLabels: [LocalizedText]
    /// Whether a higher value is better (journey, judgement) or worse (concern scales).
    public var higherIsBetter: Bool

    public enum Kind: String, Hashable, Sendable, CaseIterable {
        case bipolar, actionLevel = "action-level", journey, judgement, status, checklist, ordinal, narrative

        /// The values a scale of this kind may use (nil: any).
        public var allowedValues: ClosedRange<Int>? {
            switch self {
            case .bipolar: -6...6
            case .actionLevel: 0...3
            case .journey: 1...10
            case .judgement: 0...10
            case .status: 1...4
            case .checklist: 0...1
            case .ordinal: nil
            case .narrative: nil
            }
        }
    }

    public struct Option: Hashable, Sendable {
        public var value: Int
        public var label: LocalizedText
        /// Explicit band; otherwise derived from the value's position on the scale.
        public var band: Band?
    }

    public static let narrative = Scale(id: "narrative", kind: .narrative, options: [], strengthLabels: [], higherIsBetter: true)

    public var values: [Int] { options.map(\.value) }

    public func label(_ value: Int, polarity: Instrument.Item.Polarity = .need) -> LocalizedText? {
        guard let index = options.firstIndex(where: { $0.value == value }) else { return nil }
        if polarity == .strength, strengthLabels.indices.contains(index) { return strengthLabels[index] }
        return options[index].label
    }

    /// Where a value sits from worst (0) to best (1).
    public func goodness(_ value: Int) -> Double? {
        guard let lo = values.min(), let hi = values.max(), hi > lo, values.contains(value) else { return nil }
        let position = Double(value - lo) / Double(hi - lo)
        return higherIsBetter ? position : 1 - position
    }

    public func band(_ value: Int) -> Band? {
        if let option = options.first(where: { $0.value == value }), let band = option.band { return band }
        guard let g = goodness(value) else { return nil }
        return Band(goodness: g)
    }
}

/// How a rating or a domain reads: a concern, in between, or a strength.
public enum Band: String, Hashable, Sendable, Labelled {
    case concern, middle, strength
    public static let labelPrefix = "band"

    public init(goodness: Double) {
        self = goodness < 0.35 ? .concern : goodness > 0.65 ? .strength : .middle
    }
}
