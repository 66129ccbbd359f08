import Testing
import KithCore
import KithDemo
import KithStore
import KithTestSupport

/// The caseload as CSV: safe to open in a spreadsheet, sensitive families listed but not
/// named, hostile text made plain.
@Suite struct CaseloadExportTests {
    @Test func aFormulaNameAndASensitiveFamilyAsAGolden() throws {
        let directory = TemporaryDirectory("kith-export")
        let store = try DemoStore.create(at: directory.file("store"), families: 12, seed: 5, today: Fixture.today, kdf: .fastForTests, clock: TestClock().storeClock)
        defer { store.close() }
        var rows = store.caseload().sorted { $0.reference < $1.reference }
        try #require(rows.count >= 4)
        // Synthetic names, as someone might type them.
        rows[0].displayName = "=HYPERLINK(\"http://example.invalid\",\"open me\")"
        rows[1].displayName = "Secret family"
        rows[1].sensitive = true
        rows[2].displayName = "-2+3 \u{1B}[31mred\u{1B}[0m, family"
        rows[3].displayName = "@SUM(A1:A9)"
        let csv = CaseloadExport.csv(rows, strings: .shipped(.en), today: Fixture.today) { id in id.flatMap { store.users[$0]?.displayName } ?? "" }
        assertSnapshot(csv, named: "export-caseload-en-csv")

        #expect(!csv.contains("Secret family"), "a sensitive family is never named")
        #expect(csv.contains("(sensitive: not named)"))
        #expect(!csv.contains("\u{1B}"), "no control character reaches the file")
        let lines = csv.split(separator: "\r\n", omittingEmptySubsequences: true)
        #expect(lines.count == rows.count + 1)
        // No cell starts as a formula: each begins with ' (inside quotes or not) instead.
        for line in lines.dropFirst() {
            for cell in CaseloadExportTests.cells(String(line)) {
                #expect(!"=+-@".contains(cell.first ?? " "), "\(cell)")
            }
        }
        #expect(csv.contains("\"'=HYPERLINK(\"\"http://example.invalid\"\",\"\"open me\"\")\""))
        #expect(csv.contains("'@SUM(A1:A9)"))
    }

    @Test func welshHeadings() throws {
        let csv = CaseloadExport.csv([], strings: .shipped(.cy), today: Fixture.today) { _ in "" }
        #expect(csv == "Cyfeirnod,Teulu,Lefel gwasanaeth,Statws,Ymarferydd arweiniol,Cydweithwyr,Nesaf yn ddyledus,Beth sy'n ddyledus,Eitemau hwyr,Cyswllt diwethaf,Baneri agored,Gwrthdaro agored,Sensitif\r\n")
    }

    /// Cells of one CSV line as a spreadsheet reads them (quotes removed).
    static func cells(_ line: String) -> [String] {
        var cells: [String] = [], current = "", quoted = false
        var characters = Array(line)[...]
        while let c = characters.popFirst() {
            if quoted {
                if c == "\"" {
                    if characters.first == "\"" { current.append("\""); characters = characters.dropFirst() } else { quoted = false }
                } else { current.append(c) }
            } else if c == "\"" { quoted = true }
            else if c == "," { cells.append(current); current = "" }
            else { current.append(c) }
        }
        cells.append(current)
        return cells
    }
}

/// The quarter's return, held against counts made here from the case files.
@Suite struct QuarterReturnTests {
    @Test(arguments: [4, 19] as [UInt64]) func theReturnCountsWhatTheRecordsSay(seed: UInt64) throws {
        let directory = TemporaryDirectory("kith-return")
        let store = try DemoStore.create(at: directory.file("store"), families: 50, seed: seed, today: Fixture.today, kdf: .fastForTests, clock: TestClock().storeClock)
        defer { store.close() }
        let (year, quarter) = TeamDashboard.quarter(of: Fixture.today)
        let report = QuarterReturn(rows: store.caseload(), year: year, quarter: quarter, measures: TeamDashboard.followedMeasures())
        let files = try store.caseload().map { try store.readCase($0.familyID) }
        let first = report.first, last = report.last
        func inQuarter(_ day: Day) -> Bool { day >= first && day <= last }
        let workedWith = files.filter { file in
            file.family.openedOn <= last && !(file.family.status == .closed && (file.closures.values.map(\.date).max().map { $0 < first } ?? false))
        }
        for level in ServiceLevel.allCases {
            let theirs = workedWith.filter { $0.family.serviceLevel == level }
            #expect(report.families[level] ?? 0 == theirs.count)
            #expect(report.children[level] ?? 0 == theirs.reduce(0) { total, file in
                total + file.householdMembers.filter { $0.dateOfBirth.map { $0 <= last && $0.age(on: last) < 18 } ?? false }.count
            })
        }
        #expect(report.referrals == files.filter { inQuarter($0.family.openedOn) }.count)
        for reason in Closure.Reason.allCases {
            #expect(report.closures[reason] ?? 0 == files.reduce(0) { $0 + $1.closures.values.filter { inQuarter($0.date) && $0.reason == reason }.count })
        }
        #expect(report.families.values.reduce(0, +) > 0 && report.children.values.reduce(0, +) > 0)
        let markdown = report.markdown(strings: .shipped(.en)) { _, measure in measure }
        #expect(markdown.hasPrefix("# Quarterly return \(year) Q\(quarter)"))
        for file in files { #expect(!markdown.contains(file.family.displayName), "no family is named") }
    }
}
