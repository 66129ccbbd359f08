import Foundation
import KithHub
import KithStore

/// Kith's own log lines: ids, file names and kinds of events — never case content.
public enum KithLog {
    public static func write(_ line: String) {
        let stamp = ISO8601DateFormatter().string(from: Date())
        FileHandle.standardError.write(Data("\(stamp) kith: \(line)\n".utf8))
    }

    /// Logs an error by kind: store and hub errors carry only files, ids, hosts and codes; anything else only its type.
    public static func error(_ error: any Error, during what: String) {
        if error is StoreError || error is HubError {
            write("\(what) failed: \(error)")
        } else {
            write("\(what) failed: \(type(of: error))")
        }
    }
}
