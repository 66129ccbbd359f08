import Foundation
import Testing
import KithCore
import KithStore
import KithTestSupport

/// The writer process for the kill test, built beside the test binary.
func crashWriterPath() -> String {
    let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    return here.appendingPathComponent("kith-crash-writer").path
}

@Suite(.serialized) struct KillTests {
    /// Kills a writer with SIGKILL at random moments, 200 times, and proves after each kill
    /// that every save it had been told was durable is in the store, whole, and that the
    /// store still verifies.
    @Test(.timeLimit(.minutes(10))) func killedWritersNeverLoseAcknowledgedSaves() throws {
        let test = TestStore()
        let familyID = Family.ID("KILLFAMILY0000001")
        do {
            let store = try test.create()
            try store.createFamily(Fixture.family(familyID.raw, lead: Fixture.worker))
            store.close()
        }
        #expect(FileManager.default.isExecutableFile(atPath: crashWriterPath()), "build kith-crash-writer first")
        var random = SystemRandomNumberGenerator()
        var acknowledgedNotes: [String] = []
        var acknowledgedFamilies: [String] = []
        var lost: [String] = []
        var runsThatSaved = 0

        for run in 0..<200 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: crashWriterPath())
            process.arguments = [test.root, String(run), familyID.raw]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            var output = Data()
            if run % 5 == 0 {
                // Some kills land while the writer is still opening the store.
                usleep(UInt32.random(in: 1_000...20_000, using: &random))
            } else {
                // Most land while it saves: wait until it is ready, then a random moment.
                while !String(decoding: output, as: UTF8.self).contains("ready") {
                    let chunk = pipe.fileHandleForReading.availableData
                    if chunk.isEmpty { break }
                    output.append(chunk)
                }
                usleep(UInt32.random(in: 1_000...40_000, using: &random))
            }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            output.append(pipe.fileHandleForReading.readDataToEndOfFile())
            let lines = String(decoding: output, as: UTF8.self).split(separator: "\n")
            var area: (Int, String)?
            var draft: Int?
            for line in lines {
                let parts = line.split(separator: " ")
                guard parts.count == 2 else { continue }
                switch parts[0] {
                case "note": acknowledgedNotes.append(String(parts[1]))
                case "family": acknowledgedFamilies.append(String(parts[1]))
                case "area": area = (Int(parts[1].split(separator: "-").last!)!, String(parts[1]))
                case "draft": draft = Int(parts[1])
                default: break
                }
            }
            if lines.contains(where: { $0.hasPrefix("note") }) { runsThatSaved += 1 }

            let store = try test.open("worker")
            let file = try store.openCase(familyID)
            for id in acknowledgedNotes where file.notes[ContactNote.ID(id)] == nil { lost.append(id) }
            if let (counter, _) = area {
                // The acknowledged value, or one saved after it and not yet acknowledged.
                let current = file.family.area ?? ""
                let parts = current.split(separator: "-")
                #expect(parts.count == 3 && Int(parts[1]) == run && Int(parts[2])! >= counter, "area \(current) after run \(run)")
            }
            if let draft {
                let saved = store.drafts().first { $0.id == Draft.ID("D-\(run)") }
                if case .object(let fields)? = saved?.payload, case .int(let counter)? = fields["counter"] {
                    #expect(counter >= Int64(draft))
                } else {
                    Issue.record("draft of run \(run) lost")
                }
            }
            let visible = Set(store.caseload().map(\.familyID.raw))
            for id in acknowledgedFamilies where !visible.contains(id) { lost.append(id) }
            if run % 20 == 19 || run == 199 {
                let report = store.check()
                #expect(report.isClean, "run \(run): \(report.problems)")
            }
            store.close()
        }
        #expect(lost.isEmpty, "lost acknowledged saves: \(lost.prefix(10))")
        #expect(acknowledgedNotes.count > 200)
        #expect(runsThatSaved > 100)
    }
}
