import Foundation
import Testing
@testable import KithHub

/// What a member can do on the hub, tried by SQL with their own credentials — not only
/// through Kith: read their own team's rows, push entries they wrote, nothing else.
@Suite(.enabled(if: TestHub.available, "needs KITH_TEST_POSTGRES (.ci/postgres start)"))
struct HubIsolationTests {
    /// Bytes standing for a sealed entry (the hub never sees anything else).
    static func sealed(_ n: Int, _ tag: String) -> [UInt8] { Array("sealed-\(tag)-\(n)".utf8) + (0..<32).map { UInt8(($0 * 7 + n) & 0xFF) } }

    @Test func aMemberReadsAndWritesNothingOfAnotherTeam() async throws {
        try await TestHub.withDatabase { admin in
            try await Hub.initialize(admin)
            let a = try await TestHub.member(admin, team: "TEAM-A", user: "U-A1")
            let b = try await TestHub.member(admin, team: "TEAM-B", user: "U-B1")
            for n in 1...3 { _ = try await a.push(kind: 4, family: "F-A", author: "U-A1", payload: Self.sealed(n, "a")) }
            for n in 1...2 { _ = try await b.push(kind: 4, family: "F-B", author: "U-B1", payload: Self.sealed(n, "b")) }

            // Reads: only their own team's rows, whatever the query.
            #expect(try await a.pull(after: 0).map(\.family) == ["F-A", "F-A", "F-A"])
            #expect(try await b.pull(after: 0).map(\.family) == ["F-B", "F-B"])
            let teams = try await a.rows("SELECT team_id FROM kith.teams").map { try $0.decode(String.self) }
            #expect(teams == ["TEAM-A"])
            let members = try await a.rows("SELECT user_id FROM kith.members").map { try $0.decode(String.self) }
            #expect(members == ["U-A1"])
            let others = try await a.rows("SELECT count(*) FROM kith.events WHERE team_id = 'TEAM-B'").map { try $0.decode(Int64.self) }
            #expect(others == [0])

            // Writes: none but through kith.push.
            for statement in [
                "UPDATE kith.events SET family = 'X'",
                "DELETE FROM kith.events",
                "INSERT INTO kith.events (team_id, seq, event_id, kind, family, author, payload) VALUES ('TEAM-B', 99, sha256('x'), 4, 'F', 'U-A1', 'x')",
                "UPDATE kith.teams SET last_seq = 0",
                "INSERT INTO kith.members (team_id, user_id, db_role) VALUES ('TEAM-B', 'U-A1', current_user)",
                "TRUNCATE kith.events",
                "SELECT kith.admit('TEAM-B', 'U-A1', current_user, true)",
                "SELECT kith.retire('x')",
            ] {
                await #expect(throws: HubError.self, "\(statement)") { try await a.execute(statement) }
                if case .refused(let code, _)? = await Self.error(of: statement, on: a) { #expect(code == "42501", "\(statement)") }
            }
            // A push in someone else's name, or of an entry another team holds, is refused.
            await #expect(throws: HubError.refused(code: "42501", detail: "")) {
                try await a.push(kind: 4, family: "F-A", author: "U-B1", payload: Self.sealed(9, "a"))
            }
            await #expect(throws: HubError.refused(code: "42501", detail: "")) {
                try await a.push(kind: 4, family: "F-B", author: "U-A1", payload: Self.sealed(1, "b"))
            }
            #expect(try await b.pull(after: 0).count == 2)
            await a.close()
            await b.close()
        }
    }

    static func error(of statement: String, on connection: HubConnection) async -> HubError? {
        do { try await connection.execute(statement); return nil } catch { return error }
    }

    @Test func aRetryIsHarmlessAndNumbersFollowWithoutGaps() async throws {
        try await TestHub.withDatabase { admin in
            try await Hub.initialize(admin)
            let a = try await TestHub.member(admin, team: "TEAM-A", user: "U-A1")
            let first = try await a.push(kind: 4, family: "F", author: "U-A1", payload: Self.sealed(1, "a"))
            let again = try await a.push(kind: 4, family: "F", author: "U-A1", payload: Self.sealed(1, "a"))
            #expect(first == 1 && again == 1)
            // The id is the digest of the bytes: other bytes can't come under a known id.
            await #expect(throws: HubError.self) {
                try await admin.execute("INSERT INTO kith.events (team_id, seq, event_id, kind, family, author, payload) SELECT team_id, 2, event_id, 4, 'F', 'U-A1', 'other' FROM kith.events")
            }

            // Two laptops of one team pushing at once: every entry once, numbers 1…n.
            let a2 = try await TestHub.member(admin, team: "TEAM-A", user: "U-A2")
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { for n in 2...41 { _ = try await a.push(kind: 4, family: "F", author: "U-A1", payload: Self.sealed(n, "a")) } }
                group.addTask { for n in 1...40 { _ = try await a2.push(kind: 4, family: "F", author: "U-A2", payload: Self.sealed(n, "a2")) } }
                try await group.waitForAll()
            }
            let all = try await a.pull(after: 0, limit: 1000)
            #expect(all.map(\.seq) == Array(1...81))
            #expect(Set(all.map(\.payload)).count == 81)
            await a.close()
            await a2.close()
        }
    }

    @Test func aNumberIsNeverSeenBeforeASmallerOneIsCommitted() async throws {
        try await TestHub.withDatabase { admin in
            try await Hub.initialize(admin)
            let slow = try await TestHub.member(admin, team: "TEAM-A", user: "U-A1")
            let fast = try await TestHub.member(admin, team: "TEAM-A", user: "U-A2")
            let reader = try await TestHub.member(admin, team: "TEAM-A", user: "U-A3")
            try await slow.execute("BEGIN")
            #expect(try await slow.push(kind: 4, family: "F", author: "U-A1", payload: Self.sealed(1, "slow")) == 1)
            // The other push waits for the first to commit instead of taking 2 and being
            // seen first (a reader at cursor 2 would then never see 1).
            let other = Task { try await fast.push(kind: 4, family: "F", author: "U-A2", payload: Self.sealed(1, "fast")) }
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await reader.pull(after: 0).isEmpty)
            try await slow.execute("COMMIT")
            #expect(try await other.value == 2)
            #expect(try await reader.pull(after: 0).map(\.seq) == [1, 2])
            for c in [slow, fast, reader] { await c.close() }
        }
    }

    @Test func aRetiredMemberReadsAndPushesNothingAndCannotLogIn() async throws {
        try await TestHub.withDatabase { admin in
            try await Hub.initialize(admin)
            let password = "pw-retired-member"
            let role = try await Hub.admit(admin, team: "TEAM-A", user: "U-A1", lead: false, password: password)
            let other = try await TestHub.member(admin, team: "TEAM-A", user: "U-A2")
            _ = try await other.push(kind: 4, family: "F", author: "U-A2", payload: Self.sealed(1, "x"))
            let member = try await HubConnection.open(admin.address.asUser(role), password: password)
            #expect(try await member.pull(after: 0).count == 1)
            try await Hub.retire(admin, team: "TEAM-A", user: "U-A1")
            // Their open connection is closed at once; a new one is refused.
            await #expect(throws: HubError.self) { try await member.pull(after: 0) }
            await #expect(throws: HubError.authentication(user: role)) {
                try await HubConnection.open(admin.address.asUser(role), password: password)
            }
            // And were the login left on, the hub's own rows say no.
            try await admin.execute("ALTER ROLE \(role) LOGIN")
            let back = try await HubConnection.open(admin.address.asUser(role), password: password)
            #expect(try await back.pull(after: 0).isEmpty)
            await #expect(throws: HubError.refused(code: "42501", detail: "")) {
                try await back.push(kind: 4, family: "F", author: "U-A1", payload: Self.sealed(2, "x"))
            }
            await back.close()
            await other.close()
        }
    }
}
