import Foundation
import Testing
import KithCore
@testable import KithHub
import KithStore

/// The PostgreSQL the hub tests run against (`.ci/postgres start` prints its settings),
/// and a fresh database for each test, dropped after with the roles made for it.
enum TestHub {
    static let environment = ProcessInfo.processInfo.environment

    /// The administrator's address, when a server was named.
    static var admin: HubAddress? { environment["KITH_TEST_POSTGRES"].flatMap { try? HubAddress.parse($0) } }

    static var adminPassword: String? {
        environment["KITH_TEST_POSTGRES_PASSWORD_FILE"].flatMap { try? String(contentsOfFile: $0, encoding: .utf8) }?
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static var available: Bool { admin != nil }

    /// A fresh database: `body` gets an administrator's connection to it. Dropped after
    /// on a connection of its own (the fault run restarts the server meanwhile).
    ///
    /// One test at a time has the server: the fault run restarts it, which would end
    /// every other test's connections.
    static func withDatabase<T>(_ body: (HubConnection) async throws -> T) async throws -> T {
        await ServerTurn.shared.acquire()
        do {
            let result = try await withOwnDatabase(body)
            await ServerTurn.shared.release()
            return result
        } catch {
            await ServerTurn.shared.release()
            throw error
        }
    }

    private static func withOwnDatabase<T>(_ body: (HubConnection) async throws -> T) async throws -> T {
        let admin = try #require(admin, "KITH_TEST_POSTGRES names no server")
        let name = "kith_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        let server = try await HubConnection.open(admin, password: adminPassword)
        try await server.execute("CREATE DATABASE \(name)")
        await server.close()
        let connection = try await HubConnection.open(database(name), password: adminPassword)
        do {
            let result = try await body(connection)
            await connection.close()
            try await drop(name)
            return result
        } catch {
            await connection.close()
            try? await drop(name)
            throw error
        }
    }

    /// The administrator's address for database `name`.
    static func database(_ name: String) -> HubAddress {
        HubAddress(endpoint: admin!.endpoint, user: admin!.user, database: name, tls: admin!.tls)
    }

    static func drop(_ name: String) async throws {
        let server = try await HubConnection.open(try #require(admin), password: adminPassword)
        try await Hub.remove(database: name, on: server)
        await server.close()
    }

    /// A member's own connection to the hub `admin` is on.
    static func member(_ admin: HubConnection, team: String, user: String, lead: Bool = false) async throws -> HubConnection {
        let password = "pw-" + UUID().uuidString
        let role = try await Hub.admit(admin, team: team, user: user, lead: lead, password: password)
        return try await HubConnection.open(admin.address.asUser(role), password: password)
    }

    /// Settings for `user`'s laptop, with a login of their own on the hub `admin` is on.
    static func settings(_ admin: HubConnection, for user: User) async throws -> HubSettings {
        let password = "pw-" + UUID().uuidString
        let role = try await Hub.admit(admin, team: user.team.raw, user: user.id.raw, lead: user.role == .teamLead, password: password)
        return HubSettings(url: admin.address.asUser(role).description, password: password)
    }

    /// Runs a program and waits for it by its pid alone, on a thread of its own (never on
    /// the tasks' pool, and not through Foundation's Process, whose wait can miss the end
    /// of a child while other tests run theirs): its exit status and standard output.
    static func run(_ path: String, _ arguments: [String], environment: [String: String] = [:]) async -> (status: Int32, output: String) {
        await withCheckedContinuation { done in
            Thread.detachNewThread {
                let outputPath = NSTemporaryDirectory() + "kith-test-run-" + UUID().uuidString
                defer { unlink(outputPath) }
                var actions = posix_spawn_file_actions_t()
                posix_spawn_file_actions_init(&actions)
                defer { posix_spawn_file_actions_destroy(&actions) }
                posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
                let merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
                let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { (word: String) in strdup(word) } + [nil]
                let envp: [UnsafeMutablePointer<CChar>?] = merged.map { (key: String, value: String) in strdup("\(key)=\(value)") } + [nil]
                defer {
                    argv.forEach { free($0) }
                    envp.forEach { free($0) }
                }
                var pid: pid_t = 0
                guard posix_spawn(&pid, path, &actions, nil, argv, envp) == 0 else { return done.resume(returning: (-1, "")) }
                var status: Int32 = 0
                while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
                let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
                done.resume(returning: (status, output))
            }
        }
    }
}

/// Turns at the test server, first come first served.
actor ServerTurn {
    static let shared = ServerTurn()
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        guard busy else {
            busy = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
    }
}
