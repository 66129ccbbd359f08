import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The single-writer lock: an advisory `flock` on `lock`, held while the store is open.
/// A second process is refused with the first one's process id.
final class StoreLock {
    private var fd: Int32

    private init(fd: Int32) { self.fd = fd }

    static func acquire(_ layout: StoreLayout, io: FileIO) throws(StoreError) -> StoreLock {
        let fd = open(layout.lock, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            let code = errno
            if code == EACCES || code == EROFS || code == EPERM { throw .notWritable(path: layout.root) }
            throw .io(file: "lock", operation: "open", reason: String(cString: strerror(code)))
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            var buffer = [UInt8](repeating: 0, count: 32)
            let n = pread(fd, &buffer, buffer.count, 0)
            close(fd)
            let pid = n > 0 ? Int32(String(decoding: buffer[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) : nil
            throw .locked(path: layout.root, pid: pid)
        }
        var text = Array("\(getpid())\n".utf8)
        ftruncate(fd, 0)
        _ = pwrite(fd, &text, text.count, 0)
        return StoreLock(fd: fd)
    }

    func release() {
        guard fd >= 0 else { return }
        flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }

    deinit { release() }
}
