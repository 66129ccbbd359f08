/// A multi-line note: word wrap, cursor movement by character, word, visual line and
/// page, and paste that keeps newlines. Enter inserts a new line.
public struct NoteEditor: Hashable, Sendable, Codable {
    public var editor: TextEditor
    /// First visible visual line.
    public var top: Int = 0
    /// The column up/down moves aim for, kept across short lines.
    var goalColumn: Int?

    public init(_ text: String = "", limit: Int = 100_000) {
        editor = TextEditor(text, limit: limit)
        editor.cursor = 0
    }

    public var text: String { editor.text }

    /// A visual line: characters `start..<end` of the text (the newline excluded).
    public struct Line: Hashable, Sendable {
        public var start: Int
        public var end: Int
    }

    /// Word-wraps the text to `width` columns. Long words break hard; a trailing space
    /// stays on its line.
    public static func wrap(_ characters: [Character], width: Int) -> [Line] {
        let width = max(1, width)
        var lines: [Line] = []
        var lineStart = 0, column = 0, lastBreak = -1, columnAtBreak = 0
        var i = 0
        while i < characters.count {
            let c = characters[i]
            if c == "\n" {
                lines.append(Line(start: lineStart, end: i))
                i += 1
                lineStart = i; column = 0; lastBreak = -1
                continue
            }
            let w = c == "\t" ? 1 : DisplayWidth.of(SafeText.displayable(c))
            if column + w > width && c != " " {
                if lastBreak > lineStart {
                    lines.append(Line(start: lineStart, end: lastBreak))
                    lineStart = lastBreak
                    column -= columnAtBreak
                } else if i > lineStart {
                    lines.append(Line(start: lineStart, end: i))
                    lineStart = i
                    column = 0
                }
                lastBreak = -1
            }
            column += w
            if c == " " { lastBreak = i + 1; columnAtBreak = column }
            i += 1
        }
        lines.append(Line(start: lineStart, end: characters.count))
        return lines
    }

    /// The visual line and column of the cursor.
    public static func locate(_ cursor: Int, in lines: [Line], characters: [Character]) -> (line: Int, column: Int) {
        var index = lines.count - 1
        for (n, line) in lines.enumerated() where cursor >= line.start && cursor <= line.end {
            // At a soft wrap the cursor belongs to the start of the next line.
            if cursor == line.end && n + 1 < lines.count && lines[n + 1].start == line.end { continue }
            index = n
            break
        }
        let line = lines[index]
        let column = DisplayWidth.of(String(characters[line.start..<min(cursor, line.end)]))
        return (index, column)
    }

    private static func index(atColumn goal: Int, of line: Line, characters: [Character]) -> Int {
        var column = 0, i = line.start
        while i < line.end {
            let w = DisplayWidth.of(SafeText.displayable(characters[i]))
            if column + w > goal { break }
            column += w
            i += 1
        }
        return i
    }

    /// Handles a key for a note shown `width` columns wide and `height` rows high.
    public mutating func handle(_ key: Key, width: Int, height: Int) -> TextEditor.EditResult {
        let lines = NoteEditor.wrap(editor.characters, width: width)
        let (line, column) = NoteEditor.locate(editor.cursor, in: lines, characters: editor.characters)
        var result = TextEditor.EditResult.moved
        var keepGoal = false
        switch key {
        case .enter:
            result = editor.insert("\n", multiline: true)
        case .up, .down, .pageUp, .pageDown:
            let step = key == .up ? -1 : key == .down ? 1 : key == .pageUp ? -max(1, height - 1) : max(1, height - 1)
            let target = min(max(0, line + step), lines.count - 1)
            if target == line && (key == .up || key == .down) { return .unchanged }
            let goal = goalColumn ?? column
            editor.cursor = NoteEditor.index(atColumn: goal, of: lines[target], characters: editor.characters)
            goalColumn = goal
            keepGoal = true
        case .home:
            editor.cursor = lines[line].start
        case .end:
            editor.cursor = lines[line].end
        case .ctrlHome:
            editor.cursor = 0
        case .ctrlEnd:
            editor.cursor = editor.count
        default:
            result = editor.handle(key, multiline: true)
        }
        if !keepGoal { goalColumn = nil }
        scrollToCursor(width: width, height: height)
        return result
    }

    public mutating func paste(_ text: String, width: Int, height: Int) -> TextEditor.EditResult {
        let result = editor.insert(text, multiline: true)
        goalColumn = nil
        scrollToCursor(width: width, height: height)
        return result
    }

    mutating func scrollToCursor(width: Int, height: Int) {
        let lines = NoteEditor.wrap(editor.characters, width: width)
        let (line, _) = NoteEditor.locate(editor.cursor, in: lines, characters: editor.characters)
        let h = max(1, height)
        if line < top { top = line }
        if line >= top + h { top = line - h + 1 }
        top = max(0, min(top, max(0, lines.count - 1)))
    }

    /// The number of visual lines at `width` (for layouts that grow with the text).
    public func lineCount(width: Int) -> Int { NoteEditor.wrap(editor.characters, width: width).count }

    public func render(into buffer: inout CellBuffer, area: Rect, style: Style, focused: Bool,
                       placeholder: String = "", placeholderStyle: Style? = nil) {
        guard !area.isEmpty else { return }
        buffer.fill(area, style: style)
        if editor.isEmpty && !placeholder.isEmpty {
            buffer.put(placeholder, x: area.x, y: area.y, style: placeholderStyle ?? style, maxWidth: area.width)
            if focused { buffer.cursor = Point(x: area.x, y: area.y) }
            return
        }
        let characters = editor.characters
        let lines = NoteEditor.wrap(characters, width: area.width)
        let (cursorLine, cursorColumn) = NoteEditor.locate(editor.cursor, in: lines, characters: characters)
        var first = min(top, max(0, lines.count - 1))
        if cursorLine < first { first = cursorLine }
        if cursorLine >= first + area.height { first = cursorLine - area.height + 1 }
        for row in 0..<area.height where first + row < lines.count {
            let line = lines[first + row]
            let text = String(characters[line.start..<line.end]).replacingTabs
            buffer.put(text, x: area.x, y: area.y + row, style: style, maxWidth: area.width)
        }
        if focused {
            buffer.cursor = Point(x: area.x + min(cursorColumn, area.width - 1), y: area.y + cursorLine - first)
        }
        // Show that there is more above or below.
        if first > 0 { buffer.put("↑", x: area.maxX - 1, y: area.y, style: style) }
        if first + area.height < lines.count { buffer.put("↓", x: area.maxX - 1, y: area.maxY - 1, style: style) }
    }
}

extension String {
    /// Tabs draw as one space (a note's tab is kept in the text, not expanded).
    var replacingTabs: String { contains("\t") ? String(map { $0 == "\t" ? " " : $0 }) : self }
}
