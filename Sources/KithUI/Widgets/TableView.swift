/// A scrolling table with column headers and a selected row. Rows are drawn on demand
/// from a closure, so a table over 10,000 families formats only the rows on screen.
public struct TableView: Hashable, Sendable, Codable {
    public var selected = 0
    public var top = 0
    public var count = 0

    public init(count: Int = 0) { self.count = count }

    public struct Column: Hashable, Sendable {
        public var title: String
        public var width: Int
        /// Extra share of spare width (0 = fixed).
        public var flex: Int
        public var alignRight: Bool
        /// Grows to its widest cell on screen (dates, ages, statuses: never cut, in any
        /// language); flexible columns give up the room.
        public var fit: Bool

        public init(_ title: String, width: Int, flex: Int = 0, alignRight: Bool = false, fit: Bool = false) {
            self.title = title
            self.width = width
            self.flex = flex
            self.alignRight = alignRight
            self.fit = fit
        }
    }

    /// One cell's text and the role to draw it in (nil: the row's role).
    public struct Text: Hashable, Sendable {
        public var text: String
        public var role: Role?
        public init(_ text: String, _ role: Role? = nil) {
            self.text = text
            self.role = role
        }
    }

    /// Column widths for a total width: fixed widths first, spare space by flex share.
    public static func widths(_ columns: [Column], total: Int) -> [Int] {
        let gaps = max(0, columns.count - 1)
        let fixed = columns.reduce(0) { $0 + $1.width } + gaps
        var widths = columns.map(\.width)
        let spare = total - fixed
        let shares = columns.reduce(0) { $0 + $1.flex }
        if spare > 0 && shares > 0 {
            var given = 0
            for i in columns.indices where columns[i].flex > 0 {
                let extra = spare * columns[i].flex / shares
                widths[i] += extra
                given += extra
            }
            if let last = columns.lastIndex(where: { $0.flex > 0 }) { widths[last] += spare - given }
        } else if spare < 0 {
            // Shrink flexible columns first, never below 4 columns.
            var deficit = -spare
            for i in columns.indices.reversed() where deficit > 0 && columns[i].flex > 0 {
                let take = min(deficit, max(0, widths[i] - 4))
                widths[i] -= take
                deficit -= take
            }
        }
        return widths
    }

    public mutating func setCount(_ n: Int) {
        count = max(0, n)
        selected = min(max(0, selected), max(0, count - 1))
        top = min(top, max(0, count - 1))
    }

    /// Moves the selection for a list command; `visibleRows` is the body height.
    /// Returns false for commands that are not list moves.
    public mutating func handle(_ command: Command, visibleRows: Int) -> Bool {
        let page = max(1, visibleRows - 1)
        switch command {
        case .moveUp: selected -= 1
        case .moveDown: selected += 1
        case .pageUp: selected -= page
        case .pageDown: selected += page
        case .top: selected = 0
        case .bottom: selected = count - 1
        default: return false
        }
        selected = min(max(0, selected), max(0, count - 1))
        scrollToSelection(visibleRows: visibleRows)
        return true
    }

    public mutating func scrollToSelection(visibleRows: Int) {
        let h = max(1, visibleRows)
        if selected < top { top = selected }
        if selected >= top + h { top = selected - h + 1 }
        top = max(0, min(top, max(0, count - h)))
    }

    /// Draws headers in the first row of `area` and rows below. `sortColumn` gets a
    /// marker (▲/▼) so the sort shows without colour.
    public func render(into buffer: inout CellBuffer, area: Rect, columns: [Column], context: RenderContext,
                       focused: Bool = true, sortColumn: Int? = nil, ascending: Bool = true,
                       emptyText: String = "", row: (Int) -> [Text]) {
        guard area.height >= 1 else { return }
        var first = top
        if selected < first { first = selected }
        if selected >= first + area.height - 1 { first = selected - (area.height - 1) + 1 }
        first = max(0, first)
        // The rows on screen, formatted once: fitted columns are measured from them.
        let lines = (0..<max(0, area.height - 1)).map { first + $0 }.filter { $0 < count }.map { ($0, row($0)) }
        var fitted = columns
        for i in fitted.indices where fitted[i].flex == 0 {
            // A fixed column is never narrower than its heading (headings are localised too).
            fitted[i].width = max(fitted[i].width, DisplayWidth.of(fitted[i].title) + (sortColumn == i ? 1 : 0))
            if fitted[i].fit {
                fitted[i].width = lines.reduce(fitted[i].width) { i < $1.1.count ? max($0, DisplayWidth.of($1.1[i].text)) : $0 }
            }
        }
        let widths = TableView.widths(fitted, total: area.width)
        var x = area.x
        buffer.fill(area.row(0), style: context[.listHeader])
        for (i, column) in columns.enumerated() {
            let sorted = sortColumn == i
            let title = sorted ? column.title + (ascending ? "▲" : "▼") : column.title
            buffer.cell(title, x: x, y: area.y, width: widths[i], style: sorted ? context[.listHeaderSorted] : context[.listHeader], alignRight: column.alignRight)
            x += widths[i] + 1
        }
        let body = Rect(x: area.x, y: area.y + 1, width: area.width, height: area.height - 1)
        buffer.fill(body, style: context[.normal])
        if count == 0 && !emptyText.isEmpty {
            // Wrapped, not cut: it usually says what to do next.
            for (n, line) in emptyText.wrapped(to: max(10, body.width - 2)).enumerated() where n + 1 < body.height {
                buffer.put(line, x: body.x + 1, y: body.y + 1 + n, style: context[.muted], maxWidth: body.width - 2)
            }
            return
        }
        for (line, (index, cells)) in lines.enumerated() {
            let isSelected = index == selected && focused
            let rowStyle = isSelected ? context[.listSelected] : context[.normal]
            let y = body.y + line
            if isSelected { buffer.focus = Point(x: area.x, y: y) }
            buffer.fill(Rect(x: area.x, y: y, width: area.width, height: 1), style: rowStyle)
            var cx = area.x
            for (i, cell) in cells.enumerated() where i < columns.count {
                let style = isSelected ? rowStyle.adding(cell.role.map { context[$0].attributes } ?? []) : (cell.role.map { context[$0] } ?? rowStyle)
                buffer.cell(cell.text, x: cx, y: y, width: widths[i], style: style, alignRight: columns[i].alignRight)
                cx += widths[i] + 1
            }
        }
    }
}
