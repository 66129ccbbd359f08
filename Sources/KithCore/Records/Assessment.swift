/// An assessment filled in with the family on one instrument (pinned by id and version).
///
/// A draft may change freely; once `complete` it is immutable and corrections are `Addendum`s.
public struct Assessment: FamilyScoped {
    public typealias ID = Identifier<Assessment>
    public static let kind = RecordKind.assessment

    public var id: ID
    public var familyID: Family.ID
    public var instrumentID: String
    public var instrumentVersion: Int
    public var assessmentKind: Kind
    public var date: Day
    /// The household members the assessment covers.
    public var subjects: [Person.ID]
    /// Who took part, in plain words (e.g. "Mum, Nain, the worker").
    public var participants: String
    /// Ratings keyed by `RatingKey` (item id, plus the rater where an instrument has several).
    public var ratings: [String: ItemRating]
    public var familyView: String
    public var childVoice: String
    public var summary: String
    public var state: State
    public var completedOn: Day?
    public var completedBy: User.ID?

    public init(id: ID, familyID: Family.ID, instrumentID: String, instrumentVersion: Int, assessmentKind: Kind = .initial,
                date: Day, subjects: [Person.ID] = [], participants: String = "", ratings: [String: ItemRating] = [:],
                familyView: String = "", childVoice: String = "", summary: String = "", state: State = .draft,
                completedOn: Day? = nil, completedBy: User.ID? = nil) {
        self.id = id
        self.familyID = familyID
        self.instrumentID = instrumentID
        self.instrumentVersion = instrumentVersion
        self.assessmentKind = assessmentKind
        self.date = date
        self.subjects = subjects
        self.participants = participants
        self.ratings = ratings
        self.familyView = familyView
        self.childVoice = childVoice
        self.summary = summary
        self.state = state
        self.completedOn = completedOn
        self.completedBy = completedBy
    }

    public var entityID: String { id.raw }
    public var isComplete: Bool { state == .complete }

    public func rating(_ key: String) -> Rating { ratings[key]?.rating ?? .notRated }

    public enum Kind: String, Codable, Sendable, Labelled {
        case initial, review, closing
        public static let labelPrefix = "assessmentKind"
    }

    public enum State: String, Codable, Sendable, Labelled {
        case draft, complete
        public static let labelPrefix = "assessmentState"
    }
}

/// The key of one rating: the item id, or `item@rater` for instruments rated by several people.
public enum RatingKey {
    public static func make(item: String, rater: String?) -> String {
        guard let rater else { return item }
        return "\(item)@\(rater)"
    }
}

public struct ItemRating: Codable, Sendable, Hashable {
    public var rating: Rating
    public var evidence: String

    public init(rating: Rating, evidence: String = "") {
        self.rating = rating
        self.evidence = evidence
    }
}

/// A rating on any scale. "Not rated" and "unknown" are distinct from every scale value.
public enum Rating: Hashable, Sendable, Codable {
    case notRated
    case unknown
    case value(Int)

    public var value: Int? {
        if case .value(let v) = self { return v }
        return nil
    }

    public var isRated: Bool { self != .notRated }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int.self) {
            self = .value(number)
        } else {
            switch try container.decode(String.self) {
            case "unknown": self = .unknown
            default: self = .notRated
            }
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .notRated: try container.encode("not-rated")
        case .unknown: try container.encode("unknown")
        case .value(let v): try container.encode(v)
        }
    }
}

/// A correction or addition to an immutable record, with its own author and date.
public struct Addendum: FamilyScoped {
    public typealias ID = Identifier<Addendum>
    public static let kind = RecordKind.addendum

    public var id: ID
    public var familyID: Family.ID
    public var target: EntityRef
    public var author: User.ID
    public var date: Day
    public var text: String

    public init(id: ID, familyID: Family.ID, target: EntityRef, author: User.ID, date: Day, text: String) {
        self.id = id
        self.familyID = familyID
        self.target = target
        self.author = author
        self.date = date
        self.text = text
    }

    public var entityID: String { id.raw }
}
