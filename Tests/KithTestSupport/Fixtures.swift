import Foundation
import KithCore
import KithStore

/// Synthetic records for tests. Names are made up and distinctive, so a test can search
/// error messages and logs for them.
public enum Fixture {
    public static let today = Day(iso: "2026-11-22")!
    public static let lead = User.ID("LEAD0000000000001")
    public static let worker = User.ID("WORKER00000000001")
    public static let otherWorker = User.ID("WORKER00000000002")
    public static let admin = User.ID("ADMIN000000000001")
    public static let team = Team.ID("TEAM0000000000001")
    /// Names that must never appear in an error message or a log line.
    public static let secretWords = ["Zebediah", "Quillfeather", "Marmaduke", "Brackenridge", "hidden-note-text-7731"]

    public static func family(_ id: String = "FAM00000000000001", lead: User.ID = worker, name: String = "Quillfeather family",
                              level: ServiceLevel = .secondary, sensitive: Bool = false) -> Family {
        Family(id: Family.ID(id), reference: Family.reference(for: Family.ID(id)), displayName: name, address: "1 Test Street",
               area: "Testville", serviceLevel: level,
               serviceLevelHistory: [ServiceLevelChange(level: level, from: today.adding(days: -100), by: lead, reason: nil)],
               lead: lead, team: team, language: .welsh, activeOffer: ActiveOffer(on: today.adding(days: -100), by: lead),
               riskLevel: .medium, sensitive: sensitive, openedOn: today.adding(days: -100))
    }

    public static func child(_ family: Family.ID, given: String = "Zebediah", surname: String = "Quillfeather", born: Day? = Day(iso: "2019-03-04")) -> Person {
        Person(id: Person.ID("P-\(given)-\(family.raw)"), familyID: family, role: .child, givenName: given, familyName: surname,
               aliases: ["Zeb"], dateOfBirth: born, school: "Test School")
    }

    public static func parent(_ family: Family.ID) -> Person {
        Person(id: Person.ID("P-parent-\(family.raw)"), familyID: family, role: .parent, givenName: "Marmaduke", familyName: "Quillfeather",
               dateOfBirth: Day(iso: "1990-01-01"))
    }

    public static func note(_ family: Family.ID, id: String = "NOTE0000000000001", on day: Day = today, text: String = "hidden-note-text-7731 visit") -> ContactNote {
        ContactNote(id: ContactNote.ID(id), familyID: family, contactKind: .visit, date: day, text: text)
    }

    /// One of every record kind for a family (for round trips).
    public static func everyRecord(_ family: Family.ID) -> [any FamilyScoped] {
        let child = Fixture.child(family)
        let plan = Plan(id: Plan.ID("PLAN1"), familyID: family, title: "Our plan",
                        goals: [Goal(id: "g1", text: "Calmer mornings", linkedDomain: "kith.strengths-needs/child",
                                     actions: [PlanAction(id: "a1", what: "Morning chart", who: "Mum", byWhen: today.adding(days: 5), whoChecks: "Worker")])],
                        createdOn: today.adding(days: -10), reviewDate: today.adding(days: 20))
        return [
            child, parent(family),
            NetworkMember(id: NetworkMember.ID("N1"), familyID: family, name: "Nain Brackenridge", relationship: .grandparent, phone: "07700 900000", roleInPlans: "Stays over"),
            Professional(id: Professional.ID("PR1"), familyID: family, name: "Test Visitor", agency: "Health visiting", role: "Health visitor"),
            Consent(id: Consent.ID("C1"), familyID: family, scope: .informationSharing, givenBy: "Marmaduke", givenOn: today, method: .written),
            RiskFactorObservation(id: RiskFactorObservation.ID("R1"), familyID: family, code: RiskFactor.singleEarner.rawValue, status: .present, evidence: "Told us", observedOn: today),
            Assessment(id: Assessment.ID("AS1"), familyID: family, instrumentID: "kith.strengths-needs", instrumentVersion: 1, date: today,
                       subjects: [child.id], ratings: ["child.health": ItemRating(rating: .value(2), evidence: "Growing well"), "child.emotional": ItemRating(rating: .unknown)],
                       familyView: "We are fine", childVoice: "I like school"),
            Addendum(id: Addendum.ID("AD1"), familyID: family, target: EntityRef(kind: .contactNote, id: "NOTE0000000000001"), author: worker, date: today, text: "Correction"),
            plan,
            SafetyPlan(id: SafetyPlan.ID("SP1"), familyID: family, status: .draft, immediate: true,
                       worries: [WorryStatement(who: "School", about: "Hunger", ifNothingChanges: "Harm", safetyGoal: "Fed daily")],
                       judgements: [SafetyJudgement(who: "Worker", score: 4, reason: "Early days")],
                       network: [SafetyNetworkEntry(name: "Nain", role: "Checks in", phone: "07700 900001", agreed: true)],
                       rules: ["No shouting"], triggers: ["Payday"], bottomLines: ["Never alone"],
                       contingencies: [Contingency(ifWhat: "argument", then: "go to Nain", who: "Mum")], childView: "Safe with Nain", createdOn: today),
            FamilyGroupMeeting(id: FamilyGroupMeeting.ID("M1"), familyID: family, date: today, venue: "Home", coordinator: "Coordinator",
                               attendees: [.init(name: "Mum", group: .family, attendance: .attended)],
                               familyPlan: [PlanAction(id: "m1", what: "Walk to school", who: "Nain", byWhen: today.adding(days: 7))],
                               planLead: "Mum", reviewDate: today.adding(days: 30), distribution: ["Family"]),
            note(family),
            Review(id: Review.ID("RV1"), familyID: family, date: today, decision: .continue, nextReviewDate: today.adding(days: 60)),
            Closure(id: Closure.ID("CL1"), familyID: family, date: today, reason: .goalsMet),
            Flag(id: Flag.ID("F1"), familyID: family, target: EntityRef(kind: .family, id: family.raw), note: "Please review", raisedBy: lead, raisedOn: today),
            ActionCompletion(id: ActionCompletion.ID("AC1"), familyID: family, source: plan.ref, actionID: "a1", by: worker, on: today),
        ]
    }
}

extension Fixture {
    /// An agency's own definition file using every scale type Kith supports (synthetic
    /// wording; licensed instruments are loaded the same way).
    public static let everyScaleInstrument: String = {
        func options(_ values: ClosedRange<Int>, _ prefix: String) -> String {
            values.map { "[[scales.options]]\nvalue = \($0)\nlabel.en = \"\(prefix)\($0)\"" }.joined(separator: "\n")
        }
        return """
        id = "agency.every-scale"
        version = 3
        title.en = "Every scale"

        [[scales]]
        id = "bi"
        kind = "bipolar"
        [[scales.options]]
        value = -3
        label.en = "Serious problem"
        [[scales.options]]
        value = 0
        label.en = "Baseline"
        [[scales.options]]
        value = 2
        label.en = "Clear strength"

        [[scales]]
        id = "act"
        kind = "action-level"
        strength_labels = [{ en = "Centrepiece" }, { en = "Useful" }, { en = "Identified" }, { en = "None yet" }]
        [[scales.options]]
        value = 0
        label.en = "No action"
        [[scales.options]]
        value = 1
        label.en = "Watch"
        [[scales.options]]
        value = 2
        label.en = "Act"
        [[scales.options]]
        value = 3
        label.en = "Act now"

        [[scales]]
        id = "journey"
        kind = "journey"
        \(options(1...10, "J"))

        [[scales]]
        id = "judge"
        kind = "judgement"
        \(options(0...10, "G"))

        [[scales]]
        id = "status"
        kind = "status"
        [[scales.options]]
        value = 1
        label.en = "Red"
        band = "concern"
        [[scales.options]]
        value = 2
        label.en = "Amber"
        band = "middle"
        [[scales.options]]
        value = 3
        label.en = "Yellow"
        band = "middle"
        [[scales.options]]
        value = 4
        label.en = "Green"
        band = "strength"

        [[scales]]
        id = "check"
        kind = "checklist"
        higher_is_better = false
        [[scales.options]]
        value = 0
        label.en = "Absent"
        [[scales.options]]
        value = 1
        label.en = "Present"

        [[domains]]
        id = "d"
        title.en = "All kinds"
        [[domains.items]]
        id = "bi"
        scale = "bi"
        text.en = "Bipolar item"
        [[domains.items]]
        id = "need"
        scale = "act"
        text.en = "A need"
        [[domains.items]]
        id = "strength"
        scale = "act"
        polarity = "strength"
        text.en = "A strength"
        [[domains.items]]
        id = "journey"
        scale = "journey"
        text.en = "Journey item"
        [[domains.items]]
        id = "judge"
        scale = "judge"
        text.en = "Judgement item"
        [[domains.items]]
        id = "status"
        scale = "status"
        text.en = "Status item"
        [[domains.items]]
        id = "check"
        scale = "check"
        text.en = "Checklist item"
        [[domains.items]]
        id = "story"
        text.en = "Narrative"
        """
    }()
}

/// A clock that only moves when told to.
public final class TestClock: @unchecked Sendable {
    public var seconds: Double
    public init(_ day: Day = Fixture.today) { seconds = Double(day.ordinal) * 86_400 + 36_000 }
    public var storeClock: StoreClock { StoreClock { [self] in self.seconds } }
    public func advance(_ by: Double) { seconds += by }
}

/// A store in a temporary directory with a team lead ("lead"), two workers ("worker",
/// "other") and fast key derivation.
public struct TestStore {
    public let directory: TemporaryDirectory
    public let clock: TestClock
    public static let passphrase = "correct horse battery"

    public init() {
        directory = TemporaryDirectory()
        clock = TestClock()
    }

    public var root: String { directory.file("store") }

    /// Creates the store with the three users; returns it unlocked as the lead.
    @discardableResult
    public func create() throws -> Store {
        let store = try Store.create(at: root, teamName: "Test team", teamID: Fixture.team,
                                     firstUser: .init(login: "lead", displayName: "Lead Person", role: .teamLead, id: Fixture.lead),
                                     passphrase: TestStore.passphrase, kdf: .fastForTests, clock: clock.storeClock)
        try store.addUser(login: "worker", displayName: "Worker One", role: .worker, passphrase: TestStore.passphrase, kdf: .fastForTests, id: Fixture.worker)
        try store.addUser(login: "other", displayName: "Worker Two", role: .worker, passphrase: TestStore.passphrase, kdf: .fastForTests, id: Fixture.otherWorker)
        return store
    }

    /// Leaves the store as a crash would: the session marker still says "open", so the
    /// next start compares every log with the index.
    public func markCrashed() {
        FileManager.default.createFile(atPath: StoreLayout(root: root).lock, contents: Data("open 1\n".utf8))
    }

    public func open(_ login: String = "lead") throws -> Store {
        try Store.open(at: root, login: login, passphrase: TestStore.passphrase, clock: clock.storeClock)
    }
}
