/// A single-line text field. When the text is wider than the field, it scrolls so the
/// cursor stays visible (the scroll is derived from the cursor, never stored).
public struct TextField: Hashable, Sendable, Codable {
    public var editor: TextEditor
    /// Shown as dots (passphrases).
    public var secret: Bool

    public init(_ text: String = "", secret: Bool = false, limit: Int = 2_000) {
        editor = TextEditor(text, limit: limit)
        self.secret = secret
    }

    public var text: String { editor.text }

    public mutating func handle(_ key: Key) -> TextEditor.EditResult {
        editor.handle(key, multiline: false)
    }

    public mutating func paste(_ text: String) -> TextEditor.EditResult {
        editor.insert(text, multiline: false)
    }

    private var shown: [Character] {
        secret ? Array(repeating: "•", count: editor.count) : editor.characters
    }

    /// Draws the field in the first row of `area`, placing the terminal cursor when focused.
    public func render(into buffer: inout CellBuffer, area: Rect, style: Style, focused: Bool,
                       placeholder: String = "", placeholderStyle: Style? = nil) {
        guard !area.isEmpty else { return }
        buffer.fill(area.row(0), style: style)
        if editor.isEmpty && !placeholder.isEmpty {
            buffer.put(placeholder, x: area.x, y: area.y, style: placeholderStyle ?? style, maxWidth: area.width)
            if focused { buffer.cursor = Point(x: area.x, y: area.y) }
            return
        }
        let characters = shown
        let widths = characters.map { DisplayWidth.of(SafeText.displayable($0)) }
        let cursorColumn = widths[0..<editor.cursor].reduce(0, +)
        let scroll = max(0, cursorColumn - area.width + 1)
        var column = 0, index = 0
        while index < characters.count && column < scroll {
            column += widths[index]
            index += 1
        }
        let visible = String(characters[index...])
        buffer.put(visible, x: area.x + (column - scroll), y: area.y, style: style, maxWidth: area.width - (column - scroll))
        if focused { buffer.cursor = Point(x: area.x + min(cursorColumn - scroll, area.width - 1), y: area.y) }
    }
}
