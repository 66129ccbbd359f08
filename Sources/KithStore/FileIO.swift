#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Durable file operations in plain POSIX calls.
///
/// Foundation's atomic write does not fsync the directory and creates files 0644, and
/// `FileManager.replaceItemAt` destroys data on Swift 6.3 Linux, so none of them are used.
/// Paths are absolute; errors name the path relative to the store root.
public struct FileIO: Sendable {
    /// The store root, used to make paths in errors relative (no home directories in logs).
    public let root: String

    public init(root: String) { self.root = root }

    func relative(_ path: String) -> String {
        path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
    }

    func failure(_ path: String, _ operation: String, _ code: Int32 = errno) -> StoreError {
        if code == EACCES || code == EROFS || code == EPERM {
            return .notWritable(path: relative(path))
        }
        return .io(file: relative(path), operation: operation, reason: String(cString: strerror(code)))
    }

    public func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    public func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    public func size(_ path: String) -> Int64? {
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : nil
    }

    public func makeDirectory(_ path: String) throws(StoreError) {
        if mkdir(path, 0o700) != 0 && errno != EEXIST { throw failure(path, "mkdir") }
    }

    public func readAll(_ path: String) throws(StoreError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw failure(path, "open") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw failure(path, "stat") }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 { if errno == EINTR { continue }; throw failure(path, "read") }
            if n == 0 { break }
            done += n
        }
        return done == bytes.count ? bytes : Array(bytes[0..<done])
    }

    private func writeFully(_ fd: Int32, _ bytes: [UInt8], _ path: String) throws(StoreError) {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 { if errno == EINTR { continue }; throw failure(path, "write") }
            done += n
        }
    }

    /// Flushes a directory so a new or renamed entry in it survives power loss.
    public func syncDirectory(_ path: String) throws(StoreError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw failure(path, "open directory") }
        defer { close(fd) }
        if fsync(fd) != 0 { throw failure(path, "fsync directory") }
    }

    /// Writes `bytes` to a fresh temporary file beside `path` (O_EXCL, 0600), flushed
    /// when `sync`; returns its path. Nothing is left behind on failure.
    private func writeTemporary(for path: String, _ bytes: [UInt8], sync: Bool) throws(StoreError) -> String {
        let temp = "\(path).tmp-\(getpid())"
        unlink(temp)
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw failure(temp, "create") }
        do throws(StoreError) {
            try writeFully(fd, bytes, temp)
            if sync && fsync(fd) != 0 { throw failure(temp, "fsync") }
        } catch {
            close(fd)
            unlink(temp)
            throw error
        }
        close(fd)
        return temp
    }

    /// Replaces a file atomically and durably: temporary file, fsync, rename over the
    /// target, fsync the directory. A kill at any instant leaves the old or the new
    /// file, never a mix.
    public func writeAtomically(_ path: String, _ bytes: [UInt8], sync: Bool = true) throws(StoreError) {
        let temp = try writeTemporary(for: path, bytes, sync: sync)
        if rename(temp, path) != 0 {
            let code = errno
            unlink(temp)
            throw failure(path, "rename", code)
        }
        if sync { try syncDirectory(FileIO.directory(of: path)) }
    }

    /// Creates a new file that must not exist yet, whole or not at all: the bytes go to a
    /// temporary file first, which is then linked into place (failing if the name is
    /// taken). With `sync`, file and directory entry are durable when this returns.
    public func createExclusive(_ path: String, _ bytes: [UInt8], sync: Bool = true) throws(StoreError) {
        let temp = try writeTemporary(for: path, bytes, sync: sync)
        defer { unlink(temp) }
        if link(temp, path) != 0 { throw failure(path, "create") }
        if sync { try syncDirectory(FileIO.directory(of: path)) }
    }

    /// Removes temporary files a killed process left behind (`*.tmp-<pid>`).
    public func removeStaleTemporaries(in directory: String) {
        for name in list(directory) where name.contains(".tmp-") {
            unlink("\(directory)/\(name)")
        }
    }

    /// Appends bytes with one write and, when `sync`, one fdatasync: the save is durable
    /// when this returns.
    public func append(_ path: String, _ bytes: [UInt8], sync: Bool = true) throws(StoreError) {
        let fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard fd >= 0 else { throw failure(path, "open for append") }
        defer { close(fd) }
        try writeFully(fd, bytes, path)
        if sync && fdatasync(fd) != 0 { throw failure(path, "fdatasync") }
    }

    public func truncate(_ path: String, to length: Int64) throws(StoreError) {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw failure(path, "open") }
        defer { close(fd) }
        if ftruncate(fd, off_t(length)) != 0 { throw failure(path, "truncate") }
        if fsync(fd) != 0 { throw failure(path, "fsync") }
    }

    public func remove(_ path: String) throws(StoreError) {
        if unlink(path) != 0 && errno != ENOENT { throw failure(path, "remove") }
    }

    public func move(_ from: String, to: String) throws(StoreError) {
        if rename(from, to) != 0 { throw failure(from, "move") }
        try syncDirectory(FileIO.directory(of: to))
    }

    /// Names in a directory (no dot files), sorted.
    public func list(_ path: String) -> [String] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if !name.hasPrefix(".") { names.append(name) }
        }
        return names.sorted()
    }

    /// Names ending in `suffix` in a directory with their sizes, in directory order.
    /// One `fstatat` per file against the open directory (no path building, no sorting):
    /// this runs over every family log when a store opens.
    public func sizes(in directory: String, suffix: String) -> [(name: Substring, size: Int64)] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        let fd = dirfd(dir)
        var result: [(name: Substring, size: Int64)] = []
        var info = stat()
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer -> String? in
                pointer.withMemoryRebound(to: CChar.self, capacity: 256) { raw in
                    fstatat(fd, raw, &info, 0) == 0 ? String(cString: raw) : nil
                }
            }
            guard let name, name.hasSuffix(suffix), !name.hasPrefix(".") else { continue }
            result.append((name.dropLast(suffix.count), Int64(info.st_size)))
        }
        return result
    }

    /// Whether the directory accepts new files (probe with a temporary file).
    public func canWrite(_ directory: String) -> Bool {
        access(directory, W_OK) == 0
    }

    /// Flushes every file of the filesystem holding `path` (bulk creation: one flush
    /// instead of one per file).
    public func syncFilesystem(_ path: String) throws(StoreError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw failure(path, "open directory") }
        defer { close(fd) }
        if kith_syncfs(fd) != 0 { throw failure(path, "syncfs") }
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}

/// `syncfs(2)` is a GNU extension the Glibc module does not export.
@_silgen_name("syncfs")
private func kith_syncfs(_ fd: Int32) -> Int32
