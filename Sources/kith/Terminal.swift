import Foundation
import KithApp
import KithCore
import KithStore

/// Plain terminal input for the command-line commands (not the full-screen UI).
enum Terminal {
    /// Whether a person is there to answer questions.
    static var isInteractive: Bool {
        let tty = open("/dev/tty", O_RDWR)
        guard tty >= 0 else { return false }
        close(tty)
        return true
    }

    /// A new passphrase, typed twice; one Kith would refuse (too short, too easily guessed)
    /// is refused at once, with the reason, and asked for again.
    static func askNewSecret(_ prompt: String, login: String, strings s: Strings) throws -> String {
        for attempt in 1...3 {
            let first = try askSecret(prompt)
            do { try Store.check(newPassphrase: first, login: login) } catch {
                say(ErrorPresenter.message(error, strings: s).text)
                continue
            }
            let second = try askSecret(s("cli.passphrase.again"))
            if first == second { return first }
            if attempt < 3 { say(s("cli.passphrase.differ")) }
        }
        throw LaunchError(message: s("cli.passphrase.gaveUp"))
    }

    /// A line typed with echo; empty means `defaultValue`.
    static func ask(_ prompt: String, default defaultValue: String? = nil) throws -> String {
        let tty = open("/dev/tty", O_RDWR)
        guard tty >= 0 else { throw LaunchError(message: prompt) }
        defer { close(tty) }
        var bytes = Array(prompt.utf8)
        _ = write(tty, &bytes, bytes.count)
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while read(tty, &byte, 1) == 1 && byte != 10 && byte != 13 { line.append(byte) }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespaces)
        return text.isEmpty ? (defaultValue ?? "") : text
    }

    static func say(_ line: String) {
        let tty = open("/dev/tty", O_WRONLY)
        guard tty >= 0 else { return }
        defer { close(tty) }
        var bytes = Array((line + "\n").utf8)
        _ = write(tty, &bytes, bytes.count)
    }

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
