import Foundation
import Testing
import KithApp
import KithTestSupport

@Suite struct BenchTests {
    /// The benchmark runs at a small size and reports every figure with sane values.
    /// (Timings belong in the benchmark, not in tests: no budget is checked here.)
    @Test func everyFigureIsReportedAsJSON() throws {
        let directory = TemporaryDirectory("kith-bench")
        let report = try Bench.run(families: 30, directory: directory.path)
        let json = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(report)) as? [String: Any]
        let object = try #require(json)
        let figures = ["keyDerivation", "unlock", "firstFrameAfterUnlock", "firstFrameWithoutKeyDerivation", "caseloadMove",
                       "caseloadPageDown", "searchKeystroke", "dashboardFirstFrame", "returnExport", "noteKeystroke", "durableSave", "rawWriteFsync", "draftAutosave", "familyRead"]
        for name in figures {
            let figure = try #require(object[name] as? [String: Double], "\(name) missing")
            let median = try #require(figure["median"]), p99 = try #require(figure["p99"]), runs = try #require(figure["runs"])
            #expect(median > 0 && median < 10_000, "\(name) median \(median)")
            #expect(p99 >= median, "\(name)")
            #expect(runs >= 5, "\(name)")
        }
        #expect(object["families"] as? Int == 30)
        #expect((object["peakMemoryMegabytes"] as? Double ?? 0) > 1)
        #expect((object["storeMegabytes"] as? Double ?? 0) > 0)
        #expect((object["saveBytes"] as? Int ?? 0) > 100)
        #expect((object["machine"] as? String)?.contains("cores") == true)
        #expect(report.firstFrameAfterUnlock.median >= report.firstFrameWithoutKeyDerivation.median)
        // Bundles: a laptop joins a team of 30, then a day's work on 20 families (a note and a change each).
        #expect(report.sync.teamFamilies == 30)
        #expect(report.sync.eventsMergedPerSecond > 0)
        #expect(report.sync.firstJoinMegabytes > 0 && report.sync.importFirstJoin.median > 0 && report.sync.exportEverything.median > 0)
        // A family whose log differs goes whole: at least its two new entries each, nothing else.
        #expect(report.sync.dayItems >= 40, "\(report.sync.dayItems)")
        let table = Bench.table(report)
        #expect(table.contains("durable save of one record"))
        #expect(table.contains("one day's work"))
    }
}
