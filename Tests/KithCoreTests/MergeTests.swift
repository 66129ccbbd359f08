import KithCore
import KithTestSupport
import Testing

/// Records as leaves, merged from several laptops' changes: what conflicts and what doesn't,
/// and that every laptop ends with the same record whatever order changes arrive in.
@Suite struct MergeTests {
    let family = Family.ID("FAMILY0000000001")
    let day = Day(iso: "2026-12-02")!

    func plan(_ goals: [Goal], title: String = "Getting to school") -> Plan {
        Plan(id: Plan.ID("PLAN000000000001"), familyID: family, title: title, goals: goals, createdOn: day)
    }

    func action(_ id: String, _ what: String) -> PlanAction { PlanAction(id: id, what: what, who: "Mam", byWhen: day) }

    /// A laptop: its own clock and what it has seen of one record.
    struct Laptop {
        var device: Device.ID
        var author: User.ID
        var fold = RecordFold()
        var events: [Event] = []
        var clock: Int64 = 1_000

        mutating func save(_ value: Value) -> Event? {
            let changes = fold.changes(to: value)
            guard !changes.isEmpty else { return nil }
            clock += 1
            let event = Event(id: .random(), hlc: HLC(wallMillis: clock, counter: 0, device: device), author: author,
                              entity: EntityRef(kind: .plan, id: "PLAN000000000001"), action: .update, changes: changes)
            receive([event])
            return event
        }

        mutating func receive(_ incoming: [Event]) {
            for event in incoming where !events.contains(where: { $0.id == event.id }) {
                events.append(event)
                fold.apply(event)
                clock = max(clock, event.hlc.wallMillis)
            }
        }

        func plan() throws -> Plan { try ValueDecoder().decode(Plan.self, from: fold.value) }
    }

    func laptops(_ start: Plan) throws -> (Laptop, Laptop) {
        var a = Laptop(device: Device.ID("LAPTOPA000000001"), author: User.ID("WORKERA000000001"))
        var b = Laptop(device: Device.ID("LAPTOPB000000001"), author: User.ID("WORKERB000000001"))
        let first = try #require(a.save(try ValueEncoder().encode(start)))
        b.receive([first])
        return (a, b)
    }

    @Test func aRecordSurvivesBeingTakenApartIntoLeaves() throws {
        let records: [any Record] = [
            plan([Goal(id: "g1", text: "Mornings calmer", actions: [action("a1", "Alarm"), action("a2", "Bags packed")]),
                  Goal(id: "g2", text: "Attendance", actions: [])]),
            SafetyPlan(id: SafetyPlan.ID("SAFE000000000001"), familyID: family, status: .draft,
                       worries: [WorryStatement(who: "School", about: "Late", ifNothingChanges: "Missed days", safetyGoal: "On time")],
                       rules: ["No shouting", "No shouting", "Nain collects"], agreedBy: [], createdOn: day),
            Family(id: family, reference: "F-0001", displayName: "Synthetic", serviceLevel: .secondary, lead: User.ID("WORKERA000000001"),
                   coworkers: ["WORKERB000000001", "WORKERC000000001"].map(User.ID.init), team: Team.ID("TEAM000000000001"), openedOn: day),
        ]
        for record in records {
            let value = try ValueEncoder().encode(record)
            #expect(FieldPath.unflatten(FieldPath.flatten(value)) == value)
        }
    }

    @Test func listElementsAreLeavesOfTheirOwn() throws {
        let value = try ValueEncoder().encode(plan([Goal(id: "g1", text: "Calmer", actions: [action("a.1", "Alarm")])]))
        let leaves = FieldPath.flatten(value)
        #expect(leaves["goals[]"] == .bool(true))
        #expect(leaves["goals[ig1]#"] == .double(0))
        #expect(leaves["goals[ig1].actions[ia%2E1].what"] == .string("Alarm"))
        #expect(FieldPath.field(of: "goals[ig1].actions[ia%2E1].what") == "goals")
    }

    @Test func savingAgainWithoutChangesChangesNothingAndEditingOneActionTouchesOnlyIt() throws {
        let start = plan([Goal(id: "g1", text: "Calmer", actions: [action("a1", "Alarm"), action("a2", "Bags")])])
        var (a, _) = try laptops(start)
        #expect(a.save(try ValueEncoder().encode(start)) == nil)
        var edited = start
        edited.goals[0].actions[1].what = "Bags packed the night before"
        let event = try #require(a.save(try ValueEncoder().encode(edited)))
        #expect(event.changes.map(\.field) == ["goals[ig1].actions[ia2].what"])
        #expect(try a.plan() == edited)
    }

    @Test func differentActionsEditedApartMergeWithoutConflict() throws {
        let start = plan([Goal(id: "g1", text: "Calmer", actions: [action("a1", "Alarm"), action("a2", "Bags")])])
        var (a, b) = try laptops(start)
        var onA = start, onB = start
        onA.goals[0].actions[0].what = "Alarm at seven"
        onB.goals[0].actions[1].what = "Bags by the door"
        onB.goals[0].actions.append(action("a3", "Breakfast together"))
        let fromA = try #require(a.save(try ValueEncoder().encode(onA)))
        let fromB = try #require(b.save(try ValueEncoder().encode(onB)))
        a.receive([fromB])
        b.receive([fromA])
        #expect(a.fold.conflicted.isEmpty)
        #expect(try a.plan() == b.plan())
        #expect(try a.plan().goals[0].actions.map(\.what) == ["Alarm at seven", "Bags by the door", "Breakfast together"])
    }

    @Test func actionsAddedOnTwoLaptopsAreBothKept() throws {
        let start = plan([Goal(id: "g1", text: "Calmer", actions: [action("a1", "Alarm")])])
        var (a, b) = try laptops(start)
        var onA = start, onB = start
        onA.goals[0].actions.append(action("a2", "Bags"))
        onB.goals[0].actions.append(action("a3", "Breakfast"))
        let fromA = try #require(a.save(try ValueEncoder().encode(onA)))
        let fromB = try #require(b.save(try ValueEncoder().encode(onB)))
        a.receive([fromB])
        b.receive([fromA])
        #expect(a.fold.conflicted.isEmpty)
        #expect(try a.plan().goals[0].actions.map(\.id) == b.plan().goals[0].actions.map(\.id))
        #expect(try Set(a.plan().goals[0].actions.map(\.id)) == ["a1", "a2", "a3"])
    }

    @Test func theSameFieldChangedApartIsAConflictUntilSomeoneChooses() throws {
        let start = plan([], title: "Getting to school")
        var (a, b) = try laptops(start)
        let fromA = try #require(a.save(try ValueEncoder().encode(plan([], title: "School mornings"))))
        let fromB = try #require(b.save(try ValueEncoder().encode(plan([], title: "Getting there on time"))))
        a.receive([fromB])
        b.receive([fromA])
        #expect(a.fold.conflicted == ["title"])
        #expect(b.fold.conflicted == ["title"])
        let heads = a.fold.heads("title")
        #expect(Set(heads.map(\.author)) == [a.author, b.author])
        #expect(Set(heads.map(\.value)) == [.string("School mornings"), .string("Getting there on time")])
        // Both show the same value meanwhile.
        #expect(try a.plan().title == b.plan().title)

        let choice = a.fold.resolution(of: "title", with: .string("School mornings"))
        #expect(choice.count == 1)
        a.clock += 1
        let resolution = Event(id: .random(), hlc: HLC(wallMillis: a.clock, counter: 0, device: a.device), author: a.author,
                               entity: EntityRef(kind: .plan, id: "PLAN000000000001"), action: .update, changes: choice)
        a.receive([resolution])
        b.receive([resolution])
        #expect(a.fold.conflicted.isEmpty && b.fold.conflicted.isEmpty)
        #expect(try b.plan().title == "School mornings")
    }

    @Test func theSameValueTypedOnTwoLaptopsIsNoConflict() throws {
        var (a, b) = try laptops(plan([], title: "Getting to school"))
        let fromA = try #require(a.save(try ValueEncoder().encode(plan([], title: "School mornings"))))
        let fromB = try #require(b.save(try ValueEncoder().encode(plan([], title: "School mornings"))))
        a.receive([fromB])
        #expect(a.fold.conflicted.isEmpty)
        // The next edit replaces both.
        let next = try #require(a.save(try ValueEncoder().encode(plan([], title: "Mornings"))))
        #expect(Set(next.changes[0].bases ?? []) == [fromA.id, fromB.id])
        b.receive([fromA, next])
        #expect(b.fold.conflicted.isEmpty)
        #expect(try b.plan().title == "Mornings")
    }

    @Test func anActionRemovedOnOneLaptopAndEditedOnAnotherIsAConflict() throws {
        let start = plan([Goal(id: "g1", text: "Calmer", actions: [action("a1", "Alarm"), action("a2", "Bags")])])
        var (a, b) = try laptops(start)
        var onA = start, onB = start
        onA.goals[0].actions.remove(at: 0)
        onB.goals[0].actions[0].what = "Alarm at seven"
        let fromA = try #require(a.save(try ValueEncoder().encode(onA)))
        let fromB = try #require(b.save(try ValueEncoder().encode(onB)))
        a.receive([fromB])
        b.receive([fromA])
        #expect(a.fold.conflicted == ["goals[ig1].actions[ia1].what"])
        #expect(a.fold.conflicted == b.fold.conflicted)
        #expect(Set(a.fold.heads("goals[ig1].actions[ia1].what").map(\.value)) == [nil, .string("Alarm at seven")])
        #expect(try a.plan().goals[0].actions.map(\.id) == ["a2"])

        // Keeping the edit brings the action back whole.
        let keep = a.fold.resolution(of: "goals[ig1].actions[ia1].what", with: .string("Alarm at seven"))
        a.clock += 1
        let resolution = Event(id: .random(), hlc: HLC(wallMillis: a.clock, counter: 0, device: a.device), author: a.author,
                               entity: EntityRef(kind: .plan, id: "PLAN000000000001"), action: .update, changes: keep)
        a.receive([resolution])
        b.receive([resolution])
        #expect(a.fold.conflicted.isEmpty && b.fold.conflicted.isEmpty)
        #expect(try b.plan().goals[0].actions == [PlanAction(id: "a1", what: "Alarm at seven", who: "Mam", byWhen: day), action("a2", "Bags")])
        #expect(FieldPath.elements(containing: "goals[ig1].actions[ia1].what") == ["goals[ig1]", "goals[ig1].actions[ia1]"])
    }

    @Test func aChangeFromBeforePathsReplacesTheWholeField() throws {
        let ref = EntityRef(kind: .plan, id: "PLAN000000000001")
        let device = Device.ID("LAPTOPA000000001"), author = User.ID("WORKERA000000001")
        let first = try ValueEncoder().encode(plan([Goal(id: "g1", text: "Calmer", actions: [action("a1", "Alarm")])]))
        let second = try ValueEncoder().encode(plan([Goal(id: "g2", text: "Attendance")]))
        var fold = RecordFold()
        fold.apply(Event(id: .random(), hlc: HLC(wallMillis: 1, counter: 0, device: device), author: author, entity: ref,
                         action: .create, changes: first.changes(from: nil)))
        fold.apply(Event(id: .random(), hlc: HLC(wallMillis: 2, counter: 0, device: device), author: author, entity: ref,
                         action: .update, changes: second.changes(from: first)))
        #expect(fold.value == second)
        #expect(fold.conflicted.isEmpty)
        // Then a change with paths builds on it.
        var third = try ValueDecoder().decode(Plan.self, from: second)
        third.goals[0].text = "Every day at school"
        let changes = fold.changes(to: try ValueEncoder().encode(third))
        #expect(changes.map(\.field) == ["goals[ig2].text"])
        #expect(changes[0].bases?.count == 1)
    }

    @Test func eventsWithBasesRoundTripAndOldEventsStayVersionOne() throws {
        let device = Device.ID("LAPTOPA000000001"), author = User.ID("WORKERA000000001")
        let ref = EntityRef(kind: .plan, id: "PLAN000000000001")
        let withBases = Event(id: .random(), hlc: HLC(wallMillis: 5, counter: 1, device: device), author: author, entity: ref, action: .update,
                              changes: [FieldChange(path: "title", old: .string("a"), new: .string("b"), bases: [Event.ID("E1"), Event.ID("E2")]),
                                        FieldChange(path: "goals[ig1]#", old: nil, new: nil, bases: [])])
        let old = Event(id: .random(), hlc: HLC(wallMillis: 6, counter: 0, device: device), author: author, entity: ref, action: .update,
                        changes: [FieldChange(field: "title", old: .string("b"), new: .string("c"))])
        let bytes = Event.encodeBatch([withBases, old])
        #expect(try Event.decodeBatch(bytes) == [withBases, old])
        var writer = BinaryWriter()
        old.write(to: &writer)
        #expect(writer.bytes.first == 1)
    }

    @Test func leavesThatDontFitAreLeftOutNeverACrash() {
        let hostile: [String: Value] = ["[": .int(1), "a[": .int(2), "b[x": .int(3), "c[k]#": .string("not a position"),
                                        "d[k].": .int(4), "e[k]#x": .double(1), "f[k]#": .double(.nan), "f[k]": .int(5),
                                        ".": .null, "%zz": .bool(true), "g[]": .bool(true), "g[k].h[j]#": .double(.infinity)]
        let value = FieldPath.unflatten(hostile)
        #expect(value.objectValue?["f"] == .array([.int(5)]))
        #expect(value.objectValue?["g"] == .array([]))
    }

    /// Laptops edit one plan apart and exchange changes at random; afterwards every laptop,
    /// and a fold of all the changes in any order with repeats, shows the same record and
    /// the same conflicts.
    @Test(arguments: 0..<200) func laptopsConvergeWhateverTheOrder(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        let start = plan([Goal(id: "g1", text: "Calmer", actions: [action("a1", "Alarm"), action("a2", "Bags")])])
        let (a, b) = try laptops(start)
        var c = Laptop(device: Device.ID("LAPTOPC000000001"), author: User.ID("WORKERC000000001"))
        c.receive(a.events)
        var all = [a, b, c]
        for step in 0..<30 {
            let n = rng.int(0...2)
            if rng.chance(0.3) {
                let other = rng.int(0...2)
                all[n].receive(all[other].events)
                continue
            }
            var current = try all[n].plan()
            switch rng.int(0...5) {
            case 0: current.title = rng.pick(["Mornings", "School", "Getting there"])
            case 1:
                guard !current.goals.isEmpty else { continue }
                let g = rng.int(0...(current.goals.count - 1))
                current.goals[g].actions.append(action("s\(seed)x\(step)", rng.pick(["Alarm", "Walk", "Bus"])))
            case 2:
                guard let g = current.goals.indices.randomElement(using: &rng), !current.goals[g].actions.isEmpty else { continue }
                let k = rng.int(0...(current.goals[g].actions.count - 1))
                current.goals[g].actions[k].what = rng.pick(["Alarm at seven", "Walk with Nain", "Bus pass"])
            case 3:
                guard let g = current.goals.indices.randomElement(using: &rng), !current.goals[g].actions.isEmpty else { continue }
                current.goals[g].actions.remove(at: rng.int(0...(current.goals[g].actions.count - 1)))
            case 4: current.goals.append(Goal(id: "h\(seed)x\(step)", text: rng.pick(["Attendance", "Sleep"])))
            default:
                guard !current.goals.isEmpty else { continue }
                current.goals.swapAt(0, current.goals.count - 1)
            }
            _ = all[n].save(try ValueEncoder().encode(current))
        }
        for n in all.indices { for m in all.indices { all[n].receive(all[m].events) } }
        let reference = all[0].fold
        for laptop in all {
            #expect(laptop.fold.value == reference.value)
            #expect(laptop.fold.conflicted == reference.conflicted)
        }
        var shuffled = all[0].events + all[1].events.shuffled(using: &rng)
        shuffled.shuffle(using: &rng)
        var fold = RecordFold()
        for event in shuffled { fold.apply(event) }
        #expect(fold.value == reference.value)
        #expect(fold.conflicted == reference.conflicted)
    }
}
