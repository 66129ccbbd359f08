import Dispatch
import Foundation
import KithCore
import KithDemo
import KithHub
import KithStore

/// The team hub, measured on a real PostgreSQL (`kith bench --hub-url`): the team's first
/// push, a new laptop's initial pull of the whole team, a day's work pushed, and how long
/// a save on one laptop takes to be merged on another.
public struct HubFigures: Codable, Sendable {
    public var teamFamilies: Int
    /// Entries on the hub once every member has pushed what they wrote.
    public var entries: Int
    public var megabytes: Double
    public var firstPushSeconds: Double
    /// A laptop joined without the caseload, then `kith sync`: pull and merge of everything.
    public var initialPullSeconds: Double
    public var pulledFamilies: Int
    public var dayEntries: Int
    public var dayPushSeconds: Double
    /// From the start of a save on one laptop to its entry merged on another (push, the
    /// hub's announcement, pull, merge), in milliseconds.
    public var saveToAppear: BenchReport.Figure

    /// Families per second of the initial pull.
    public var familiesPerSecond: Double { Double(pulledFamilies) / max(initialPullSeconds, 0.001) }
    /// CommCare documents about 25 cases a second when a phone syncs.
    public static let commCareCasesPerSecond = 25.0
}

extension Bench {
    /// Measures the hub on the team store at `root` (made by `syncFigures`), in a database
    /// of its own on the server `admin` reaches, dropped after.
    static func hubFigures(team: Int, root: String, directory: String, clock: StoreClock, admin: HubAddress, adminPassword: String?,
                           progress: (String) -> Void) throws -> HubFigures {
        let name = "kith_bench_" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        let database = HubAddress(endpoint: admin.endpoint, user: admin.user, database: name, tls: admin.tls)
        try wait {
            let server = try await HubConnection.open(admin, password: adminPassword)
            try await server.execute("CREATE DATABASE \(name)")
            await server.close()
            let hub = try await HubConnection.open(database, password: adminPassword)
            try await Hub.initialize(hub)
            await hub.close()
        }
        defer {
            try? wait {
                let server = try await HubConnection.open(admin, password: adminPassword)
                try await Hub.remove(database: name, on: server)
                await server.close()
            }
        }
        /// A member's own login on the bench's hub.
        func member(_ user: User) throws -> HubSettings {
            let password = "bench-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
            let role = try wait {
                let hub = try await HubConnection.open(database, password: adminPassword)
                defer { Task { await hub.close() } }
                return try await Hub.admit(hub, team: user.team.raw, user: user.id.raw, lead: user.role != .worker, password: password)
            }
            return HubSettings(url: database.asUser(role).description, password: password)
        }
        func sync(_ store: Store, _ settings: HubSettings) throws -> HubSync.Report {
            let box = BenchStore(store)
            return try wait {
                let hub = try await HubConnection.open(try HubAddress.parse(settings.url), password: settings.password)
                do {
                    let report = try await HubSync.run(box.store, on: hub, settings: settings)
                    await hub.close()
                    return report
                } catch {
                    await hub.close()
                    throw error
                }
            }
        }

        // The team's first push: each member sends what they wrote.
        progress("the team's first push to the hub…")
        var leadSettings: HubSettings?
        var pushed = 0
        let firstPushMs = try time {
            for login in DemoStore.workerLogins + [DemoStore.adminLogin, DemoStore.leadLogin] {
                let store = try Store.open(at: root, login: login, passphrase: DemoStore.passphrase, clock: clock)
                defer { store.close() }
                let report = try sync(store, try member(store.user))
                pushed += report.pushed
                if login == DemoStore.leadLogin { leadSettings = report.settings }
            }
        }
        let bytes = try wait {
            let hub = try await HubConnection.open(database, password: adminPassword)
            defer { Task { await hub.close() } }
            return try await hub.rows("SELECT coalesce(sum(length(payload)), 0)::bigint FROM kith.events").first?.decode(Int64.self) ?? 0
        }
        let lead = try Store.open(at: root, login: DemoStore.leadLogin, passphrase: DemoStore.passphrase, clock: clock)
        defer { lead.close() }
        guard var leadState = leadSettings else { throw StoreError.unknownUser(login: DemoStore.leadLogin) }

        // A new laptop: a join file without the caseload, then everything from the hub.
        progress("a new laptop's initial pull…")
        let invitation = try lead.invite(login: "hubbench", displayName: "Hub Bench", role: .teamLead, caseload: false, kdf: .fastForTests)
        leadState = try sync(lead, leadState).settings
        let joined = try Store.join(at: "\(directory)/hub-joined", file: invitation.file, code: invitation.code, passphrase: DemoStore.passphrase,
                                    kdf: .fastForTests, clock: clock)
        defer { joined.close() }
        var joinedState = try member(joined.user)
        var pulledFamilies = 0
        let pullMs = try time {
            let report = try sync(joined, joinedState)
            joinedState = report.settings
            pulledFamilies = report.merged.families.count
        }

        // A day's work on the lead's laptop, then one push.
        progress("a day's work pushed…")
        let open = lead.caseload().filter { $0.status != .closed }
        for n in 0..<1_500 {
            let family = open[n % open.count].familyID
            _ = try lead.save([ContactNote(id: .random(), familyID: family, contactKind: .call, date: day, text: "Bench call \(n)")], family: family)
        }
        var dayEntries = 0
        let dayMs = try time {
            let report = try sync(lead, leadState)
            leadState = report.settings
            dayEntries = report.pushed
        }
        _ = try sync(joined, joinedState)

        // A save on the lead's laptop until it is merged on the new one, which listens.
        progress("save to appearing on another laptop…")
        let listener = Announcements()
        let (listenURL, listenPassword, teamID) = (joinedState.url, joinedState.password, joined.user.team.raw)
        let listening = try wait { () -> HubConnection in
            let hub = try await HubConnection.open(try HubAddress.parse(listenURL), password: listenPassword)
            Task { try? await hub.listen(team: teamID) { listener.heard($0) } }
            return hub
        }
        defer { try? wait { await listening.close() } }
        var latencies: [Double] = []
        for n in 0..<20 {
            let family = open[n % open.count].familyID
            let before = listener.latest
            latencies.append(try time {
                _ = try lead.save([ContactNote(id: .random(), familyID: family, contactKind: .call, date: day, text: "Latency \(n)")], family: family)
                leadState = try sync(lead, leadState).settings
                listener.wait(after: before)
                joinedState = try sync(joined, joinedState).settings
            })
        }
        return HubFigures(teamFamilies: team, entries: pushed, megabytes: Double(bytes) / 1_048_576, firstPushSeconds: firstPushMs / 1000,
                          initialPullSeconds: pullMs / 1000, pulledFamilies: pulledFamilies, dayEntries: dayEntries, dayPushSeconds: dayMs / 1000,
                          saveToAppear: figure(latencies))
    }

    /// Waits for async work from the benchmark's own thread.
    static func wait<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let box = BenchResult<T>()
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
            done.signal()
        }
        done.wait()
        return try box.result!.get()
    }
}

/// Where `wait` leaves a result (written before the semaphore is signalled, read after).
final class BenchResult<T>: @unchecked Sendable {
    var result: Result<T, any Error>?
}

/// The store, handed to async work the benchmark's thread waits for (only that work uses it meanwhile).
final class BenchStore: @unchecked Sendable {
    let store: Store
    init(_ store: Store) { self.store = store }
}

/// The numbers the hub announced, and a way to wait for the next one.
final class Announcements: @unchecked Sendable {
    private let condition = NSCondition()
    private var number: Int64 = 0

    var latest: Int64 {
        condition.lock()
        defer { condition.unlock() }
        return number
    }

    func heard(_ n: Int64) {
        condition.lock()
        number = max(number, n)
        condition.broadcast()
        condition.unlock()
    }

    /// Waits (at most 10 s) for a number above `before`.
    func wait(after before: Int64) {
        condition.lock()
        let deadline = Date().addingTimeInterval(10)
        while number <= before && condition.wait(until: deadline) {}
        condition.unlock()
    }
}
