import Testing
import KithCore
@testable import KithUI

let mono = RenderContext(theme: .builtIn(depth: .monochrome), strings: .shipped(.en), today: Day(iso: "2026-11-22")!)

func draw(_ width: Int, _ height: Int, _ body: (inout CellBuffer) -> Void) -> [String] {
    var buffer = CellBuffer(size: Size(width: width, height: height))
    body(&buffer)
    return buffer.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
}

@Suite struct TableViewTests {
    let columns = [TableView.Column("Ref", width: 4), TableView.Column("Name", width: 6, flex: 1), TableView.Column("Due", width: 5, alignRight: true)]
    let rows = (1...20).map { ["R\($0)", "Fam \($0)", "\($0)d"] }

    @Test func headersRowsAndSortMarkerRenderAsText() {
        var table = TableView(count: rows.count)
        _ = table.handle(.moveDown, visibleRows: 3)
        let lines = draw(20, 4) { buffer in
            table.render(into: &buffer, area: buffer.bounds, columns: columns, context: mono, sortColumn: 2, ascending: false) { i in
                rows[i].map { TableView.Text($0) }
            }
        }
        #expect(lines == ["Ref  Name       Due▼", "R1   Fam 1        1d", "R2   Fam 2        2d", "R3   Fam 3        3d"])
    }

    @Test func selectionScrollsIntoViewAndStaysInRange() {
        var table = TableView(count: 20)
        _ = table.handle(.pageDown, visibleRows: 5)
        #expect(table.selected == 4)
        _ = table.handle(.bottom, visibleRows: 5)
        #expect(table.selected == 19)
        #expect(table.top == 15)
        _ = table.handle(.moveDown, visibleRows: 5)
        #expect(table.selected == 19)
        table.setCount(3)
        #expect(table.selected == 2)
        #expect(TableView.widths(columns, total: 30) == [4, 19, 5])
    }

    @Test func anEmptyTableSaysWhy() {
        let lines = draw(24, 3) { buffer in
            TableView(count: 0).render(into: &buffer, area: buffer.bounds, columns: columns, context: mono, emptyText: "No families match.") { _ in [] }
        }
        #expect(lines[2] == " No families match.")
    }
}

@Suite struct TextFieldTests {
    @Test func typingEditingAndWordMovement() {
        var field = TextField("Siân Llŷr")
        _ = field.handle(.ctrlLeft)
        #expect(field.editor.cursor == 5)
        _ = field.handle(.char("X"))
        #expect(field.text == "Siân XLlŷr")
        _ = field.handle(.ctrl("w"))
        #expect(field.text == "Siân Llŷr")
        _ = field.handle(.home)
        _ = field.handle(.delete)
        #expect(field.text == "iân Llŷr")
    }

    @Test func longTextScrollsToKeepTheCursorVisible() {
        let field = TextField("abcdefghijklmnop")
        var buffer = CellBuffer(size: Size(width: 8, height: 1))
        field.render(into: &buffer, area: buffer.bounds, style: .plain, focused: true)
        #expect(buffer.line(0) == "jklmnop ")
        #expect(buffer.cursor == Point(x: 7, y: 0))
    }

    @Test func secretFieldsShowDotsAndPastesFlattenNewlines() {
        var field = TextField(secret: true)
        _ = field.paste("pass\nword")
        #expect(field.text == "pass word")
        let lines = draw(12, 1) { field.render(into: &$0, area: $0.bounds, style: .plain, focused: false) }
        #expect(lines == ["•••••••••"])
    }

    @Test func aTooLongPasteIsRefusedWhole() {
        var field = TextField("keep", limit: 10)
        #expect(field.paste(String(repeating: "x", count: 20)) == .tooLong(limit: 10))
        #expect(field.text == "keep")
    }
}

@Suite struct NoteEditorTests {
    @Test func wordWrapKeepsWordsWhole() {
        let note = NoteEditor("Talked about bedtime routines with Nain")
        let rendered = draw(12, 4) { note.render(into: &$0, area: $0.bounds, style: .plain, focused: false) }
        #expect(rendered == ["Talked about", "bedtime", "routines", "with Nain"])
        let narrow = draw(9, 3) { note.render(into: &$0, area: $0.bounds, style: .plain, focused: false) }
        #expect(narrow == ["Talked", "about", "bedtime ↓"])
    }

    @Test func upAndDownMoveByVisualLineKeepingTheColumn() {
        var note = NoteEditor("first line\nsecond line here\nthird")
        _ = note.handle(.ctrlEnd, width: 40, height: 5)
        #expect(note.editor.cursor == note.editor.count)
        _ = note.handle(.up, width: 40, height: 5)
        let (line, column) = NoteEditor.locate(note.editor.cursor, in: NoteEditor.wrap(note.editor.characters, width: 40), characters: note.editor.characters)
        #expect(line == 1)
        #expect(column == 5)
        _ = note.handle(.up, width: 40, height: 5)
        _ = note.handle(.up, width: 40, height: 5)
        #expect(note.handle(.up, width: 40, height: 5) == .unchanged)
    }

    @Test func enterAndPasteKeepNewlinesAsText() {
        var note = NoteEditor()
        _ = note.paste("one\r\ntwo\nthree", width: 20, height: 3)
        _ = note.handle(.enter, width: 20, height: 3)
        _ = note.handle(.char("4"), width: 20, height: 3)
        #expect(note.text == "one\ntwo\nthree\n4")
    }

    @Test func wordMovementAndDeletion() {
        var note = NoteEditor("Mali showed me her drawing")
        _ = note.handle(.ctrlEnd, width: 40, height: 2)
        _ = note.handle(.ctrlLeft, width: 40, height: 2)
        _ = note.handle(.ctrlLeft, width: 40, height: 2)
        #expect(note.editor.cursor == 15)
        _ = note.handle(.ctrl("w"), width: 40, height: 2)
        #expect(note.text == "Mali showed her drawing")
    }
}

@Suite struct PickListTests {
    let options = ServiceLevel.allCases.map { PickList.Option(id: $0.rawValue, label: Strings.shipped(.en)($0.labelKey)) }

    @Test func arrowsLettersAndThePopupChoose() {
        var pick = PickList(selected: "primary")
        #expect(pick.handle(.right, options: options) == .changed)
        #expect(pick.selected == "secondary")
        #expect(pick.handle(.char("t"), options: options) == .changed)
        #expect(pick.selected == "tertiary")
        _ = pick.handle(.enter, options: options)
        #expect(pick.isOpen)
        _ = pick.handle(.char("p"), options: options)
        #expect(pick.visible(options).map(\.id) == ["primary"])
        #expect(pick.handle(.enter, options: options) == .changed)
        #expect(pick.selected == "primary")
        #expect(!pick.isOpen)
    }

    @Test func closedAndOpenRendering() {
        var pick = PickList(selected: "secondary")
        let closed = draw(20, 1) { pick.render(into: &$0, area: $0.bounds, options: options, style: .plain, focused: false, placeholder: "choose…") }
        #expect(closed == ["‹ Secondary ›"])
        _ = pick.handle(.enter, options: options)
        let open = draw(24, 6) { pick.renderPopup(into: &$0, anchor: Point(x: 0, y: 0), options: options, context: mono) }
        #expect(open[1...4] == ["┌──────────────────┐", "│  Primary         │", "│▸ Secondary       │", "│  Tertiary        │"])
    }
}

@Suite struct RatingScaleTests {
    let fivePoint = (1...5).map { RatingScale.Option(value: $0, label: "L\($0)") }
    let judgement = (0...10).map { RatingScale.Option(value: $0, label: "J\($0)") }
    let bipolar = [-3, -2, -1, 0, 1, 2].map { RatingScale.Option(value: $0, label: "B\($0)") }

    @Test func notRatedIsDistinctFromEveryValue() {
        var scale = RatingScale()
        let lines = draw(50, 1) { scale.render(into: &$0, area: $0.bounds, options: fivePoint, context: mono, focused: false) }
        #expect(lines == ["[·] 1  2  3  4  5  ?   not rated"])
        _ = scale.handle(.char("3"), options: fivePoint)
        #expect(scale.rating == .value(3))
        let rated = draw(50, 1) { scale.render(into: &$0, area: $0.bounds, options: fivePoint, context: mono, focused: false) }
        #expect(rated == [" ·  1  2 [3] 4  5  ?   3 L3"])
        _ = scale.handle(.char("u"), options: fivePoint)
        #expect(scale.rating == .unknown)
        _ = scale.handle(.backspace, options: fivePoint)
        #expect(scale.rating == .notRated)
    }

    @Test func digitsPickValuesAndOneZeroIsTen() {
        var scale = RatingScale()
        _ = scale.handle(.char("0"), options: judgement)
        #expect(scale.rating == .value(0))
        _ = scale.handle(.char("1"), options: judgement)
        _ = scale.handle(.char("0"), options: judgement)
        #expect(scale.rating == .value(10))
        var journey = RatingScale()
        _ = journey.handle(.char("0"), options: Array(judgement.dropFirst()))
        #expect(journey.rating == .value(10))
        _ = journey.handle(.char("9"), options: fivePoint)
        #expect(journey.rating == .value(10))
    }

    @Test func bipolarScalesPickByPositionAndShowSigns() {
        var scale = RatingScale()
        _ = scale.handle(.char("1"), options: bipolar)
        #expect(scale.rating == .value(-3))
        _ = scale.handle(.right, options: bipolar)
        #expect(scale.rating == .value(-2))
        _ = scale.handle(.char("6"), options: bipolar)
        #expect(scale.rating == .value(2))
        #expect(RatingScale.display(2, bipolar) == "+2")
        #expect(RatingScale.display(-3, bipolar) == "−3")
    }
}

@Suite struct SmallWidgetTests {
    @Test func checkboxShowsStateWithoutColour() {
        var box = Checkbox()
        let toggled = box.handle(.char(" "))
        #expect(toggled)
        let lines = draw(12, 1) { box.render(into: &$0, area: $0.bounds, label: "yes", style: .plain, focused: false) }
        #expect(lines == ["[x] yes"])
        let yesAgain = box.handle(.char("y"))
        #expect(!yesAgain)
        let no = box.handle(.char("n"))
        #expect(no)
        #expect(!box.checked)
    }

    @Test(arguments: [("22/11/2026", "2026-11-22"), ("2026-11-22", "2026-11-22"), ("today", "2026-11-22"), ("heddiw", "2026-11-22"),
                      ("+7", "2026-11-29"), ("+2w", "2026-12-06"), ("+3m", "2027-02-22"), ("-1", "2026-11-21"), ("1/2/19", "2019-02-01")])
    func datesAreReadAsPeopleWriteThem(text: String, iso: String) {
        #expect(DateField.parse(text, today: mono.today) == .day(Day(iso: iso)!))
    }

    @Test func invalidDatesSaySo() {
        #expect(DateField.parse("31/02/2026", today: mono.today) == .invalid)
        #expect(DateField.parse("soon", today: mono.today) == .invalid)
        #expect(DateField.parse("  ", today: mono.today) == .empty)
        let field = DateField(text: "30/02/2026")
        let lines = draw(60, 1) { field.render(into: &$0, area: $0.bounds, context: mono, focused: false) }
        #expect(lines[0].contains("✗ not a date"))
        let good = DateField(text: "+1")
        let goodLines = draw(60, 1) { good.render(into: &$0, area: $0.bounds, context: mono, focused: false) }
        #expect(goodLines[0] == "+1             → Mon 23 Nov 2026")
    }

    @Test func dialogsNameTheirKeys() {
        let dialog = Dialog(title: "Close this form?", message: ["You have changes."], choices: [(.char("s"), "save now"), (.escape, "stay")])
        let lines = draw(40, 7) { dialog.render(into: &$0, context: mono) }
        #expect(lines.contains { $0.contains("Close this form?") })
        #expect(lines.contains { $0.contains("s save now · Esc stay") })
    }

    @Test func statusLineMarksErrorsWithoutColour() {
        let lines = draw(30, 1) { StatusMessage("Not saved yet", severity: .error).render(into: &$0, area: $0.bounds, context: mono) }
        #expect(lines == [" ✗ Not saved yet"])
    }
}

@Suite struct KeymapTests {
    let keymap = Keymap(titleKey: "caseload.title", [
        Binding([.enter], .open, footer: true),
        Binding([.char("/")], .search, footer: true),
        Binding([.up, .char("k")], .moveUp),
        Binding([.char("?")], .help, footer: true),
    ])

    @Test func oneTableDrivesKeysFooterAndHelp() {
        #expect(keymap.command(for: .char("k")) == .moveUp)
        #expect(keymap.command(for: .char("x")) == nil)
        let footer = draw(60, 1) { Footer.render(keymap, into: &$0, area: $0.bounds, context: mono) }
        #expect(footer == [" Enter open  / search  ? help"])
        let help = draw(60, 10) { HelpOverlay.render(keymap, into: &$0, context: mono) }
        #expect(help.contains { $0.contains("↑ k") && $0.contains("Move up") })
        #expect(help.contains { $0.contains("Enter") && $0.contains("Open the selected row") })
        #expect(help[1].contains("Keys — Caseload"))
    }

    @Test func everyCommandHasALabelAndHelpInBothLanguages() {
        for language in Strings.Language.allCases {
            let strings = Strings.shipped(language)
            for command in Command.allCases {
                #expect(strings.has(command.labelKey), "\(language) \(command.labelKey)")
                #expect(strings.has(command.helpKey), "\(language) \(command.helpKey)")
            }
        }
    }
}
