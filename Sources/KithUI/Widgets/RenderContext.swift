import KithCore

/// What every render needs besides the state: the resolved theme, the string table and
/// today's date (ages and due dates are relative to it).
public struct RenderContext: Sendable {
    public var theme: Theme
    public var strings: Strings
    public var today: Day

    public init(theme: Theme, strings: Strings, today: Day) {
        self.theme = theme
        self.strings = strings
        self.today = today
    }

    public subscript(role: Role) -> Style { theme[role] }
}

extension CellBuffer {
    /// Draws a single-line box border around `rect` with an optional title.
    public mutating func box(_ rect: Rect, style: Style, title: String? = nil, titleStyle: Style? = nil) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        put("┌" + String(repeating: "─", count: rect.width - 2) + "┐", x: rect.x, y: rect.y, style: style)
        for y in (rect.y + 1)..<(rect.maxY - 1) {
            put("│", x: rect.x, y: y, style: style)
            put("│", x: rect.maxX - 1, y: y, style: style)
        }
        put("└" + String(repeating: "─", count: rect.width - 2) + "┘", x: rect.x, y: rect.maxY - 1, style: style)
        if let title, !title.isEmpty {
            put(" \(title) ", x: rect.x + 2, y: rect.y, style: titleStyle ?? style, maxWidth: rect.width - 4)
        }
    }

    /// Writes text padded or clipped to exactly `width` columns, aligned left or right.
    public mutating func cell(_ text: String, x: Int, y: Int, width: Int, style: Style, alignRight: Bool = false) {
        guard width > 0 else { return }
        fill(Rect(x: x, y: y, width: width, height: 1), style: style)
        let textWidth = DisplayWidth.of(text)
        if textWidth > width {
            let clipped = text.clipped(to: width - 1) + "…"
            put(clipped, x: x, y: y, style: style, maxWidth: width)
        } else {
            put(text, x: alignRight ? x + width - textWidth : x, y: y, style: style, maxWidth: width)
        }
    }
}

extension String {
    /// The longest prefix that fits in `width` columns.
    public func clipped(to width: Int) -> String {
        var result = ""
        var used = 0
        for c in self {
            let w = DisplayWidth.of(SafeText.displayable(c))
            if used + w > width { break }
            used += w
            result.append(c)
        }
        return result
    }

    /// Word-wraps plain text to lines of at most `width` columns.
    public func wrapped(to width: Int) -> [String] {
        let characters = Array(self)
        return NoteEditor.wrap(characters, width: width).map {
            var line = String(characters[$0.start..<$0.end])
            while line.last == " " { line.removeLast() }
            return line
        }
    }
}
