import KithCore

/// A rating on a scale. "Not rated" is distinct from every value (and from "unknown").
///
/// Keys: on scales whose values are all 0–10, a digit picks that value (`1` then `0`
/// quickly picks 10, and `0` picks 10 on a scale without 0); on other scales (−3..+2),
/// digits pick by position, shown above each option. ← → step, `u` marks unknown,
/// Backspace or Del clears back to not rated.
public struct RatingScale: Hashable, Sendable, Codable {
    public var rating: Rating
    /// Set after `1` on a scale that has 10, so a following `0` means 10.
    var pendingOne = false

    public init(rating: Rating = .notRated) { self.rating = rating }

    public struct Option: Hashable, Sendable {
        public var value: Int
        public var label: String
        public init(value: Int, label: String) {
            self.value = value
            self.label = label
        }
    }

    /// Whether digits are values (0–10 scales) or positions.
    public static func digitsAreValues(_ options: [Option]) -> Bool {
        options.allSatisfy { (0...10).contains($0.value) }
    }

    /// The key that picks each option, as shown above it.
    public static func keyLabel(for index: Int, in options: [Option]) -> String {
        digitsAreValues(options) ? String(options[index].value) : String(index + 1)
    }

    /// Returns whether the key was a rating key (the caller compares `rating` to see a change).
    public mutating func handle(_ key: Key, options: [Option], allowUnknown: Bool = true) -> Bool {
        let wasPending = pendingOne
        pendingOne = false
        let values = options.map(\.value)
        switch key {
        case .char(let c) where c.isASCII && c.isNumber:
            let digit = Int(String(c))!
            if RatingScale.digitsAreValues(options) {
                if digit == 0 && wasPending && values.contains(10) {
                    rating = .value(10)
                } else if values.contains(digit) {
                    rating = .value(digit)
                    pendingOne = digit == 1 && values.contains(10)
                } else if digit == 0 && values.contains(10) {
                    rating = .value(10)
                }
            } else if digit >= 1 && digit <= options.count {
                rating = .value(values[digit - 1])
            }
        case .left, .right:
            guard !values.isEmpty else { break }
            let current = rating.value.flatMap { values.firstIndex(of: $0) }
            let step = key == .left ? -1 : 1
            let next = current.map { min(max(0, $0 + step), values.count - 1) } ?? (key == .left ? values.count - 1 : 0)
            rating = .value(values[next])
        case .char("u") where allowUnknown:
            rating = .unknown
        case .backspace, .delete, .char("-"):
            rating = .notRated
        default:
            return false
        }
        return true
    }

    /// One row: each option with its key, the chosen one in brackets, then its label.
    /// `note` (the previous rating and the change) is drawn at the right; the chosen
    /// value's description is shortened rather than overlap it.
    public func render(into buffer: inout CellBuffer, area: Rect, options: [Option], context: RenderContext,
                       focused: Bool, previous: Rating? = nil, note: String? = nil) {
        guard !area.isEmpty else { return }
        let base = focused ? context[.formFieldFocused] : context[.normal]
        buffer.fill(area.row(0), style: context[.normal])
        var x = area.x
        let unrated = rating == .notRated
        let notRatedText = unrated ? "[·]" : " · "
        x += buffer.put(notRatedText, x: x, y: area.y, style: unrated ? base : context[.ratingOption], maxWidth: area.maxX - x)
        for (i, option) in options.enumerated() {
            let chosen = rating.value == option.value
            let wasPrevious = previous?.value == option.value
            let key = RatingScale.keyLabel(for: i, in: options)
            let shownValue = RatingScale.digitsAreValues(options) ? key : "\(key)"
            let text = chosen ? "[\(shownValue)]" : " \(shownValue) "
            let style = chosen ? context[.ratingSelected] : wasPrevious ? context[.ratingPrevious] : context[.ratingOption]
            x += buffer.put(text, x: x, y: area.y, style: style, maxWidth: area.maxX - x)
        }
        let unknownText = rating == .unknown ? "[?]" : " ? "
        x += buffer.put(unknownText, x: x, y: area.y, style: rating == .unknown ? context[.ratingSelected] : context[.ratingOption], maxWidth: area.maxX - x)
        let description: String
        switch rating {
        case .notRated: description = context.strings("rating.notRated")
        case .unknown: description = context.strings("rating.unknown")
        case .value(let v): description = options.first { $0.value == v }.map { "\(RatingScale.display(v, options)) \($0.label)" } ?? String(v)
        }
        var limit = area.maxX
        if let note {
            let noteWidth = DisplayWidth.of(note)
            let noteX = area.maxX - noteWidth
            if noteX > x + 8 {
                buffer.put(note, x: noteX, y: area.y, style: context[.ratingPrevious])
                limit = noteX - 2
            }
        }
        let shown = DisplayWidth.of("  " + description) > limit - x ? ("  " + description).clipped(to: max(0, limit - x - 1)) + "…" : "  " + description
        buffer.put(shown, x: x, y: area.y, style: focused ? context[.title] : context[.normal], maxWidth: max(0, limit - x))
        if focused { buffer.cursor = Point(x: area.x, y: area.y) }
    }

    /// A value as people read it: signed on bipolar scales (+2, −3).
    public static func display(_ value: Int, _ options: [Option]) -> String {
        let bipolar = options.contains { $0.value < 0 }
        if bipolar && value > 0 { return "+\(value)" }
        if value < 0 { return "−\(-value)" }
        return String(value)
    }
}
