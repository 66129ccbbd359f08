/// The file calls the store makes, one POSIX call each, so tests can put a file system
/// underneath that fails any call or loses what was not flushed (SQLite's VFS idea).
///
/// `FileIO` builds the durable operations (append + fdatasync, temporary file + rename
/// + directory fsync) from these; `PosixFileSystem` is the real one.
public protocol FileSystem: AnyObject, Sendable {
    /// Size and kind of the entry at `path`, nil when there is none.
    func status(_ path: String) -> FileStatus?
    /// Names in a directory (dot files included), in no particular order; nil when it can't be read.
    func names(in directory: String) -> [String]?
    /// Names ending in `suffix` with their sizes: one pass over a directory (the store's
    /// largest listing, so the real file system does it with `fstatat`).
    func sizes(in directory: String, suffix: String) -> [(name: Substring, size: Int64)]
    /// Makes a directory (0700); one that exists already is not an error.
    func makeDirectory(_ path: String) throws(FileSystemError)
    func open(_ path: String, _ mode: FileOpenMode) throws(FileSystemError) -> FileDescriptor
    func close(_ file: FileDescriptor)
    /// The whole file from its start.
    func readAll(_ file: FileDescriptor) throws(FileSystemError) -> [UInt8]
    /// Writes at the end (append mode) or at the current offset; returns how many bytes were
    /// written, which may be fewer than given (a full disk).
    func write(_ file: FileDescriptor, _ bytes: ArraySlice<UInt8>) throws(FileSystemError) -> Int
    /// `fsync`, or `fdatasync` when `dataOnly`.
    func sync(_ file: FileDescriptor, dataOnly: Bool) throws(FileSystemError)
    func truncate(_ file: FileDescriptor, to length: Int64) throws(FileSystemError)
    func size(_ file: FileDescriptor) throws(FileSystemError) -> Int64
    func rename(_ from: String, to: String) throws(FileSystemError)
    func link(_ from: String, to: String) throws(FileSystemError)
    func unlink(_ path: String) throws(FileSystemError)
    /// Flushes the whole file system holding `path` (bulk creation).
    func syncFileSystem(_ path: String) throws(FileSystemError)
    func isWritable(_ path: String) -> Bool
    /// Takes an exclusive lock on an open file or directory without waiting; false when
    /// another process holds it. Released when the descriptor is closed.
    func tryLock(_ file: FileDescriptor) -> Bool
    /// The process id of this process (written into the lock file for messages).
    var processID: Int32 { get }
}

public struct FileStatus: Hashable, Sendable {
    public var size: Int64
    public var isDirectory: Bool
    /// Device and inode: which file this is, whatever its name is now.
    public var identity: FileIdentity

    public init(size: Int64, isDirectory: Bool, identity: FileIdentity) {
        self.size = size
        self.isDirectory = isDirectory
        self.identity = identity
    }
}

public struct FileIdentity: Hashable, Sendable {
    public var device: UInt64
    public var inode: UInt64
    public init(device: UInt64, inode: UInt64) {
        self.device = device
        self.inode = inode
    }
}

public struct FileDescriptor: Hashable, Sendable {
    public var raw: Int32
    public init(_ raw: Int32) { self.raw = raw }
}

public enum FileOpenMode: Sendable, Hashable {
    case read
    /// Every write goes to the end.
    case append
    /// An existing file, written from its start.
    case readWrite
    /// A new file (0600) that must not exist yet.
    case createExclusive
    /// A file created (0600) when missing, kept when present.
    case createOrOpen
    /// An existing file (or device, FIFO, the target of a link), emptied and written from
    /// its start.
    case writeTruncating
    /// A directory, for fsync and locking.
    case directory
}

/// A failed call: the errno value and the call's name.
public struct FileSystemError: Error, Hashable, Sendable {
    public var code: Int32
    public var call: String
    public init(code: Int32, call: String) {
        self.code = code
        self.call = call
    }
}
