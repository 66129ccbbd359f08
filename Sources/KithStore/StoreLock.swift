/// The single-writer lock: an exclusive `flock` on the store directory itself, held while
/// the store is open. The directory cannot be unlinked while the store is in it, so the
/// lock cannot be removed from under a running Kith (a lock on a file could: unlink the
/// file and a second process locks a new one). The `lock` file only carries the holder's
/// process id for the message a second process shows.
final class StoreLock {
    private let fs: any FileSystem
    private var directory: FileDescriptor?

    private init(fs: any FileSystem, directory: FileDescriptor) {
        self.fs = fs
        self.directory = directory
    }

    static func acquire(_ layout: StoreLayout, io: FileIO) throws(StoreError) -> StoreLock {
        let fs = io.fs
        let directory: FileDescriptor
        do { directory = try fs.open(layout.root, .directory) } catch { throw io.failure(layout.root, error) }
        guard fs.tryLock(directory) else {
            fs.close(directory)
            let text = (try? io.readAll(layout.lock)).map { String(decoding: $0.prefix(32), as: UTF8.self) } ?? ""
            throw .locked(path: layout.root, pid: Int32(text.filter(\.isNumber)))
        }
        // The holder's process id, for the message above: best effort, the lock is the directory.
        if let file = try? fs.open(layout.lock, .createOrOpen) {
            try? fs.truncate(file, to: 0)
            _ = try? fs.write(file, Array("\(fs.processID)\n".utf8)[...])
            fs.close(file)
        }
        return StoreLock(fs: fs, directory: directory)
    }

    func release() {
        guard let directory else { return }
        fs.close(directory)
        self.directory = nil
    }

    deinit { release() }
}
