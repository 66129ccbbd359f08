import KithStore
import PostgresNIO

extension HubSync {
    /// What the hub said of this laptop's audit trail.
    public enum AuditAnswer: Sendable, Equatable {
        /// The hub now holds this many entries anchored.
        case anchored(Int)
        /// The proof was for another point: the hub asks for this one (it holds that many).
        case prove(Int)
        /// The trail no longer holds what the hub had anchored: recorded on the hub for
        /// good, and the trail as found anchored from now on.
        case cut(anchored: Int, found: Int)
    }

    /// Anchors the head as `anchor` does, on a hub that can (nil on one whose schema is from
    /// before anchoring, until its administrator runs `kith hub init` again: the rest of
    /// the sync goes on).
    package static func anchorIfSupported(_ proof: AuditProof, device: String, on hub: HubConnection) async throws(HubError) -> AuditAnswer? {
        do {
            return try await anchor(proof, device: device, on: hub)
        } catch .refused(code: "42883", _) {
            return nil
        }
    }

    /// Anchors this laptop's audit head on the hub, proving the trail still holds the last one.
    package static func anchor(_ proof: AuditProof, device: String, on hub: HubConnection) async throws(HubError) -> AuditAnswer {
        let rows = try await hub.rows("""
            SELECT r_status, r_anchored FROM kith.anchor_audit(\(device), \(Int64(proof.entries)), \(ByteBuffer(bytes: proof.head)), \(Int64(proof.at)), \(ByteBuffer(bytes: proof.atMAC)))
            """)
        guard let row = rows.first, let (status, anchored) = try? row.decode((String, Int64).self) else {
            throw .refused(code: "anchor", detail: "answer")
        }
        switch status {
        case "anchored": return .anchored(proof.entries)
        case "prove": return .prove(Int(anchored))
        case "cut": return .cut(anchored: Int(anchored), found: proof.entries)
        default: throw .refused(code: "anchor", detail: "answer")
        }
    }

    /// Takes the hub's answer in: the point to prove next time, and a cut recorded in the
    /// laptop's own witness (so `check` names it until a team lead accepts it).
    package static func settle(_ answer: AuditAnswer, store: Store, settings: inout HubSettings) throws {
        switch answer {
        case .anchored(let entries), .prove(let entries):
            settings.auditAnchored = entries
        case .cut(let anchored, let found):
            try store.recordAuditCutFoundByHub(anchored: anchored, found: found)
            settings.auditAnchored = found
        }
    }

    /// Anchors the trail as `kith sync` does: proves the point the hub last said, and again
    /// at the point it asks for when that was another.
    package static func anchor(_ store: Store, on hub: HubConnection, settings: inout HubSettings) async throws -> AuditAnswer? {
        guard var answer = try await anchorIfSupported(try store.auditProof(at: settings.auditAnchored), device: store.device.raw, on: hub) else { return nil }
        if case .prove(let point) = answer {
            answer = try await anchor(try store.auditProof(at: point), device: store.device.raw, on: hub)
        }
        try settle(answer, store: store, settings: &settings)
        return answer
    }

    /// An audit trail the hub found cut.
    public struct AuditCut: Sendable, Equatable {
        public var device: String
        public var user: String
        public var anchored: Int
        public var found: Int
        /// When the hub found it (seconds since 1970).
        public var at: Double
    }

    /// Every cut the hub recorded for this team's laptops, oldest first.
    public static func auditCuts(on hub: HubConnection) async throws(HubError) -> [AuditCut] {
        let rows = try await hub.rows("""
            SELECT device, user_id, anchored_entries, found_entries, extract(epoch FROM found_at)::float8 FROM kith.audit_cuts ORDER BY found_at, device
            """)
        var cuts: [AuditCut] = []
        for row in rows {
            guard let (device, user, anchored, found, at) = try? row.decode((String, String, Int64, Int64, Double).self) else {
                throw .refused(code: "decode", detail: "audit_cuts")
            }
            cuts.append(AuditCut(device: device, user: user, anchored: Int(anchored), found: Int(found), at: at))
        }
        return cuts
    }
}
