import Foundation
import Testing
import KithCore
import KithDemo
@testable import KithHub
@testable import KithStore
import KithTestSupport

/// Each laptop's audit head is anchored on the hub at every sync, proven against the
/// trail itself: a trail cut or rolled back together with its local witness — which the
/// laptop alone can't notice — is found by the hub, recorded there for good, and named by
/// the laptop's `check` until a team lead accepts it.
@Suite(.enabled(if: TestHub.available, "needs KITH_TEST_POSTGRES (.ci/postgres start)"))
struct HubAuditTests {
    @Test func aTrailRolledBackWithItsWitnessIsFoundByTheHub() async throws {
        try await TestHub.withDatabase { admin in
            try await Hub.initialize(admin)
            let directory = TemporaryDirectory("kith-hub-audit")
            let clock = TestClock()
            let root = directory.file("lead"), snapshot = directory.file("snapshot")
            try DemoStore.create(at: root, families: 8, seed: 4, today: Fixture.today, kdf: .fastForTests, clock: clock.storeClock).close()
            func open() throws -> Store {
                try Store.open(at: root, login: DemoStore.leadLogin, passphrase: DemoStore.passphrase, clock: clock.storeClock)
            }
            func heldOnHub(_ device: String) async throws -> Int64 {
                let rows = try await admin.rows("SELECT entries FROM kith.audit_heads WHERE device = \(device)")
                return try #require(rows.first).decode(Int64.self)
            }
            func sync(_ store: Store) async throws -> HubSync.Report {
                let settings = try #require(try store.hubSettings())
                let hub = try await HubConnection.open(try HubAddress.parse(settings.url), password: settings.password)
                let report: HubSync.Report
                do { report = try await HubSync.run(store, on: hub, settings: settings) } catch {
                    await hub.close()
                    throw error
                }
                await hub.close()
                try store.saveHubSettings(report.settings)
                return report
            }
            /// Views families (each view is audited durably).
            func view(_ store: Store, times: Int) throws {
                let families = store.caseload().map(\.familyID)
                for i in 0..<times { try store.recordView(families[i % families.count]) }
            }

            var store = try open()
            let device = store.device.raw
            try store.saveHubSettings(try await TestHub.settings(admin, for: store.user))
            let first = try await sync(store)
            let anchoredFirst = try #require({ if case .anchored(let n)? = first.audit { n } else { nil } }())
            #expect(anchoredFirst > 0)
            #expect(try await heldOnHub(device) == Int64(anchoredFirst))
            store.close()
            try FileManager.default.copyItem(atPath: root, toPath: snapshot)

            // The laptop works on and syncs: the hub's anchor moves with the trail.
            store = try open()
            try view(store, times: 40)
            let second = try await sync(store)
            let anchoredSecond = try #require({ if case .anchored(let n)? = second.audit { n } else { nil } }())
            #expect(anchoredSecond >= anchoredFirst + 40)
            #expect(try await heldOnHub(device) == Int64(anchoredSecond))
            store.close()

            // The whole store goes back to the copy: audit.log and audit.anchor agree
            // with each other, so the laptop alone sees nothing wrong.
            func rollBack() throws {
                try FileManager.default.removeItem(atPath: root)
                try FileManager.default.copyItem(atPath: snapshot, toPath: root)
            }
            try rollBack()
            store = try open()
            #expect(store.auditGaps.isEmpty)
            // Shorter than anchored: the hub finds it.
            let shorter = try await sync(store)
            let cut = try #require({ if case .cut(let a, let f)? = shorter.audit { (a, f) } else { nil } }())
            #expect(cut.0 == anchoredSecond && cut.1 < anchoredSecond)
            #expect(!store.auditGaps.isEmpty, "the laptop's witness records what the hub found")
            #expect(store.check().problems.contains { $0.kind == .auditTrailCut })
            // Never forgotten: reopened, the laptop still names it; syncing on is clean.
            store.close()
            store = try open()
            #expect(store.problems.contains { $0.kind == .auditTrailCut })
            let after = try await sync(store)
            #expect({ if case .anchored? = after.audit { true } else { false } }(), "an intact trail anchors again: \(String(describing: after.audit))")
            let reanchored = try await heldOnHub(device)
            store.close()

            // Rolled back again and grown past what the hub held: the count alone would
            // pass; the proof at the anchored point doesn't.
            try rollBack()
            store = try open()
            try view(store, times: Int(reanchored) + 20 - anchoredFirst)
            let longer = try await sync(store)
            let laterCut = try #require({ if case .cut(let a, let f)? = longer.audit { (a, f) } else { nil } }())
            #expect(laterCut.0 == Int(reanchored) && laterCut.1 > Int(reanchored))
            store.close()

            // The hub holds both, for the team to read (kith hub audit), with the laptop named.
            let lead = try await TestHub.member(admin, team: store.user.team.raw, user: "someone-else", lead: true)
            let cuts = try await HubSync.auditCuts(on: lead)
            #expect(cuts.map(\.device) == [device, device])
            #expect(cuts.map(\.anchored) == [anchoredSecond, Int(reanchored)])
            await lead.close()
        }
    }

    /// A laptop can't take back what the hub anchored: no write on the tables, and an
    /// anchor that goes backwards is a recorded cut, not a reset.
    @Test func aLaptopCanNeitherRewriteNorQuietlyResetItsAnchor() async throws {
        try await TestHub.withDatabase { admin in
            try await Hub.initialize(admin)
            let laptop = try await TestHub.member(admin, team: "TEAMAUDIT", user: "U1")
            let head = [UInt8](repeating: 7, count: 32), zero = [UInt8](repeating: 0, count: 32)
            #expect(try await HubSync.anchor(AuditProof(entries: 10, head: head, at: -1, atMAC: []), device: "D1", on: laptop) == .anchored(10))
            #expect(try await HubSync.anchor(AuditProof(entries: 12, head: head, at: 3, atMAC: zero), device: "D1", on: laptop) == .prove(10))
            #expect(try await HubSync.anchor(AuditProof(entries: 12, head: zero, at: 10, atMAC: head), device: "D1", on: laptop) == .anchored(12))
            #expect(try await HubSync.anchor(AuditProof(entries: 5, head: head, at: 12, atMAC: []), device: "D1", on: laptop) == .cut(anchored: 12, found: 5))
            for statement in ["DELETE FROM kith.audit_cuts", "UPDATE kith.audit_heads SET entries = 0",
                              "INSERT INTO kith.audit_heads (team_id, device, user_id, entries, head) VALUES ('TEAMAUDIT', 'D2', 'U1', 0, decode('00', 'hex'))"] {
                await #expect(throws: HubError.self, "\(statement)") { try await laptop.execute(statement) }
            }
            let cuts = try await HubSync.auditCuts(on: laptop)
            #expect(cuts.count == 1 && cuts.first?.anchored == 12 && cuts.first?.found == 5)
            await laptop.close()
        }
    }

    /// A hub whose administrator hasn't run `kith hub init` since anchoring came: the sync
    /// goes on without it.
    @Test func aHubFromBeforeAnchoringStillSyncs() async throws {
        try await TestHub.withDatabase { admin in
            try await Hub.initialize(admin)
            try await admin.execute("DROP FUNCTION kith.anchor_audit(text, bigint, bytea, bigint, bytea)")
            let directory = TemporaryDirectory("kith-hub-old")
            let store = try DemoStore.create(at: directory.file("store"), families: 3, seed: 2, today: Fixture.today, kdf: .fastForTests, clock: TestClock().storeClock)
            defer { store.close() }
            let settings = try await TestHub.settings(admin, for: store.user)
            let hub = try await HubConnection.open(try HubAddress.parse(settings.url), password: settings.password)
            let report = try await HubSync.run(store, on: hub, settings: settings)
            await hub.close()
            #expect(report.pushed > 0 && report.audit == nil)
            #expect(report.settings.auditAnchored == -1)
        }
    }
}
