import Foundation

/// Plain terminal input for the command-line commands (not the full-screen UI).
enum Terminal {
    /// Reads a line from the terminal without echoing it.
    static func askSecret(_ prompt: String) throws -> String {
        let tty = open("/dev/tty", O_RDWR)
        guard tty >= 0 else { throw ValidationError("no terminal to ask for a passphrase: use --passphrase-file") }
        defer { close(tty) }
        var bytes = Array(prompt.utf8)
        _ = write(tty, &bytes, bytes.count)
        var saved = termios()
        tcgetattr(tty, &saved)
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(tty, TCSANOW, &quiet)
        defer {
            tcsetattr(tty, TCSANOW, &saved)
            var newline: [UInt8] = [10]
            _ = write(tty, &newline, 1)
        }
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while read(tty, &byte, 1) == 1 && byte != 10 && byte != 13 { line.append(byte) }
        return String(decoding: line, as: UTF8.self)
    }
}

import ArgumentParser
