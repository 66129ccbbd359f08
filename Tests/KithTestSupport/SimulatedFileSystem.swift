#if canImport(Glibc)
import Glibc
#endif
import KithCore
import KithStore

/// An in-memory file system that keeps what was flushed apart from what was only written,
/// for SQLite-style fault tests of the store:
///
/// - every call that changes something is an injection point, numbered from 1; `failAt`
///   makes that call fail with `failCode` (a failing write first writes part of its bytes,
///   as a full disk does), and `failFromThenOn` makes every later one fail too;
/// - `cutPowerAt` stops the machine at that call: it and every later call fail until
///   `powerCut()` throws away everything not flushed — file contents keep their synced
///   bytes plus a random part of what was appended after them, directory entries keep
///   what was there at the last fsync of their directory — and the machine "boots" again.
///
/// Not thread-safe: one test drives it from one thread.
public final class SimulatedFileSystem: FileSystem, @unchecked Sendable {
    private struct Inode {
        var data: [UInt8] = []
        /// What survives a power cut.
        var durable: [UInt8] = []
        var isDirectory = false
    }

    private struct Open {
        var inode: Int
        var mode: FileOpenMode
        var offset: Int
    }

    private var inodes: [Int: Inode] = [:]
    private var entries: [String: Int] = [:]
    private var durableEntries: [String: Int] = [:]
    private var handles: [Int32: Open] = [:]
    private var locks: [Int: Int32] = [:]
    private var nextInode = 2
    private var nextHandle: Int32 = 3

    /// Injection points passed so far.
    public private(set) var operations = 0
    /// What each injection point was (`write families/X.log`), for failure messages.
    public private(set) var trace: [String] = []
    public var recordsTrace = false
    public var failAt: Int?
    public var failCode: Int32 = ENOSPC
    /// After `failAt`, keep failing (a disk that stays full) until cleared.
    public var failFromThenOn = false
    public var cutPowerAt: Int?
    public private(set) var powerIsOff = false
    /// Drives partial writes and torn tails.
    public var random: SeededGenerator

    public init(seed: UInt64 = 1) {
        random = SeededGenerator(seed: seed)
        inodes[1] = Inode(isDirectory: true)
        entries["/"] = 1
        durableEntries["/"] = 1
    }

    /// An independent copy of the whole state (fault settings reset).
    public func copy(seed: UInt64? = nil) -> SimulatedFileSystem {
        let other = SimulatedFileSystem(seed: seed ?? random.next())
        other.inodes = inodes
        other.entries = entries
        other.durableEntries = durableEntries
        other.nextInode = nextInode
        return other
    }

    /// Makes a directory and its parents, durably (test set-up).
    public func makeDirectories(_ path: String) {
        var built = ""
        for part in path.split(separator: "/") {
            built += "/\(part)"
            if entries[built] == nil {
                inodes[nextInode] = Inode(isDirectory: true)
                entries[built] = nextInode
                durableEntries[built] = nextInode
                nextInode += 1
            }
        }
    }

    // MARK: - Faults

    public func clearFaults() {
        failAt = nil
        failFromThenOn = false
        cutPowerAt = nil
    }

    /// The machine loses power: everything not flushed is lost or torn, open files and
    /// locks are gone, and the machine is back on.
    public func powerCut() {
        entries = durableEntries
        let live = Set(entries.values)
        inodes = inodes.filter { live.contains($0.key) }
        for (number, inode) in inodes where !inode.isDirectory {
            var survived = inode.durable
            if inode.data.count > inode.durable.count, Array(inode.data.prefix(inode.durable.count)) == inode.durable {
                // Appended after the last flush: some prefix of it may have reached the disk.
                let unsynced = inode.data.count - inode.durable.count
                let kept = Int.random(in: 0...unsynced, using: &random)
                survived += inode.data[inode.durable.count..<(inode.durable.count + kept)]
            }
            inodes[number]?.data = survived
            inodes[number]?.durable = survived
        }
        handles = [:]
        locks = [:]
        powerIsOff = false
        cutPowerAt = nil
    }

    private func inject(_ call: String, _ path: String) throws(FileSystemError) {
        if powerIsOff { throw FileSystemError(code: EIO, call: call) }
        operations += 1
        if recordsTrace { trace.append("\(call) \(path)") }
        if let cut = cutPowerAt, operations >= cut {
            powerIsOff = true
            throw FileSystemError(code: EIO, call: call)
        }
        if let failAt, operations == failAt || (failFromThenOn && operations > failAt) {
            // A disk that stays full still lets files shrink, names go and written data be
            // flushed (its space was taken when it was written).
            if failCode == ENOSPC && operations > failAt && ["ftruncate", "unlink", "fsync", "fdatasync"].contains(call) { return }
            throw FileSystemError(code: failCode, call: call)
        }
    }

    private func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }

    private func path(of handle: FileDescriptor) -> String {
        guard let inode = handles[handle.raw]?.inode else { return "?" }
        return entries.first { $0.value == inode }?.key ?? "(unlinked)"
    }

    // MARK: - FileSystem

    public func status(_ path: String) -> FileStatus? {
        guard let number = entries[path], let inode = inodes[number] else { return nil }
        return FileStatus(size: Int64(inode.data.count), isDirectory: inode.isDirectory,
                          identity: FileIdentity(device: 1, inode: UInt64(number)))
    }

    public func names(in directory: String) -> [String]? {
        guard let number = entries[directory], inodes[number]?.isDirectory == true else { return nil }
        let prefix = directory == "/" ? "/" : directory + "/"
        return entries.keys.filter { $0.hasPrefix(prefix) && $0 != directory && !$0.dropFirst(prefix.count).contains("/") }
            .map { String($0.dropFirst(prefix.count)) }
    }

    public func sizes(in directory: String, suffix: String) -> [(name: Substring, size: Int64)] {
        (names(in: directory) ?? []).filter { $0.hasSuffix(suffix) && !$0.hasPrefix(".") }.compactMap { name in
            status("\(directory)/\(name)").map { (Substring(name.dropLast(suffix.count)), $0.size) }
        }
    }

    public func makeDirectory(_ path: String) throws(FileSystemError) {
        if entries[path] != nil { return }   // as PosixFileSystem: an existing directory is fine
        try inject("mkdir", path)
        guard let up = entries[parent(path)], inodes[up]?.isDirectory == true else { throw FileSystemError(code: ENOENT, call: "mkdir") }
        inodes[nextInode] = Inode(isDirectory: true)
        entries[path] = nextInode
        nextInode += 1
    }

    public func open(_ path: String, _ mode: FileOpenMode) throws(FileSystemError) -> FileDescriptor {
        if powerIsOff { throw FileSystemError(code: EIO, call: "open") }
        let existing = entries[path]
        switch mode {
        case .read, .append, .readWrite, .writeTruncating:
            guard let existing else { throw FileSystemError(code: ENOENT, call: "open") }
            if inodes[existing]?.isDirectory == true { throw FileSystemError(code: EISDIR, call: "open") }
        case .directory:
            guard let existing else { throw FileSystemError(code: ENOENT, call: "open") }
            if inodes[existing]?.isDirectory != true { throw FileSystemError(code: ENOTDIR, call: "open") }
        case .createExclusive, .createOrOpen:
            if existing != nil && mode == .createExclusive { throw FileSystemError(code: EEXIST, call: "open") }
            if existing == nil {
                try inject("create", path)
                guard let up = entries[parent(path)], inodes[up]?.isDirectory == true else { throw FileSystemError(code: ENOENT, call: "open") }
                inodes[nextInode] = Inode()
                entries[path] = nextInode
                nextInode += 1
            }
        }
        let handle = nextHandle
        nextHandle += 1
        handles[handle] = Open(inode: entries[path]!, mode: mode, offset: 0)
        return FileDescriptor(handle)
    }

    public func close(_ file: FileDescriptor) {
        if let open = handles.removeValue(forKey: file.raw), locks[open.inode] == file.raw { locks[open.inode] = nil }
    }

    public func readAll(_ file: FileDescriptor) throws(FileSystemError) -> [UInt8] {
        if powerIsOff { throw FileSystemError(code: EIO, call: "read") }
        guard let open = handles[file.raw], let inode = inodes[open.inode] else { throw FileSystemError(code: EBADF, call: "read") }
        return inode.data
    }

    public func write(_ file: FileDescriptor, _ bytes: ArraySlice<UInt8>) throws(FileSystemError) -> Int {
        guard let open = handles[file.raw], open.mode != .read, open.mode != .directory else { throw FileSystemError(code: EBADF, call: "write") }
        do { try inject("write", path(of: file)) } catch {
            // A full disk takes part of the bytes before it refuses.
            if error.code == ENOSPC && !powerIsOff && !bytes.isEmpty {
                place(bytes.prefix(Int.random(in: 0..<bytes.count, using: &random)), handle: file)
            }
            throw error
        }
        place(bytes, handle: file)
        return bytes.count
    }

    private func place(_ bytes: ArraySlice<UInt8>, handle: FileDescriptor) {
        guard var open = handles[handle.raw], var inode = inodes[open.inode] else { preconditionFailure("write to a closed file") }
        if open.mode == .append { open.offset = inode.data.count }
        let end = open.offset + bytes.count
        if inode.data.count < end { inode.data += [UInt8](repeating: 0, count: end - inode.data.count) }
        inode.data.replaceSubrange(open.offset..<end, with: bytes)
        open.offset = end
        inodes[open.inode] = inode
        handles[handle.raw] = open
    }

    public func sync(_ file: FileDescriptor, dataOnly: Bool) throws(FileSystemError) {
        guard let open = handles[file.raw] else { throw FileSystemError(code: EBADF, call: "fsync") }
        try inject(dataOnly ? "fdatasync" : "fsync", path(of: file))
        if inodes[open.inode]?.isDirectory == true {
            let directory = entries.first { $0.value == open.inode }?.key ?? ""
            let prefix = directory == "/" ? "/" : directory + "/"
            func inside(_ p: String) -> Bool { p.hasPrefix(prefix) && !p.dropFirst(prefix.count).contains("/") && p != directory }
            for key in durableEntries.keys where inside(key) { durableEntries[key] = nil }
            for (key, value) in entries where inside(key) { durableEntries[key] = value }
        } else {
            let data = inodes[open.inode]?.data ?? []
            inodes[open.inode]?.durable = data
        }
    }

    public func truncate(_ file: FileDescriptor, to length: Int64) throws(FileSystemError) {
        guard let open = handles[file.raw], var inode = inodes[open.inode] else { throw FileSystemError(code: EBADF, call: "ftruncate") }
        try inject("ftruncate", path(of: file))
        let n = Int(length)
        if inode.data.count > n { inode.data.removeLast(inode.data.count - n) } else { inode.data += [UInt8](repeating: 0, count: n - inode.data.count) }
        inodes[open.inode] = inode
    }

    public func size(_ file: FileDescriptor) throws(FileSystemError) -> Int64 {
        if powerIsOff { throw FileSystemError(code: EIO, call: "fstat") }
        guard let open = handles[file.raw], let inode = inodes[open.inode] else { throw FileSystemError(code: EBADF, call: "fstat") }
        return Int64(inode.data.count)
    }

    public func rename(_ from: String, to: String) throws(FileSystemError) {
        try inject("rename", from)
        guard let number = entries[from] else { throw FileSystemError(code: ENOENT, call: "rename") }
        entries[from] = nil
        entries[to] = number
    }

    public func link(_ from: String, to: String) throws(FileSystemError) {
        try inject("link", to)
        guard let number = entries[from] else { throw FileSystemError(code: ENOENT, call: "link") }
        if entries[to] != nil { throw FileSystemError(code: EEXIST, call: "link") }
        entries[to] = number
    }

    public func unlink(_ path: String) throws(FileSystemError) {
        guard entries[path] != nil else { throw FileSystemError(code: ENOENT, call: "unlink") }
        try inject("unlink", path)
        entries[path] = nil
    }

    public func syncFileSystem(_ path: String) throws(FileSystemError) {
        try inject("syncfs", path)
        durableEntries = entries
        for number in Array(inodes.keys) {
            let data = inodes[number]?.data ?? []
            inodes[number]?.durable = data
        }
    }

    public func isWritable(_ path: String) -> Bool { entries[path] != nil }

    public func tryLock(_ file: FileDescriptor) -> Bool {
        guard let open = handles[file.raw] else { return false }
        if let holder = locks[open.inode], holder != file.raw { return false }
        locks[open.inode] = file.raw
        return true
    }

    public var processID: Int32 { 4242 }

    // MARK: - For tests

    /// A file's current bytes (nil when missing).
    public func contents(_ path: String) -> [UInt8]? { entries[path].flatMap { inodes[$0]?.data } }
}
