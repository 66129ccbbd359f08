#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Durable file operations built from single calls of a `FileSystem`.
///
/// Foundation's atomic write does not fsync the directory and creates files 0644, and
/// `FileManager.replaceItemAt` destroys data on Swift 6.3 Linux, so none of them are used.
/// Every operation either completes durably or leaves the files as they were (an append
/// that fails is cut back; a temporary file is removed). Paths are absolute; errors name
/// the path relative to the store root.
public struct FileIO: Sendable {
    /// The store root, used to make paths in errors relative (no home directories in logs).
    public let root: String
    public let fs: any FileSystem

    public init(root: String, fileSystem: any FileSystem = PosixFileSystem.shared) {
        self.root = root
        fs = fileSystem
    }

    func relative(_ path: String) -> String {
        path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
    }

    func failure(_ path: String, _ error: FileSystemError) -> StoreError {
        let code = error.code
        if error.call == ReadOnlyFileSystem.refusedCall { return .notPermitted(action: "writeBeside") }
        if code == EACCES || code == EROFS || code == EPERM {
            return .notWritable(path: relative(path))
        }
        if code == ENOSPC || code == EDQUOT { return .diskFull(file: relative(path)) }
        return .io(file: relative(path), operation: error.call, reason: FileIO.errnoName(code))
    }

    /// The symbolic name of an errno value ("EIO"): a key for the string table, so the
    /// reason is in the reader's language, not the C library's.
    static func errnoName(_ code: Int32) -> String {
        let names: [Int32: String] = [
            EIO: "EIO", ENOENT: "ENOENT", EISDIR: "EISDIR", ENOTDIR: "ENOTDIR", EEXIST: "EEXIST", EBUSY: "EBUSY",
            ENAMETOOLONG: "ENAMETOOLONG", EMFILE: "EMFILE", ENFILE: "ENFILE", ELOOP: "ELOOP", EINVAL: "EINVAL",
            EXDEV: "EXDEV", EFBIG: "EFBIG", EBADF: "EBADF", EAGAIN: "EAGAIN", ETXTBSY: "ETXTBSY",
        ]
        return names[code] ?? "errno \(code)"
    }

    public func exists(_ path: String) -> Bool { fs.status(path) != nil }

    public func isDirectory(_ path: String) -> Bool { fs.status(path)?.isDirectory == true }

    public func size(_ path: String) -> Int64? { fs.status(path)?.size }

    public func makeDirectory(_ path: String) throws(StoreError) {
        do { try fs.makeDirectory(path) } catch { throw failure(path, error) }
    }

    func open(_ path: String, _ mode: FileOpenMode) throws(StoreError) -> FileDescriptor {
        do { return try fs.open(path, mode) } catch { throw failure(path, error) }
    }

    public func readAll(_ path: String) throws(StoreError) -> [UInt8] {
        let fd = try open(path, .read)
        defer { fs.close(fd) }
        do { return try fs.readAll(fd) } catch { throw failure(path, error) }
    }

    private func writeFully(_ fd: FileDescriptor, _ bytes: [UInt8], _ path: String) throws(StoreError) {
        var done = 0
        while done < bytes.count {
            let n: Int
            do { n = try fs.write(fd, bytes[done...]) } catch { throw failure(path, error) }
            if n == 0 { throw failure(path, FileSystemError(code: ENOSPC, call: "write")) }
            done += n
        }
    }

    /// Flushes a directory so a new or renamed entry in it survives power loss.
    public func syncDirectory(_ path: String) throws(StoreError) {
        let fd = try open(path, .directory)
        defer { fs.close(fd) }
        do { try fs.sync(fd, dataOnly: false) } catch { throw failure(path, error) }
    }

    /// Writes `bytes` to a fresh temporary file beside `path` (O_EXCL, 0600), flushed
    /// when `sync`; returns its path. Nothing is left behind on failure.
    private func writeTemporary(for path: String, _ bytes: [UInt8], sync: Bool) throws(StoreError) -> String {
        let temp = "\(path).tmp-\(fs.processID)"
        try? fs.unlink(temp)
        let fd = try open(temp, .createExclusive)
        var problem: StoreError?
        do { try writeFully(fd, bytes, temp) } catch { problem = error }
        if problem == nil && sync {
            do { try fs.sync(fd, dataOnly: false) } catch { problem = failure(temp, error) }
        }
        fs.close(fd)
        if let problem {
            try? fs.unlink(temp)
            throw problem
        }
        return temp
    }

    /// Replaces a file atomically and durably: temporary file, fsync, rename over the
    /// target, fsync the directory. A kill at any instant leaves the old or the new
    /// file, never a mix.
    public func writeAtomically(_ path: String, _ bytes: [UInt8], sync: Bool = true) throws(StoreError) {
        let temp = try writeTemporary(for: path, bytes, sync: sync)
        do { try fs.rename(temp, to: path) } catch {
            try? fs.unlink(temp)
            throw failure(path, error)
        }
        if sync { try syncDirectory(FileIO.directory(of: path)) }
    }

    /// Creates a new file that must not exist yet, whole or not at all: the bytes go to a
    /// temporary file first, which is then linked into place (failing if the name is
    /// taken). With `sync`, file and directory entry are durable when this returns; when
    /// the directory can't be flushed the new name is taken back, so a failed creation
    /// never leaves a file that a retry would collide with.
    public func createExclusive(_ path: String, _ bytes: [UInt8], sync: Bool = true) throws(StoreError) {
        let temp = try writeTemporary(for: path, bytes, sync: sync)
        defer { try? fs.unlink(temp) }
        do { try fs.link(temp, to: path) } catch { throw failure(path, error) }
        if sync, let problem = syncDirectoryReporting(FileIO.directory(of: path)) {
            try? fs.unlink(path)
            throw problem
        }
    }

    private func syncDirectoryReporting(_ path: String) -> StoreError? {
        do { try syncDirectory(path) } catch { return error }
        return nil
    }

    /// Writes a file a person asked for by name (`kith print --output`): a regular file, or
    /// a new one, is replaced atomically; anything else there — a symbolic link, a device,
    /// a FIFO — is written into and never replaced (as root, `--output /dev/null` must
    /// not turn the system's /dev/null into a regular file).
    public func writeForPerson(_ path: String, _ bytes: [UInt8]) throws(StoreError) {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) != S_IFREG else {
            try writeAtomically(path, bytes)
            return
        }
        let fd: FileDescriptor
        do { fd = try fs.open(path, .writeTruncating) } catch { throw failure(path, error) }
        defer { fs.close(fd) }
        try writeFully(fd, bytes, path)
    }

    /// Removes temporary files a killed process left behind (`*.tmp-<pid>`).
    public func removeStaleTemporaries(in directory: String) {
        for name in list(directory) where name.contains(".tmp-") {
            try? fs.unlink("\(directory)/\(name)")
        }
    }

    /// Appends bytes with one write and, when `sync`, one fdatasync: the save is durable
    /// when this returns. When any step fails the file is cut back to its old length and
    /// flushed, so the next append follows an intact frame; if even that fails the error
    /// is `appendNotUndone`, and the caller must read the file again before appending.
    public func append(_ path: String, _ bytes: [UInt8], sync: Bool = true) throws(StoreError) {
        let fd = try open(path, .append)
        defer { fs.close(fd) }
        let before: Int64
        do { before = try fs.size(fd) } catch { throw failure(path, error) }
        // The failure travels as a value, so the clean-up (which can fail too) decides
        // which error the caller sees without nested catch blocks.
        guard let problem = writeAndSync(fd, bytes, path, sync: sync) else { return }
        guard cutBack(fd, to: before) else { throw .appendNotUndone(file: relative(path)) }
        throw problem
    }

    private func writeAndSync(_ fd: FileDescriptor, _ bytes: [UInt8], _ path: String, sync: Bool) -> StoreError? {
        do { try writeFully(fd, bytes, path) } catch { return error }
        if sync {
            do { try fs.sync(fd, dataOnly: true) } catch { return failure(path, error) }
        }
        return nil
    }

    /// Cuts a file back to `length` and flushes it; false when that fails too.
    private func cutBack(_ fd: FileDescriptor, to length: Int64) -> Bool {
        do {
            try fs.truncate(fd, to: length)
            try fs.sync(fd, dataOnly: false)
            return true
        } catch {
            return false
        }
    }

    /// Makes what was appended to a file without a sync durable.
    public func syncFile(_ path: String) throws(StoreError) {
        let fd = try open(path, .append)
        defer { fs.close(fd) }
        do { try fs.sync(fd, dataOnly: true) } catch { throw failure(path, error) }
    }

    public func truncate(_ path: String, to length: Int64) throws(StoreError) {
        let fd = try open(path, .readWrite)
        defer { fs.close(fd) }
        do {
            try fs.truncate(fd, to: length)
            try fs.sync(fd, dataOnly: false)
        } catch { throw failure(path, error) }
    }

    public func remove(_ path: String) throws(StoreError) {
        do { try fs.unlink(path) } catch {
            if error.code != ENOENT { throw failure(path, error) }
        }
    }

    public func move(_ from: String, to: String) throws(StoreError) {
        do { try fs.rename(from, to: to) } catch { throw failure(from, error) }
        try syncDirectory(FileIO.directory(of: to))
    }

    /// Names in a directory (no dot files), sorted.
    public func list(_ path: String) -> [String] {
        (fs.names(in: path) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    /// Names ending in `suffix` in a directory with their sizes, in directory order.
    public func sizes(in directory: String, suffix: String) -> [(name: Substring, size: Int64)] {
        fs.sizes(in: directory, suffix: suffix)
    }

    /// Whether the directory accepts new files.
    public func canWrite(_ directory: String) -> Bool { fs.isWritable(directory) }

    /// Flushes every file of the filesystem holding `path` (bulk creation: one flush
    /// instead of one per file).
    public func syncFilesystem(_ path: String) throws(StoreError) {
        do { try fs.syncFileSystem(path) } catch { throw failure(path, error) }
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
