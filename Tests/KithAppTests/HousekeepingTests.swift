import Foundation
import Testing
import KithApp
import KithCore
import KithDemo
import KithStore
import KithTestSupport
import KithUI

/// What Kith does at quiet moments while it is left open.
@Suite struct HousekeepingTests {
    func flushes(_ app: AppHarness) -> Int {
        app.effectsPerformed.filter { if case .flushIndex = $0 { true } else { false } }.count
    }

    @Test func theIndexIsWrittenOnceKeysStopAfterASave() throws {
        let app = try AppHarness(families: 8)
        app.startNote("Saved, then the worker stops typing")
        app.press(.ctrl("s"), .char("s"))
        #expect(app.store.indexNeedsFlush)
        app.wait(1)
        #expect(flushes(app) == 0, "written while the worker may still be typing")
        app.wait(3)
        #expect(flushes(app) == 1)
        #expect(!app.store.indexNeedsFlush)
        app.wait(4)
        #expect(flushes(app) == 1, "written again with nothing new")
    }

    @Test func aPrintoutMadeBesideKithReachesTheFamilyWhileKithStaysOpen() throws {
        let app = try AppHarness(families: 8)
        let row = try #require(app.store.caseload().sorted { $0.reference < $1.reference }.first)
        let beside = try Store.open(at: app.root, login: DemoStore.leadLogin, passphrase: DemoStore.passphrase, clock: app.clock.storeClock, beside: true)
        try beside.recordOutput(.print, of: EntityRef(kind: .family, id: row.familyID.raw), family: row.familyID, format: "txt")
        beside.close()
        #expect(try !app.store.openCase(row.familyID).events.contains { $0.action == .print })
        app.wait(61)
        #expect(try app.store.openCase(row.familyID).events.contains { $0.action == .print })
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(app.root)/outbox").isEmpty)
    }
}

@Suite struct PrintoutRetentionTests {
    @Test func printoutsOlderThanAWeekAreRemovedAtUnlock() throws {
        let app = try AppHarness(families: 4)
        let directory = app.effects.printDirectory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let old = "\(directory)/K-OLD000-plan-2026-11-01.html", recent = "\(directory)/K-NEW000-plan-2026-11-30.html"
        let other = "\(directory)/notes.pdf"
        for path in [old, recent, other] { FileManager.default.createFile(atPath: path, contents: Data("<html>".utf8)) }
        let eightDaysAgo = Date().addingTimeInterval(-8 * 86_400)
        for path in [old, other] { try FileManager.default.setAttributes([.modificationDate: eightDaysAgo], ofItemAtPath: path) }
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-6 * 86_400)], ofItemAtPath: recent)

        _ = app.effects.unlockedMessage()
        #expect(!FileManager.default.fileExists(atPath: old))
        #expect(FileManager.default.fileExists(atPath: recent))
        #expect(FileManager.default.fileExists(atPath: other), "only printouts are removed")
    }
}
