import Foundation

/// Wrong passphrases typed for each login since its last unlock, kept beside the store
/// (logins and counts only: nothing is decrypted before the passphrase is right). After
/// three in a row each further try waits longer, and whoever unlocks next is told how many
/// there were. It slows guessing at the keyboard; guessing from copied files is what scrypt
/// is for.
struct FailedAttempts {
    let path: String
    let io: FileIO

    /// Seconds to wait before trying again after `count` wrong passphrases in a row: none for
    /// the first three, then 1, 2, 4… up to 30.
    static func delay(after count: Int) -> Double {
        guard count >= 3 else { return 0 }
        return min(30, pow(2, Double(count - 3)))
    }

    func count(_ login: String) -> Int { read()[login] ?? 0 }

    /// One more wrong passphrase for `login` (best effort: a store opened beside Kith, or a
    /// full disk, keeps no count).
    func record(_ login: String) {
        var counts = read()
        counts[login, default: 0] += 1
        write(counts)
    }

    func clear(_ login: String) {
        var counts = read()
        guard counts.removeValue(forKey: login) != nil else { return }
        write(counts)
    }

    private func read() -> [String: Int] {
        guard let bytes = try? io.readAll(path), let counts = try? JSONDecoder().decode([String: Int].self, from: Data(bytes)) else { return [:] }
        return counts
    }

    private func write(_ counts: [String: Int]) {
        guard let data = try? JSONEncoder().encode(counts) else { return }
        try? io.writeAtomically(path, Array(data))
    }
}
