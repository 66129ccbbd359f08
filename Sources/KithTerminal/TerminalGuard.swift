#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Process-wide terminal safety: signal flags and the fatal-signal handler that restores
/// the terminal and shows the error, even when the program dies inside curses.
///
/// Everything the handlers touch is allocated before they are installed, and they call
/// only async-signal-safe functions (write, read, lseek, tcsetattr, signal, raise).
enum TerminalGuard {
    /// Set by SIGTERM/SIGHUP/SIGINT; read by the program loop.
    nonisolated(unsafe) static var pendingSignal: Int32 = 0
    nonisolated(unsafe) static var savedTermios = termios()
    nonisolated(unsafe) static var haveTermios = false
    /// The terminal's stderr, kept while stderr goes to the log file.
    nonisolated(unsafe) static var terminalStderr: Int32 = -1
    nonisolated(unsafe) static var logFD: Int32 = -1
    nonisolated(unsafe) static var scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: 4096)
    nonisolated(unsafe) static var restoreSequence: [UInt8] = Array("\u{1b}[?2004l\u{1b}[?1049l\u{1b}[?25h\u{1b}[0m\r\n".utf8)
    nonisolated(unsafe) static var crashHeader: [UInt8] = Array("kith stopped unexpectedly. Drafts are saved at least every second and will be offered back on the next start.\n".utf8)
    nonisolated(unsafe) static var logHeader: [UInt8] = Array("Last lines of the log:\n".utf8)

    static func installTerminationHandlers() {
        let handler: @convention(c) (Int32) -> Void = { signal in
            TerminalGuard.pendingSignal = signal
        }
        for signal in [SIGTERM, SIGHUP, SIGINT] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = handler
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0 // no SA_RESTART: a blocked read returns so the loop sees the flag
            sigaction(signal, &action, nil)
        }
    }

    static func installFatalHandlers() {
        _ = restoreSequence.count
        _ = crashHeader.count
        _ = logHeader.count
        let handler: @convention(c) (Int32) -> Void = { signal in
            TerminalGuard.restoreAfterCrash()
            var action = sigaction()
            action.__sigaction_handler.sa_handler = SIG_DFL
            sigaction(signal, &action, nil)
            raise(signal)
        }
        for signal in [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = handler
            sigemptyset(&action.sa_mask)
            action.sa_flags = Int32(bitPattern: UInt32(SA_RESETHAND))
            sigaction(signal, &action, nil)
        }
    }

    static func saveTerminalModes() {
        haveTermios = tcgetattr(STDIN_FILENO, &savedTermios) == 0
    }

    /// Leaves the alternate screen, shows the cursor, restores the tty modes, then copies
    /// the end of the log (the runtime's error message) to the real stderr.
    static func restoreAfterCrash() {
        restoreSequence.withUnsafeBytes { _ = write(STDOUT_FILENO, $0.baseAddress, $0.count) }
        if haveTermios { tcsetattr(STDIN_FILENO, TCSANOW, &savedTermios) }
        let out = terminalStderr >= 0 ? terminalStderr : STDERR_FILENO
        crashHeader.withUnsafeBytes { _ = write(out, $0.baseAddress, $0.count) }
        guard logFD >= 0 else { return }
        let end = lseek(logFD, 0, SEEK_END)
        guard end > 0 else { return }
        let start = max(0, end - 1024)
        lseek(logFD, start, SEEK_SET)
        let n = read(logFD, scratch, Int(end - start))
        if n > 0 {
            logHeader.withUnsafeBytes { _ = write(out, $0.baseAddress, $0.count) }
            _ = write(out, scratch, n)
        }
    }

    /// Sends stderr to `path` while curses owns the screen (so runtime messages do not
    /// scribble over it); the terminal's stderr is kept for the crash handler.
    static func redirectStderr(to path: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        terminalStderr = dup(STDERR_FILENO)
        dup2(fd, STDERR_FILENO)
        logFD = open(path, O_RDONLY | O_CLOEXEC)
        close(fd)
    }

    static func restoreStderr() {
        guard terminalStderr >= 0 else { return }
        dup2(terminalStderr, STDERR_FILENO)
        close(terminalStderr)
        terminalStderr = -1
        if logFD >= 0 { close(logFD); logFD = -1 }
    }
}
