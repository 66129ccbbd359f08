/// A stored record. Its fields are its `Codable` keys; the store keeps every change to them.
public protocol Record: Codable, Sendable, Hashable {
    static var kind: RecordKind { get }
    /// The raw id, unique within its kind.
    var entityID: String { get }
}

/// A record that belongs to one family's case file (the family is the case unit).
public protocol FamilyScoped: Record {
    var familyID: Family.ID { get }
}

extension Record {
    public var ref: EntityRef { EntityRef(kind: Self.kind, id: entityID) }
}

/// An enumeration whose cases are shown to people through the string table.
public protocol Labelled: RawRepresentable, CaseIterable, Sendable, Hashable where RawValue == String {
    /// Prefix of the string-table key: the label of case `x` is `"<prefix>.x"`.
    static var labelPrefix: String { get }
}

extension Labelled {
    public var labelKey: String { "\(Self.labelPrefix).\(rawValue)" }
}

/// Every kind of record, with the name used in event logs and ids.
public enum RecordKind: String, Sendable, Codable, CaseIterable, Labelled {
    case family, person, networkMember, professional, consent, riskFactor
    case assessment, addendum, plan, safetyPlan, meeting, contactNote, review, closure
    case flag, actionCompletion, user, team
    case supervision, signOff, referral, attachment

    public static let labelPrefix = "kind"

    /// Kinds that become immutable once saved: corrections are new records (addenda).
    public var isImmutableOnceSaved: Bool {
        switch self {
        case .contactNote, .addendum, .actionCompletion, .closure, .meeting, .supervision: true
        default: false
        }
    }
}

/// Who made or last changed a record and when, derived from its events (not stored twice).
public struct RecordMeta: Hashable, Sendable {
    public var createdBy: User.ID
    public var createdAt: HLC
    public var updatedBy: User.ID
    public var updatedAt: HLC

    public init(createdBy: User.ID, createdAt: HLC, updatedBy: User.ID, updatedAt: HLC) {
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.updatedBy = updatedBy
        self.updatedAt = updatedAt
    }
}
