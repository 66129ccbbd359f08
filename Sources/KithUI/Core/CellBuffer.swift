/// One terminal cell: the grapheme cluster drawn there and its style.
///
/// A wide character occupies its cell and the next; the next holds a continuation
/// (`text == ""`, `width == 0`) so every row always has exactly `width` cells.
public struct Cell: Hashable, Sendable {
    public var text: String
    public var style: Style
    public var width: UInt8

    public init(text: String, style: Style, width: UInt8) {
        self.text = text
        self.style = style
        self.width = width
    }

    public static func blank(_ style: Style = .plain) -> Cell { Cell(text: " ", style: style, width: 1) }

    public var isContinuation: Bool { width == 0 }
}

/// A grid of styled cells that screens render into. The terminal backend paints the
/// difference between two buffers; tests read a buffer back as lines of text.
public struct CellBuffer: Hashable, Sendable {
    public private(set) var size: Size
    public private(set) var cells: [Cell]
    /// Where the terminal cursor should be shown (nil hides it).
    public var cursor: Point?
    /// Where the cursor rests when hidden: the start of the selected row, the first choice
    /// of a dialog. Screen readers and braille displays follow the terminal cursor, so
    /// it stays on the focus at every frame (as mutt's `braille_friendly` does).
    public var focus: Point?

    public init(size: Size, style: Style = .plain) {
        self.size = size
        cells = Array(repeating: .blank(style), count: max(0, size.width * size.height))
    }

    public var width: Int { size.width }
    public var height: Int { size.height }
    public var bounds: Rect { Rect(size: size) }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * size.width + x] }
        set { cells[y * size.width + x] = newValue }
    }

    private func inside(_ x: Int, _ y: Int) -> Bool { x >= 0 && y >= 0 && x < size.width && y < size.height }

    /// Fills a rectangle with blanks in `style`.
    public mutating func fill(_ rect: Rect, style: Style, character: Character = " ") {
        let x0 = max(0, rect.x), x1 = min(size.width, rect.maxX)
        let y0 = max(0, rect.y), y1 = min(size.height, rect.maxY)
        guard x0 < x1, y0 < y1 else { return }
        for y in y0..<y1 {
            clearWideNeighbours(x0, y)
            clearWideNeighbours(x1 - 1, y)
            for x in x0..<x1 { self[x, y] = Cell(text: String(character), style: style, width: 1) }
        }
    }

    /// Writes text from `x`, clipped to `maxWidth` columns and to the buffer. Control
    /// characters show as control pictures; a wide character that does not fit entirely
    /// becomes a blank. Returns the number of columns written.
    @discardableResult
    public mutating func put(_ text: some StringProtocol, x: Int, y: Int, style: Style, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < size.height else { return 0 }
        let limit = min(size.width, maxWidth.map { x + max(0, $0) } ?? size.width)
        var column = x
        for raw in text {
            if column >= limit { break }
            let character = SafeText.displayable(raw)
            let w = DisplayWidth.of(character)
            if w == 0 { continue }
            if column < 0 { column += w; continue }
            if column + w > limit {
                while column < limit { setCell(column, y, Cell.blank(style)); column += 1 }
                break
            }
            setCell(column, y, Cell(text: String(character), style: style, width: UInt8(w)))
            if w == 2 { setCell(column + 1, y, Cell(text: "", style: style, width: 0)) }
            column += w
        }
        return max(0, column - x)
    }

    /// Sets the style of existing cells without changing their text.
    public mutating func restyle(_ rect: Rect, _ transform: (Style) -> Style) {
        for y in max(0, rect.y)..<min(size.height, rect.maxY) {
            for x in max(0, rect.x)..<min(size.width, rect.maxX) { self[x, y].style = transform(self[x, y].style) }
        }
    }

    private mutating func setCell(_ x: Int, _ y: Int, _ cell: Cell) {
        guard inside(x, y) else { return }
        if cell.width != 0 { clearWideNeighbours(x, y) }
        self[x, y] = cell
    }

    /// Overwriting half of a wide character blanks its other half.
    private mutating func clearWideNeighbours(_ x: Int, _ y: Int) {
        guard inside(x, y) else { return }
        let current = self[x, y]
        if current.isContinuation, x > 0 { self[x - 1, y] = .blank(self[x - 1, y].style) }
        if current.width == 2, x + 1 < size.width { self[x + 1, y] = .blank(self[x + 1, y].style) }
    }

    /// The buffer as lines of text, trailing spaces kept (each line is `width` columns).
    public var lines: [String] {
        (0..<size.height).map { line($0) }
    }

    public func line(_ y: Int) -> String {
        var text = ""
        for x in 0..<size.width {
            let cell = self[x, y]
            if !cell.isContinuation { text += cell.text }
        }
        return text
    }

    /// The buffer as text with trailing spaces trimmed per line, for snapshots.
    public var text: String {
        lines.map { line in
            var l = Substring(line)
            while l.last == " " { l = l.dropLast() }
            return String(l)
        }.joined(separator: "\n")
    }

    /// Whether some row contains `text`.
    public func contains(_ text: String) -> Bool { lines.contains { $0.contains(text) } }

    /// The styles at the first occurrence of `text` (row, column), for tests of emphasis.
    public func style(of text: String) -> Style? {
        for y in 0..<size.height {
            let line = self.line(y)
            guard let range = line.firstRange(of: text) else { continue }
            let column = DisplayWidth.of(line[line.startIndex..<range.lowerBound])
            return self[column, y].style
        }
        return nil
    }
}
