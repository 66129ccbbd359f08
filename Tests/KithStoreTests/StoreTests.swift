import Foundation
import Testing
import KithCore
@testable import KithStore
import KithTestSupport

@Suite struct StoreRoundTripTests {
    @Test func everyRecordKindSurvivesSaveAndReopen() throws {
        // Given a store with a family led by "worker" holding one record of every kind
        let test = TestStore()
        try test.create().close()
        let family = Fixture.family(lead: Fixture.worker)
        let records = Fixture.everyRecord(family.id)
        do {
            let store = try test.open("worker")
            try store.createFamily(family)
            try store.save(records, family: family.id)
            store.close()
        }
        // When the store is opened again
        let store = try test.open("worker")
        let file = try store.openCase(family.id)
        // Then every record reads back exactly, with who made it
        #expect(file.family == family)
        for record in records {
            #expect(file.value(of: record.ref) == (try ValueEncoder().encode(record)), "\(record.ref.kind)")
            #expect(file.meta[record.ref]?.createdBy == Fixture.worker)
        }
        #expect(file.unreadable.isEmpty)
        #expect(store.problems.isEmpty)
    }

    @Test func unchangedSavesWriteNothingAndChangesRecordOldAndNew() throws {
        let test = TestStore()
        let store = try test.create()
        let family = Fixture.family(lead: Fixture.lead)
        try store.createFamily(family)
        let size = try #require(FileIO(root: test.root).size(StoreLayout(root: test.root).family(family.id.raw)))
        try store.save([family], family: family.id)
        #expect(FileIO(root: test.root).size(StoreLayout(root: test.root).family(family.id.raw)) == size)
        var changed = family
        changed.riskLevel = .high
        let file = try store.save([changed], family: family.id)
        let last = try #require(file.events.last)
        #expect(last.action == .update)
        // The change names the one it replaced: the family's creation.
        let created = try #require(file.events.first { $0.entity == family.ref })
        #expect(last.changes == [FieldChange(path: "riskLevel", old: .string("medium"), new: .string("high"), bases: [created.id])])
        #expect(last.author == Fixture.lead)
    }

    @Test func savedNotesAndCompletedAssessmentsCannotBeRewritten() throws {
        let test = TestStore()
        let store = try test.create()
        let family = Fixture.family(lead: Fixture.lead)
        try store.createFamily(family)
        var note = Fixture.note(family.id)
        try store.save([note], family: family.id)
        note.text = "rewritten"
        #expect(throws: StoreError.immutable(record: "contactNote:\(note.id.raw)")) { try store.save([note], family: family.id) }
        let addendum = Addendum(id: Addendum.ID("AD"), familyID: family.id, target: note.ref, author: Fixture.lead, date: Fixture.today, text: "correction")
        #expect(try store.save([addendum], family: family.id).addenda.count == 1)
    }

    @Test func printsAndViewsAreRecorded() throws {
        let test = TestStore()
        let store = try test.create()
        let family = Fixture.family(lead: Fixture.lead)
        try store.createFamily(family)
        _ = try store.openCase(family.id)
        try store.recordOutput(.print, of: family.ref, family: family.id, format: "html")
        let file = try store.openCase(family.id)
        #expect(file.events.last?.action == .print)
        let trail = try store.auditTrail()
        #expect(trail.brokenAt.isEmpty)
        #expect(trail.entries.map(\.action).filter { $0 == .view }.count == 2)
        #expect(trail.entries.contains { $0.action == .print && $0.target == family.ref.description })
    }
}

@Suite struct StoreAccessTests {
    @Test func workersNeverSeeAnotherWorkersFamilyByAnyPath() throws {
        let test = TestStore()
        let lead = try test.create()
        let mine = Fixture.family("MINE0000000000001", lead: Fixture.worker)
        let theirs = Fixture.family("THEIRS00000000001", lead: Fixture.otherWorker)
        try lead.createFamily(mine)
        try lead.createFamily(theirs)
        #expect(lead.caseload().count == 2)
        lead.close()
        let worker = try test.open("worker")
        #expect(worker.caseload().map(\.familyID) == [mine.id])
        #expect(worker.row(theirs.id) == nil)
        #expect(worker.family(reference: theirs.reference) == nil)
        #expect(throws: StoreError.accessDenied(family: theirs.id.raw)) { try worker.openCase(theirs.id) }
        #expect(throws: StoreError.accessDenied(family: theirs.id.raw)) { try worker.save([Fixture.note(theirs.id)], family: theirs.id) }
        #expect(throws: StoreError.accessDenied(family: theirs.id.raw)) { try worker.recordOutput(.print, of: theirs.ref, family: theirs.id, format: "txt") }
        // A duplicate check may point at the other family, by reference only.
        let candidates = worker.duplicateCandidates(members: [], familyName: "Quillfeather family")
        #expect(candidates.contains { $0.candidate.familyID == theirs.id && !$0.visible })
    }

    @Test func onlyAdminsAndLeadsAddUsers() throws {
        let test = TestStore()
        try test.create().close()
        let worker = try test.open("worker")
        #expect(throws: StoreError.notPermitted(action: "addUsers")) {
            try worker.addUser(login: "x", displayName: "X", role: .worker, passphrase: "long enough pass", kdf: .fastForTests)
        }
    }
}

@Suite struct StoreSecurityTests {
    func snapshot(_ root: String) -> [String: [UInt8]] {
        var files: [String: [UInt8]] = [:]
        let enumerator = FileManager.default.enumerator(atPath: root)
        while let name = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: "\(root)/\(name)", isDirectory: &isDirectory), !isDirectory.boolValue, name != "lock" {
                files[name] = Array(FileManager.default.contents(atPath: "\(root)/\(name)") ?? Data())
            }
        }
        return files
    }

    @Test func aWrongPassphraseGetsAClearErrorAndChangesNothing() throws {
        let test = TestStore()
        let store = try test.create()
        try store.createFamily(Fixture.family(lead: Fixture.lead))
        store.close()
        let before = snapshot(test.root)
        #expect(throws: StoreError.wrongPassphrase(login: "lead")) {
            try Store.open(at: test.root, login: "lead", passphrase: "not the passphrase")
        }
        #expect(throws: StoreError.unknownUser(login: "nobody")) {
            try Store.open(at: test.root, login: "nobody", passphrase: TestStore.passphrase)
        }
        // Nothing but the count of wrong passphrases (told at the next unlock).
        var after = snapshot(test.root)
        #expect(after.removeValue(forKey: "attempts.json").map { String(decoding: $0, as: UTF8.self) } == #"{"lead":1}"#)
        #expect(after == before)
    }

    @Test func changingAPassphraseRewrapsOneSlotOnly() throws {
        let test = TestStore()
        let store = try test.create()
        try store.createFamily(Fixture.family(lead: Fixture.lead))
        store.close()
        let before = snapshot(test.root)
        let worker = try test.open("worker")
        #expect(throws: StoreError.wrongPassphrase(login: "worker")) { try worker.changePassphrase(old: "wrong one!", new: "a new passphrase", kdf: .fastForTests) }
        try worker.changePassphrase(old: TestStore.passphrase, new: "a new passphrase", kdf: .fastForTests)
        worker.close()
        let after = snapshot(test.root)
        let familyLogs = before.keys.filter { $0.hasPrefix("families/") }
        #expect(!familyLogs.isEmpty)
        for name in familyLogs { #expect(after[name] == before[name]) }
        let slotsBefore = try JSONDecoder().decode(KeySlots.self, from: Data(before["keys.json"]!)).slots
        let slotsAfter = try JSONDecoder().decode(KeySlots.self, from: Data(after["keys.json"]!)).slots
        #expect(zip(slotsBefore, slotsAfter).filter { $0 != $1 }.map(\.1.login) == ["worker"])
        #expect(throws: StoreError.wrongPassphrase(login: "worker")) { try test.open("worker") }
        _ = try Store.open(at: test.root, login: "worker", passphrase: "a new passphrase")
    }

    @Test func nothingOnDiskShowsCaseDataInTheClear() throws {
        let test = TestStore()
        let store = try test.create()
        let family = Fixture.family(lead: Fixture.lead)
        try store.createFamily(family, with: [Fixture.child(family.id), Fixture.parent(family.id)])
        try store.save([Fixture.note(family.id)], family: family.id)
        try store.saveDraft(Draft(id: Draft.ID("D1"), author: Fixture.lead, family: family.id, form: "contactNote", savedAt: 1,
                                  payload: .string("Zebediah hidden-note-text-7731")))
        store.close()
        for (name, bytes) in snapshot(test.root) {
            let text = String(decoding: bytes, as: UTF8.self)
            for word in Fixture.secretWords + ["Quillfeather family", "Test Street"] {
                #expect(!text.contains(word), "\(word) readable in \(name)")
            }
        }
    }

    @Test func aSecondWriterIsRefusedWithTheFirstOnesProcess() throws {
        let test = TestStore()
        let first = try test.create()
        #expect(throws: StoreError.locked(path: test.root, pid: getpid())) { try test.open("worker") }
        first.close()
        _ = try test.open("worker")
    }

    @Test func aReadOnlyPlaceGivesAClearError() throws {
        let path: String
        let directory = TemporaryDirectory()
        if getuid() == 0 {
            path = "/sys/kith-store-test" // read-only even for root
        } else {
            chmod(directory.path, 0o500)
            path = directory.file("store")
        }
        defer { chmod(directory.path, 0o700) }
        #expect(throws: StoreError.notWritable(path: path)) {
            try Store.create(at: path, teamName: "T", firstUser: .init(login: "a", displayName: "A", role: .teamLead),
                             passphrase: TestStore.passphrase, kdf: .fastForTests)
        }
    }

    @Test func shortPassphrasesAreRefused() {
        let test = TestStore()
        #expect(throws: StoreError.weakPassphrase(minimum: 12)) {
            try Store.create(at: test.root, teamName: "T", firstUser: .init(login: "a", displayName: "A", role: .teamLead), passphrase: "short", kdf: .fastForTests)
        }
    }
}
