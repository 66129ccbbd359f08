/// The single-writer lock: an exclusive `flock` on the store directory itself, held while
/// the store is open. The directory cannot be unlinked while the store is in it, so the
/// lock cannot be removed from under a running Kith (a lock on a file could: unlink the
/// file and a second process locks a new one).
///
/// The `lock` file says how the last session ended: `open <pid>` (durable) while a session
/// runs, `closed <tag>` once it ended with its index written, the tag being that index
/// file's authentication tag. A start after a crash finds `open` and checks every family
/// log against the index; a start after a clean close, finding the very index it names,
/// trusts the index's sizes (an index put back from an older copy has another tag).
final class StoreLock {
    private let fs: any FileSystem
    private let path: String
    private var directory: FileDescriptor?
    /// What the last session left in the lock file.
    let previousMarker: String

    static func closedMarker(indexTag: [UInt8]) -> String {
        "closed " + indexTag.hexString + "\n"
    }

    private init(fs: any FileSystem, path: String, directory: FileDescriptor, previous: String) {
        self.fs = fs
        self.path = path
        self.directory = directory
        previousMarker = previous
    }

    static func acquire(_ layout: StoreLayout, io: FileIO) throws(StoreError) -> StoreLock {
        let fs = io.fs
        let directory: FileDescriptor
        do { directory = try fs.open(layout.root, .directory) } catch { throw io.failure(layout.root, error) }
        guard fs.tryLock(directory) else {
            fs.close(directory)
            throw .locked(path: layout.root, pid: holder(layout, io: io))
        }
        let previous = (try? io.readAll(layout.lock)).map { String(decoding: $0.prefix(200), as: UTF8.self) } ?? ""
        let lock = StoreLock(fs: fs, path: layout.lock, directory: directory, previous: previous)
        // "Open" must be durable before the first save, or a crash would look like a clean close.
        // On a full disk the marker may not fit: an empty file says "not closed" just as well.
        do { try lock.mark("open \(fs.processID)\n") } catch {
            do { try lock.mark("") } catch {
                lock.release()
                throw io.failure(layout.lock, error)
            }
        }
        return lock
    }

    /// The process the lock file names as holding the store, if it names one.
    static func holder(_ layout: StoreLayout, io: FileIO) -> Int32? {
        let text = (try? io.readAll(layout.lock)).map { String(decoding: $0.prefix(32), as: UTF8.self) } ?? ""
        return Int32(text.filter(\.isNumber))
    }

    private func mark(_ text: String) throws(FileSystemError) {
        let file = try fs.open(path, .createOrOpen)
        defer { fs.close(file) }
        try fs.truncate(file, to: 0)
        if !text.isEmpty { _ = try fs.write(file, Array(text.utf8)[...]) }
        try fs.sync(file, dataOnly: true)
    }

    /// Records that the session ended with everything written (best effort: failing
    /// leaves `open`, and the next start checks every log).
    func markClosedCleanly(indexTag: [UInt8]) {
        guard directory != nil else { return }
        try? mark(StoreLock.closedMarker(indexTag: indexTag))
    }

    func release() {
        guard let directory else { return }
        fs.close(directory)
        self.directory = nil
    }

    deinit { release() }
}
