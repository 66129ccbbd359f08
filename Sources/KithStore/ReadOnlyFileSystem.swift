#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The file system as a store opened beside a running Kith sees it: every read passes
/// through, and every change fails — except inside `writable` (the session's outbox),
/// the one place such a store writes. A repair, a save or an index flush attempted beside
/// the running Kith therefore fails as "not permitted" instead of racing its writer.
final class ReadOnlyFileSystem: FileSystem, @unchecked Sendable {
    /// The call name a refused change carries (`FileIO.failure` turns it into `.notPermitted`).
    static let refusedCall = "beside"

    private let inner: any FileSystem
    private let writable: String

    init(_ inner: any FileSystem, writable: String) {
        self.inner = inner
        self.writable = writable
    }

    private func check(_ path: String) throws(FileSystemError) {
        guard path == writable || path.hasPrefix(writable + "/") else {
            throw FileSystemError(code: EROFS, call: ReadOnlyFileSystem.refusedCall)
        }
    }

    func status(_ path: String) -> FileStatus? { inner.status(path) }
    func names(in directory: String) -> [String]? { inner.names(in: directory) }
    func sizes(in directory: String, suffix: String) -> [(name: Substring, size: Int64)] { inner.sizes(in: directory, suffix: suffix) }
    func makeDirectory(_ path: String) throws(FileSystemError) {
        try check(path)
        try inner.makeDirectory(path)
    }
    func open(_ path: String, _ mode: FileOpenMode) throws(FileSystemError) -> FileDescriptor {
        if mode != .read && mode != .directory { try check(path) }
        return try inner.open(path, mode)
    }
    func close(_ file: FileDescriptor) { inner.close(file) }
    func readAll(_ file: FileDescriptor) throws(FileSystemError) -> [UInt8] { try inner.readAll(file) }
    /// Only descriptors opened for writing inside `writable` can be written (`open` refuses the rest).
    func write(_ file: FileDescriptor, _ bytes: ArraySlice<UInt8>) throws(FileSystemError) -> Int { try inner.write(file, bytes) }
    func sync(_ file: FileDescriptor, dataOnly: Bool) throws(FileSystemError) { try inner.sync(file, dataOnly: dataOnly) }
    func truncate(_ file: FileDescriptor, to length: Int64) throws(FileSystemError) { try inner.truncate(file, to: length) }
    func size(_ file: FileDescriptor) throws(FileSystemError) -> Int64 { try inner.size(file) }
    func rename(_ from: String, to: String) throws(FileSystemError) {
        try check(from)
        try check(to)
        try inner.rename(from, to: to)
    }
    func link(_ from: String, to: String) throws(FileSystemError) {
        try check(from)
        try check(to)
        try inner.link(from, to: to)
    }
    func unlink(_ path: String) throws(FileSystemError) {
        try check(path)
        try inner.unlink(path)
    }
    func syncFileSystem(_ path: String) throws(FileSystemError) { try inner.syncFileSystem(path) }
    func isWritable(_ path: String) -> Bool { false }
    func tryLock(_ file: FileDescriptor) -> Bool { inner.tryLock(file) }
    var processID: Int32 { inner.processID }
}
