import Foundation
import Testing
import KithCore
import KithDemo
@testable import KithHub
@testable import KithStore
import KithTestSupport

/// Twenty laptops of one team — real stores, each with its own device — write and sync
/// concurrently over loopback for a bounded time while connections drop at random and
/// the PostgreSQL server is restarted once. Afterwards every laptop holds exactly the same
/// entries, the hub holds each once and numbered without a gap, and every push a laptop
/// was told had gone through is there.
@Suite(.enabled(if: TestHub.available, "needs KITH_TEST_POSTGRES (.ci/postgres start)"))
struct HubFaultTests {
    static let laptops = 20
    /// Seconds of writing and syncing (bounded, not timed: CI's machine is slow or busy).
    static let seconds = 12.0

    /// One laptop: its store and what it was told went through.
    final class Laptop: @unchecked Sendable {
        let store: Store
        let address: HubAddress
        let password: String
        var settings: HubSettings
        var connection: HubConnection?
        /// Entry ids of this user's own entries as of each sync that returned without error.
        var acknowledged: Set<String> = []
        var rounds = 0, failures = 0, notes = 0

        init(store: Store, address: HubAddress, password: String) {
            self.store = store
            self.address = address
            self.password = password
            settings = HubSettings(url: address.description, password: password)
        }

        /// Writes a note where this user may, then syncs; a failure leaves the settings
        /// as they were (the next round carries on from there).
        func round(dropping: Bool) async {
            rounds += 1
            if let family = store.caseload().first(where: { $0.status != .closed && !$0.damaged && ($0.lead == store.user.id || store.user.role != .worker) }) {
                if (try? store.save([ContactNote(id: .random(), familyID: family.familyID, contactKind: .visit, date: Fixture.today,
                                                  text: "Fault run note \(notes)")], family: family.familyID)) != nil { notes += 1 }
            }
            do {
                let hub: HubConnection
                if let open = connection, !open.isClosed { hub = open } else {
                    hub = try await HubConnection.open(address, password: password, timeout: 10)
                    connection = hub
                }
                if dropping {
                    // The connection goes away somewhere in the middle of the round.
                    Task { try? await Task.sleep(for: .milliseconds(Int.random(in: 0...40))); await hub.close() }
                }
                let own = try store.hubOutgoing(since: HubMarks()).items.map { HubSync.digest($0.payload) }
                let report = try await HubSync.run(store, on: hub, settings: settings)
                settings = report.settings
                acknowledged.formUnion(own)
            } catch {
                failures += 1
                await connection?.close()
                connection = nil
            }
        }
    }

    /// When the server started (a restart changes it).
    static func serverStart(_ connection: HubConnection) async throws -> String {
        try #require(try await connection.rows("SELECT pg_postmaster_start_time()::text").first).decode(String.self)
    }

    @Test func twentyLaptopsThroughDropsAndARestartEndIdentical() async throws {
        let restart = try #require(TestHub.environment["KITH_TEST_POSTGRES_CTL"], "KITH_TEST_POSTGRES_CTL says how to restart the server")
        try await TestHub.withDatabase { admin in
            try await Hub.initialize(admin)
            let directory = TemporaryDirectory("kith-hub-fault")
            let clock = TestClock()
            let template = directory.file("template")
            try DemoStore.create(at: template, families: 6, seed: 21, today: Fixture.today, kdf: .fastForTests, clock: clock.storeClock).close()
            let logins = [DemoStore.leadLogin] + DemoStore.workerLogins + [DemoStore.adminLogin]
            var passwords: [String: (HubAddress, String)] = [:]
            var laptops: [Laptop] = []
            for n in 0..<Self.laptops {
                let root = directory.file("laptop-\(n)")
                try FileManager.default.copyItem(atPath: template, toPath: root)
                try Data(String(format: "FAULTLAPTOP%05d\n", n).utf8).write(to: URL(fileURLWithPath: StoreLayout(root: root).device))
                let store = try Store.open(at: root, login: logins[n % logins.count], passphrase: DemoStore.passphrase, clock: clock.storeClock)
                if passwords[store.user.login] == nil {
                    let settings = try await TestHub.settings(admin, for: store.user)
                    passwords[store.user.login] = (try HubAddress.parse(settings.url), settings.password)
                }
                let (address, password) = try #require(passwords[store.user.login])
                laptops.append(Laptop(store: store, address: address, password: password))
            }
            let databaseName = admin.address.database
            let startedAt = try await Self.serverStart(admin)
            await admin.close()

            // Everyone writes and syncs at once; one restart a third of the way in.
            let start = Date()
            let restarted = await withTaskGroup(of: Bool?.self) { group in
                for laptop in laptops {
                    group.addTask {
                        while Date().timeIntervalSince(start) < Self.seconds {
                            await laptop.round(dropping: Int.random(in: 0..<5) == 0)
                        }
                        return nil
                    }
                }
                group.addTask {
                    try? await Task.sleep(for: .seconds(Self.seconds / 3))
                    return await TestHub.run("/bin/sh", ["-c", restart]).status == 0
                }
                var restarted = false
                for await result in group { if let result { restarted = result } }
                return restarted
            }
            #expect(restarted, "the server was restarted mid-run")
            let failures = laptops.reduce(0) { $0 + $1.failures }, rounds = laptops.reduce(0) { $0 + $1.rounds }
            print("Hub fault run: \(Self.laptops) laptops, \(rounds) rounds, \(failures) failed, \(laptops.reduce(0) { $0 + $1.notes }) notes written")
            #expect(failures > 0, "drops and the restart made some rounds fail (\(rounds) rounds)")
            #expect(rounds > failures, "and most went through")

            // Calm: each laptop syncs until a round moves nothing (two passes bring the
            // ones that went first up to date with the ones that went last).
            for _ in 0..<2 {
                for laptop in laptops {
                    await laptop.connection?.close()
                    laptop.connection = nil
                    let hub = try await HubConnection.open(laptop.address, password: laptop.password)
                    laptop.settings = try await HubSync.run(laptop.store, on: hub, settings: laptop.settings).settings
                    await hub.close()
                }
            }

            let check = try await HubConnection.open(TestHub.database(databaseName), password: TestHub.adminPassword)
            #expect(try await Self.serverStart(check) != startedAt, "the server that answers now is a new one")
            let ids = try await check.rows("SELECT encode(event_id, 'hex') FROM kith.events").map { try $0.decode(String.self) }
            let numbers = try await check.rows("SELECT count(*), count(DISTINCT seq), coalesce(min(seq), 0), coalesce(max(seq), 0) FROM kith.events")
                .map { try $0.decode((Int64, Int64, Int64, Int64).self) }
            await check.close()
            let onHub = Set(ids)
            #expect(onHub.count == ids.count, "each entry once")
            let (count, distinct, first, last) = try #require(numbers.first)
            #expect(count == distinct && first == 1 && last == count, "numbered 1…\(count) without a gap")
            let acknowledged = laptops.reduce(into: Set<String>()) { $0.formUnion($1.acknowledged) }
            #expect(acknowledged.isSubset(of: onHub), "every acknowledged push is on the hub")
            let everything = try Set(laptops[0].store.syncItems().map { HubSync.digest($0.payload) })
            #expect(everything == onHub, "the hub holds exactly what the laptops hold")
            for (n, laptop) in laptops.enumerated() {
                let held = try Set(laptop.store.syncItems().map { HubSync.digest($0.payload) })
                #expect(held == everything, "laptop \(n) holds the same entries as laptop 0")
                laptop.store.close()
            }
            #expect(laptops.reduce(0) { $0 + $1.notes } > Self.laptops, "the laptops wrote while it all went on")
        }
    }
}
