#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The real file system: plain POSIX calls, retried on EINTR.
public final class PosixFileSystem: FileSystem {
    public static let shared = PosixFileSystem()

    public init() {}

    private func error(_ call: String) -> FileSystemError { FileSystemError(code: errno, call: call) }

    public func status(_ path: String) -> FileStatus? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileStatus(size: Int64(info.st_size), isDirectory: (info.st_mode & S_IFMT) == S_IFDIR,
                          identity: FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino)))
    }

    public func names(in directory: String) -> [String]? {
        guard let dir = opendir(directory) else { return nil }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

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

    public func makeDirectory(_ path: String) throws(FileSystemError) {
        if mkdir(path, 0o700) != 0 && errno != EEXIST { throw error("mkdir") }
    }

    public func open(_ path: String, _ mode: FileOpenMode) throws(FileSystemError) -> FileDescriptor {
        let flags: Int32
        switch mode {
        case .read: flags = O_RDONLY
        case .append: flags = O_WRONLY | O_APPEND
        case .readWrite: flags = O_RDWR
        case .createExclusive: flags = O_WRONLY | O_CREAT | O_EXCL
        case .createOrOpen: flags = O_RDWR | O_CREAT
        case .writeTruncating: flags = O_WRONLY | O_TRUNC
        case .directory: flags = O_RDONLY | O_DIRECTORY
        }
        while true {
            let fd = Glibc.open(path, flags | O_CLOEXEC, 0o600)
            if fd >= 0 { return FileDescriptor(fd) }
            if errno != EINTR { throw error("open") }
        }
    }

    public func close(_ file: FileDescriptor) { _ = Glibc.close(file.raw) }

    public func readAll(_ file: FileDescriptor) throws(FileSystemError) -> [UInt8] {
        var info = stat()
        guard fstat(file.raw, &info) == 0 else { throw error("fstat") }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeMutableBytes { pread(file.raw, $0.baseAddress! + done, $0.count - done, off_t(done)) }
            if n < 0 { if errno == EINTR { continue }; throw error("read") }
            if n == 0 { break }
            done += n
        }
        return done == bytes.count ? bytes : Array(bytes[0..<done])
    }

    public func write(_ file: FileDescriptor, _ bytes: ArraySlice<UInt8>) throws(FileSystemError) -> Int {
        while true {
            let n = bytes.withUnsafeBytes { Glibc.write(file.raw, $0.baseAddress!, $0.count) }
            if n >= 0 { return n }
            if errno != EINTR { throw error("write") }
        }
    }

    public func sync(_ file: FileDescriptor, dataOnly: Bool) throws(FileSystemError) {
        if (dataOnly ? fdatasync(file.raw) : fsync(file.raw)) != 0 { throw error(dataOnly ? "fdatasync" : "fsync") }
    }

    public func truncate(_ file: FileDescriptor, to length: Int64) throws(FileSystemError) {
        if ftruncate(file.raw, off_t(length)) != 0 { throw error("ftruncate") }
    }

    public func size(_ file: FileDescriptor) throws(FileSystemError) -> Int64 {
        var info = stat()
        guard fstat(file.raw, &info) == 0 else { throw error("fstat") }
        return Int64(info.st_size)
    }

    public func rename(_ from: String, to: String) throws(FileSystemError) {
        if Glibc.rename(from, to) != 0 { throw error("rename") }
    }

    public func link(_ from: String, to: String) throws(FileSystemError) {
        if Glibc.link(from, to) != 0 { throw error("link") }
    }

    public func unlink(_ path: String) throws(FileSystemError) {
        if Glibc.unlink(path) != 0 { throw error("unlink") }
    }

    public func syncFileSystem(_ path: String) throws(FileSystemError) {
        let fd = try open(path, .directory)
        defer { close(fd) }
        if kith_syncfs(fd.raw) != 0 { throw error("syncfs") }
    }

    public func isWritable(_ path: String) -> Bool { access(path, W_OK) == 0 }

    public func tryLock(_ file: FileDescriptor) -> Bool { flock(file.raw, LOCK_EX | LOCK_NB) == 0 }

    public var processID: Int32 { getpid() }
}

/// `syncfs(2)` is a GNU extension the Glibc module does not export.
@_silgen_name("syncfs")
private func kith_syncfs(_ fd: Int32) -> Int32
