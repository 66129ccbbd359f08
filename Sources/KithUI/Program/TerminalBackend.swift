/// What the program loop needs from a terminal. The ncurses backend implements it in
/// `KithTerminal`; `RecordingBackend` implements it for tests, with scripted input.
public protocol TerminalBackend: AnyObject {
    var size: Size { get }
    var colorDepth: ColorDepth { get }
    /// The next input, waiting at most `timeoutMilliseconds` (0: only what is pending).
    func nextEvent(timeoutMilliseconds: Int) -> TerminalEvent?
    /// Paints `frame`; only cells that differ from `previous` need to reach the terminal.
    func present(_ frame: CellBuffer, previous: CellBuffer?)
    /// True when no more input will ever come (a finished script); the loop then stops.
    var isExhausted: Bool { get }
}

/// A terminal for tests: takes scripted events and keeps every painted frame.
public final class RecordingBackend: TerminalBackend {
    public private(set) var size: Size
    public let colorDepth: ColorDepth
    public var script: [TerminalEvent]
    public private(set) var frames: [CellBuffer] = []
    /// How many cells each present would have painted (the diff size).
    public private(set) var paintedCells: [Int] = []

    public init(size: Size = Size(width: 80, height: 24), colorDepth: ColorDepth = .monochrome, script: [TerminalEvent] = []) {
        self.size = size
        self.colorDepth = colorDepth
        self.script = script
    }

    public var isExhausted: Bool { script.isEmpty }

    public func nextEvent(timeoutMilliseconds: Int) -> TerminalEvent? {
        guard !script.isEmpty else { return nil }
        let event = script.removeFirst()
        if case .resize(let newSize) = event { size = newSize }
        return event
    }

    public func present(_ frame: CellBuffer, previous: CellBuffer?) {
        paintedCells.append(frame.changedCellCount(since: previous))
        frames.append(frame)
    }

    public var lastFrame: CellBuffer? { frames.last }
}
