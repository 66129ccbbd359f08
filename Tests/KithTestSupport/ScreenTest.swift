import KithCore
import KithUI

/// Screens on their own, the way their `update` is tested: a signed-in context whose ids
/// repeat for a seed (two contexts with the same seed draw the same ids, so an expected
/// screen can be built the way the screen under test builds it), and case files made from
/// records without a store.
public enum ScreenTest {
    public static let worker = User(id: Fixture.worker, login: "worker", displayName: "Worker One", role: .worker, team: Fixture.team)

    public static func context(seed: UInt64 = 7, user: User = worker, now: Double = 1_000_000) -> AppContext {
        let session = SessionInfo(user: user, users: [user.id: user], teamName: "Test team", storePath: "/nowhere", isDemo: false)
        return AppContext(strings: Strings.shipped(.en), theme: .builtIn(depth: .monochrome), size: Size(width: 80, height: 24),
                          now: now, today: Fixture.today, session: session, ids: .seeded(seed))
    }

    /// A family led by the worker: two members, a plan with one action for the worker.
    public static func file(_ id: String = "FAM00000000000001", extra: [any FamilyScoped] = []) -> CaseFile {
        let family = Fixture.family(id)
        let plan = Plan(id: Plan.ID("PLAN-\(id)"), familyID: family.id, title: "Our plan",
                        goals: [Goal(id: "g1", text: "Calmer mornings", linkedDomain: "kith.strengths-needs/child",
                                     actions: [PlanAction(id: "a1", what: "Morning chart", who: "Worker One", byWhen: Fixture.today.adding(days: 5))])],
                        createdOn: Fixture.today.adding(days: -10), reviewDate: Fixture.today.adding(days: 20))
        return Fixture.caseFile(family, [Fixture.child(family.id), Fixture.parent(family.id), plan] + extra)
    }
}

extension Fixture {
    /// A case file built from records as if each had been saved in order.
    public static func caseFile(_ family: Family, _ records: [any FamilyScoped]) -> CaseFile {
        var events: [Event] = []
        var values: [EntityRef: Value] = [:]
        var counter: UInt32 = 0
        for record in [family] + records {
            let new = try! ValueEncoder().encode(record)
            let old = values[record.ref]
            counter += 1
            events.append(Event(id: Event.ID("E\(counter)"), hlc: HLC(wallMillis: 1_000_000 + Int64(counter), counter: 0, device: Device.ID("D")),
                                author: Fixture.worker, entity: record.ref, action: old == nil ? .create : .update, changes: new.changes(from: old)))
            values[record.ref] = new
        }
        return CaseFile(events: events)!
    }
}

public extension AppEffect {
    var save: SaveRequest? { if case .save(let request) = self { request } else { nil } }
}

public extension FamilyRecord {
    var contactNote: ContactNote? { if case .contactNote(let r) = self { r } else { nil } }
    var actionCompletion: ActionCompletion? { if case .actionCompletion(let r) = self { r } else { nil } }
    var assessment: Assessment? { if case .assessment(let r) = self { r } else { nil } }
}
