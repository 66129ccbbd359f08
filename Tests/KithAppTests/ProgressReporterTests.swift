import Testing
import KithApp
import KithCore
import KithDemo
import KithStore
import KithTestSupport

/// Long exports say how far they have got, on one terminal line that never floods it.
@Suite struct ProgressReporterTests {
    final class Sink: @unchecked Sendable {
        var written: [String] = []
        var now = 0.0
    }

    @Test func aLineIsRedrawnAtMostTenTimesASecondAndClearedAtTheEnd() {
        let sink = Sink()
        let progress = ProgressReporter(enabled: true, now: { sink.now }, write: { sink.written.append($0) }) { "\($0) of \($1)" }
        for n in 1...1000 {
            sink.now = Double(n) * 0.001                 // a second for the thousand
            progress.update(n, of: 1000)
        }
        #expect(sink.written.count == 11, "ten redraws and the last: \(sink.written.count)")
        #expect(sink.written.first == "\r1 of 1000")
        #expect(sink.written.last == "\r1000 of 1000")
        progress.finish()
        #expect(sink.written.last == "\r" + String(repeating: " ", count: "1000 of 1000".count) + "\r")
    }

    @Test func nothingIsWrittenWhenTheOutputIsNotATerminal() {
        let sink = Sink()
        let progress = ProgressReporter(enabled: false, now: { sink.now }, write: { sink.written.append($0) }) { "\($0) of \($1)" }
        progress.update(1, of: 2)
        progress.update(2, of: 2)
        progress.finish()
        #expect(sink.written.isEmpty)
    }

    /// The export reports its rows as it writes them, ending at all of them.
    @Test func theCaseloadExportReportsEveryRow() throws {
        let directory = TemporaryDirectory("kith-progress")
        let store = try DemoStore.create(at: directory.file("store"), families: 300, seed: 5, today: Fixture.today, kdf: .fastForTests, clock: TestClock().storeClock)
        defer { store.close() }
        let rows = store.caseload()
        var heard: [Int] = []
        _ = CaseloadExport.csv(rows, strings: .shipped(.en), today: Fixture.today, name: store.userName) { done, total in
            #expect(total == rows.count)
            heard.append(done)
        }
        #expect(heard == [0, 256, rows.count])
    }
}
