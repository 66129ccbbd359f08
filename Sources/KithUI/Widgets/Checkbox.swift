/// A yes/no box: Space (or x, y, n) toggles. Shown as `[x]` / `[ ]`, never by colour.
public struct Checkbox: Hashable, Sendable, Codable {
    public var checked: Bool

    public init(_ checked: Bool = false) { self.checked = checked }

    /// Returns whether the value changed.
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .char(" "), .char("x"), .enter: checked.toggle(); return true
        case .char("y"), .char("Y"): defer { checked = true }; return !checked
        case .char("n"), .char("N"): defer { checked = false }; return checked
        default: return false
        }
    }

    public func render(into buffer: inout CellBuffer, area: Rect, label: String, style: Style, focused: Bool) {
        buffer.fill(area.row(0), style: style)
        buffer.put((checked ? "[x] " : "[ ] ") + label, x: area.x, y: area.y, style: style, maxWidth: area.width)
        if focused { buffer.cursor = Point(x: area.x + 1, y: area.y) }
    }
}
