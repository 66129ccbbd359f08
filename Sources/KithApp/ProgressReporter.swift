import Foundation

/// How far long work has got, on one line of a terminal redrawn in place (at most ten
/// times a second) and cleared when the work is done. Off when the output is not a
/// terminal, so a script's log holds only the result. The line names counts, never data.
public final class ProgressReporter {
    private let enabled: Bool
    private let now: () -> Double
    private let write: (String) -> Void
    private let line: (_ done: Int, _ total: Int) -> String
    private var lastDrawn = -Double.infinity
    private var width = 0

    /// Seconds between redraws.
    public static let interval = 0.1

    public init(enabled: Bool, now: @escaping () -> Double = { Date().timeIntervalSince1970 }, write: @escaping (String) -> Void,
                line: @escaping (_ done: Int, _ total: Int) -> String) {
        self.enabled = enabled
        self.now = now
        self.write = write
        self.line = line
    }

    /// On standard error when it is a terminal.
    public static func standardError(line: @escaping (_ done: Int, _ total: Int) -> String) -> ProgressReporter {
        ProgressReporter(enabled: isatty(STDERR_FILENO) == 1, write: { FileHandle.standardError.write(Data($0.utf8)) }, line: line)
    }

    public func update(_ done: Int, of total: Int) {
        guard enabled, total > 0 else { return }
        let t = now()
        guard t - lastDrawn >= ProgressReporter.interval || done == total else { return }
        lastDrawn = t
        let text = line(done, total)
        // Spaces over whatever a longer line left.
        write("\r" + text + String(repeating: " ", count: max(0, width - text.count)))
        width = text.count
    }

    /// Clears the line (the result is said by whoever called).
    public func finish() {
        guard enabled, width > 0 else { return }
        write("\r" + String(repeating: " ", count: width) + "\r")
        width = 0
    }
}
