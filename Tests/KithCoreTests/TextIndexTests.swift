import Testing
import KithCore
import KithTestSupport

/// The full-text index: phrases, the last word as a prefix, accents and case aside,
/// one family or all, lines replaced when a family changes, and its bytes.
@Suite struct TextIndexTests {
    let day = Fixture.today
    func line(_ id: String, _ text: String, days: Int = 0) -> WrittenLine {
        WrittenLine(ref: EntityRef(kind: .contactNote, id: id), day: day.adding(days: days), text: text)
    }
    let a = Family.ID("FAMA"), b = Family.ID("FAMB")

    func index() -> TextIndex {
        var index = TextIndex()
        index.replace(a, with: [line("N1", "Dad moved back into the home after Christmas."), line("N2", "Siân walked Aled to school.", days: 1)])
        index.replace(b, with: [line("N3", "The school says Aled is settled.", days: 2), line("N4", "Moved house: back to Nain's.", days: 3)])
        return index
    }

    @Test func aPhraseIsFoundAsWrittenWithTheLastWordAsAPrefix() {
        var index = index()
        #expect(index.search("moved back").hits.map(\.line.ref.id) == ["N1"])
        #expect(index.search("moved bac").hits.map(\.line.ref.id) == ["N1"], "the last word as typed so far")
        #expect(index.search("moved ba").hits.isEmpty, "under three letters a word is whole")
        #expect(index.search("back moved").hits.isEmpty, "a phrase, in order")
        #expect(index.search("moved back ").hits.map(\.line.ref.id) == ["N1"])
        #expect(index.search("moved b ").hits.isEmpty, "a finished word is whole")
        // Newest first, across families.
        #expect(index.search("aled").hits.map(\.line.ref.id) == ["N3", "N2"])
        #expect(index.search("sian walked").hits.map(\.family) == [a], "accents and case aside")
        #expect(index.search("NAINS").hits.map(\.line.ref.id) == ["N4"], "an apostrophe joins")
        #expect(index.search("  ").hits.isEmpty && index.search("—").total == 0)
    }

    @Test func oneFamilyAndTheFamiliesAllowedOnly() {
        var index = index()
        #expect(index.search("school", family: b).hits.map(\.line.ref.id) == ["N3"])
        #expect(index.search("school", visible: { $0 == a }).hits.map(\.line.ref.id) == ["N2"])
        let limited = index.search("a", limit: 1)
        #expect(limited.hits.count <= 1 && limited.total >= limited.hits.count)
    }

    @Test func aFamilysLinesAreReplacedWhole() {
        var index = index()
        index.replace(a, with: [line("N5", "A new note about the garden.")])
        #expect(index.search("moved back").hits.isEmpty && index.search("garden").hits.map(\.line.ref.id) == ["N5"])
        index.remove(b)
        #expect(index.search("school").hits.isEmpty && index.familyCount == 1)
        // Many changes later (compacted on the way), the same answers.
        for round in 0..<600 { index.replace(Family.ID("F\(round % 7)"), with: [line("X\(round)", "round \(round) of edits")]) }
        #expect(index.search("round 599").hits.map(\.line.ref.id) == ["X599"])
        #expect(index.search("round 598").hits.map(\.line.ref.id) == ["X598"])
        #expect(index.search("round").hits.count == 7, "one line left per family")
        #expect(index.search("garden").hits.map(\.line.ref.id) == ["N5"])
    }

    @Test func itsBytesReadBackToTheSameAnswers() throws {
        var index = index()
        index.replace(Family.ID("FAMC"), with: [line("N9", "\u{1B}[2J hostile \u{202E}text\u{2028} 🙂 emoji")])
        var read = try TextIndex.decode(index.encoded())
        for query in ["moved back", "aled", "school", "hostile text", "emoji", "2j"] {
            #expect(read.search(query).hits == index.search(query).hits, "\(query)")
        }
        #expect(throws: (any Error).self) { try TextIndex.decode([9, 1, 2]) }
    }

    @Test func longLinesAreCutAtSpacesAndEveryKindOfRecordIsRead() {
        let long = (0..<120).map { "word\($0)" }.joined(separator: " ")
        let family = Fixture.family()
        let file = caseFile(family, Fixture.everyRecord(family.id) + [Fixture.note(family.id, id: "NOTE2", text: "First line\n\(long)")])
        let lines = file.writtenLines
        #expect(lines.allSatisfy { $0.text.count <= WrittenLine.pieceLength })
        #expect(lines.contains { $0.text == "First line" })
        #expect(Set(lines.map(\.ref.kind)).isSuperset(of: [.contactNote, .plan, .safetyPlan, .meeting, .assessment, .addendum]))
        #expect(lines.contains { $0.text.contains("word119") })
    }
}
