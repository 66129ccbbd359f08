import PostgresNIO

extension Hub {
    /// Gives a member of a team their own login on the hub (made, or its password
    /// replaced, and let in again if it was retired). Run by the hub's administrator.
    /// `password` is one Kith made (letters, digits, `-` and `_`), so it can be written
    /// into the statement, which takes no parameters.
    @discardableResult
    public static func admit(_ connection: HubConnection, team: String, user: String, lead: Bool, password: String) async throws(HubError) -> String {
        let schema = HubSchema(database: connection.address.database)
        let role = schema.memberRole(team: team, user: user)
        guard !password.isEmpty, password.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            throw .refused(code: "password", detail: "characters")
        }
        try await connection.transaction { (c) throws(HubError) in
            try await c.execute("""
                DO $admit$ BEGIN
                    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '\(role)') THEN
                        ALTER ROLE \(role) LOGIN PASSWORD '\(password)';
                    ELSE
                        CREATE ROLE \(role) LOGIN PASSWORD '\(password)' IN ROLE \(schema.laptopRole);
                    END IF;
                END $admit$
                """)
            try await c.execute("GRANT CONNECT ON DATABASE \(quoted(connection.address.database)) TO \(role)")
            _ = try await c.rows("SELECT kith.admit(\(team), \(user), \(role), \(lead))")
        }
        return role
    }

    /// Ends a member's access at once: marked inactive (they read and push nothing), their
    /// login refused, and their open connections closed.
    public static func retire(_ connection: HubConnection, team: String, user: String) async throws(HubError) {
        let role = HubSchema(database: connection.address.database).memberRole(team: team, user: user)
        try await connection.transaction { (c) throws(HubError) in
            _ = try await c.rows("SELECT kith.retire(\(role))")
            try await c.execute("DO $retire$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '\(role)') THEN ALTER ROLE \(role) NOLOGIN; END IF; END $retire$")
        }
        _ = try await connection.rows("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = \(role)")
    }

    /// A database name as an SQL identifier.
    static func quoted(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension Hub {
    /// Removes a hub whole: its database and every role made for it (the benchmark's and
    /// the tests' throwaway hubs). `server` is an administrator's connection to another
    /// database of the same cluster.
    package static func remove(database name: String, on server: HubConnection) async throws(HubError) {
        try await server.execute("DROP DATABASE IF EXISTS \(quoted(name)) WITH (FORCE)")
        try await server.execute("""
            DO $drop$ DECLARE r record; BEGIN
                FOR r IN SELECT rolname FROM pg_roles WHERE rolname LIKE '\(HubSchema(database: name).prefix)%' ORDER BY rolname DESC LOOP
                    EXECUTE format('DROP ROLE %I', r.rolname);
                END LOOP;
            END $drop$
            """)
    }
}
