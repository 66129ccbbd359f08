/// Choose one of a few options. Closed it shows the choice (← → step through it,
/// a letter jumps to an option); Enter opens the list, where typing filters.
public struct PickList: Hashable, Sendable, Codable {
    public struct Option: Hashable, Sendable {
        public var id: String
        public var label: String
        public init(id: String, label: String) {
            self.id = id
            self.label = label
        }
    }

    /// The chosen option's id (nil: nothing chosen yet).
    public var selected: String?
    public var isOpen = false
    public var highlight = 0
    public var filter = ""

    public init(selected: String? = nil) { self.selected = selected }

    public enum Result: Equatable, Sendable { case changed, moved, unchanged, closed }

    public func visible(_ options: [Option]) -> [Option] {
        guard !filter.isEmpty else { return options }
        let f = filter.lowercased()
        return options.filter { $0.label.lowercased().contains(f) }
    }

    public mutating func handle(_ key: Key, options: [Option]) -> Result {
        if isOpen {
            let shown = visible(options)
            switch key {
            case .up: highlight = max(0, highlight - 1); return .moved
            case .down: highlight = min(max(0, shown.count - 1), highlight + 1); return .moved
            case .pageUp, .home: highlight = 0; return .moved
            case .pageDown, .end: highlight = max(0, shown.count - 1); return .moved
            case .enter, .tab:
                isOpen = false
                defer { filter = "" }
                guard shown.indices.contains(highlight) else { return .closed }
                let changed = selected != shown[highlight].id
                selected = shown[highlight].id
                return changed ? .changed : .closed
            case .escape:
                isOpen = false
                filter = ""
                return .closed
            case .backspace:
                filter = String(filter.dropLast())
                highlight = 0
                return .moved
            case .char(let c):
                filter.append(c)
                highlight = 0
                return .moved
            default:
                return .unchanged
            }
        }
        let index = options.firstIndex { $0.id == selected }
        switch key {
        case .enter, .char(" "):
            isOpen = true
            filter = ""
            highlight = index ?? 0
            return .moved
        case .left:
            guard !options.isEmpty else { return .unchanged }
            let next = max(0, (index ?? 0) - 1)
            return choose(options[next].id)
        case .right:
            guard !options.isEmpty else { return .unchanged }
            let next = index.map { min(options.count - 1, $0 + 1) } ?? 0
            return choose(options[next].id)
        case .char(let c) where c.isLetter || c.isNumber:
            let start = (index ?? -1) + 1
            let ordered = Array(options[min(start, options.count)...]) + Array(options[..<min(start, options.count)])
            guard let match = ordered.first(where: { $0.label.lowercased().hasPrefix(String(c).lowercased()) }) else { return .unchanged }
            return choose(match.id)
        default:
            return .unchanged
        }
    }

    private mutating func choose(_ id: String) -> Result {
        guard id != selected else { return .unchanged }
        selected = id
        return .changed
    }

    public func label(in options: [Option]) -> String? {
        options.first { $0.id == selected }?.label
    }

    /// The closed field: `‹ label ›`.
    public func render(into buffer: inout CellBuffer, area: Rect, options: [Option], style: Style, focused: Bool, placeholder: String) {
        buffer.fill(area.row(0), style: style)
        let text = label(in: options) ?? placeholder
        buffer.put("‹ \(text) ›", x: area.x, y: area.y, style: style, maxWidth: area.width)
        if focused { buffer.cursor = Point(x: area.x, y: area.y) }
    }

    /// The open list, drawn over whatever is below `anchor`.
    public func renderPopup(into buffer: inout CellBuffer, anchor: Point, options: [Option], context: RenderContext) {
        let shown = visible(options)
        let width = min(buffer.width - anchor.x, max(20, (shown.map { DisplayWidth.of($0.label) }.max() ?? 10) + 4))
        let rows = min(shown.count, max(3, buffer.height - anchor.y - 3))
        var top = anchor.y + 1
        if top + rows + 2 > buffer.height { top = max(0, anchor.y - rows - 2) }
        let rect = Rect(x: anchor.x, y: top, width: width, height: rows + 2)
        buffer.fill(rect, style: context[.dialog])
        let title = filter.isEmpty ? nil : "/\(filter)"
        buffer.box(rect, style: context[.border], title: title, titleStyle: context[.dialogTitle])
        let first = max(0, highlight - rows + 1)
        for row in 0..<rows where first + row < shown.count {
            let option = shown[first + row]
            let chosen = first + row == highlight
            let style = chosen ? context[.listSelected] : context[.dialog]
            buffer.cell((chosen ? "▸ " : "  ") + option.label, x: rect.x + 1, y: rect.y + 1 + row, width: rect.width - 2, style: style)
        }
        if shown.isEmpty {
            buffer.put(context.strings("pick.noMatch"), x: rect.x + 2, y: rect.y + 1, style: context[.muted], maxWidth: rect.width - 3)
        }
    }
}
