import Foundation
import Testing
import KithCore
import KithDemo
import KithStore
import KithTestSupport

/// A subject access export holds every record of the family asked for, and nothing of any
/// other; it is recorded before it is handed out; names of others can be taken out.
@Suite struct SubjectAccessTests {
    func demo(_ directory: TemporaryDirectory, login: String = DemoStore.leadLogin) throws -> Store {
        let store = try DemoStore.create(at: directory.file("store"), families: 40, seed: 17, today: Fixture.today, kdf: .fastForTests, clock: TestClock().storeClock)
        guard login != DemoStore.leadLogin else { return store }
        store.close()
        return try Store.open(at: directory.file("store"), login: login, passphrase: DemoStore.passphrase)
    }

    func parsed(_ json: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    }

    /// The family with the most records.
    func largest(_ store: Store) throws -> CaseFile {
        let files = try store.caseload().map { try store.readCase($0.familyID) }
        return try #require(files.max { ($0.events.count, $0.family.reference) < ($1.events.count, $1.family.reference) })
    }

    @Test func everyRecordOfTheFamilyAndNothingOfAnyOther() throws {
        let directory = TemporaryDirectory("kith-subject")
        let store = try demo(directory)
        defer { store.close() }
        let file = try largest(store)
        let report = try store.subjectAccess(family: file.family.id, person: nil, redactThirdParties: false)
        let names = { (raw: String) in store.users[User.ID(raw)]?.displayName }
        let html = report.html(strings: .shipped(.en), today: Fixture.today, producedBy: store.user.displayName, userName: names)
        let json = report.json(today: Fixture.today, userName: names)

        // Counted here from the family's log: every entity some event changed.
        let after = try store.readCase(file.family.id)
        let expected = Set(after.events.filter { !$0.changes.isEmpty }.map(\.entity))
        let records = try #require(try parsed(json)["records"] as? [[String: Any]])
        let listed = Set(records.compactMap { r in (r["kind"] as? String).flatMap(RecordKind.init(rawValue:)).map { EntityRef(kind: $0, id: r["id"] as? String ?? "") } })
        #expect(records.count == expected.count)
        #expect(listed == expected)
        for ref in expected { #expect(html.contains(ref.id), "\(ref) in the HTML") }
        // Each record's history is all its events, printouts and exports included.
        for record in records {
            let id = try #require(record["id"] as? String)
            let history = try #require(record["history"] as? [[String: Any]])
            #expect(history.count == after.events.filter { $0.entity.id == id }.count)
        }
        // Nothing of any other family: not its id, reference, or any of its records' ids.
        for row in store.caseload() where row.familyID != file.family.id {
            let other = try store.readCase(row.familyID)
            for needle in [row.familyID.raw, row.reference] + other.values.keys.map(\.id) {
                #expect(!html.contains(needle) && !json.contains(needle), "another family's \(needle)")
            }
        }
        // Recorded first: in the family's history and the audit trail, and in the export itself.
        #expect(after.events.contains { $0.action == .export && $0.entity == file.familyRef })
        #expect(try store.auditTrail().entries.contains { $0.action == .export && $0.target == file.familyRef.description })
        let access = try #require(try parsed(json)["access"] as? [[String: Any]])
        #expect(access.contains { $0["action"] as? String == "export" })
    }

    @Test func onePersonAndTheirRecordsWithOthersNamesTakenOut() throws {
        let directory = TemporaryDirectory("kith-subject")
        let store = try demo(directory)
        defer { store.close() }
        let file = try largest(store)
        let child = try #require(file.children.first)
        let report = try store.subjectAccess(family: file.family.id, person: child.id, redactThirdParties: true)
        let json = report.json(today: Fixture.today) { _ in nil }
        let html = report.html(strings: .shipped(.en), today: Fixture.today, producedBy: "Lead", userName: { _ in nil })
        let ids = Set(report.items.map(\.ref))
        #expect(ids.contains(file.familyRef) && ids.contains(child.ref))
        // Exactly the records that name the child, counted by reading each record's text.
        for (ref, value) in file.values where ref != file.familyRef && ref != child.ref {
            let names = ValueText.strings(value).contains(child.id.raw)
            #expect(ids.contains(ref) == names, "\(ref)")
        }
        #expect(ids.count < file.values.count, "not the whole family")
        for member in file.network.values where member.name.count >= 3 {
            #expect(!html.contains(member.name) && !json.contains(member.name), "a network member's name is taken out")
        }
        for other in file.people.values where other.id != child.id {
            #expect(!html.contains(other.fullName) && !json.contains(other.fullName))
        }
        #expect(html.contains("[name removed]"))
    }

    @Test func hostileTextIsInertInBothFiles() throws {
        let directory = TemporaryDirectory("kith-subject")
        let store = try demo(directory)
        defer { store.close() }
        let row = try #require(store.caseload().filter { $0.status != .closed }.min { $0.reference < $1.reference })
        let note = ContactNote(id: ContactNote.ID("NOTE-HOSTILE-001"), familyID: row.familyID, contactKind: .visit, date: Fixture.today,
                               text: "<script>alert(1)</script> \u{1B}[2J\u{7} \u{2028} \"quoted\" \\ ‮ reversed 👨‍👩‍👧")
        try store.save([note], family: row.familyID)
        let report = try store.subjectAccess(family: row.familyID, person: nil, redactThirdParties: false)
        let html = report.html(strings: .shipped(.cy), today: Fixture.today, producedBy: "Lead", userName: { _ in nil })
        let json = report.json(today: Fixture.today) { _ in nil }
        #expect(!html.contains("<script>") && html.contains("&lt;script&gt;"))
        #expect(!html.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
        #expect(!json.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" || $0.value == 0x2028 })
        #expect(json.contains("\\u001b[2J\\u0007"))
        let records = try #require(try parsed(json)["records"] as? [[String: Any]])
        let saved = try #require(records.first { $0["id"] as? String == "NOTE-HOSTILE-001" }?["fields"] as? [String: Any])
        #expect(saved["text"] as? String == note.text, "the JSON gives back exactly what was written")
        #expect(html.contains("Mynediad at ddata"))
    }

    @Test func onlyATeamLeadExportsAndAWrongPersonIsNamedNotGuessed() throws {
        let directory = TemporaryDirectory("kith-subject")
        let worker = try demo(directory, login: "alys")
        let row = try #require(worker.caseload().first)
        #expect(throws: StoreError.notPermitted(action: "exportSubject")) {
            _ = try worker.subjectAccess(family: row.familyID, person: nil, redactThirdParties: false)
        }
        #expect(try worker.auditTrail().entries.allSatisfy { $0.action != .export }, "nothing recorded for a refusal")
        worker.close()
        let lead = try Store.open(at: directory.file("store"), login: DemoStore.leadLogin, passphrase: DemoStore.passphrase)
        defer { lead.close() }
        #expect(throws: StoreError.invalidValue(record: "person:NOBODY", field: "person")) {
            _ = try lead.subjectAccess(family: row.familyID, person: Person.ID("NOBODY"), redactThirdParties: false)
        }
    }
}

/// Every string inside a value (for counting what a record names, apart from the code
/// under test).
enum ValueText {
    static func strings(_ value: Value) -> [String] {
        switch value {
        case .string(let s): [s]
        case .array(let items): items.flatMap(strings)
        case .object(let fields): fields.values.flatMap(strings)
        default: []
        }
    }
}
