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
    case supervision(Family.ID)
    case requestSignOff(Family.ID, EntityRef)
    case decideSignOff(Family.ID, SignOff.ID)
    case proposeClosure(Family.ID)
    /// A referral: for a family already here, or (nil) one it brings.
    case referral(Family.ID?)
    case decideReferral(Family.ID, Referral.ID)
    /// A printout for another agency (what it is for, checked against consent).
    case share(Family.ID, EntityRef)
    case attach(Family.ID)
    case writeAttachment(Family.ID, Attachment.ID)
    case removeAttachment(Family.ID, Attachment.ID)

    /// Typing in it is kept as a draft (not the store's first passphrase, nor where a
    /// printout goes: nothing there is the family's record).
    public var keepsDraft: Bool {
        switch self {
        case .setupStore, .share, .attach, .writeAttachment, .removeAttachment: false
        default: true
        }
    }

    /// The form makes a new family (its log is created with the save).
    public var makesFamily: Bool {
        switch self {
        case .newFamily, .referral(nil): true
        default: false
        }
    }

    public var family: Family.ID? {
        switch self {
        case .setupStore, .newFamily: nil
        case .referral(let f): f
        case .decideReferral(let f, _), .share(let f, _), .attach(let f), .writeAttachment(let f, _), .removeAttachment(let f, _): f
        case .editFamily(let f), .person(let f, _), .network(let f, _), .professional(let f, _), .consent(let f, _),
             .riskFactor(let f, _), .contactNote(let f), .flag(let f, _), .resolveFlag(let f, _), .serviceLevel(let f),
             .lead(let f), .plan(let f, _), .safetyPlan(let f, _, _), .meeting(let f), .review(let f), .closure(let f),
             .addendum(let f, _), .supervision(let f), .requestSignOff(let f, _), .decideSignOff(let f, _), .proposeClosure(let f):
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
        case .supervision: "form.title.supervision"
        case .requestSignOff: "form.title.requestSignOff"
        case .decideSignOff: "form.title.decideSignOff"
        case .proposeClosure: "form.title.proposeClosure"
        case .referral(let f): f == nil ? "form.title.referralNewFamily" : "form.title.referral"
        case .decideReferral: "form.title.decideReferral"
        case .share: "form.title.share"
        case .attach: "form.title.attach"
        case .writeAttachment: "form.title.writeAttachment"
        case .removeAttachment: "form.title.removeAttachment"
        }
    }
}

/// An autosaved piece of work: what it is, and its whole state.
///
/// Drafts outlive upgrades (a worker may type on Friday and update Kith on Monday), so each
/// carries the format it was written in. A change to the shape of a form's saved state
/// raises `currentFormat` and adds a step to `init(from:)` that reads the older shape; a
/// draft that still can't be read is kept untouched and named (`DraftReading`), never
/// dropped.
public struct DraftEnvelope: Codable, Hashable, Sendable {
    /// 1: drafts from before formats were named (no `format` field). 2: the same shape, named.
    public static let currentFormat = 2

    public var format: Int
    public var id: String
    public var family: Family.ID?
    public var savedAt: Double
    public var content: DraftContent

    public init(id: String, family: Family.ID?, savedAt: Double, content: DraftContent) {
        format = DraftEnvelope.currentFormat
        self.id = id
        self.family = family
        self.savedAt = savedAt
        self.content = content
    }

    enum CodingKeys: String, CodingKey { case format, id, family, savedAt, content }

    /// A draft written by a newer Kith than this one.
    public struct NewerFormat: Error, Hashable { public var format: Int }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        format = try c.decodeIfPresent(Int.self, forKey: .format) ?? 1
        guard format <= DraftEnvelope.currentFormat else { throw NewerFormat(format: format) }
        id = try c.decode(String.self, forKey: .id)
        family = try c.decodeIfPresent(Family.ID.self, forKey: .family)
        savedAt = try c.decode(Double.self, forKey: .savedAt)
        // Formats 1 and 2 store the content alike; a later format reads older content here.
        content = try c.decode(DraftContent.self, forKey: .content)
        format = DraftEnvelope.currentFormat
    }

    /// The form kind stored beside the draft (for listing without decoding the state).
    public var formName: String {
        switch content {
        case .form(let purpose, _): purpose.titleKey
        case .assessment: "form.title.assessment"
        case .conflictValue: "form.title.conflictValue"
        }
    }
}

public enum DraftContent: Codable, Hashable, Sendable {
    case form(FormPurpose, FormState)
    case assessment(AssessmentDraft)
    /// A new value written to settle a conflict. (A Kith from before this case names such
    /// a draft unreadable and keeps it.)
    case conflictValue(ConflictDraft)
}

/// A new value being written for a conflict: which one, and the text so far.
public struct ConflictDraft: Codable, Hashable, Sendable {
    public var ref: EntityRef
    /// The leaf (a resumed draft settles the conflict on it as it then stands; if someone
    /// settled it meanwhile, the save is refused and the text stays on screen).
    public var path: String
    public var text: String

    public init(ref: EntityRef, path: String, text: String) {
        self.ref = ref
        self.path = path
        self.text = text
    }
}

/// A draft this Kith could not read: kept as it is, and named wherever drafts are listed.
public struct UnreadableDraft: Hashable, Sendable {
    public var id: String
    /// String-table key of the form's title, as stored beside the draft.
    public var form: String
    public var savedAt: Double
    public var newer: Bool

    public init(id: String, form: String, savedAt: Double, newer: Bool) {
        self.id = id
        self.form = form
        self.savedAt = savedAt
        self.newer = newer
    }

    /// The draft's file, relative to the store.
    public var file: String { "drafts/\(id).draft" }

    /// What a person is told, in their language: on screen short enough for the status
    /// line; `kith check` adds the file.
    public func message(_ s: Strings, naming file: Bool = false) -> String {
        let form = s.has(form) ? s(form) : form
        let key = (newer ? "draft.unreadable.newer" : "draft.unreadable") + (file ? ".file" : "")
        return s(key, ["form": form, "date": s.dateTime(savedAt), "file": self.file])
    }
}

extension DraftEnvelope {
    /// The dialog offering this recovered draft back: resume it (on its family), keep it
    /// for later, or discard it. `row` names the family (reference only when sensitive:
    /// hidden means hidden on every list, dialog and notice).
    func recoveryDialog(row: CaseloadRow?, context: AppContext) -> PendingDialog {
        let s = context.strings
        var message = [s("recover.message", ["what": s(formName), "when": s.dateTime(savedAt)])]
        if let family {
            let label = row.map { $0.sensitive ? "\($0.reference) ⊘ " + s("caseload.sensitive") : "\($0.reference) \($0.displayName)" } ?? family.raw
            message.append(s("recover.family", ["family": label]))
        }
        let dialog = Dialog(title: s("recover.title"), message: message + [s("recover.explain")],
                            choices: [(.enter, s("recover.resume")), (.char("l"), s("recover.later")), (.char("d"), s("recover.discard"))])
        var resume: [ScreenAction] = []
        if let family {
            resume = [.effect(.openFamily(family, then: .resume(self)))]
        } else if case .form(let purpose, let state) = content {
            resume = [.push(.form(FormScreen(purpose: purpose, file: nil, state: state, draftID: id, context: context)))]
        }
        return PendingDialog(dialog: dialog, actions: [.enter: resume, .char("l"): [], .char("d"): [.effect(.discardDraft(id))]], offersDraft: id)
    }

    /// The screen this draft was typed in, with its family.
    func screen(file: CaseFile, context: AppContext) -> Screen {
        switch content {
        case .form(let purpose, let state):
            .form(FormScreen(purpose: purpose, file: file, state: state, draftID: id, context: context))
        case .assessment(let saved):
            .assessment(AssessmentScreen(resuming: saved, file: file, draftID: id, context: context))
        case .conflictValue(let draft):
            .conflicts(ConflictScreen(file: file, resuming: draft, draftID: id))
        }
    }
}
