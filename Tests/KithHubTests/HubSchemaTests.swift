import Foundation
import Testing
@testable import KithHub

/// `kith hub init` against a real PostgreSQL: idempotent, checked for drift, and putting
/// back what drifted.
@Suite(.enabled(if: TestHub.available, "needs KITH_TEST_POSTGRES (.ci/postgres start)"))
struct HubSchemaTests {
    @Test func initTwiceChangesNothingAndTheCheckFindsNoDrift() async throws {
        try await TestHub.withDatabase { admin in
            try await Hub.initialize(admin)
            #expect(try await Hub.check(admin) == [])
            try await Hub.initialize(admin)
            #expect(try await Hub.check(admin) == [])
            #expect(try await Hub.version(admin) == HubSchema.version)
        }
    }

    @Test func theCheckNamesEachDriftAndInitPutsItBack() async throws {
        try await TestHub.withDatabase { admin in
            let schema = try await Hub.initialize(admin)
            for statement in [
                "ALTER TABLE kith.events NO FORCE ROW LEVEL SECURITY",
                "ALTER TABLE kith.teams DISABLE ROW LEVEL SECURITY",
                "DROP POLICY laptop_read ON kith.members",
                "CREATE POLICY laptop_all ON kith.audit_heads TO \(schema.laptopRole) USING (true)",
                "GRANT UPDATE ON kith.events TO \(schema.laptopRole)",
                "GRANT DELETE ON kith.teams TO PUBLIC",
                "CREATE OR REPLACE FUNCTION kith.my_team() RETURNS text LANGUAGE sql STABLE SECURITY DEFINER AS $$ SELECT 'everyone' $$",
                "ALTER FUNCTION kith.retire(text) SECURITY INVOKER",
            ] { try await admin.execute(statement) }
            let drift = Set(try await Hub.check(admin).map(\.description))
            #expect(drift == [
                "rlsNotForced events", "rlsOff teams", "policy members.laptop_read", "extraPolicy audit_heads.laptop_all",
                "privilege \(schema.laptopRole) writes kith.events", "privilege PUBLIC writes kith.teams",
                "privilege \(schema.laptopRole) writes kith.teams", // (every role holds what PUBLIC is granted)
                "function my_team", "function retire",
            ])
            // Init puts back every one — and removes the policy it didn't make, which let
            // laptops see other teams' rows.
            try await Hub.initialize(admin)
            #expect(try await Hub.check(admin) == [])
        }
    }

    @Test func aDatabaseWithoutKithIsNotAHubAndANewerHubIsLeftAlone() async throws {
        try await TestHub.withDatabase { admin in
            await #expect(throws: HubError.notAHub) { try await Hub.check(admin) }
            try await Hub.initialize(admin)
            try await admin.execute("UPDATE kith.meta SET value = '\(HubSchema.version + 1)' WHERE key = 'schema'")
            await #expect(throws: HubError.newerHub(found: HubSchema.version + 1, supported: HubSchema.version)) { try await Hub.initialize(admin) }
        }
    }
}

/// Hub addresses: where, as whom, and never a password in the URL.
@Suite struct HubAddressTests {
    @Test func urlsAsLibpqWritesThem() throws {
        let tcp = try HubAddress.parse("postgres://kith@hub.example.org:6543/kith")
        #expect(tcp.endpoint == .tcp(host: "hub.example.org", port: 6543) && tcp.user == "kith" && tcp.database == "kith" && tcp.tls)
        let local = try HubAddress.parse("postgresql://kith@127.0.0.1/teams")
        #expect(local.endpoint == .tcp(host: "127.0.0.1", port: 5432) && !local.tls, "loopback never leaves the machine")
        let socket = try HubAddress.parse("postgres://kith@%2Fvar%2Frun%2Fpostgresql/teams")
        #expect(socket.endpoint == .socket(path: "/var/run/postgresql/.s.PGSQL.5432") && !socket.tls)
        let socket2 = try HubAddress.parse("postgres:///teams?host=/tmp/pg&port=5433&user=kith")
        #expect(socket2.endpoint == .socket(path: "/tmp/pg/.s.PGSQL.5433") && socket2.user == "kith")
        #expect(try HubAddress.parse(socket.description) == socket)
        #expect(try HubAddress.parse(tcp.description) == tcp)
    }

    @Test func aPasswordInTheURLOrPlainTextToAnotherHostIsRefused() {
        #expect(throws: HubError.badURL(reason: "password")) { try HubAddress.parse("postgres://kith:secret@hub.example.org/kith") }
        #expect(throws: HubError.badURL(reason: "plainText")) { try HubAddress.parse("postgres://kith@hub.example.org/kith?sslmode=disable") }
        #expect(throws: HubError.badURL(reason: "scheme")) { try HubAddress.parse("mysql://kith@hub/kith") }
        #expect(throws: HubError.badURL(reason: "database")) { try HubAddress.parse("postgres://kith@hub.example.org/") }
        #expect(throws: HubError.badURL(reason: "user")) { try HubAddress.parse("postgres://hub.example.org/kith") }
        #expect(throws: HubError.badURL(reason: "port")) { try HubAddress.parse("postgres://kith@hub.example.org:70000/kith") }
    }
}

/// Where a PostgreSQL is required (`.ci/run` sets KITH_REQUIRE_POSTGRES), the hub suites
/// must have run: a server that failed to start fails here instead of skipping them.
@Suite struct HubTestServerTests {
    @Test func theHubSuitesRunWhereAServerIsRequired() {
        if ProcessInfo.processInfo.environment["KITH_REQUIRE_POSTGRES"] != nil {
            #expect(TestHub.available, "KITH_REQUIRE_POSTGRES is set but KITH_TEST_POSTGRES names no server")
        }
    }
}
