import Foundation
import Testing
import KithCore
@testable import KithStore
import KithTestSupport

/// The damage cases of the store-integrity issue, each reproduced as it was found.
@Suite struct FrameDamageTests {
    /// Family A with a child and twenty notes, one frame each; closed cleanly.
    func familyWithTwentyNotes() throws -> (TestStore, Family) {
        let test = TestStore()
        let store = try test.create()
        let a = Fixture.family("AAAA0000000000001", lead: Fixture.lead)
        try store.createFamily(a, with: [Fixture.child(a.id)])
        for n in 1...20 { try store.save([Fixture.note(a.id, id: "NOTE-\(n)")], family: a.id) }
        store.close()
        return (test, a)
    }

    /// Case 2: one flipped bit in a frame's length field was read as a torn tail, and 18
    /// later saves vanished while `check` said there was no serious problem.
    @Test func aFlippedBitInALengthLosesOnlyThatEntry() throws {
        let (test, a) = try familyWithTwentyNotes()
        let path = StoreLayout(root: test.root).family(a.id.raw)
        var bytes = read(path)
        let frames = frameRanges(bytes)
        bytes[frames[3].lowerBound + 9] ^= 0x04        // the length of the frame holding NOTE-3
        write(path, bytes)

        let store = try test.open()
        let notes = try store.openCase(a.id).notes
        #expect(notes.count == 19)
        #expect(notes[ContactNote.ID("NOTE-3")] == nil)
        #expect(notes[ContactNote.ID("NOTE-20")] != nil)
        #expect(store.problems.contains(StoreProblem(.corruptEntriesSetAside, file: "families/\(a.id.raw).log", detail: "1 entries")))
        #expect(!store.check().isClean)
    }

    /// Damage in the middle of a log is never taken for the end, whichever byte it hits.
    @Test func aFlippedBitAnywhereInAFrameLosesOnlyThatEntry() throws {
        let (test, a) = try familyWithTwentyNotes()
        let path = StoreLayout(root: test.root).family(a.id.raw)
        let original = read(path)
        let frame = frameRanges(original)[5]
        let keyring = try #require(try test.open().keyring)
        var random = SeededGenerator(seed: 5)
        for _ in 0..<200 {
            var bytes = original
            let at = Int.random(in: frame, using: &random)
            bytes[at] ^= UInt8(1 << Int.random(in: 0...7, using: &random))
            let contents = try FrameFile.read(bytes, kind: .family, owner: a.id.raw, keyring: keyring)
            #expect(contents.payloads.count == frameRanges(original).count - 1, "byte \(at - frame.lowerBound) of the frame")
            #expect(contents.damagedEntries == 1)
            #expect(!contents.tornTail)
        }
    }

    /// Case 3 (header): a flipped bit in a log's header set aside an otherwise intact log.
    @Test func aFlippedBitInTheHeaderLosesNothing() throws {
        let (test, a) = try familyWithTwentyNotes()
        let path = StoreLayout(root: test.root).family(a.id.raw)
        for offset in [3, 8, 9, 10, 14] {
            var bytes = read(path)
            bytes[offset] ^= 0x10
            write(path, bytes)
            let store = try test.open()
            #expect(try store.openCase(a.id).notes.count == 20, "header byte \(offset)")
            #expect(store.problems.contains(StoreProblem(.headerRepaired, file: "families/\(a.id.raw).log")))
            #expect(FileManager.default.fileExists(atPath: path))
            store.close()
            #expect(try test.open().check().isClean, "repaired for good")
        }
    }

    /// Case 8: a draft with a flipped bit said "a copy is in quarantine/" but none was made.
    @Test func aDamagedDraftIsReallyCopiedToQuarantine() throws {
        let test = TestStore()
        let store = try test.create()
        for i in 1...3 {
            try store.saveDraft(Draft(id: Draft.ID("D1"), author: Fixture.lead, family: nil, form: "contactNote", savedAt: Double(i), payload: .int(Int64(i))))
        }
        store.close()
        let layout = StoreLayout(root: test.root)
        var bytes = read(layout.draft("D1"))
        bytes[frameRanges(bytes)[1].lowerBound + 30] ^= 0x01
        write(layout.draft("D1"), bytes)
        let again = try test.open()
        #expect(again.drafts().map(\.payload) == [.int(3)])
        #expect(again.problems.contains { $0.kind == .corruptEntriesSetAside && $0.file == "drafts/D1.draft" })
        let copies = try FileManager.default.contentsOfDirectory(atPath: layout.quarantine).filter { $0.hasPrefix("D1.draft") }
        #expect(copies.count == 1)
        #expect(read("\(layout.quarantine)/\(try #require(copies.first))") == bytes)
    }

    /// A store written by the previous release (frames in format 1) opens, is rewritten in
    /// format 2, and keeps every record, draft and audit entry.
    @Test func aStoreInTheFirstFrameFormatIsMigrated() throws {
        let (test, a) = try familyWithTwentyNotes()
        let keyring: Keyring
        do {
            let store = try test.open()
            try store.saveDraft(Draft(id: Draft.ID("D1"), author: Fixture.lead, family: a.id, form: "contactNote", savedAt: 1, payload: .string("kept")))
            keyring = store.keyring
            store.close()
        }
        let auditBefore = try test.open().auditTrail().entries.count
        let layout = StoreLayout(root: test.root)
        try downgradeToFormat1(layout, keyring: keyring, families: [a.id.raw], drafts: ["D1"])

        let store = try test.open()
        #expect(store.manifest.schema == Manifest.currentSchema)
        #expect(try store.openCase(a.id).notes.count == 20)
        #expect(store.drafts().map(\.payload) == [.string("kept")])
        #expect(try store.auditTrail().entries.count >= auditBefore + 1)
        #expect(store.check().isClean, "\(store.problems)")
        #expect(read(layout.family(a.id.raw))[8] == 2)          // format 2 now
        // and new saves append to the rewritten logs
        try store.save([Fixture.note(a.id, id: "NOTE-AFTER")], family: a.id)
        store.close()
        #expect(try test.open().openCase(a.id).notes.count == 21)
    }

    /// Rewrites a store's encrypted files as the previous release wrote them, schema 2.
    func downgradeToFormat1(_ layout: StoreLayout, keyring: Keyring, families: [String], drafts: [String]) throws {
        let storeID = try JSONDecoder().decode(Manifest.self, from: Data(read(layout.manifest))).storeID
        var files: [(String, FrameFile.Kind, String)] = [(layout.teamLog, .team, storeID), (layout.audit, .audit, storeID), (layout.index, .index, storeID)]
        files += families.map { (layout.family($0), .family, $0) }
        files += drafts.map { (layout.draft($0), .draft, $0) }
        for (path, kind, owner) in files {
            let contents = try FrameFile.read(read(path), kind: kind, owner: owner, keyring: keyring)
            var bytes = FrameFile.header(kind: kind, owner: owner, version: 1)
            for (n, payload) in contents.payloads.enumerated() {
                bytes += FrameFile.legacyFrame(payload, kind: kind, owner: owner, sequence: n, keyring: keyring)
            }
            write(path, bytes)
        }
        var manifest = try JSONDecoder().decode(Manifest.self, from: Data(read(layout.manifest)))
        manifest.schema = 2
        write(layout.manifest, Array(try JSONEncoder().encode(manifest)))
    }
}
