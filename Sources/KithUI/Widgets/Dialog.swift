/// A modal box with a title, a message and the keys that answer it. Confirmations
/// say what each key does ("y save and quit · n quit without saving · Esc stay").
public struct Dialog: Hashable, Sendable {
    public var title: String
    public var message: [String]
    public var choices: [(key: Key, label: String)]
    public var isError: Bool

    public init(title: String, message: [String], choices: [(key: Key, label: String)], isError: Bool = false) {
        self.title = title
        self.message = message
        self.choices = choices
        self.isError = isError
    }

    public static func == (lhs: Dialog, rhs: Dialog) -> Bool {
        lhs.title == rhs.title && lhs.message == rhs.message && lhs.isError == rhs.isError
            && lhs.choices.map(\.key) == rhs.choices.map(\.key) && lhs.choices.map(\.label) == rhs.choices.map(\.label)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(title)
        hasher.combine(message)
    }

    public func render(into buffer: inout CellBuffer, context: RenderContext) {
        let choiceLine = choices.map { "\($0.key) \($0.label)" }.joined(separator: " · ")
        let maxWidth = min(buffer.width - 4, 70)
        var lines: [String] = []
        for paragraph in message { lines += paragraph.isEmpty ? [""] : paragraph.wrapped(to: maxWidth - 4) }
        let choiceLines = choiceLine.wrapped(to: maxWidth - 4)
        let contentWidth = max(DisplayWidth.of(title) + 4, (lines + choiceLines).map { DisplayWidth.of($0) }.max() ?? 0)
        let width = min(maxWidth, contentWidth + 4)
        let height = min(buffer.height - 2, lines.count + choiceLines.count + 3)
        let rect = buffer.bounds.centered(width: width, height: height)
        buffer.fill(rect, style: context[.dialog])
        buffer.box(rect, style: isError ? context[.statusError] : context[.border], title: title, titleStyle: context[.dialogTitle])
        for (i, line) in lines.enumerated() where i < height - 3 {
            buffer.put(line, x: rect.x + 2, y: rect.y + 1 + i, style: context[.dialog], maxWidth: rect.width - 4)
        }
        for (i, line) in choiceLines.enumerated() {
            buffer.put(line, x: rect.x + 2, y: rect.maxY - 1 - choiceLines.count + i, style: context[.footerKey], maxWidth: rect.width - 4)
        }
        buffer.cursor = nil
        // On the first choice: a screen reader reads the question's answers from there.
        buffer.focus = Point(x: rect.x + 2, y: rect.maxY - 1 - choiceLines.count)
    }
}

/// The message line: what just happened, or what went wrong and what to do.
public struct StatusMessage: Hashable, Sendable {
    public enum Severity: String, Hashable, Sendable { case info, warning, error }

    public var text: String
    public var severity: Severity
    /// Seconds since 1970 after which an info message disappears (errors stay until the next key).
    public var expires: Double?

    public init(_ text: String, severity: Severity = .info, expires: Double? = nil) {
        self.text = text
        self.severity = severity
        self.expires = expires
    }

    public func render(into buffer: inout CellBuffer, area: Rect, context: RenderContext) {
        let role: Role = severity == .error ? .statusError : severity == .warning ? .statusWarning : .statusInfo
        let prefix = severity == .error ? "✗ " : severity == .warning ? "! " : ""
        buffer.fill(area.row(0), style: severity == .info ? context[.normal] : context[role])
        // A message longer than the line ends in … (the whole text is in the log and in kith check).
        buffer.cell(prefix + text, x: area.x + 1, y: area.y, width: area.width - 2, style: context[role])
    }
}

/// The footer line of key hints, generated from the screen's keymap.
public enum Footer {
    public static func render(_ keymap: Keymap, into buffer: inout CellBuffer, area: Rect, context: RenderContext) {
        buffer.fill(area.row(0), style: context[.footer])
        var x = area.x + 1
        for binding in keymap.footerBindings {
            guard let key = binding.keys.first else { continue }
            let keyText = key.description
            let label = context.strings(binding.command.labelKey)
            let needed = DisplayWidth.of(keyText) + 1 + DisplayWidth.of(label) + 2
            if x + needed > area.maxX { break }
            x += buffer.put(keyText, x: x, y: area.y, style: context[.footerKey])
            x += buffer.put(" " + label + "  ", x: x, y: area.y, style: context[.footer])
        }
    }
}

/// The help overlay: every binding of the screen's keymap with its description.
public enum HelpOverlay {
    public static func render(_ keymap: Keymap, into buffer: inout CellBuffer, context: RenderContext, scroll: Int = 0) {
        let rect = buffer.bounds.inset(dx: 2, dy: 1)
        buffer.fill(rect, style: context[.dialog])
        let title = context.strings("help.title", ["screen": context.strings(keymap.titleKey)])
        buffer.box(rect, style: context[.border], title: title, titleStyle: context[.dialogTitle])
        let keyWidth = min(22, keymap.bindings.map { b in DisplayWidth.of(b.keys.map(\.description).joined(separator: " ")) }.max() ?? 8)
        let rows = rect.height - 3
        for (i, binding) in keymap.bindings.dropFirst(scroll).prefix(rows).enumerated() {
            let y = rect.y + 1 + i
            buffer.cell(binding.keys.map(\.description).joined(separator: " "), x: rect.x + 2, y: y, width: keyWidth, style: context[.helpKey])
            buffer.put(context.strings(binding.command.helpKey), x: rect.x + 4 + keyWidth, y: y, style: context[.dialog], maxWidth: rect.width - keyWidth - 6)
        }
        buffer.put(context.strings("help.close"), x: rect.x + 2, y: rect.maxY - 2, style: context[.muted], maxWidth: rect.width - 4)
        buffer.cursor = nil
        buffer.focus = Point(x: rect.x + 2, y: rect.y + 1)
    }
}
