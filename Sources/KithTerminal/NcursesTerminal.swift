import CNcursesw
import KithUI
#if canImport(Glibc)
import Glibc
#endif

/// The terminal backend on ncursesw: wide-character input and output, colours at the
/// terminal's depth, resize, bracketed paste, and a terminal that is always restored.
public final class NcursesTerminal: TerminalBackend {
    public private(set) var size: Size
    public let colorDepth: ColorDepth
    public var isExhausted: Bool { false }
    private var pairs: [Int64: Int32] = [:]
    private var hasEightColoursOnly = false
    private var cursorVisible = true
    private var active = true

    /// Key codes we register for the bracketed-paste markers (above ncurses' own codes).
    private static let pasteBegin: Int32 = 0x1400
    private static let pasteEnd: Int32 = 0x1401

    public struct Options: Sendable {
        /// Where stderr goes while the screen is in use (runtime errors, Kith's log lines).
        public var logPath: String?
        /// Honour NO_COLOR or force monochrome.
        public var noColor: Bool
        public init(logPath: String?, noColor: Bool) {
            self.logPath = logPath
            self.noColor = noColor
        }
    }

    /// Takes over the terminal. Signal handlers go in before `initscr`.
    public init(options: Options) {
        TerminalGuard.installTerminationHandlers()
        TerminalGuard.saveTerminalModes()
        TerminalGuard.installFatalHandlers()
        setlocale(LC_ALL, "")
        if let codeset = nl_langinfo(nl_item(CODESET)), String(cString: codeset) != "UTF-8" {
            // A C or POSIX locale would turn every accent into '?': prefer C.UTF-8.
            setlocale(LC_CTYPE, "C.UTF-8")
        }
        if let logPath = options.logPath { TerminalGuard.redirectStderr(to: logPath) }
        initscr()
        raw()
        noecho()
        nonl()
        keypad(kith_stdscr(), true)
        set_escdelay(25)
        var depth = ColorDepth.monochrome
        if !options.noColor && has_colors() {
            start_color()
            use_default_colors()
            let colours = kith_colors()
            depth = colours >= 256 ? .indexed256 : .ansi16
            hasEightColoursOnly = colours < 16
        }
        colorDepth = depth
        define_key("\u{1b}[200~", NcursesTerminal.pasteBegin)
        define_key("\u{1b}[201~", NcursesTerminal.pasteEnd)
        NcursesTerminal.writeRaw("\u{1b}[?2004h")
        size = Size(width: Int(kith_cols()), height: Int(kith_lines()))
    }

    /// Gives the terminal back: bracketed paste off, curses ended, stderr restored.
    public func restore() {
        guard active else { return }
        active = false
        NcursesTerminal.writeRaw("\u{1b}[?2004l")
        curs_set(1)
        endwin()
        TerminalGuard.restoreStderr()
    }

    deinit { restore() }

    private static func writeRaw(_ text: String) {
        var bytes = Array(text.utf8)
        _ = write(STDOUT_FILENO, &bytes, bytes.count)
    }

    public func nextEvent(timeoutMilliseconds: Int) -> TerminalEvent? {
        if let signal = takeSignal() { return .signal(signal) }
        wtimeout(kith_stdscr(), Int32(timeoutMilliseconds))
        var code: wint_t = 0
        let status = wget_wch(kith_stdscr(), &code)
        if status == ERR {
            return takeSignal().map { .signal($0) }
        }
        if status == KEY_CODE_YES {
            return specialKey(Int32(code))
        }
        return character(UInt32(code))
    }

    private func takeSignal() -> TerminationSignal? {
        let signal = TerminalGuard.pendingSignal
        guard signal != 0 else { return nil }
        TerminalGuard.pendingSignal = 0
        switch signal {
        case SIGTERM: return .terminate
        case SIGHUP: return .hangup
        default: return .interrupt
        }
    }

    private func specialKey(_ code: Int32) -> TerminalEvent? {
        switch code {
        case KEY_RESIZE:
            size = Size(width: Int(kith_cols()), height: Int(kith_lines()))
            return .resize(size)
        case NcursesTerminal.pasteBegin:
            return .paste(readPaste())
        case NcursesTerminal.pasteEnd:
            return nil
        case KEY_UP: return .key(.up)
        case KEY_DOWN: return .key(.down)
        case KEY_LEFT: return .key(.left)
        case KEY_RIGHT: return .key(.right)
        case KEY_HOME: return .key(.home)
        case KEY_END: return .key(.end)
        case KEY_PPAGE: return .key(.pageUp)
        case KEY_NPAGE: return .key(.pageDown)
        case KEY_BACKSPACE: return .key(.backspace)
        case KEY_DC: return .key(.delete)
        case KEY_IC: return .key(.insert)
        case KEY_BTAB: return .key(.backTab)
        case KEY_ENTER: return .key(.enter)
        default:
            for n in 1...12 where code == kith_key_f(Int32(n)) { return .key(.function(n)) }
            if let name = keyname(code).map({ String(cString: $0) }) {
                switch name {
                case "kLFT5": return .key(.ctrlLeft)
                case "kRIT5": return .key(.ctrlRight)
                case "kHOM5": return .key(.ctrlHome)
                case "kEND5": return .key(.ctrlEnd)
                case "kDC5": return .key(.ctrlDelete)
                default: break
                }
            }
            return nil
        }
    }

    private func character(_ value: UInt32) -> TerminalEvent? {
        switch value {
        case 13, 10: return .key(.enter)
        case 9: return .key(.tab)
        case 127, 8: return .key(.backspace)
        case 27:
            // Alt-x arrives as ESC then x; a lone ESC after the escape delay is Escape.
            wtimeout(kith_stdscr(), 0)
            var next: wint_t = 0
            let status = wget_wch(kith_stdscr(), &next)
            if status == OK, let scalar = Unicode.Scalar(UInt32(next)), next >= 32 {
                return .key(.alt(Character(scalar)))
            }
            return .key(.escape)
        case 1...26:
            return .key(.ctrl(Character(Unicode.Scalar(value + 96)!)))
        case 0, 28...31:
            return nil
        default:
            guard let scalar = Unicode.Scalar(value) else { return nil }
            return .key(.char(Character(scalar)))
        }
    }

    /// Reads pasted text up to the end marker. Newlines stay text.
    private func readPaste() -> String {
        var scalars = String.UnicodeScalarView()
        wtimeout(kith_stdscr(), 500)
        while true {
            var code: wint_t = 0
            let status = wget_wch(kith_stdscr(), &code)
            if status == ERR { break }
            if status == KEY_CODE_YES {
                if Int32(code) == NcursesTerminal.pasteEnd { break }
                continue
            }
            if code == 13 { scalars.append("\n"); continue }
            if let scalar = Unicode.Scalar(UInt32(code)) { scalars.append(scalar) }
        }
        return String(scalars)
    }

    public func present(_ frame: CellBuffer, previous: CellBuffer?) {
        if frame.size != size { return }
        for run in frame.changes(since: previous) {
            var x = run.x
            for cell in run.cells {
                defer { x += 1 }
                if cell.isContinuation { continue }
                draw(cell, x: x, y: run.y)
            }
        }
        if let cursor = frame.cursor {
            if !cursorVisible { curs_set(1); cursorVisible = true }
            wmove(kith_stdscr(), Int32(cursor.y), Int32(cursor.x))
        } else {
            if cursorVisible { curs_set(0); cursorVisible = false }
            // Hidden, but on the focus: assistive technology reads from here.
            let focus = frame.focus ?? Point(x: 0, y: 0)
            wmove(kith_stdscr(), Int32(focus.y), Int32(focus.x))
        }
        wrefresh(kith_stdscr())
    }

    /// Draws one cell: the cluster's base character and up to three combining marks.
    /// Joiners and emoji modifiers are left out so the width stays what the layout used.
    private func draw(_ cell: Cell, x: Int, y: Int) {
        var wide: [wchar_t] = []
        for scalar in cell.text.unicodeScalars {
            if wide.isEmpty {
                if wcwidth(wchar_t(scalar.value)) == 0 { wide.append(0xA0) }
                wide.append(wchar_t(scalar.value))
            } else if wide.count < 4, wcwidth(wchar_t(scalar.value)) == 0, scalar.value != 0x200D,
                      !(0xFE00...0xFE0F).contains(scalar.value) {
                wide.append(wchar_t(scalar.value))
            } else {
                break
            }
        }
        if wide.isEmpty { wide = [0x20] }
        wide.append(0)
        var attrs = attributes(cell.style.attributes)
        let pair = colorPair(cell.style, attrs: &attrs)
        _ = kith_put_cell(Int32(y), Int32(x), wide, attrs, pair)
    }

    private func attributes(_ a: Attributes) -> attr_t {
        var result = kith_a_normal()
        if a.contains(.bold) { result |= kith_a_bold() }
        if a.contains(.underline) { result |= kith_a_underline() }
        if a.contains(.reverse) { result |= kith_a_reverse() }
        if a.contains(.dim) { result |= kith_a_dim() }
        if a.contains(.italic) { result |= kith_a_italic() }
        return result
    }

    private func colorNumber(_ color: Color, attrs: inout attr_t, foreground: Bool) -> Int32 {
        switch color {
        case .default: return -1
        case .ansi(let n):
            if hasEightColoursOnly && n >= 8 {
                if foreground { attrs |= kith_a_bold() }
                return Int32(n - 8)
            }
            return Int32(n)
        case .indexed(let n): return Int32(n)
        }
    }

    private func colorPair(_ style: Style, attrs: inout attr_t) -> Int32 {
        guard colorDepth != .monochrome, style.foreground != .default || style.background != .default else { return 0 }
        let fg = colorNumber(style.foreground, attrs: &attrs, foreground: true)
        let bg = colorNumber(style.background, attrs: &attrs, foreground: false)
        let key = Int64(fg + 1) << 32 | Int64(bg + 1)
        if let pair = pairs[key] { return pair }
        let pair = alloc_pair(fg, bg)
        let result = pair < 0 ? 0 : pair
        pairs[key] = result
        return result
    }
}
