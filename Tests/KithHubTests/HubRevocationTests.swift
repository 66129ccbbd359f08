import Foundation
import Testing
import KithCore
import KithDemo
@testable import KithHub
@testable import KithStore
import KithTestSupport

/// Membership on the hub follows the signed membership records: a user a team lead
/// deactivates loses the hub at the lead's next sync (at once when online), and their
/// laptop can neither pull what is new nor push; a worker can end nobody's access.
@Suite(.enabled(if: TestHub.available, "needs KITH_TEST_POSTGRES (.ci/postgres start)"))
struct HubRevocationTests {
    @Test func aDeactivatedUsersLaptopCanNeitherPullNorPush() async throws {
        try await TestHub.withDatabase { admin in
            try await Hub.initialize(admin)
            let directory = TemporaryDirectory("kith-hub-revoke")
            let clock = TestClock()
            let leadRoot = directory.file("lead"), workerRoot = directory.file("worker")
            try DemoStore.create(at: leadRoot, families: 6, seed: 9, today: Fixture.today, kdf: .fastForTests, clock: clock.storeClock).close()
            try FileManager.default.copyItem(atPath: leadRoot, toPath: workerRoot)
            try Data("LAPTOPW000000001\n".utf8).write(to: URL(fileURLWithPath: StoreLayout(root: workerRoot).device))
            func open(_ root: String, _ login: String) throws -> Store {
                try Store.open(at: root, login: login, passphrase: DemoStore.passphrase, clock: clock.storeClock)
            }
            let login = DemoStore.workerLogins[0]
            let lead = try open(leadRoot, DemoStore.leadLogin)
            let leadSettings = try await TestHub.settings(admin, for: lead.user)
            let worker = try open(workerRoot, login)
            let workerSettings = try await TestHub.settings(admin, for: worker.user)
            let workerID = worker.user.id
            let leadHub = try await HubConnection.open(try HubAddress.parse(leadSettings.url), password: leadSettings.password)
            let workerHub = try await HubConnection.open(try HubAddress.parse(workerSettings.url), password: workerSettings.password)

            // Both members sync; the worker's laptop holds everything the lead sent.
            var leadState = try await HubSync.run(lead, on: leadHub, settings: leadSettings).settings
            var workerState = try await HubSync.run(worker, on: workerHub, settings: workerSettings).settings
            #expect(workerState.cursor > 0)

            // A worker can't end anyone's access (not by Kith, not by SQL).
            await #expect(throws: HubError.self) { try await HubSync.deactivate([lead.user.id.raw], on: workerHub) }

            // The lead deactivates the worker (a signed team-log record) and syncs.
            try lead.deactivateUser(login: login)
            let ended = try await HubSync.deactivate(try lead.hubOutgoing(since: leadState.marks).retired, on: leadHub)
            #expect(ended == 1)
            leadState = try await HubSync.run(lead, on: leadHub, settings: leadState).settings
            // The lead works on; the hub takes it.
            let family = try #require(lead.caseload().first { $0.status != .closed }).familyID
            _ = try lead.save([ContactNote(id: .random(), familyID: family, contactKind: .visit, date: Fixture.today, text: "After the worker left")], family: family)
            let after = try await HubSync.run(lead, on: leadHub, settings: leadState)
            #expect(after.pushed >= 1)

            // The worker's laptop, on the connection it already had open: nothing new
            // comes down, and what it writes is refused.
            func byWorker() async throws -> [Int64] {
                try await admin.rows("SELECT count(*) FROM kith.events WHERE author = \(workerID.raw)").map { try $0.decode(Int64.self) }
            }
            let before = try await byWorker()
            #expect(try await workerHub.pull(after: workerState.cursor).isEmpty, "the lead's new note doesn't come down")
            #expect(try await workerHub.pull(after: 0).isEmpty, "nor anything it had before")
            let mine = try #require(worker.caseload().first { $0.lead == workerID && $0.status != .closed }).familyID
            _ = try worker.save([ContactNote(id: .random(), familyID: mine, contactKind: .visit, date: Fixture.today, text: "Written after leaving")], family: mine)
            await #expect(throws: HubError.self) { workerState = try await HubSync.run(worker, on: workerHub, settings: workerState).settings }
            #expect(try await byWorker() == before, "nothing of the worker's went up after")
            lead.close()
            worker.close()
            await leadHub.close()
            await workerHub.close()
        }
    }
}

/// A new laptop joins with a join file that carries the team but not the caseload, and
/// takes the caseload from the hub.
@Suite(.enabled(if: TestHub.available, "needs KITH_TEST_POSTGRES (.ci/postgres start)"))
struct HubJoinTests {
    @Test func aNewLaptopJoinsThenPullsTheCaseload() async throws {
        try await TestHub.withDatabase { admin in
            try await Hub.initialize(admin)
            let directory = TemporaryDirectory("kith-hub-join")
            let clock = TestClock()
            let root = directory.file("lead")
            try DemoStore.create(at: root, families: 8, seed: 4, today: Fixture.today, kdf: .fastForTests, clock: clock.storeClock).close()
            // Every member's work goes on the hub (each pushes what they wrote).
            var leadSettings: HubSettings?
            for login in DemoStore.workerLogins + [DemoStore.adminLogin, DemoStore.leadLogin] {
                let member = try Store.open(at: root, login: login, passphrase: DemoStore.passphrase, clock: clock.storeClock)
                let settings = try await TestHub.settings(admin, for: member.user)
                let hub = try await HubConnection.open(try HubAddress.parse(settings.url), password: settings.password)
                leadSettings = try await HubSync.run(member, on: hub, settings: settings).settings
                await hub.close()
                member.close()
            }
            let lead = try Store.open(at: root, login: DemoStore.leadLogin, passphrase: DemoStore.passphrase, clock: clock.storeClock)
            defer { lead.close() }
            let leadHub = try await HubConnection.open(try HubAddress.parse(try #require(leadSettings).url), password: try #require(leadSettings).password)

            let full = try lead.invite(login: "gwen", displayName: "Gwen Lead", role: .teamLead, kdf: .fastForTests)
            let light = try lead.invite(login: "gwen", displayName: "Gwen Lead", role: .teamLead, caseload: false, kdf: .fastForTests)
            #expect(light.file.count * 3 < full.file.count, "the caseload stays out of the join file (\(light.file.count) against \(full.file.count) bytes)")
            // The new member's record and keys went up with the lead's next sync.
            _ = try await HubSync.run(lead, on: leadHub, settings: try #require(leadSettings))
            let joined = try Store.join(at: directory.file("gwen"), file: light.file, code: light.code, passphrase: DemoStore.passphrase,
                                        kdf: .fastForTests, clock: clock.storeClock)
            #expect(joined.caseload().isEmpty, "nothing of the families yet, and nothing shown as damaged")
            // Not here yet is not lost: check says how many are to come, and nothing is wrong.
            let waiting = joined.check()
            #expect(!waiting.problems.contains { $0.isSerious }, "\(waiting.problems)")
            #expect(waiting.problems.contains { $0.kind == .familiesAwaited && $0.detail == String(lead.caseload().count) }, "\(waiting.problems)")

            let settings = try await TestHub.settings(admin, for: joined.user)
            let hub = try await HubConnection.open(try HubAddress.parse(settings.url), password: settings.password)
            let report = try await HubSync.run(joined, on: hub, settings: settings)
            #expect(report.merged.families.count == lead.caseload().count)
            #expect(Set(joined.caseload().map(\.familyID)) == Set(lead.caseload().map(\.familyID)))
            for row in lead.caseload() {
                #expect(try joined.readCase(row.familyID).events.count == (try lead.readCase(row.familyID).events.count), "\(row.reference) whole and readable")
            }
            joined.clearProblems()
            let synced = joined.check()
            #expect(!synced.problems.contains { $0.kind == .familiesAwaited || $0.isSerious }, "\(synced.problems)")
            // Once arrived, a family's log going missing is a loss again, named as one.
            let gone = try #require(joined.caseload().first).familyID
            joined.close()
            try FileManager.default.removeItem(atPath: StoreLayout(root: directory.file("gwen")).family(gone.raw))
            let reopened = try Store.open(at: directory.file("gwen"), login: "gwen", passphrase: DemoStore.passphrase, clock: clock.storeClock)
            defer { reopened.close() }
            #expect(reopened.caseload().first { $0.familyID == gone }?.damaged == true)
            #expect(reopened.check().problems.contains { $0.isSerious && $0.file.contains(gone.raw) })
            await hub.close()
            await leadHub.close()
        }
    }
}
