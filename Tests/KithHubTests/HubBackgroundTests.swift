import Foundation
import Testing
@testable import KithApp
import KithCore
import KithDemo
@testable import KithHub
import KithStore
import KithTestSupport
import KithUI

/// Kith left open on two laptops of a team: each syncs with the hub in the background,
/// the header says how things stand, and a save on one appears on the other within a
/// few rounds — woken by the hub's announcement, not by the half-minute poll.
@Suite(.enabled(if: TestHub.available, "needs KITH_TEST_POSTGRES (.ci/postgres start)"))
struct HubBackgroundTests {
    @Test func laptopsLeftOpenSyncInTheBackgroundAndTheHeaderSaysSo() async throws {
        try await TestHub.withDatabase { admin in
            try await Hub.initialize(admin)
            let directory = TemporaryDirectory("kith-hub-app")
            let a = directory.file("a"), b = directory.file("b")
            let store = try DemoStore.create(at: a, families: 6, seed: 5, today: Fixture.today, kdf: .fastForTests, clock: TestClock().storeClock)
            try store.saveHubSettings(try await TestHub.settings(admin, for: store.user))
            store.close()
            try FileManager.default.copyItem(atPath: a, toPath: b)
            try Data("LAPTOPB000000001\n".utf8).write(to: URL(fileURLWithPath: StoreLayout(root: b).device))
            // (Wide enough for the header to show the hub's line beside the demo's banner.)
            let wide = Size(width: 120, height: 40)
            let laptopA = try AppHarness(size: wide, existing: a), laptopB = try AppHarness(size: wide, existing: b)
            laptopA.wait(1)
            #expect(laptopA.header.contains("not synced yet"), "\(laptopA.header)")

            // The first rounds: A sends the caseload, B finds it there already.
            try await laptopA.syncUntil { $0.header.contains("synced just now") && !$0.header.contains("not sent") }
            try await laptopB.syncUntil { $0.header.contains("synced just now") && !$0.header.contains("not sent") }
            try await laptopB.syncUntil { $0.effects.hub?.isListening == true }

            // A note saved on A: counted, sent, and on B a few rounds later.
            laptopA.startNote("Background sync note")
            laptopA.press(.ctrl("s"), .char("s"))
            let family = try #require(laptopA.model.screens.compactMap(\.family).last?.file.family.id)
            #expect(try laptopA.store.readCase(family).notes.count == (try laptopB.store.readCase(family).notes.count) + 1)
            laptopA.wait(1)
            #expect(laptopA.header.contains("1 change not sent"), "\(laptopA.header)")
            try await laptopA.syncUntil { !$0.header.contains("not sent") }
            try await Task.sleep(for: .milliseconds(200))
            let rounds = try await laptopB.syncUntil(atMost: 5) { try $0.store.readCase(family).notes.count == (try laptopA.store.readCase(family).notes.count) }
            #expect(rounds <= 5, "woken by the hub, not the 30-second poll")
            // B shows it: its caseload and the header.
            #expect(laptopB.header.contains("synced just now"))
            #expect(laptopB.model.overlay == nil)
            // Each laptop's audit trail is anchored on the hub as it goes, none found cut.
            for laptop in [laptopA, laptopB] {
                let held = try await admin.rows("SELECT entries FROM kith.audit_heads WHERE device = \(laptop.store.device.raw)")
                let entries = try #require(held.first).decode(Int64.self)
                let anchored = try #require(try laptop.store.hubSettings()).auditAnchored
                #expect(entries > 0 && Int(entries) == anchored)
            }
            #expect(try await admin.rows("SELECT 1 FROM kith.audit_cuts").isEmpty)
            _ = laptopA.effects.perform(.quit)
            _ = laptopB.effects.perform(.quit)
        }
    }

    @Test func offlineIsShownNotRaisedAndSavingNeverWaits() async throws {
        let directory = TemporaryDirectory("kith-hub-offline")
        let root = directory.file("store")
        let store = try DemoStore.create(at: root, families: 4, seed: 3, today: Fixture.today, kdf: .fastForTests, clock: TestClock().storeClock)
        // A hub nobody answers at (a port on this machine that nothing listens on).
        try store.saveHubSettings(HubSettings(url: "postgres://kith_x_m_1@127.0.0.1:\(try closedPort())/hub", password: "pw-offline"))
        store.close()
        let laptop = try AppHarness(size: Size(width: 120, height: 40), existing: root)
        try await laptop.syncUntil { $0.header.contains("offline") }
        #expect(laptop.model.overlay == nil, "being offline is never an error dialog")
        // Nothing confirmed yet: everything this user wrote (and the registrations) waits.
        let before = try #require(laptop.effects.hubStatus?.notSent)
        #expect(before == (try laptop.store.hubOutgoing(since: HubMarks()).items.count))
        #expect(laptop.header.contains("offline · \(before) changes not sent"), "\(laptop.header)")
        // A save is durable at once, hub or no hub, and counted.
        laptop.startNote("Written with no signal")
        laptop.press(.ctrl("s"), .char("s"))
        let family = try #require(laptop.model.screens.compactMap(\.family).last?.file.family.id)
        #expect(try laptop.store.readCase(family).notes.values.contains { $0.text == "Written with no signal" })
        laptop.wait(1)
        #expect(laptop.effects.hubStatus?.notSent == before + 1)
        #expect(laptop.header.contains("offline · \(before + 1) changes not sent"), "\(laptop.header)")
        #expect(laptop.model.overlay == nil)
        _ = laptop.effects.perform(.quit)
    }

    /// A TCP port on 127.0.0.1 that was free a moment ago.
    func closedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        try #require(bound)
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

extension AppHarness {
    /// The header line.
    var header: String { screen.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? "" }

    /// Lets rounds with the hub run: waits (in real time) for a round under way to end,
    /// then lets a second pass, until `done` holds; how many seconds that took. Fails
    /// after `atMost` seconds, or 20 real seconds of one round.
    @discardableResult
    func syncUntil(atMost: Int = 60, _ done: (AppHarness) throws -> Bool) async throws -> Int {
        for second in 1...atMost {
            var waited = 0
            while effects.hub?.isRunning == true && waited < 2000 {
                try await Task.sleep(for: .milliseconds(10))
                waited += 1
            }
            wait(1)
            if try done(self) { return second }
        }
        Issue.record("not reached in \(atMost) rounds; header: \(header)")
        return atMost + 1
    }
}
