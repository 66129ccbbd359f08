import Crypto
import Foundation

/// The hub's schema: plain PostgreSQL as an ordered, access-controlled relay of the
/// entries laptops already seal and sign. It never holds a key that opens them.
///
/// - `kith.events`: append-only, one row per entry, numbered per team by the counter row
///   in `kith.teams`, bumped under a row lock in the same transaction as the insert — a
///   bare sequence can commit out of order, and a puller whose cursor passed a number
///   still uncommitted would skip that entry for good. An entry's id is the SHA-256 of its
///   bytes (checked), so a retry is harmless and another payload under a known id can't be.
///   Key grants travel here too (kind 2), each sealed to its one reader.
/// - `kith.teams`, `kith.members`: which database role is which member of which team;
///   an inactive member sees and pushes nothing.
/// - `kith.audit_heads`: each laptop's audit trail length and head, which may only grow;
///   `kith.audit_cuts`: each time a laptop's trail no longer held what it had anchored
///   (shorter, or another entry where the anchored head was) — kept for good.
///
/// Row-level security is forced on every table; laptops' roles may only read their own
/// team's rows and push through `kith.push` (SECURITY DEFINER, checking who pushes), and
/// hold no INSERT, UPDATE or DELETE on any table. Roles are named per database (a prefix
/// from its name), so two hubs can share a cluster.
public struct HubSchema: Sendable {
    /// 1: events, teams, members, audit heads. 2: leads end a member's access (`deactivate`).
    /// 3: an anchor is proven against the trail (`anchor_audit` takes the trail's entry at
    /// the anchored point) and a cut is recorded in `audit_cuts`.
    public static let version = 3

    /// The database the hub lives in.
    public let database: String

    public init(database: String) {
        self.database = database
    }

    /// `kith_` and ten hex digits of the database name's digest.
    public var prefix: String {
        "kith_" + SHA256.hash(data: Data(database.utf8)).prefix(5).map { String(format: "%02x", $0) }.joined()
    }

    /// Owns the schema and its functions (no login).
    public var ownerRole: String { prefix + "_owner" }
    /// Every member's login role is in this group (no login of its own).
    public var laptopRole: String { prefix + "_laptop" }

    /// The login role of one member of one team.
    public func memberRole(team: String, user: String) -> String {
        prefix + "_m_" + SHA256.hash(data: Data("\(team)|\(user)".utf8)).prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    public static let tables = ["meta", "teams", "members", "events", "audit_heads", "audit_cuts"]

    /// Policies as PostgreSQL prints them back (`pg_policies`): table, name, command,
    /// role, USING, WITH CHECK.
    public var policies: [Policy] {
        var all: [Policy] = HubSchema.tables.map { Policy(table: $0, name: "owner_all", command: "ALL", role: ownerRole, using: "true", check: "true") }
        all.append(Policy(table: "meta", name: "laptop_read", command: "SELECT", role: laptopRole, using: "true", check: nil))
        for table in ["teams", "members", "events", "audit_heads", "audit_cuts"] {
            all.append(Policy(table: table, name: "laptop_read", command: "SELECT", role: laptopRole, using: "(team_id = kith.my_team())", check: nil))
        }
        return all
    }

    public struct Policy: Sendable, Hashable {
        public var table: String
        public var name: String
        public var command: String
        public var role: String
        public var using: String
        public var check: String?
    }

    /// Functions laptops may call, with their argument types.
    public static let laptopFunctions = ["my_team()", "my_user()", "push(smallint, text, text, bytea)", "anchor_audit(text, bigint, bytea, bigint, bytea)", "deactivate(text)"]
    /// Functions only the hub's administrator calls.
    public static let adminFunctions = ["admit(text, text, text, boolean)", "retire(text)"]

    /// Each function's body, exactly as installed (drift is a different body).
    public static let functionBodies: [String: String] = [
        "my_team": """

            SELECT m.team_id FROM kith.members m WHERE m.db_role = session_user AND m.active

        """,
        "my_user": """

            SELECT m.user_id FROM kith.members m WHERE m.db_role = session_user AND m.active

        """,
        "push": """

        DECLARE
            v_team text;
            v_user text;
            v_seq bigint;
            v_id bytea := sha256(p_payload);
            v_known bigint;
            v_known_team text;
        BEGIN
            SELECT m.team_id, m.user_id INTO v_team, v_user FROM kith.members m WHERE m.db_role = session_user AND m.active;
            IF v_team IS NULL THEN
                RAISE EXCEPTION 'not an active member of a team' USING ERRCODE = '42501';
            END IF;
            IF p_author IS DISTINCT FROM v_user THEN
                RAISE EXCEPTION 'an entry is pushed by its author' USING ERRCODE = '42501';
            END IF;
            -- The team's counter, locked until this transaction ends: numbers are taken one
            -- push after another, so none becomes visible before a smaller one.
            SELECT t.last_seq INTO v_seq FROM kith.teams t WHERE t.team_id = v_team FOR UPDATE;
            SELECT e.seq, e.team_id INTO v_known, v_known_team FROM kith.events e WHERE e.event_id = v_id;
            IF v_known_team IS NOT NULL THEN
                IF v_known_team <> v_team THEN
                    RAISE EXCEPTION 'entry belongs to another team' USING ERRCODE = '42501';
                END IF;
                RETURN v_known;
            END IF;
            v_seq := v_seq + 1;
            UPDATE kith.teams t SET last_seq = v_seq WHERE t.team_id = v_team;
            INSERT INTO kith.events (team_id, seq, event_id, kind, family, author, payload)
                VALUES (v_team, v_seq, v_id, p_kind, p_family, p_author, p_payload);
            PERFORM pg_notify('kith_' || md5(v_team), v_seq::text);
            RETURN v_seq;
        END

        """,
        "anchor_audit": """

        DECLARE
            v_team text;
            v_user text;
            v_entries bigint;
            v_head bytea;
        BEGIN
            SELECT m.team_id, m.user_id INTO v_team, v_user FROM kith.members m WHERE m.db_role = session_user AND m.active;
            IF v_team IS NULL THEN
                RAISE EXCEPTION 'not an active member of a team' USING ERRCODE = '42501';
            END IF;
            SELECT a.entries, a.head INTO v_entries, v_head FROM kith.audit_heads a WHERE a.team_id = v_team AND a.device = p_device FOR UPDATE;
            IF NOT FOUND THEN
                INSERT INTO kith.audit_heads (team_id, device, user_id, entries, head) VALUES (v_team, p_device, v_user, p_entries, p_head);
                r_status := 'anchored';
                r_anchored := p_entries;
                RETURN;
            END IF;
            r_anchored := v_entries;
            IF p_entries < v_entries OR (p_at = v_entries AND p_at_mac IS DISTINCT FROM v_head) THEN
                -- The trail lost what it had anchored: written down for good, and the
                -- trail as it is now anchored from here on.
                INSERT INTO kith.audit_cuts (team_id, device, user_id, anchored_entries, found_entries)
                    VALUES (v_team, p_device, v_user, v_entries, p_entries);
                r_status := 'cut';
            ELSIF p_at <> v_entries THEN
                -- The laptop proved another point of its trail: it is told which to prove.
                r_status := 'prove';
                RETURN;
            ELSE
                r_status := 'anchored';
            END IF;
            UPDATE kith.audit_heads SET user_id = v_user, entries = p_entries, head = p_head, anchored_at = now()
                WHERE team_id = v_team AND device = p_device;
        END

        """,
        "deactivate": """
        DECLARE
            v_team text;
        BEGIN
            SELECT m.team_id INTO v_team FROM kith.members m WHERE m.db_role = session_user AND m.active AND m.lead;
            IF v_team IS NULL THEN
                RAISE EXCEPTION 'only an active lead of the team' USING ERRCODE = '42501';
            END IF;
            UPDATE kith.members SET active = false WHERE team_id = v_team AND user_id = p_user AND active;
            RETURN FOUND;
        END
        """,
        "admit": """

        BEGIN
            INSERT INTO kith.teams (team_id) VALUES (p_team) ON CONFLICT (team_id) DO NOTHING;
            INSERT INTO kith.members (team_id, user_id, db_role, lead, active) VALUES (p_team, p_user, p_role, p_lead, true)
                ON CONFLICT (team_id, user_id) DO UPDATE SET db_role = EXCLUDED.db_role, lead = EXCLUDED.lead, active = true;
        END

        """,
        "retire": """

        BEGIN
            UPDATE kith.members SET active = false WHERE db_role = p_role;
        END

        """,
    ]

    /// The statements that make (or bring back) the schema, in one transaction. Each is
    /// idempotent: running them again changes nothing, and puts back anything drifted.
    public var statements: [String] {
        let owner = ownerRole, laptop = laptopRole
        var sql: [String] = [
            """
            DO $roles$ BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '\(owner)') THEN CREATE ROLE \(owner) NOLOGIN; END IF;
                IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '\(laptop)') THEN CREATE ROLE \(laptop) NOLOGIN; END IF;
            END $roles$
            """,
            "GRANT \(owner) TO CURRENT_USER",
            "CREATE SCHEMA IF NOT EXISTS kith AUTHORIZATION \(owner)",
            "ALTER SCHEMA kith OWNER TO \(owner)",
            "REVOKE ALL ON SCHEMA kith FROM PUBLIC",
            "GRANT USAGE ON SCHEMA kith TO \(laptop)",
            "SET LOCAL ROLE \(owner)",
            "CREATE TABLE IF NOT EXISTS kith.meta (key text PRIMARY KEY, value text NOT NULL)",
            "CREATE TABLE IF NOT EXISTS kith.teams (team_id text PRIMARY KEY, last_seq bigint NOT NULL DEFAULT 0 CHECK (last_seq >= 0))",
            """
            CREATE TABLE IF NOT EXISTS kith.members (
                team_id text NOT NULL REFERENCES kith.teams (team_id),
                user_id text NOT NULL,
                db_role name NOT NULL UNIQUE,
                lead boolean NOT NULL DEFAULT false,
                active boolean NOT NULL DEFAULT true,
                PRIMARY KEY (team_id, user_id))
            """,
            """
            CREATE TABLE IF NOT EXISTS kith.events (
                team_id text NOT NULL REFERENCES kith.teams (team_id),
                seq bigint NOT NULL,
                event_id bytea NOT NULL,
                kind smallint NOT NULL,
                family text NOT NULL,
                author text NOT NULL,
                payload bytea NOT NULL,
                pushed_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (team_id, seq),
                CONSTRAINT events_event_id_key UNIQUE (event_id),
                CONSTRAINT events_event_id_is_digest CHECK (event_id = sha256(payload)))
            """,
            """
            CREATE TABLE IF NOT EXISTS kith.audit_heads (
                team_id text NOT NULL REFERENCES kith.teams (team_id),
                device text NOT NULL,
                user_id text NOT NULL,
                entries bigint NOT NULL,
                head bytea NOT NULL,
                anchored_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (team_id, device))
            """,
            """
            CREATE TABLE IF NOT EXISTS kith.audit_cuts (
                team_id text NOT NULL REFERENCES kith.teams (team_id),
                device text NOT NULL,
                user_id text NOT NULL,
                anchored_entries bigint NOT NULL,
                found_entries bigint NOT NULL,
                found_at timestamptz NOT NULL DEFAULT now())
            """,
            // Schema 2's anchor took no proof; it is replaced, not overloaded.
            "DROP FUNCTION IF EXISTS kith.anchor_audit(text, bigint, bytea)",
        ]
        for table in HubSchema.tables {
            sql.append("ALTER TABLE kith.\(table) OWNER TO \(owner)")
            sql.append("ALTER TABLE kith.\(table) ENABLE ROW LEVEL SECURITY")
            sql.append("ALTER TABLE kith.\(table) FORCE ROW LEVEL SECURITY")
        }
        let signatures: [(String, String, String, String)] = [
            ("my_team", "", "text", "sql STABLE"),
            ("my_user", "", "text", "sql STABLE"),
            ("push", "p_kind smallint, p_family text, p_author text, p_payload bytea", "bigint", "plpgsql"),
            ("anchor_audit", "p_device text, p_entries bigint, p_head bytea, p_at bigint, p_at_mac bytea, OUT r_status text, OUT r_anchored bigint", "record", "plpgsql"),
            ("deactivate", "p_user text", "boolean", "plpgsql"),
            ("admit", "p_team text, p_user text, p_role text, p_lead boolean", "void", "plpgsql"),
            ("retire", "p_role text", "void", "plpgsql"),
        ]
        for (name, arguments, returns, language) in signatures {
            sql.append("""
                CREATE OR REPLACE FUNCTION kith.\(name)(\(arguments)) RETURNS \(returns) LANGUAGE \(language) SECURITY DEFINER
                SET search_path = pg_catalog, pg_temp AS $fn$\(HubSchema.functionBodies[name] ?? "")$fn$
                """)
        }
        // Policies are permissive (any one lets a row through): one Kith didn't make
        // widens who sees what, so init removes every policy before making its own.
        sql.append("""
            DO $policies$ DECLARE r record; BEGIN
                FOR r IN SELECT policyname, tablename FROM pg_policies WHERE schemaname = 'kith' LOOP
                    EXECUTE format('DROP POLICY %I ON kith.%I', r.policyname, r.tablename);
                END LOOP;
            END $policies$
            """)
        for policy in policies {
            var create = "CREATE POLICY \(policy.name) ON kith.\(policy.table) FOR \(policy.command) TO \(policy.role) USING (\(policy.using))"
            if let check = policy.check { create += " WITH CHECK (\(check))" }
            sql.append(create)
        }
        sql += [
            "REVOKE ALL ON ALL TABLES IN SCHEMA kith FROM PUBLIC, \(laptop)",
            "GRANT SELECT ON ALL TABLES IN SCHEMA kith TO \(laptop)",
            "REVOKE ALL ON ALL FUNCTIONS IN SCHEMA kith FROM PUBLIC, \(laptop)",
        ]
        for function in HubSchema.laptopFunctions { sql.append("GRANT EXECUTE ON FUNCTION kith.\(function) TO \(laptop)") }
        sql.append("INSERT INTO kith.meta (key, value) VALUES ('schema', '\(HubSchema.version)') ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value")
        return sql
    }
}
