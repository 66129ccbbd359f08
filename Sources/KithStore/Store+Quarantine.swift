#if canImport(Glibc)
import Glibc
#endif
import KithCore

extension Store {
    private func quarantineName(for path: String) -> String {
        let base = path.split(separator: "/").last.map(String.init) ?? "file"
        return "\(layout.quarantine)/\(base).\(Int64(clock.now() * 1000))"
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
