/// One record of a family's case file as a plain value: the concrete record types, so
/// whatever carries records (a save request, a test's expected effect) can be compared.
public enum FamilyRecord: Hashable, Sendable {
    case family(Family)
    case person(Person)
    case networkMember(NetworkMember)
    case professional(Professional)
    case consent(Consent)
    case riskFactor(RiskFactorObservation)
    case assessment(Assessment)
    case addendum(Addendum)
    case plan(Plan)
    case safetyPlan(SafetyPlan)
    case meeting(FamilyGroupMeeting)
    case contactNote(ContactNote)
    case review(Review)
    case closure(Closure)
    case flag(Flag)
    case actionCompletion(ActionCompletion)
    case supervision(Supervision)
    case signOff(SignOff)
    case referral(Referral)
    case attachment(Attachment)

    /// Wraps a record of one of the family-scoped types. Every such type has a case (a
    /// new record type without one is a programming error, found by the first test that
    /// saves it).
    public init(_ record: any FamilyScoped) {
        switch record {
        case let r as Family: self = .family(r)
        case let r as Person: self = .person(r)
        case let r as NetworkMember: self = .networkMember(r)
        case let r as Professional: self = .professional(r)
        case let r as Consent: self = .consent(r)
        case let r as RiskFactorObservation: self = .riskFactor(r)
        case let r as Assessment: self = .assessment(r)
        case let r as Addendum: self = .addendum(r)
        case let r as Plan: self = .plan(r)
        case let r as SafetyPlan: self = .safetyPlan(r)
        case let r as FamilyGroupMeeting: self = .meeting(r)
        case let r as ContactNote: self = .contactNote(r)
        case let r as Review: self = .review(r)
        case let r as Closure: self = .closure(r)
        case let r as Flag: self = .flag(r)
        case let r as ActionCompletion: self = .actionCompletion(r)
        case let r as Supervision: self = .supervision(r)
        case let r as SignOff: self = .signOff(r)
        case let r as Referral: self = .referral(r)
        case let r as Attachment: self = .attachment(r)
        default: preconditionFailure("FamilyRecord has no case for \(type(of: record).kind)")
        }
    }

    /// The record itself, for the store.
    public var record: any FamilyScoped {
        switch self {
        case .family(let r): r
        case .person(let r): r
        case .networkMember(let r): r
        case .professional(let r): r
        case .consent(let r): r
        case .riskFactor(let r): r
        case .assessment(let r): r
        case .addendum(let r): r
        case .plan(let r): r
        case .safetyPlan(let r): r
        case .meeting(let r): r
        case .contactNote(let r): r
        case .review(let r): r
        case .closure(let r): r
        case .flag(let r): r
        case .actionCompletion(let r): r
        case .supervision(let r): r
        case .signOff(let r): r
        case .referral(let r): r
        case .attachment(let r): r
        }
    }
}
