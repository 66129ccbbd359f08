import KithCore

/// A date typed the way people write it: `22/11/2026`, `2026-11-22`, `today`, or relative
/// (`+7`, `+2w`, `+3m`, `-1`). Shows what it understood, or why it cannot.
public struct DateField: Hashable, Sendable, Codable {
    public var field: TextField

    public init(_ day: Day? = nil, strings: Strings? = nil) {
        field = TextField(day.map(DateField.format) ?? "", limit: 40)
    }

    public init(text: String) { field = TextField(text, limit: 40) }

    public static func format(_ day: Day) -> String {
        let c = day.components
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(two(c.day))/\(two(c.month))/\(c.year)"
    }

    public enum Parsed: Hashable, Sendable {
        case empty
        case day(Day)
        case invalid
    }

    /// Understands the typed text relative to `today`.
    public static func parse(_ raw: String, today: Day) -> Parsed {
        let text = raw.trimmingCharacters(in: " ").lowercased()
        if text.isEmpty { return .empty }
        if ["today", "heddiw", "t"].contains(text) { return .day(today) }
        if ["tomorrow", "yfory"].contains(text) { return .day(today.adding(days: 1)) }
        if let first = text.first, first == "+" || first == "-" {
            var body = String(text.dropFirst())
            var unit: Character = "d"
            if let last = body.last, "dwm".contains(last) { unit = last; body.removeLast() }
            guard let n = Int(body), n <= 3650 else { return .invalid }
            let signed = first == "-" ? -n : n
            switch unit {
            case "w": return .day(today.adding(days: 7 * signed))
            case "m": return .day(today.adding(months: signed))
            default: return .day(today.adding(days: signed))
            }
        }
        if let iso = Day(iso: text) { return .day(iso) }
        let parts = text.split(whereSeparator: { $0 == "/" || $0 == "." || $0 == "-" })
        if parts.count == 3, let d = Int(parts[0]), let m = Int(parts[1]), var y = Int(parts[2]) {
            if parts[2].count == 2 { y += y > (today.year % 100) + 10 ? 1900 : 2000 }
            if let day = Day(year: y, month: m, day: d) { return .day(day) }
        }
        return .invalid
    }

    public func parsed(today: Day) -> Parsed { DateField.parse(field.text, today: today) }

    public mutating func handle(_ key: Key) -> TextEditor.EditResult { field.handle(key) }

    public func render(into buffer: inout CellBuffer, area: Rect, context: RenderContext, focused: Bool) {
        let inputWidth = min(14, area.width)
        let style = focused ? context[.formFieldFocused] : context[.formField]
        field.render(into: &buffer, area: Rect(x: area.x, y: area.y, width: inputWidth, height: 1), style: style, focused: focused,
                     placeholder: context.strings("date.placeholder"), placeholderStyle: context[.formHint])
        let x = area.x + inputWidth + 1
        switch parsed(today: context.today) {
        case .empty: break
        case .day(let day):
            let weekday = context.strings("weekday.short.\(day.weekday)")
            buffer.put("→ \(weekday) \(context.strings.date(day))", x: x, y: area.y, style: context[.muted], maxWidth: area.maxX - x)
        case .invalid:
            buffer.put("✗ " + context.strings("date.invalid"), x: x, y: area.y, style: context[.formFieldError], maxWidth: area.maxX - x)
        }
    }
}

extension String {
    func trimmingCharacters(in set: Character) -> String {
        var s = Substring(self)
        while s.first == set { s = s.dropFirst() }
        while s.last == set { s = s.dropLast() }
        return String(s)
    }
}
