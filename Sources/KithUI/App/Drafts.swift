import KithCore

/// What a form is for: which record it makes or changes, in which family.
public enum FormPurpose: Codable, Hashable, Sendable {
    case setupStore
    case newFamily
    case editFamily(Family.ID)
    case person(Family.ID, Person.ID?)
    case network(Family.ID, NetworkMember.ID?)
    case professional(Family.ID, Professional.ID?)
    case consent(Family.ID, Consent.ID?)
    case riskFactor(Family.ID, RiskFactorObservation.ID?)
    case contactNote(Family.ID)
    case flag(Family.ID, EntityRef)
    case resolveFlag(Family.ID, Flag.ID)
    case serviceLevel(Family.ID)
    case lead(Family.ID)
    case plan(Family.ID, Plan.ID?)
    case safetyPlan(Family.ID, SafetyPlan.ID?, revising: SafetyPlan.ID?)
    case meeting(Family.ID)
    case review(Family.ID)
    case closure(Family.ID)
    case addendum(Family.ID, EntityRef)

    public var family: Family.ID? {
        switch self {
        case .setupStore, .newFamily: nil
        case .editFamily(let f), .person(let f, _), .network(let f, _), .professional(let f, _), .consent(let f, _),
             .riskFactor(let f, _), .contactNote(let f), .flag(let f, _), .resolveFlag(let f, _), .serviceLevel(let f),
             .lead(let f), .plan(let f, _), .safetyPlan(let f, _, _), .meeting(let f), .review(let f), .closure(let f),
             .addendum(let f, _):
            f
        }
    }

    /// String-table key naming the form ("form.title.contactNote").
    public var titleKey: String {
        switch self {
        case .setupStore: "form.title.setupStore"
        case .newFamily: "form.title.newFamily"
        case .editFamily: "form.title.editFamily"
        case .person(_, let id): id == nil ? "form.title.newPerson" : "form.title.editPerson"
        case .network(_, let id): id == nil ? "form.title.newNetwork" : "form.title.editNetwork"
        case .professional(_, let id): id == nil ? "form.title.newProfessional" : "form.title.editProfessional"
        case .consent(_, let id): id == nil ? "form.title.newConsent" : "form.title.editConsent"
        case .riskFactor(_, let id): id == nil ? "form.title.newRisk" : "form.title.editRisk"
        case .contactNote: "form.title.contactNote"
        case .flag: "form.title.flag"
        case .resolveFlag: "form.title.resolveFlag"
        case .serviceLevel: "form.title.serviceLevel"
        case .lead: "form.title.lead"
        case .plan(_, let id): id == nil ? "form.title.newPlan" : "form.title.editPlan"
        case .safetyPlan(_, _, let revising): revising == nil ? "form.title.safetyPlan" : "form.title.reviseSafetyPlan"
        case .meeting: "form.title.meeting"
        case .review: "form.title.review"
        case .closure: "form.title.closure"
        case .addendum: "form.title.addendum"
        }
    }
}

/// An autosaved piece of work: what it is, and its whole state.
public struct DraftEnvelope: Codable, Hashable, Sendable {
    public var id: String
    public var family: Family.ID?
    public var savedAt: Double
    public var content: DraftContent

    public init(id: String, family: Family.ID?, savedAt: Double, content: DraftContent) {
        self.id = id
        self.family = family
        self.savedAt = savedAt
        self.content = content
    }

    /// The form kind stored beside the draft (for listing without decoding the state).
    public var formName: String {
        switch content {
        case .form(let purpose, _): purpose.titleKey
        case .assessment: "form.title.assessment"
        }
    }
}

public enum DraftContent: Codable, Hashable, Sendable {
    case form(FormPurpose, FormState)
    case assessment(AssessmentDraft)
}
