/// Case text made safe to write to a terminal or a plain-text file: control characters
/// (escape sequences, C1 controls, DEL) can't reach the terminal and bidirectional
/// override/isolate controls can't reorder what follows. Each becomes U+FFFD, so
/// something visibly stands where they were.
public enum TextSanitizer {
    /// One line: every control character replaced, tabs and newlines too.
    public static func line(_ text: String) -> String {
        clean(text, keepNewlines: false)
    }

    /// Running text: newlines kept, a tab becomes a space, other controls replaced.
    public static func text(_ text: String) -> String {
        clean(text, keepNewlines: true)
    }

    static func clean(_ text: String, keepNewlines: Bool) -> String {
        guard text.unicodeScalars.contains(where: { isUnsafe($0) || $0 == "\t" }) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if keepNewlines && scalar == "\n" { result.append(scalar) }
            else if keepNewlines && scalar == "\t" { result.append(" ") }
            else if isUnsafe(scalar) || scalar == "\t" || scalar == "\n" { result.append("\u{FFFD}") }
            else { result.append(scalar) }
        }
        return String(result)
    }

    static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }
}
