import KithCore

/// This laptop's audit trail as the hub anchors it: the trail's durable head, and proof
/// that the trail still holds the head the hub anchored last — the trail's own chain HMAC
/// at that point, read from the trail, never from a note of what was sent. A trail cut,
/// rolled back or replaced together with its local witness (`audit.anchor`) can't give
/// it, and the hub records the cut.
public struct AuditProof: Sendable, Equatable {
    /// Entries in the trail up to its durable head, and the head's chain HMAC.
    public var entries: Int
    public var head: [UInt8]
    /// The point proven (-1 when the hub hasn't said yet), and the trail's chain HMAC
    /// there (empty when the trail doesn't reach it or doesn't read).
    public var at: Int
    public var atMAC: [UInt8]

    public init(entries: Int, head: [UInt8], at: Int, atMAC: [UInt8]) {
        self.entries = entries
        self.head = head
        self.at = at
        self.atMAC = atMAC
    }
}

extension Store {
    /// The trail's durable head, proven at `point` (the entry count the hub anchored last;
    /// -1 when unknown). Entries waiting in memory are written durably first: a head the
    /// hub holds must survive a power cut, or the hub would see a cut that never was.
    public func auditProof(at point: Int) throws(StoreError) -> AuditProof {
        try flushAudit(sync: true)
        if anchor.head.sequence < audit.head.sequence {
            // Entries written without a sync since the last durable one: make them durable.
            try io.syncFile(layout.audit)
            try appendAnchor([AuditAnchorEntry(kind: .head, sequence: audit.head.sequence, mac: audit.head.mac)])
        }
        let head = anchor.head
        auditPointsSent[head.sequence] = head.mac
        var atMAC: [UInt8] = []
        if point == 0 {
            atMAC = [UInt8](repeating: 0, count: 32)
        } else if point > 0 && point <= head.sequence {
            if let known = auditPointsSent[point] {
                atMAC = known
            } else if let verification = try? verifiedAudit() {
                atMAC = verification.macs[point] ?? []
            }
        }
        return AuditProof(entries: head.sequence, head: head.mac, at: point, atMAC: atMAC)
    }

    /// The hub found that this trail no longer holds what it anchored (`anchored` entries;
    /// the trail now has `found`): recorded as a gap in the local witness, reported by every
    /// `check` until a team lead accepts it (`kith repair --accept-audit-gap`).
    public func recordAuditCutFoundByHub(anchored: Int, found: Int) throws(StoreError) {
        let lost = found < anchored ? (found + 1)...anchored : anchored...anchored
        try appendAnchor([AuditAnchorEntry(kind: .gap, sequence: lost.lowerBound, to: lost.upperBound)])
        note(StoreProblem(.auditTrailCut, file: "audit.log", detail: lost.count == 1 ? "entry \(lost.lowerBound)" : "entries \(lost.lowerBound)–\(lost.upperBound)"))
    }
}
