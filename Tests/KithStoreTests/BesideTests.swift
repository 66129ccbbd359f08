import Foundation
import Testing
import KithCore
@testable import KithStore
import KithTestSupport

/// Read-only commands (`kith print`, `kith user list`) beside a running Kith: they write
/// nothing where the running Kith writes, and what they must record reaches the store.
@Suite struct BesideTests {
    /// Every file of the store but the outbox, with its bytes.
    func storeFiles(_ root: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = try #require(FileManager.default.enumerator(atPath: root))
        for case let path as String in enumerator where !path.hasPrefix("outbox") {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: "\(root)/\(path)", isDirectory: &isDirectory), !isDirectory.boolValue {
                files[path] = try Data(contentsOf: URL(fileURLWithPath: "\(root)/\(path)"))
            }
        }
        return files
    }

    func outbox(_ root: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: StoreLayout(root: root).outbox)) ?? []).filter { !$0.hasPrefix(".") }
    }

    @Test func printingBesideARunningKithWritesOnlyItsOutboxAndTheStoreTakesItInOnce() throws {
        // Given a store open in Kith (the lead), holding a family with a note
        let test = TestStore()
        let running = try test.create()
        let family = Fixture.family(lead: Fixture.worker)
        let note = Fixture.note(family.id)
        try running.createFamily(family)
        try running.save([note], family: family.id)
        let before = try storeFiles(test.root)
        #expect(throws: StoreError.locked(path: test.root, pid: getpid())) { try test.open("worker") }

        // When a worker prints beside it
        let beside = try Store.open(at: test.root, login: "worker", passphrase: TestStore.passphrase, clock: test.clock.storeClock, beside: true)
        #expect(beside.isBeside)
        #expect(try beside.openCase(family.id).notes[note.id] == note)
        try beside.recordOutput(.print, of: note.ref, family: family.id, format: "txt")
        #expect(try beside.openCase(family.id).events.last?.action == .print)
        var changed = family
        changed.riskLevel = .high
        #expect(throws: StoreError.notPermitted(action: "writeBeside")) { try beside.save([changed], family: family.id) }

        // Then not one byte of the running store changed; one outbox file holds the session
        #expect(try storeFiles(test.root) == before)
        let files = outbox(test.root)
        #expect(files.count == 1)
        // and while the session lasts its file is left alone
        try running.ingestOutbox()
        #expect(outbox(test.root) == files)
        #expect(try running.openCase(family.id).events.last?.action != .print)

        // When it ends, the running Kith takes it in: the printout in the family's history,
        // the worker's unlock, view and print in the audit trail
        beside.close()
        let saved = try Data(contentsOf: URL(fileURLWithPath: "\(StoreLayout(root: test.root).outbox)/\(files[0])"))
        try running.ingestOutbox()
        #expect(outbox(test.root).isEmpty)
        let printed = try #require(try running.openCase(family.id).events.last)
        #expect(printed.action == .print && printed.author == Fixture.worker && printed.entity == note.ref)
        func workerEntries() throws -> [AuditEntry.Action] {
            try running.auditTrail().entries.filter { $0.actor == Fixture.worker.raw }.map(\.action)
        }
        let entries = try workerEntries()
        #expect(entries.filter { $0 == .unlock }.count == 1)
        #expect(entries.filter { $0 == .print }.count == 1)
        #expect(entries.contains(.view))

        // A crash before the file was removed brings it back: nothing is added twice
        try saved.write(to: URL(fileURLWithPath: "\(StoreLayout(root: test.root).outbox)/\(files[0])"))
        try running.ingestOutbox()
        #expect(outbox(test.root).isEmpty)
        #expect(try workerEntries() == entries)
        #expect(try running.openCase(family.id).events.filter { $0.action == .print }.count == 1)
        running.close()

        let reopened = try test.open()
        #expect(reopened.problems.isEmpty)
        #expect(try reopened.auditTrail().brokenAt.isEmpty)
        #expect(try reopened.openCase(family.id).events.filter { $0.action == .print }.count == 1)
    }

    @Test func anOutboxLeftByASessionIsTakenInByWhoeverOpensNext() throws {
        let test = TestStore()
        let running = try test.create()
        let family = Fixture.family(lead: Fixture.worker)
        try running.createFamily(family)
        let beside = try Store.open(at: test.root, login: "worker", passphrase: TestStore.passphrase, clock: test.clock.storeClock, beside: true)
        try beside.recordOutput(.print, of: family.ref, family: family.id, format: "html")
        // The running Kith closes first (the printing session still holds its file)
        running.close()
        #expect(outbox(test.root).count == 1)
        beside.close()
        // The next unlock takes it in
        let next = try test.open()
        #expect(outbox(test.root).isEmpty)
        #expect(try next.openCase(family.id).events.contains { $0.action == .print && $0.author == Fixture.worker })
    }

    @Test func aDamagedOutboxFileIsSetAsideAndNamed() throws {
        let test = TestStore()
        try test.create().close()
        let layout = StoreLayout(root: test.root)
        try FileManager.default.createDirectory(atPath: layout.outbox, withIntermediateDirectories: true)
        try Data((0..<300).map { UInt8(truncatingIfNeeded: $0 &* 7) }).write(to: URL(fileURLWithPath: "\(layout.outbox)/damaged.log"))
        let store = try test.open()
        #expect(outbox(test.root).isEmpty)
        #expect(store.problems.contains { $0.kind == .fileSetAside && $0.file == "outbox/damaged.log" })
        #expect(try FileManager.default.contentsOfDirectory(atPath: layout.quarantine).contains { $0.hasPrefix("damaged.log") })
    }
}
