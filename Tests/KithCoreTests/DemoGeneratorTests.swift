import Testing
import KithCore
@testable import KithDemo
import KithTestSupport

@Suite struct DemoGeneratorTests {
    let staff = DemoGenerator.Staff(lead: Fixture.lead, workers: [Fixture.worker, Fixture.otherWorker], team: Fixture.team)

    @Test func sameSeedSameFamilies() {
        var a = DemoGenerator(seed: 42, today: Fixture.today, staff: staff)
        var b = DemoGenerator(seed: 42, today: Fixture.today, staff: staff)
        var c = DemoGenerator(seed: 43, today: Fixture.today, staff: staff)
        let first = a.families(20).map { $0.changes.flatMap(\.records).map { (record: any FamilyScoped) -> Value in try! ValueEncoder().encode(record) } }
        #expect(first == b.families(20).map { $0.changes.flatMap(\.records).map { (record: any FamilyScoped) -> Value in try! ValueEncoder().encode(record) } })
        #expect(first != c.families(20).map { $0.changes.flatMap(\.records).map { (record: any FamilyScoped) -> Value in try! ValueEncoder().encode(record) } })
    }

    @Test func familiesHaveTheVarietyACaseloadHas() {
        var generator = DemoGenerator(seed: 1, today: Fixture.today, staff: staff)
        let files = generator.families(300).map { family -> CaseFile in
            var events: [Event] = []
            var values: [EntityRef: Value] = [:]
            var n: Int64 = 0
            for change in family.changes {
                for record in change.records {
                    n += 1
                    let new = try! ValueEncoder().encode(record)
                    events.append(Event(id: Event.ID("\(n)"), hlc: HLC(wallMillis: n, counter: 0, device: Device.ID("D")), author: change.author,
                                        entity: record.ref, action: .create, changes: new.changes(from: values[record.ref])))
                    values[record.ref] = new
                }
            }
            return CaseFile(events: events)!
        }
        let people = files.flatMap(\.people.values)
        let names = people.map(\.givenName) + people.flatMap(\.aliases)
        #expect(names.contains { $0.contains("ŷ") || $0.contains("â") || $0.contains("ô") })   // Welsh
        #expect(names.contains { $0.contains("ł") || $0.contains("Ł") })                         // Polish
        #expect(names.contains { $0.contains("ș") || $0.contains("Ș") || $0.contains("ț") || $0.contains("ă") }) // Romanian
        #expect(names.contains { $0.unicodeScalars.contains { (0x0600...0x06FF).contains($0.value) } })         // Arabic script
        #expect(people.contains { ["Abdi", "Hodan", "Ayaan", "Mahad"].contains($0.givenName) })                 // Somali
        let ages = Set(people.filter(\.isChild).compactMap { $0.age(on: Fixture.today) })
        #expect(ages.isSuperset(of: [0, 5, 10, 15]))
        #expect(files.contains { !$0.safetyPlans.isEmpty })
        #expect(files.contains { $0.safetyPlans.values.contains { $0.status == .superseded } })
        #expect(files.contains { !$0.meetings.isEmpty })
        #expect(files.contains { $0.assessments.values.contains { !$0.isComplete } })
        #expect(files.contains { $0.family.status == .closed && !$0.closures.isEmpty })
        #expect(files.contains { !$0.openFlags.isEmpty })
        #expect(files.filter { CaseloadRow($0).isOverdue(today: Fixture.today) }.count > 10)
        #expect(files.allSatisfy { $0.unreadable.isEmpty })
    }
}
