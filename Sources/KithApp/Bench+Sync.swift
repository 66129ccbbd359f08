import Foundation
import KithCore
import KithDemo
import KithStore

/// Bundles and merging, measured on a team's store: a bundle of everything (what a
/// laptop joining the team takes in), one day's work each way, and how fast events fold.
public struct SyncFigures: Codable, Sendable {
    public var teamFamilies: Int
    public var eventsMergedPerSecond: Double
    public var exportEverything: BenchReport.Figure
    public var firstJoinMegabytes: Double
    public var importFirstJoin: BenchReport.Figure
    public var dayItems: Int
    public var exportDay: BenchReport.Figure
    public var importDay: BenchReport.Figure
}

extension Bench {
    static func syncFigures(team: Int, directory: String, clock: StoreClock, create: ((String, Int) throws -> Void)?) throws -> SyncFigures {
        let root = "\(directory)/team", laptop = "\(directory)/joined"
        if let create { try create(root, team) } else {
            try DemoStore.create(at: root, families: team, seed: seed, today: day, kdf: .fastForTests, clock: clock).close()
        }
        let lead = try Store.open(at: root, login: DemoStore.leadLogin, passphrase: DemoStore.passphrase, clock: clock)
        defer { lead.close() }

        // Folding: every event of up to 200 families, shuffled, into their case files.
        var generator = SeededGenerator(seed: seed)
        var batches: [[Event]] = []
        for row in lead.caseload().prefix(200) { batches.append(try lead.readCase(row.familyID).events.shuffled(using: &generator)) }
        let total = batches.reduce(0) { $0 + $1.count }
        let foldMs = time { for events in batches { _ = CaseFile(events: events) } }

        var everything: [UInt8] = []
        let exportMs = try time { everything = try lead.exportBundle(for: .everything).bytes }
        // A team lead joins on a laptop of their own: they may read every family.
        let invitation = try lead.invite(login: "benchlead", displayName: "Bench Lead", role: .teamLead, kdf: .fastForTests)
        var joined: Store!
        let joinMs = try time {
            joined = try Store.join(at: laptop, file: invitation.file, code: invitation.code, passphrase: DemoStore.passphrase,
                                    kdf: .fastForTests, clock: clock)
        }
        defer { joined.close() }
        // The lead hears from the new laptop, then works a day: a note and a change of
        // level on 20 families.
        try lead.importBundle(try joined.exportBundle(for: .user(login: DemoStore.leadLogin)).bytes, file: "bench")
        for row in lead.caseload().filter({ $0.status != .closed }).prefix(20) {
            let file = try lead.readCase(row.familyID)
            var family = file.family
            family.riskLevel = family.riskLevel == .high ? .medium : .high
            try lead.save([family], family: row.familyID)
            try lead.save([ContactNote(id: .random(), familyID: row.familyID, contactKind: .visit, date: day, text: "Bench visit")],
                          family: row.familyID)
        }
        var dayBundle: (bytes: [UInt8], items: Int) = ([], 0)
        let exportDayMs = try time { dayBundle = try lead.exportBundle(for: .user(login: "benchlead")) }
        let importDayMs = try time { try joined.importBundle(dayBundle.bytes, file: "day") }
        return SyncFigures(teamFamilies: team, eventsMergedPerSecond: Double(total) / max(foldMs, 0.001) * 1000,
                           exportEverything: figure([exportMs]), firstJoinMegabytes: Double(everything.count) / 1_048_576,
                           importFirstJoin: figure([joinMs]), dayItems: dayBundle.items,
                           exportDay: figure([exportDayMs]), importDay: figure([importDayMs]))
    }
}
