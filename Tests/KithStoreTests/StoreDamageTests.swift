import Foundation
import Testing
import KithCore
@testable import KithStore
import KithTestSupport

/// Byte ranges of a Kith log's frames, for damaging files in tests.
func frameRanges(_ bytes: [UInt8]) -> [Range<Int>] {
    var offset = 8 + 3 + Int(bytes[10])
    var ranges: [Range<Int>] = []
    while offset + 16 <= bytes.count {
        // [marker 4][sequence 4][length 4][check 4][sealed length]
        let length = Int(bytes[offset + 8]) | Int(bytes[offset + 9]) << 8 | Int(bytes[offset + 10]) << 16 | Int(bytes[offset + 11]) << 24
        guard offset + 16 + length <= bytes.count else { break }
        ranges.append(offset..<(offset + 16 + length))
        offset += 16 + length
    }
    return ranges
}

/// Two families, A (with a child and `notesForA` notes) and B (with a parent), closed cleanly.
func storeWithTwoFamilies(notesForA: Int) throws -> (TestStore, Family, Family) {
    let test = TestStore()
    let store = try test.create()
    let a = Fixture.family("AAAA0000000000001", lead: Fixture.lead)
    let b = Fixture.family("BBBB0000000000001", lead: Fixture.lead, name: "Brackenridge family")
    try store.createFamily(a, with: [Fixture.child(a.id)])
    for n in 0..<notesForA { try store.save([Fixture.note(a.id, id: "NOTE-A\(n + 1)")], family: a.id) }
    try store.createFamily(b, with: [Fixture.parent(b.id)])
    store.close()
    return (test, a, b)
}

/// Opens the store and runs `check` twice, each time on a fresh open: both must fail and
/// report `problem` (damage is never reported once and then forgotten).
func expectReportedByEveryCheck(_ test: TestStore, _ problem: StoreProblem, sourceLocation: SourceLocation = #_sourceLocation) throws {
    for run in 1...2 {
        let store = try test.open()
        let report = store.check()
        #expect(report.problems.contains(problem), "check \(run): \(report.problems)", sourceLocation: sourceLocation)
        #expect(!report.isClean, "check \(run)", sourceLocation: sourceLocation)
        store.close()
    }
}

func read(_ path: String) -> [UInt8] { Array(FileManager.default.contents(atPath: path)!) }
func write(_ path: String, _ bytes: [UInt8]) { FileManager.default.createFile(atPath: path, contents: Data(bytes)) }

@Suite struct StoreDamageTests {
    /// Two families, A with three saves and B with one, closed cleanly.
    func twoFamilies() throws -> (TestStore, Family, Family) { try storeWithTwoFamilies(notesForA: 2) }

    func quarantined(_ test: TestStore) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: StoreLayout(root: test.root).quarantine)) ?? []
    }

    @Test func aFlippedByteIsDetectedReportedAndSetAside() throws {
        let (test, a, b) = try twoFamilies()
        let path = StoreLayout(root: test.root).family(a.id.raw)
        var bytes = read(path)
        let second = frameRanges(bytes)[1]
        bytes[second.lowerBound + 30] ^= 0x01
        write(path, bytes)

        let store = try test.open()
        let file = try store.openCase(a.id)
        #expect(file.notes[ContactNote.ID("NOTE-A1")] == nil)       // the damaged save is set aside…
        #expect(file.notes[ContactNote.ID("NOTE-A2")] != nil)       // …the rest still reads
        #expect(store.problems.contains(StoreProblem(.corruptEntriesSetAside, file: "families/\(a.id.raw).log", detail: "1 entries")))
        #expect(quarantined(test).contains { $0.hasPrefix("\(a.id.raw).log.") })
        #expect(try store.openCase(b.id).people.count == 1)         // other families are untouched
        #expect(!store.check().isClean)                              // check reports what was found…
        store.close()
        let again = try test.open()
        #expect(!again.check().isClean)                              // …every time, until a team lead accepts it
        try again.acceptLoss(of: a.id)
        #expect(try again.auditTrail().entries.contains { $0.action == .repair && $0.fields == ["acceptEntriesSetAside"] })
        again.close()
        #expect(try test.open().check().isClean)                     // then the repaired store verifies
    }

    @Test func aTruncatedLogIsReported() throws {
        let (test, a, _) = try twoFamilies()
        let path = StoreLayout(root: test.root).family(a.id.raw)
        let bytes = read(path)
        write(path, Array(bytes.dropLast(20)))

        let store = try test.open()
        _ = try store.openCase(a.id)     // reading the family finds it shorter than recorded
        #expect(store.problems.contains { $0.kind == .truncated && $0.file == "families/\(a.id.raw).log" })
        #expect(store.problems.contains { $0.kind == .tornTailRepaired && $0.file == "families/\(a.id.raw).log" })
        let file = try store.openCase(a.id)
        #expect(file.notes.count == 1)
        #expect(!store.check().isClean)
        store.close()
        // The lost entry is not forgotten once the log has been read: every check says so.
        try expectReportedByEveryCheck(test, StoreProblem(.truncated, file: "families/\(a.id.raw).log", detail: "1 entries"))
        let lead = try test.open()
        try lead.acceptLoss(of: a.id)
        lead.close()
        #expect(try test.open().check().isClean)
    }

    @Test func aRecordMovedToAnotherFamilysFileIsDetected() throws {
        let (test, a, b) = try twoFamilies()
        let layout = StoreLayout(root: test.root)
        let aBytes = read(layout.family(a.id.raw))
        let stolen = Array(aBytes[frameRanges(aBytes)[1]])
        write(layout.family(b.id.raw), read(layout.family(b.id.raw)) + stolen)

        let store = try test.open()
        let file = try store.openCase(b.id)
        #expect(file.notes.isEmpty)
        #expect(store.problems.contains { $0.kind == .corruptEntriesSetAside && $0.file == "families/\(b.id.raw).log" })
        #expect(try store.openCase(a.id).notes.count == 2)
    }

    @Test func aTornTailFromACrashIsCutOffWithACopyKept() throws {
        let (test, a, _) = try twoFamilies()
        let path = StoreLayout(root: test.root).family(a.id.raw)
        // A crash mid-append leaves the start of a frame: its header, part of its bytes.
        let bytes = read(path)
        let last = try #require(frameRanges(bytes).last)
        write(path, bytes + Array(bytes[last].prefix(40)))
        test.markCrashed()
        let store = try test.open()
        #expect(store.problems == [StoreProblem(.tornTailRepaired, file: "families/\(a.id.raw).log")])
        #expect(try store.openCase(a.id).notes.count == 2)
        #expect(quarantined(test).count == 1)
        #expect(store.check().isClean)                               // a repaired torn tail is routine
    }

    @Test func aForeignFileIsSetAsideAndTheRestWorks() throws {
        let (test, a, b) = try twoFamilies()
        let layout = StoreLayout(root: test.root)
        write(layout.family(a.id.raw), Array("just some text file".utf8))
        let store = try test.open()
        #expect(throws: StoreError.self) { try store.openCase(a.id) }
        #expect(try store.openCase(b.id).people.count == 1)
        #expect(store.problems.contains { $0.kind == .fileSetAside && $0.file == "families/\(a.id.raw).log" })
        #expect(!FileManager.default.fileExists(atPath: layout.family(a.id.raw)))
    }

    @Test func aStaleOrMissingIndexIsRebuiltFromTheLogs() throws {
        let (test, a, _) = try twoFamilies()
        let layout = StoreLayout(root: test.root)
        let oldIndex = read(layout.index(for: Fixture.lead.raw))
        do {
            let store = try test.open()
            var family = try store.openCase(a.id).family
            family.displayName = "Renamed family"
            try store.save([family], family: a.id)
            store.close()
        }
        write(layout.index(for: Fixture.lead.raw), oldIndex) // as if the index write was lost in a crash
        let store = try test.open()
        #expect(store.row(a.id)?.displayName == "Renamed family")
        store.close()
        try FileManager.default.removeItem(atPath: layout.index(for: Fixture.lead.raw))
        // Each user's index is their own cache (the first unlock has none): one that is
        // gone is made again from the logs they can read, which is not damage.
        let again = try test.open()
        #expect(again.caseload().count == 2)
        #expect(FileManager.default.fileExists(atPath: layout.index(for: Fixture.lead.raw)) == false)
        again.close()
        #expect(FileManager.default.fileExists(atPath: layout.index(for: Fixture.lead.raw)))
    }

    @Test func anEditedAuditEntryBreaksTheChain() throws {
        let (test, _, _) = try twoFamilies()
        let path = StoreLayout(root: test.root).audit
        var bytes = read(path)
        let frames = frameRanges(bytes)
        #expect(frames.count > 3)
        // Remove the second entry: every later entry now points at the wrong predecessor.
        bytes.removeSubrange(frames[1])
        write(path, bytes)
        try? FileManager.default.removeItem(atPath: StoreLayout(root: test.root).index(for: Fixture.lead.raw))
        let store = try test.open()
        let report = store.check()
        #expect(report.problems.contains { $0.kind == .auditChainBroken })
        #expect(!report.isClean)
    }
}

@Suite struct StoreSchemaTests {
    @Test func aFirstVersionStoreIsMigrated() throws {
        // Given a store as the first release wrote it: schema 1, no audit log, no quarantine or instruments folder
        let test = TestStore()
        let store = try test.create()
        let family = Fixture.family(lead: Fixture.lead)
        try store.createFamily(family)
        store.close()
        let layout = StoreLayout(root: test.root)
        // (nor the files schema 3 added: the audit anchor, the registry, second copies)
        for path in [layout.audit, layout.auditAnchor, layout.quarantine, layout.instruments, layout.registry, layout.registry + ".2", layout.teamLog + ".2"] {
            try FileManager.default.removeItem(atPath: path)
        }
        var manifest = try JSONDecoder().decode(Manifest.self, from: Data(read(layout.manifest)))
        manifest.schema = 1
        write(layout.manifest, Array(try JSONEncoder().encode(manifest)))
        // When it is opened
        let migrated = try test.open()
        // Then it is at the current schema, with an audit trail, and its data intact
        #expect(migrated.manifest.schema == Manifest.currentSchema)
        #expect(try JSONDecoder().decode(Manifest.self, from: Data(read(layout.manifest))).schema == Manifest.currentSchema)
        #expect(FileManager.default.fileExists(atPath: layout.quarantine))
        #expect(try migrated.auditTrail().entries.prefix(2).map(\.action) == [.migrate, .unlock])
        #expect(try migrated.openCase(family.id).family == family)
        #expect(migrated.check().isClean)
    }

    @Test func aStoreFromANewerKithIsRefused() throws {
        let test = TestStore()
        try test.create().close()
        let layout = StoreLayout(root: test.root)
        var manifest = try JSONDecoder().decode(Manifest.self, from: Data(read(layout.manifest)))
        manifest.schema = 99
        write(layout.manifest, Array(try JSONEncoder().encode(manifest)))
        #expect(throws: StoreError.newerSchema(found: 99, supported: Manifest.currentSchema)) { try test.open() }
    }
}

@Suite struct DraftTests {
    @Test func theNewestDraftWinsAndSurvivesATornWrite() throws {
        let test = TestStore()
        let store = try test.create()
        for i in 1...5 {
            try store.saveDraft(Draft(id: Draft.ID("D1"), author: Fixture.lead, family: nil, form: "contactNote", savedAt: Double(i), payload: .int(Int64(i))))
        }
        #expect(store.drafts().map(\.payload) == [.int(5)])
        store.close()
        let path = StoreLayout(root: test.root).draft("D1")
        let bytes = read(path)
        write(path, bytes + Array(bytes[try #require(frameRanges(bytes).last)].prefix(30)))   // a crash mid-append
        let again = try test.open()
        #expect(again.drafts().map(\.payload) == [.int(5)])
        try again.saveDraft(Draft(id: Draft.ID("D1"), author: Fixture.lead, family: nil, form: "contactNote", savedAt: 6, payload: .int(6)))
        #expect(again.drafts().map(\.payload) == [.int(6)])
        try again.discardDraft(Draft.ID("D1"))
        #expect(again.drafts().isEmpty)
    }

    @Test func draftsBelongToTheirAuthor() throws {
        let test = TestStore()
        let store = try test.create()
        try store.saveDraft(Draft(id: Draft.ID("D1"), author: Fixture.lead, family: nil, form: "x", savedAt: 1, payload: .null))
        store.close()
        #expect(try test.open("worker").drafts().isEmpty)
    }

    @Test func longJournalsAreCompacted() throws {
        let test = TestStore()
        let store = try test.create()
        let big = String(repeating: "x", count: 40_000)
        for i in 1...20 {
            try store.saveDraft(Draft(id: Draft.ID("D1"), author: Fixture.lead, family: nil, form: "x", savedAt: Double(i), payload: .string(big + "\(i)")))
        }
        let size = try #require(FileManager.default.attributesOfItem(atPath: StoreLayout(root: test.root).draft("D1"))[.size] as? Int)
        #expect(size < 600_000)
        #expect(store.drafts().first?.payload == .string(big + "20"))
    }
}
