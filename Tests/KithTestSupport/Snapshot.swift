import Foundation
import Testing

/// Full-screen text goldens live in `Tests/KithUITests/Snapshots/<name>.txt`.
/// Set `KITH_RECORD_SNAPSHOTS=1` to re-record; recording is reported as a failure so a
/// recorded golden is always looked at before it is committed.
public func assertSnapshot(_ text: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("KithUITests/Snapshots")
    let file = directory.appendingPathComponent("\(name).txt")
    let recording = ProcessInfo.processInfo.environment["KITH_RECORD_SNAPSHOTS"] == "1"
    guard !recording, let saved = try? String(contentsOf: file, encoding: .utf8) else {
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try? (text + "\n").write(to: file, atomically: true, encoding: .utf8)
        Issue.record("Recorded snapshot \(name).txt — check it and run the tests again", sourceLocation: sourceLocation)
        return
    }
    let expected = saved.hasSuffix("\n") ? String(saved.dropLast()) : saved
    if expected != text {
        let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let b = text.split(separator: "\n", omittingEmptySubsequences: false)
        var diff: [String] = []
        for i in 0..<max(a.count, b.count) where (i < a.count ? a[i] : "") != (i < b.count ? b[i] : "") {
            diff.append("line \(i + 1)\n- \(i < a.count ? a[i] : "")\n+ \(i < b.count ? b[i] : "")")
        }
        Issue.record("Snapshot \(name) differs:\n\(diff.prefix(8).joined(separator: "\n"))", sourceLocation: sourceLocation)
    }
}
