import Testing
@testable import KithUI

@Suite struct DisplayWidthTests {
    @Test(arguments: [
        ("Siân Llŷr ŵ", 11), ("Łucja Wiśniewska", 16), ("Ștefan Țurcanu", 14), ("e\u{301}", 1),
        ("漢字", 4), ("한국", 4), ("😀", 2), ("👨‍👩‍👧", 2), ("ليلى", 4), ("a\u{200B}b", 2),
    ])
    func charactersTakeTheRightNumberOfColumns(text: String, width: Int) {
        #expect(DisplayWidth.of(text) == width)
    }

    @Test func lettersWithDecomposedAccentsAreOneColumn() {
        let decomposed = "w\u{302}y\u{302}s\u{326}t\u{326}"   // ŵ ŷ ș ț built from marks
        #expect(DisplayWidth.of(decomposed) == 4)
        var buffer = CellBuffer(size: Size(width: 6, height: 1))
        buffer.put(decomposed, x: 0, y: 0, style: .plain)
        #expect(buffer.line(0) == decomposed + "  ")
    }
}

@Suite struct CellBufferTests {
    @Test func wideCharactersTakeTwoCellsAndRenderAsText() {
        var buffer = CellBuffer(size: Size(width: 8, height: 1))
        let written = buffer.put("漢a😀", x: 0, y: 0, style: .plain)
        #expect(written == 5)
        #expect(buffer[1, 0].isContinuation)
        #expect(buffer.line(0) == "漢a😀   ")
    }

    @Test func aWideCharacterThatDoesNotFitBecomesABlank() {
        var buffer = CellBuffer(size: Size(width: 3, height: 1))
        buffer.put("ab漢", x: 0, y: 0, style: .plain)
        #expect(buffer.line(0) == "ab ")
    }

    @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var buffer = CellBuffer(size: Size(width: 4, height: 1))
        buffer.put("漢字", x: 0, y: 0, style: .plain)
        buffer.put("x", x: 1, y: 0, style: .plain)
        #expect(buffer.line(0) == " x字")
    }

    @Test func controlCharactersAndEscapesNeverReachTheTerminal() {
        var buffer = CellBuffer(size: Size(width: 12, height: 1))
        buffer.put("a\u{1b}[2Jb\u{7}\u{0}", x: 0, y: 0, style: .plain)
        #expect(buffer.line(0) == "a␛[2Jb␇␀    ")
        #expect(!buffer.cells.contains { $0.text.unicodeScalars.contains { $0.value < 0x20 } })
    }

    @Test func bidiOverridesAreDroppedButArabicStays() {
        var buffer = CellBuffer(size: Size(width: 10, height: 1))
        buffer.put("\u{202E}abc\u{202C} ليلى", x: 0, y: 0, style: .plain)
        #expect(buffer.line(0) == "abc ليلى  ")
    }

    @Test func textIsClippedToTheGivenWidth() {
        var buffer = CellBuffer(size: Size(width: 10, height: 1))
        buffer.cell("Gwenllian Rhydderch", x: 0, y: 0, width: 8, style: .plain)
        #expect(buffer.line(0) == "Gwenlli…  ")
        #expect("Siân Llŷr".clipped(to: 4) == "Siân")
    }
}

@Suite struct DiffTests {
    @Test func onlyChangedCellsArePainted() {
        var before = CellBuffer(size: Size(width: 10, height: 3))
        before.put("Caseload", x: 0, y: 0, style: .plain)
        var after = before
        after.put("X", x: 4, y: 1, style: .plain)
        let runs = after.changes(since: before)
        #expect(runs == [CellRun(x: 4, y: 1, cells: [after[4, 1]])])
        #expect(after.changedCellCount(since: after) == 0)
    }

    @Test func aChangedWideCharacterIsPaintedWhole() {
        var before = CellBuffer(size: Size(width: 6, height: 1))
        before.put("ab漢", x: 0, y: 0, style: .plain)
        var after = before
        after.put("字", x: 2, y: 0, style: .plain)
        let runs = after.changes(since: before)
        #expect(runs.count == 1)
        #expect(runs[0].x == 2)
        #expect(runs[0].cells.count == 2)
    }

    @Test func aResizeRepaintsEverything() {
        let small = CellBuffer(size: Size(width: 4, height: 2))
        let large = CellBuffer(size: Size(width: 5, height: 2))
        #expect(large.changedCellCount(since: small) == 10)
        #expect(large.changedCellCount(since: nil) == 10)
    }

    @Test func styleChangesArePaintedToo() {
        var before = CellBuffer(size: Size(width: 3, height: 1))
        before.put("abc", x: 0, y: 0, style: .plain)
        var after = before
        after.restyle(Rect(x: 1, y: 0, width: 1, height: 1)) { $0.adding(.reverse) }
        #expect(after.changes(since: before).map(\.x) == [1])
    }
}
