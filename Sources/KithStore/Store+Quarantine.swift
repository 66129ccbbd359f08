#if canImport(Glibc)
import Glibc
#endif
import KithCore

extension Store {
    /// `quarantine/NAME.<milliseconds>`, with `-2`, `-3`… when that is taken (two copies
    /// of one file in the same millisecond).
    private func quarantineName(for path: String) -> String {
        let base = path.split(separator: "/").last.map(String.init) ?? "file"
        let stem = "\(layout.quarantine)/\(base).\(Int64(clock.now() * 1000))"
        var name = stem, n = 1
        while io.exists(name) {
            n += 1
            name = "\(stem)-\(n)"
        }
        return name
    }

    /// Moves a damaged or foreign file out of the way (it is kept, never deleted).
    func setAside(_ path: String) throws(StoreError) {
        try io.makeDirectory(layout.quarantine)
        try io.move(path, to: quarantineName(for: path))
    }

    /// Keeps a copy of a file before it is repaired, so a repair never destroys bytes.
    func setAsideCopy(_ path: String) throws(StoreError) {
        try io.makeDirectory(layout.quarantine)
        try io.createExclusive(quarantineName(for: path), try io.readAll(path))
    }
}
