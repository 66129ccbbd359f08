import Foundation
import Testing
import KithCore
import KithDemo
@testable import KithHub
@testable import KithStore
import KithTestSupport

/// Two laptops meeting on a real hub: what each wrote reaches the other through the same
/// merge as bundles, concurrent edits of one field stay a conflict on both, a second run
/// changes nothing — and the hub's whole database holds nothing readable.
@Suite(.enabled(if: TestHub.available, "needs KITH_TEST_POSTGRES (.ci/postgres start)"))
struct HubSyncTests {
    @Test func twoLaptopsMeetOnTheHubWhichHoldsNothingReadable() async throws {
        try await TestHub.withDatabase { admin in
            try await Hub.initialize(admin)
            let test = TestStore()
            let lead = try test.create()
            let first = Fixture.family("FAMHUB0000000001", lead: Fixture.lead)
            let second = Fixture.family("FAMHUB0000000002", lead: Fixture.lead, name: "Brackenridge family")
            try lead.createFamily(first, with: [Fixture.child(first.id), Fixture.note(first.id)])
            try lead.createFamily(second, with: [Fixture.parent(second.id)])
            let (team, user) = (lead.user.team.raw, lead.user.id.raw)
            lead.close()
            let b = test.directory.file("laptop-b")
            try FileManager.default.copyItem(atPath: test.root, toPath: b)
            try Data("LAPTOPB000000001\n".utf8).write(to: URL(fileURLWithPath: StoreLayout(root: b).device))
            func open(_ root: String) throws -> Store {
                try Store.open(at: root, login: "lead", passphrase: TestStore.passphrase, clock: test.clock.storeClock)
            }
            let hubA = try await TestHub.member(admin, team: team, user: user)
            let hubB = try await TestHub.member(admin, team: team, user: user)
            var settings: [String: HubSettings] = [:]
            func sync(_ root: String, _ hub: HubConnection) async throws -> HubSync.Report {
                let store = try open(root)
                defer { store.close() }
                let report = try await HubSync.run(store, on: hub, settings: settings[root] ?? HubSettings(url: "", password: ""))
                settings[root] = report.settings
                return report
            }
            func edit(_ root: String, _ change: (inout Family) -> Void) throws {
                let store = try open(root)
                var family = try store.openCase(first.id).family
                change(&family)
                try store.save([family], family: first.id)
                store.close()
                test.clock.advance(60)
            }

            // Apart: A changes the area, B the risk level and adds a note to the other family.
            try edit(test.root) { $0.area = "Upper valley" }
            try edit(b) { $0.riskLevel = .high }
            let storeB = try open(b)
            try storeB.save([Fixture.note(second.id, id: "NOTEHUB000000002", text: "Brackenridge hidden-note-text-7731")], family: second.id)
            storeB.close()

            let up = try await sync(test.root, hubA)
            #expect(up.pushed > 0 && up.pulled == up.pushed, "A's entries go up and come back as the hub numbered them")
            let both = try await sync(b, hubB)
            #expect(both.pushed == 2, "only what B wrote that the hub lacked: the risk level and the note (\(both))")
            #expect(both.merged.entries == 1, "A's change of area")
            let back = try await sync(test.root, hubA)
            #expect(back.merged.entries == 2 && back.pushed == 0)
            let a = try open(test.root), other = try open(b)
            for id in [first.id, second.id] {
                #expect(try a.openCase(id).values == other.openCase(id).values)
                #expect(try a.openCase(id).events.count == other.openCase(id).events.count)
            }
            #expect(try a.openCase(first.id).family.area == "Upper valley" && a.openCase(first.id).family.riskLevel == .high)
            #expect(try a.openCase(second.id).notes.count == 1 && a.openCase(first.id).notes.count == 1)
            #expect(try a.openCase(first.id).conflicts.isEmpty)
            a.close()
            other.close()

            // The same field changed on both: a conflict on both once they have met.
            try edit(test.root) { $0.area = "North of the river" }
            try edit(b) { $0.area = "South of the river" }
            for (root, hub) in [(test.root, hubA), (b, hubB), (test.root, hubA)] { _ = try await sync(root, hub) }
            for root in [test.root, b] {
                let store = try open(root)
                #expect(try store.openCase(first.id).conflicts.map(\.field) == ["area"])
                store.close()
            }
            // Once everyone is up to date, another run moves nothing.
            let again = try await sync(b, hubB)
            #expect(again.pushed == 0 && again.pulled == 0)

            // The hub's whole database, as its administrator would dump it: no name, no note,
            // no place, and no family key — only sealed bytes.
            let dump = try await Self.dump(admin.address)
            #expect(dump.contains("kith.events") && dump.count > 10_000)
            for word in Fixture.secretWords + ["Upper valley", "river", "Test Street", "Testville", "Quillfeather family"] {
                #expect(!dump.contains(word), "“\(word)” in the hub's dump")
            }
            let keyed = try open(test.root)
            for id in [first.id, second.id] {
                for held in keyed.keys(id, epoch: try #require(keyed.heldEpochs(id).first)) {
                    let hex = held.key.withUnsafeBytes { Array($0) }.map { String(format: "%02x", $0) }.joined()
                    #expect(!dump.contains(hex), "a family key in the hub's dump")
                }
            }
            keyed.close()
            await hubA.close()
            await hubB.close()
        }
    }

    @Test func aDemoTeamSyncsWholeAndTheHubsDumpHoldsNoneOfItsText() async throws {
        try await TestHub.withDatabase { admin in
            try await Hub.initialize(admin)
            let directory = TemporaryDirectory("kith-hub-demo")
            let clock = TestClock()
            let root = directory.file("demo")
            try DemoStore.create(at: root, families: 8, seed: 11, today: Fixture.today, kdf: .fastForTests, clock: clock.storeClock).close()
            // Every member syncs once, each pushing what they wrote.
            for login in [DemoStore.leadLogin] + DemoStore.workerLogins + [DemoStore.adminLogin] {
                let store = try Store.open(at: root, login: login, passphrase: DemoStore.passphrase, clock: clock.storeClock)
                let hub = try await TestHub.member(admin, team: store.user.team.raw, user: store.user.id.raw, lead: store.user.role == .teamLead)
                _ = try await HubSync.run(store, on: hub, settings: HubSettings(url: "", password: ""))
                store.close()
                await hub.close()
            }
            let lead = try Store.open(at: root, login: DemoStore.leadLogin, passphrase: DemoStore.passphrase, clock: clock.storeClock)
            defer { lead.close() }
            // The whole caseload is on the hub: every entry, grant and registration, once.
            let held = Set(try lead.syncItems().map { HubSync.digest($0.payload) })
            let onHub = try await admin.rows("SELECT count(*) FROM kith.events").map { try $0.decode(Int64.self) }
            #expect(onHub == [Int64(held.count)])
            #expect(try await admin.held(Array(held)).count == held.count)

            // And none of its text is in the hub's dump: names, addresses, schools, notes.
            var texts: Set<String> = []
            for row in lead.caseload() {
                let file = try lead.readCase(row.familyID)
                texts.formUnion([file.family.displayName, file.family.address ?? ""])
                for person in file.people.values { texts.formUnion([person.givenName + " " + person.familyName, person.school ?? ""]) }
                for note in file.notes.values { texts.insert(String(note.text.prefix(40))) }
            }
            let readable = texts.filter { $0.count >= 6 }
            #expect(readable.count > 30, "the demo has text to look for")
            let dump = try await Self.dump(admin.address)
            for text in readable.sorted() { #expect(!dump.contains(text), "“\(text)” in the hub's dump") }
        }
    }

    /// `pg_dump` of the hub's database, as text.
    static func dump(_ address: HubAddress) async throws -> String {
        guard case .tcp(let host, let port) = address.endpoint else { throw HubError.badURL(reason: "scheme") }
        let bin = try #require(try FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql").sorted().last)
        let (status, output) = await TestHub.run("/usr/lib/postgresql/\(bin)/bin/pg_dump", ["-h", host, "-p", String(port), "-U", address.user, address.database],
                                                 environment: ["PGPASSWORD": TestHub.adminPassword ?? ""])
        #expect(status == 0)
        return output
    }
}

/// A laptop's hub settings: kept sealed in the store, read back whole; damage is named.
@Suite struct HubSettingsTests {
    @Test func settingsAreKeptSealedAndDamageIsNamed() throws {
        let test = TestStore()
        let store = try test.create()
        #expect(try store.hubSettings() == nil)
        var marks = HubMarks()
        marks.families["FAM00000000000001"] = HubMarks.Mark(size: 4096, entries: 7, last: 0xfeed_beef_0000_0001)
        marks.shared = [1, 2, UInt64.max]
        let settings = HubSettings(url: "postgres://kith_x_m_1@127.0.0.1:5432/hub", password: "secret-hub-password-42", cursor: 41,
                                   lastSync: 1_700_000_000_000, marks: marks)
        try store.saveHubSettings(settings)
        #expect(try store.hubSettings() == settings)
        let path = StoreLayout(root: test.root).hub("lead")
        let bytes = try #require(FileManager.default.contents(atPath: path))
        #expect(!String(decoding: bytes, as: UTF8.self).contains("secret-hub-password-42"), "sealed with the store's key")
        var damaged = Array(bytes)
        damaged[damaged.count - 5] ^= 0x55
        FileManager.default.createFile(atPath: path, contents: Data(damaged))
        #expect(throws: StoreError.self) { try store.hubSettings() }
        store.close()
    }
}

/// What a laptop has to send: its own entries beyond the marks of the last confirmed
/// push, found by reading only the logs that changed since.
@Suite struct HubOutgoingTests {
    @Test func onlyWhatTheUserWroteSinceTheMarksGoesOut() throws {
        let test = TestStore()
        let lead = try test.create()
        let first = Fixture.family(lead: Fixture.worker)
        let second = Fixture.family("FAM00000000000002", lead: Fixture.worker)
        for family in [first, second] { _ = try lead.createFamily(family, with: [Fixture.child(family.id)]) }
        lead.close()
        let worker = try test.open("worker")
        defer { worker.close() }
        _ = try worker.save([Fixture.note(first.id)], family: first.id)

        let everything = try worker.hubOutgoing(since: HubMarks())
        let familyItems = everything.items.filter { $0.kind == .family }
        #expect(familyItems.count == 1, "the worker wrote one entry; the lead's are the lead's to send")
        #expect(everything.items.contains { $0.kind == .registry }, "registrations go with anyone")
        #expect(everything.marks.families.count == 2)

        // Nothing new: nothing goes, whatever the logs hold.
        #expect(try worker.hubOutgoing(since: everything.marks).items.isEmpty)

        // A second note: that entry alone.
        _ = try worker.save([Fixture.note(second.id, id: "NOTE0000000000002")], family: second.id)
        let next = try worker.hubOutgoing(since: everything.marks)
        #expect(next.items.count == 1)
        #expect(next.items.first?.family == second.id.raw)
        #expect(next.items.first.map { worker.author(of: $0) } == Fixture.worker)
        #expect(try worker.hubOutgoing(since: next.marks).items.isEmpty)

        // A mark that doesn't match the log's entries (a log rewritten since): read whole.
        var stale = next.marks
        stale.families[first.id.raw]?.last ^= 1
        stale.families[first.id.raw]?.size -= 1
        let reread = try worker.hubOutgoing(since: stale)
        #expect(reread.items.count == 1, "the worker's one entry in that family, again")
        #expect(reread.items.first?.family == first.id.raw)
    }
}
