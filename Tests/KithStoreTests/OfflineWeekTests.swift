import Foundation
import Testing
import KithCore
@testable import KithStore
import KithTestSupport

/// A simulated week offline: a team lead and two workers, each on a laptop of their own,
/// edit at random for seven days — the same field of the same record on two laptops, plan
/// actions, new families, notes, flags, who works with a family — and bundles move between
/// random pairs on random days. After everyone has exchanged with everyone, the three
/// stores hold the same entries, show the same records and the same open conflicts; every
/// acknowledged save is there; no entry is held twice.
///
/// Conflicts are checked against a model of their own: for each edit of a tracked field,
/// the edits of that field its laptop had seen when it was made. The edits no other edit
/// saw are the heads the stores must show, and they are a conflict when their values differ.
@Suite struct OfflineWeekTests {
    /// One edit of a tracked leaf, as the model keeps it.
    struct Edit {
        var family: Family.ID
        var ref: EntityRef
        var path: String
        var event: Event.ID
        var value: Value?
        var seen: Set<Event.ID>
    }

    final class World {
        var rng: SeededGenerator
        /// In memory: the week is about merging, and flushes to a real disk would make a
        /// thousand weeks take minutes (the file-fault suites cover the disk).
        let files = SimulatedFileSystem()
        let clock = TestClock()
        var stores: [Store] = []
        var logins = ["lead", "w1", "w2"]
        var families: [Family.ID] = []
        var edits: [Edit] = []
        var acknowledged: [(family: Family.ID, events: [Event.ID])] = []
        var step = 0

        init(seed: UInt64) {
            rng = SeededGenerator(seed: seed)
            files.makeDirectories("/week")
        }

        func id(_ prefix: String) -> String {
            step += 1
            return "\(prefix)\(step)".padding(toLength: 16, withPad: "0", startingAt: 0)
        }

        func setUp() throws {
            let lead = try Store.create(at: "/week/lead", teamName: "Week team",
                                        firstUser: .init(login: "lead", displayName: "Lead Person", role: .teamLead),
                                        passphrase: TestStore.passphrase, kdf: .fastForTests, clock: clock.storeClock, fileSystem: files)
            stores = [lead]
            var invitations: [Invitation] = []
            for login in ["w1", "w2"] { invitations.append(try lead.invite(login: login, displayName: login, role: .worker, kdf: .fastForTests)) }
            let (w1, w2) = (invitations[0].user.id, invitations[1].user.id)
            for (n, worker) in [(0, w1), (1, w2)] {
                let family = Family(id: Family.ID(id("FAM")), reference: "K-\(n)", displayName: "Synthetic \(n)", serviceLevel: .secondary,
                                    lead: worker, coworkers: [n == 0 ? w2 : w1], team: lead.user.team, openedOn: Fixture.today)
                let plan = Plan(id: Plan.ID(id("PLAN")), familyID: family.id, title: "Plan",
                                goals: [Goal(id: "g1", text: "Calmer", actions: [PlanAction(id: "a1", what: "Alarm", who: "Mam", byWhen: Fixture.today),
                                                                                  PlanAction(id: "a2", what: "Bags", who: "Dad", byWhen: Fixture.today)])],
                                createdOn: Fixture.today)
                try lead.createFamily(family, with: [plan])
                families.append(family.id)
            }
            for (n, invitation) in invitations.enumerated() {
                stores.append(try Store.join(at: "/week/\(logins[n + 1])", file: invitation.file, code: invitation.code,
                                             passphrase: TestStore.passphrase, kdf: .fastForTests, clock: clock.storeClock, fileSystem: files))
            }
        }

        /// X writes a bundle for Y (what Y last said it held), Y takes it in.
        func exchange(_ x: Int, _ y: Int) throws {
            let bundle = try stores[x].exportBundle(for: .user(login: logins[y])).bytes
            try stores[y].importBundle(bundle, file: "week.kithbundle")
        }

        /// Saves `records` on laptop `n`, keeping what the save acknowledged and, for tracked
        /// leaves, what the laptop had seen of them.
        func save(_ n: Int, _ records: [any FamilyScoped], family: Family.ID, tracked: [(EntityRef, String)]) throws {
            let store = stores[n]
            let before = try store.openCase(family)
            var seen: [String: Set<Event.ID>] = [:]
            for (ref, path) in tracked {
                seen[ref.description + path] = Set(before.events.filter { $0.entity == ref && $0.changes.contains { $0.field == path } }.map(\.id))
            }
            let after = try store.save(records, family: family)
            let new = after.events.filter { event in !before.events.contains { $0.id == event.id } }
            acknowledged.append((family, new.map(\.id)))
            for event in new {
                for change in event.changes {
                    guard let known = seen[event.entity.description + change.field] else { continue }
                    edits.append(Edit(family: family, ref: event.entity, path: change.field, event: event.id, value: change.new, seen: known))
                }
            }
        }

        /// One random thing laptop `n` does.
        func act(_ n: Int) throws {
            let store = stores[n]
            let visible = store.caseload().map(\.familyID).sorted()
            // Each worker leads a family from the start and the lead sees every one.
            try #require(!visible.isEmpty, "laptop \(n) lists no family")
            let family = rng.pick(visible)
            let file = try store.openCase(family)
            try #require(AccessPolicy(user: store.user).canEdit(file.family), "what a laptop lists, its user may add to")
            // Families made during the week have no plan: a note for them instead.
            let plan = file.plans.values.first.flatMap { $0.goals.isEmpty ? nil : $0 }
            switch rng.int(0...7) {
            case 0, 1:
                var changed = file.family
                changed.riskLevel = rng.pick([.low, .medium, .high])
                try save(n, [changed], family: family, tracked: [(changed.ref, "riskLevel")])
            case 2:
                var changed = file.family
                changed.area = rng.pick(["North", "South", "Coast"])
                try save(n, [changed], family: family, tracked: [(changed.ref, "area")])
            case 3 where !(plan?.goals[0].actions.isEmpty ?? true):
                var edited = try #require(plan)
                let k = rng.int(0...(edited.goals[0].actions.count - 1))
                edited.goals[0].actions[k].what = rng.pick(["Alarm at seven", "Walk with Nain", "Bus pass", "Bags by the door"])
                let path = "goals[ig1].actions[i\(edited.goals[0].actions[k].id)].what"
                try save(n, [edited], family: family, tracked: [(edited.ref, path)])
            case 4 where plan != nil:
                var edited = try #require(plan)
                edited.goals[0].actions.append(PlanAction(id: id("act"), what: "New step", who: "Mam", byWhen: Fixture.today))
                try save(n, [edited], family: family, tracked: [])
            case 3, 4, 5:
                try save(n, [Fixture.note(family, id: id("NOTE"))], family: family, tracked: [])
            case 6:
                if store.user.role == .teamLead {
                    if rng.chance(0.5) {
                        let flag = Flag(id: Flag.ID(id("FLAG")), familyID: family, target: file.family.ref, note: "synthetic flag",
                                        raisedBy: store.user.id, raisedOn: Fixture.today)
                        try save(n, [flag], family: family, tracked: [])
                    } else {
                        var changed = file.family
                        let workers = store.users.values.filter { $0.role == .worker }.map(\.id).sorted()
                        let pick = rng.pick(workers)
                        if changed.coworkers.contains(pick) { changed.coworkers.removeAll { $0 == pick } } else if pick != changed.lead { changed.coworkers.append(pick) }
                        try save(n, [changed], family: family, tracked: [])
                    }
                } else {
                    let created = Family(id: Family.ID(id("NEW")), reference: "K-N\(step)", displayName: "Synthetic new \(step)", serviceLevel: .primary,
                                         lead: store.user.id, team: store.user.team, openedOn: Fixture.today)
                    let file = try store.createFamily(created, with: [])
                    acknowledged.append((created.id, file.events.map(\.id)))
                    families.append(created.id)
                }
            default:
                break   // a quiet moment
            }
        }
    }

    @Test(arguments: 0..<1000) func aWeekOfflineEndsWithTheSameRecordsEverywhere(seed: UInt64) throws {
        let world = World(seed: seed)
        try world.setUp()
        defer { for store in world.stores { store.close() } }
        for y in 1...2 { try world.exchange(0, y) }
        for _ in 0..<7 {
            for n in 0..<3 {
                for _ in 0..<world.rng.int(0...2) { try world.act(n) }
                world.clock.advance(Double(world.rng.int(60...3_600)))
            }
            for _ in 0..<world.rng.int(0...2) {
                let x = world.rng.int(0...2), y = (x + world.rng.int(1...2)) % 3
                try world.exchange(x, y)
            }
            world.clock.advance(86_400)
        }
        // Round the three and on: then each laptop has heard, through the others, from everyone.
        for (x, y) in [(0, 1), (1, 2), (2, 0), (0, 1)] { try world.exchange(x, y) }

        let summaries = try world.stores.map { Store.summary(of: try $0.syncItems()) }
        #expect(summaries[1] == summaries[0] && summaries[2] == summaries[0], "seed \(seed): every laptop holds the same entries")
        let lead = world.stores[0]
        for family in world.families {
            // No entry is held twice.
            for store in world.stores {
                let payloads = store.familyPayloads(family)
                #expect(Set(payloads.map(Store.entryDigest)).count == payloads.count, "seed \(seed): an entry held twice")
            }
            let reference = try lead.openCase(family)
            for store in world.stores.dropFirst() where store.caseload().contains(where: { $0.familyID == family }) {
                let file = try store.openCase(family)
                #expect(file.values == reference.values, "seed \(seed): family \(family) differs")
                #expect(file.conflicts == reference.conflicts, "seed \(seed): conflicts in \(family) differ")
            }
            // Every acknowledged save is there.
            let held = Set(reference.events.map(\.id))
            for (owner, events) in world.acknowledged where owner == family {
                #expect(events.allSatisfy(held.contains), "seed \(seed): an acknowledged save is missing from \(family)")
            }
            // Conflicts as the model says: the edits nobody else saw, in conflict when their values differ.
            var byLeaf: [String: [Edit]] = [:]
            for edit in world.edits where edit.family == family { byLeaf[edit.ref.description + "|" + edit.path, default: []].append(edit) }
            for edits in byLeaf.values {
                let seenByOthers = edits.reduce(into: Set<Event.ID>()) { $0.formUnion($1.seen) }
                let heads = edits.filter { !seenByOthers.contains($0.event) }
                let shown = Set(reference.folds[edits[0].ref]?.heads(edits[0].path).map(\.event) ?? [])
                #expect(Set(heads.map(\.event)) == shown, "seed \(seed): heads of \(edits[0].path) in \(family)")
                let expectConflict = Set(heads.map(\.value)).count > 1
                let isConflict = reference.conflicts.contains { $0.ref == edits[0].ref && $0.path == edits[0].path }
                #expect(expectConflict == isConflict, "seed \(seed): \(edits[0].path) of \(family): conflict expected \(expectConflict)")
            }
        }
    }
}
