/// A key press, decoded by the backend. Text arrives as `.char`; a bracketed paste
/// arrives as one `TerminalEvent.paste`, never as keys.
public enum Key: Hashable, Sendable, CustomStringConvertible {
    case char(Character)
    /// Ctrl with a letter (`.ctrl("s")` is Ctrl-S), lower case.
    case ctrl(Character)
    /// Alt (Meta) with a character.
    case alt(Character)
    case enter, tab, backTab, escape, backspace, delete, insert
    case up, down, left, right, home, end, pageUp, pageDown
    case ctrlLeft, ctrlRight, ctrlHome, ctrlEnd, ctrlBackspace, ctrlDelete
    case function(Int)

    /// The key's name as the footer and help show it.
    public var description: String {
        switch self {
        case .char(" "): "Space"
        case .char(let c): String(c)
        case .ctrl(let c): "Ctrl-\(String(c).uppercased())"
        case .alt(let c): "Alt-\(c)"
        case .enter: "Enter"
        case .tab: "Tab"
        case .backTab: "Shift-Tab"
        case .escape: "Esc"
        case .backspace: "Backspace"
        case .delete: "Del"
        case .insert: "Ins"
        case .up: "↑"
        case .down: "↓"
        case .left: "←"
        case .right: "→"
        case .home: "Home"
        case .end: "End"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .ctrlLeft: "Ctrl-←"
        case .ctrlRight: "Ctrl-→"
        case .ctrlHome: "Ctrl-Home"
        case .ctrlEnd: "Ctrl-End"
        case .ctrlBackspace: "Ctrl-Backspace"
        case .ctrlDelete: "Ctrl-Del"
        case .function(let n): "F\(n)"
        }
    }

    /// The character this key types into a text field, if it is printable.
    public var typedCharacter: Character? {
        if case .char(let c) = self { return c }
        return nil
    }

    /// Keys for a string of typed text (for tests and scripted input).
    public static func typing(_ text: String) -> [Key] { text.map { $0 == "\n" ? .enter : .char($0) } }
}

/// What the terminal sends the program.
public enum TerminalEvent: Hashable, Sendable {
    case key(Key)
    /// Text pasted in one go (bracketed paste): newlines are text, not Enter.
    case paste(String)
    case resize(Size)
    /// SIGTERM, SIGHUP or SIGINT reached the process: save drafts, restore, exit.
    case signal(TerminationSignal)
}

public enum TerminationSignal: String, Hashable, Sendable {
    case terminate, hangup, interrupt
}
