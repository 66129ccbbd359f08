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
    static func withDatabase<T>(_ body: (HubConnection) async throws -> T) async throws -> T {
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
        let prefix = HubSchema(database: name).prefix
        try await server.execute("DROP DATABASE \(name) WITH (FORCE)")
        try await server.execute("""
            DO $drop$ DECLARE r record; BEGIN
                FOR r IN SELECT rolname FROM pg_roles WHERE rolname LIKE '\(prefix)%' ORDER BY rolname DESC LOOP
                    EXECUTE format('DROP ROLE %I', r.rolname);
                END LOOP;
            END $drop$
            """)
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
}
