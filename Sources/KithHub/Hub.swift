import PostgresNIO

/// Setting up and checking a hub: `kith hub init --url …` makes the schema (idempotent,
/// and puts back anything that drifted); `--check` lists what differs from what this
/// Kith would make, changing nothing.
public enum Hub {
    /// Something that differs from the schema this Kith makes.
    public struct Drift: Sendable, Hashable, CustomStringConvertible {
        /// missingTable, rlsOff, rlsNotForced, policy, extraPolicy, function, privilege, version
        public var kind: String
        /// The table, policy, function or role concerned.
        public var name: String

        public init(_ kind: String, _ name: String) {
            self.kind = kind
            self.name = name
        }

        public var description: String { "\(kind) \(name)" }
    }

    /// The schema of the database `connection` is on, made or brought back, in one
    /// transaction. Refused (nothing changed) when the hub is newer than this Kith.
    @discardableResult
    public static func initialize(_ connection: HubConnection) async throws(HubError) -> HubSchema {
        let schema = HubSchema(database: connection.address.database)
        if let found = try await version(connection), found > HubSchema.version {
            throw .newerHub(found: found, supported: HubSchema.version)
        }
        try await connection.transaction { (c) throws(HubError) in
            for statement in schema.statements { try await c.execute(statement) }
        }
        return schema
    }

    /// The schema version recorded in the hub, nil when there is no Kith schema.
    public static func version(_ connection: HubConnection) async throws(HubError) -> Int? {
        let present = try await connection.rows("SELECT to_regclass('kith.meta') IS NOT NULL")
        guard let row = present.first, (try? row.decode(Bool.self)) == true else { return nil }
        let rows = try await connection.rows("SELECT value FROM kith.meta WHERE key = 'schema'")
        return rows.first.flatMap { try? $0.decode(String.self) }.flatMap(Int.init)
    }

    /// What differs from the schema `initialize` makes (empty: none).
    public static func check(_ connection: HubConnection) async throws(HubError) -> [Drift] {
        let schema = HubSchema(database: connection.address.database)
        guard let found = try await version(connection) else { throw .notAHub }
        var drift: [Drift] = []
        if found != HubSchema.version { drift.append(Drift("version", String(found))) }

        // Tables, and their row-level security.
        var tables: [String: (Bool, Bool)] = [:]
        for row in try await connection.rows("""
            SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'kith' AND c.relkind = 'r'
            """) {
            if let (name, on, forced) = try? row.decode((String, Bool, Bool).self) { tables[name] = (on, forced) }
        }
        for table in HubSchema.tables {
            guard let (on, forced) = tables[table] else { drift.append(Drift("missingTable", table)); continue }
            if !on { drift.append(Drift("rlsOff", table)) }
            if !forced { drift.append(Drift("rlsNotForced", table)) }
        }
        for table in tables.keys.sorted() where !HubSchema.tables.contains(table) { drift.append(Drift("extraTable", table)) }

        // Policies, as PostgreSQL prints them.
        var installed: Set<HubSchema.Policy> = []
        for row in try await connection.rows("""
            SELECT tablename::text, policyname::text, cmd, array_to_string(roles, ','), coalesce(qual, ''), with_check
            FROM pg_policies WHERE schemaname = 'kith'
            """) {
            if let (table, name, cmd, roles, qual, check) = try? row.decode((String, String, String, String, String, String?).self) {
                installed.insert(HubSchema.Policy(table: table, name: name, command: cmd, role: roles, using: qual, check: check))
            }
        }
        let expected = Set(schema.policies)
        for policy in expected.subtracting(installed).sorted(by: { ($0.table, $0.name) < ($1.table, $1.name) }) {
            drift.append(Drift("policy", "\(policy.table).\(policy.name)"))
        }
        for policy in installed.subtracting(expected).sorted(by: { ($0.table, $0.name) < ($1.table, $1.name) })
        where !expected.contains(where: { $0.table == policy.table && $0.name == policy.name }) {
            drift.append(Drift("extraPolicy", "\(policy.table).\(policy.name)"))
        }

        // Functions: present, running as their owner, with the body this Kith installs.
        var bodies: [String: (String, Bool)] = [:]
        for row in try await connection.rows("""
            SELECT p.proname::text, p.prosrc, p.prosecdef FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'kith'
            """) {
            if let (name, body, definer) = try? row.decode((String, String, Bool).self) { bodies[name] = (body, definer) }
        }
        for (name, body) in HubSchema.functionBodies.sorted(by: { $0.key < $1.key }) where bodies[name]?.0 != body || bodies[name]?.1 != true {
            drift.append(Drift("function", name))
        }

        // Laptops read, and push only through kith.push: no other right on any table.
        let laptop = schema.laptopRole
        for table in tables.keys.sorted() {
            for (role, label) in [(laptop, laptop), ("public", "PUBLIC")] {
                let query: PostgresQuery = "SELECT has_table_privilege(\(role), \("kith." + table), 'INSERT,UPDATE,DELETE,TRUNCATE,REFERENCES,TRIGGER')"
                if let row = try await connection.rows(query).first, (try? row.decode(Bool.self)) == true {
                    drift.append(Drift("privilege", "\(label) writes kith.\(table)"))
                }
            }
        }
        return drift
    }
}
