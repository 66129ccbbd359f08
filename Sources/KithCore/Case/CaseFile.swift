/// Everything recorded about one family, folded from its events.
///
/// The fold keeps each record's field values (`values`), who made and changed it (`meta`)
/// and the typed records. Applying new events re-decodes only the records they touch.
public struct CaseFile: Sendable, Equatable {
    public private(set) var family: Family
    public private(set) var events: [Event] = []
    private var eventIDs: Set<Event.ID> = []
    public private(set) var values: [EntityRef: Value] = [:]
    /// Each record leaf by leaf, as merged (see `RecordFold`).
    public private(set) var folds: [EntityRef: RecordFold] = [:]
    /// Records with a leaf in conflict.
    public private(set) var conflictedRecords: Set<EntityRef> = []
    public private(set) var meta: [EntityRef: RecordMeta] = [:]
    /// Records whose fields could not be read as their type (written by a newer Kith, say).
    public private(set) var unreadable: Set<EntityRef> = []

    public private(set) var people: [Person.ID: Person] = [:]
    public private(set) var network: [NetworkMember.ID: NetworkMember] = [:]
    public private(set) var professionals: [Professional.ID: Professional] = [:]
    public private(set) var consents: [Consent.ID: Consent] = [:]
    public private(set) var riskFactors: [RiskFactorObservation.ID: RiskFactorObservation] = [:]
    public private(set) var assessments: [Assessment.ID: Assessment] = [:]
    public private(set) var addenda: [Addendum.ID: Addendum] = [:]
    public private(set) var plans: [Plan.ID: Plan] = [:]
    public private(set) var safetyPlans: [SafetyPlan.ID: SafetyPlan] = [:]
    public private(set) var meetings: [FamilyGroupMeeting.ID: FamilyGroupMeeting] = [:]
    public private(set) var notes: [ContactNote.ID: ContactNote] = [:]
    public private(set) var reviews: [Review.ID: Review] = [:]
    public private(set) var closures: [Closure.ID: Closure] = [:]
    public private(set) var flags: [Flag.ID: Flag] = [:]
    public private(set) var completions: [ActionCompletion.ID: ActionCompletion] = [:]
    public private(set) var supervisions: [Supervision.ID: Supervision] = [:]
    public private(set) var signOffs: [SignOff.ID: SignOff] = [:]
    public private(set) var referrals: [Referral.ID: Referral] = [:]
    public private(set) var attachments: [Attachment.ID: Attachment] = [:]

    /// Builds a case file from a family's events, oldest first. Returns nil when the events
    /// hold no readable family record.
    public init?(events: [Event]) {
        var fold = RecordFold()
        var familyRef: EntityRef?
        for event in events where event.entity.kind == .family {
            familyRef = event.entity
            fold.apply(event)
        }
        guard familyRef != nil, let family = try? ValueDecoder().decode(Family.self, from: fold.value) else { return nil }
        self.family = family
        apply(events)
    }

    public var familyRef: EntityRef { family.ref }

    /// Folds more events into the case file (events already applied are ignored).
    /// A copy showing `assessment` as if it were in the file, for reading someone else's
    /// draft (nothing is stored).
    public func showing(_ assessment: Assessment) -> CaseFile {
        var copy = self
        copy.assessments[assessment.id] = assessment
        return copy
    }

    public mutating func apply(_ newEvents: [Event]) {
        var touched: Set<EntityRef> = []
        for event in newEvents {
            guard eventIDs.insert(event.id).inserted else { continue }
            events.append(event)
            // A printout or export is history, not a change: its "format" is no field of the
            // record (two laptops printing at once must not make a conflict of it).
            guard !event.changes.isEmpty, event.action != .print && event.action != .export else { continue }
            folds[event.entity, default: RecordFold()].apply(event)
            // Who made and last changed a record: the earliest and latest change, whatever
            // order they arrived in.
            if var m = meta[event.entity] {
                if event.hlc > m.updatedAt { m.updatedBy = event.author; m.updatedAt = event.hlc }
                if event.hlc < m.createdAt { m.createdBy = event.author; m.createdAt = event.hlc }
                meta[event.entity] = m
            } else {
                meta[event.entity] = RecordMeta(createdBy: event.author, createdAt: event.hlc, updatedBy: event.author, updatedAt: event.hlc)
            }
            touched.insert(event.entity)
        }
        for ref in touched {
            guard let fold = folds[ref] else { continue }
            values[ref] = fold.value
            if fold.conflicted.isEmpty { conflictedRecords.remove(ref) } else { conflictedRecords.insert(ref) }
            decode(ref)
        }
    }

    /// Every leaf in conflict, records in the order they were made.
    public var conflicts: [FieldConflict] {
        conflictedRecords.sorted { (meta[$0]?.createdAt.wallMillis ?? 0, $0.description) < (meta[$1]?.createdAt.wallMillis ?? 0, $1.description) }.flatMap { ref in
            (folds[ref]?.conflicted ?? []).sorted().map { FieldConflict(ref: ref, path: $0, heads: folds[ref]?.heads($0) ?? []) }
        }
    }

    /// The changes that make a record `new` from what this file has (see `RecordFold`).
    public func changes(to new: Value, of ref: EntityRef) -> [FieldChange] {
        (folds[ref] ?? RecordFold()).changes(to: new)
    }

    private mutating func decode(_ ref: EntityRef) {
        guard let value = values[ref] else { return }
        let decoder = ValueDecoder()
        do {
            switch ref.kind {
            case .family: family = try decoder.decode(Family.self, from: value)
            case .person: insert(try decoder.decode(Person.self, from: value), into: &people)
            case .networkMember: insert(try decoder.decode(NetworkMember.self, from: value), into: &network)
            case .professional: insert(try decoder.decode(Professional.self, from: value), into: &professionals)
            case .consent: insert(try decoder.decode(Consent.self, from: value), into: &consents)
            case .riskFactor: insert(try decoder.decode(RiskFactorObservation.self, from: value), into: &riskFactors)
            case .assessment: insert(try decoder.decode(Assessment.self, from: value), into: &assessments)
            case .addendum: insert(try decoder.decode(Addendum.self, from: value), into: &addenda)
            case .plan: insert(try decoder.decode(Plan.self, from: value), into: &plans)
            case .safetyPlan: insert(try decoder.decode(SafetyPlan.self, from: value), into: &safetyPlans)
            case .meeting: insert(try decoder.decode(FamilyGroupMeeting.self, from: value), into: &meetings)
            case .contactNote: insert(try decoder.decode(ContactNote.self, from: value), into: &notes)
            case .review: insert(try decoder.decode(Review.self, from: value), into: &reviews)
            case .closure: insert(try decoder.decode(Closure.self, from: value), into: &closures)
            case .flag: insert(try decoder.decode(Flag.self, from: value), into: &flags)
            case .actionCompletion: insert(try decoder.decode(ActionCompletion.self, from: value), into: &completions)
            case .supervision: insert(try decoder.decode(Supervision.self, from: value), into: &supervisions)
            case .signOff: insert(try decoder.decode(SignOff.self, from: value), into: &signOffs)
            case .referral: insert(try decoder.decode(Referral.self, from: value), into: &referrals)
            case .attachment: insert(try decoder.decode(Attachment.self, from: value), into: &attachments)
            case .user, .team: break
            }
            unreadable.remove(ref)
        } catch {
            unreadable.insert(ref)
        }
    }

    private func insert<R: Record & Identifiable>(_ record: R, into dictionary: inout [R.ID: R]) {
        dictionary[record.id] = record
    }

    /// The current field values of a record, if it exists in this case file.
    public func value(of ref: EntityRef) -> Value? { values[ref] }

    public func created(_ ref: EntityRef) -> HLC? { meta[ref]?.createdAt }

    /// Records of one kind sorted by when they were made, oldest first.
    public func ordered<R: Record>(_ dictionary: [some Hashable: R]) -> [R] {
        dictionary.values.sorted { a, b in
            let ca = meta[a.ref]?.createdAt, cb = meta[b.ref]?.createdAt
            switch (ca, cb) {
            case let (x?, y?): return x < y
            default: return a.entityID < b.entityID
            }
        }
    }

    public var householdMembers: [Person] {
        ordered(people).sorted { lhs, rhs in
            let order: [PersonRole] = [.parent, .carer, .child, .sibling, .other]
            let l = order.firstIndex(of: lhs.role) ?? 9, r = order.firstIndex(of: rhs.role) ?? 9
            if l != r { return l < r }
            return (lhs.dateOfBirth ?? Day(ordinal: 0)) < (rhs.dateOfBirth ?? Day(ordinal: 0))
        }
    }

    public var children: [Person] { householdMembers.filter(\.isChild) }

    /// The completion that makes the action done now (one reopened since doesn't count).
    public func isActionDone(source: EntityRef, actionID: String) -> ActionCompletion? {
        completions.values.first { $0.source == source && $0.actionID == actionID && !$0.isReopened }
    }

    /// The safety plan versions in a chain, newest first, starting from any version.
    public var currentSafetyPlan: SafetyPlan? {
        safetyPlans.values.filter { $0.status == .active }.max { $0.version < $1.version }
    }

    /// The referral still waiting for its decision, if any (the oldest).
    public var pendingReferral: Referral? {
        referrals.values.filter(\.isPending).min { ($0.receivedOn, $0.entityID) < ($1.receivedOn, $1.entityID) }
    }

    public var latestReview: Review? {
        reviews.values.max { ($0.date, $0.entityID) < ($1.date, $1.entityID) }
    }

    /// The last day the family was met or spoken with: every record of contact counts
    /// (contact notes of any kind, Family Group Meetings, assessments, reviews, and safety
    /// plans agreed with the family), not only contact notes. The one definition of
    /// "contact" that the caseload column and the no-contact filters use.
    public var lastContact: Day? {
        contactDays.max()
    }

    public var contactDays: [Day] {
        notes.values.map(\.date) + meetings.values.map(\.date) + assessments.values.map(\.date)
            + reviews.values.map(\.date) + safetyPlans.values.compactMap { $0.agreedBy.isEmpty ? nil : $0.agreedOn }
    }

    public var openFlags: [Flag] { ordered(flags).filter(\.isOpen) }

    /// The previous completed assessment on the same instrument before `assessment`.
    public func previousAssessment(before assessment: Assessment) -> Assessment? {
        assessments.values
            .filter { $0.instrumentID == assessment.instrumentID && $0.isComplete && $0.id != assessment.id && $0.date <= assessment.date }
            .max { ($0.date, meta[$0.ref]?.createdAt.wallMillis ?? 0) < ($1.date, meta[$1.ref]?.createdAt.wallMillis ?? 0) }
    }

    /// The latest completed assessment on an instrument.
    public func latestCompleted(instrument: String) -> Assessment? {
        assessments.values.filter { $0.instrumentID == instrument && $0.isComplete }.max { $0.date < $1.date }
    }
}

extension Person: Identifiable {}
extension NetworkMember: Identifiable {}
extension Professional: Identifiable {}
extension Attachment: Identifiable {}
extension Consent: Identifiable {}
extension RiskFactorObservation: Identifiable {}
extension Assessment: Identifiable {}
extension Addendum: Identifiable {}
extension Plan: Identifiable {}
extension SafetyPlan: Identifiable {}
extension FamilyGroupMeeting: Identifiable {}
extension ContactNote: Identifiable {}
extension Review: Identifiable {}
extension Closure: Identifiable {}
extension Flag: Identifiable {}
extension ActionCompletion: Identifiable {}
extension Supervision: Identifiable {}
extension SignOff: Identifiable {}
extension Referral: Identifiable {}
extension Family: Identifiable {}
extension User: Identifiable {}
extension Team: Identifiable {}
