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
        store.close()
        // The entry set aside is not forgotten: every later check still says so.
        try expectReportedByEveryCheck(test, StoreProblem(.corruptEntriesSetAside, file: "families/\(a.id.raw).log", detail: "1 entries"))
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
        // (Each user's index is made again from the logs.)
        for name in try FileManager.default.contentsOfDirectory(atPath: layout.root) where name.hasPrefix("index") {
            try FileManager.default.removeItem(atPath: "\(layout.root)/\(name)")
        }
        var files: [(String, FrameFile.Kind, String)] = [(layout.teamLog, .team, storeID), (layout.audit, .audit, storeID)]
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

/// Case 3: damage was reported once and then forgotten.
@Suite struct DamageStaysVisibleTests {
    func twoFamilies() throws -> (TestStore, Family, Family) { try storeWithTwoFamilies(notesForA: 1) }

    /// Runs `check` twice on fresh opens; both must fail and name the family.
    func expectReportedTwice(_ test: TestStore, _ id: Family.ID, sourceLocation: SourceLocation = #_sourceLocation) throws {
        for run in 1...2 {
            let store = try test.open()
            let report = store.check()
            #expect(!report.isClean, "check \(run)", sourceLocation: sourceLocation)
            #expect(report.problems.contains { $0.kind == .familyMissing && $0.file == "families/\(id.raw).log" }, "check \(run)", sourceLocation: sourceLocation)
            let row = try #require(store.caseload().first { $0.familyID == id }, "check \(run): the family left the caseload", sourceLocation: sourceLocation)
            #expect(row.damaged, sourceLocation: sourceLocation)
            #expect(throws: StoreError.familyDamaged(reference: row.reference), sourceLocation: sourceLocation) { try store.openCase(id) }
            store.close()
        }
    }

    @Test func aDeletedLogIsReportedByEveryCheck() throws {
        let (test, a, b) = try twoFamilies()
        try FileManager.default.removeItem(atPath: StoreLayout(root: test.root).family(a.id.raw))
        try expectReportedTwice(test, a.id)
        #expect(try test.open().openCase(b.id).people.count == 1)
    }

    @Test func anEmptiedLogIsReportedByEveryCheck() throws {
        let (test, a, _) = try twoFamilies()
        write(StoreLayout(root: test.root).family(a.id.raw), [])
        try expectReportedTwice(test, a.id)
    }

    @Test func aDeletedLogIsFoundEvenWhenTheIndexIsGone() throws {
        let (test, a, _) = try twoFamilies()
        let layout = StoreLayout(root: test.root)
        try FileManager.default.removeItem(atPath: layout.family(a.id.raw))
        try FileManager.default.removeItem(atPath: layout.index(for: Fixture.lead.raw))
        try expectReportedTwice(test, a.id)
    }

    @Test func swappedLogsAreReportedAndPutBackByRepair() throws {
        let (test, a, b) = try twoFamilies()
        let layout = StoreLayout(root: test.root)
        let aBytes = read(layout.family(a.id.raw)), bBytes = read(layout.family(b.id.raw))
        write(layout.family(a.id.raw), bBytes)
        write(layout.family(b.id.raw), aBytes)
        try expectReportedTwice(test, a.id)
        try expectReportedTwice(test, b.id)

        // The way out: restore each from the copy quarantine/ kept (the files hold each other's log).
        let store = try test.open()
        let candidates = store.restoreCandidates()
        #expect(Set(candidates.map(\.family)) == [a.id, b.id])
        for candidate in candidates { _ = try store.restore(from: candidate.file) }
        #expect(try store.openCase(a.id).notes.count == 1)
        #expect(try store.openCase(b.id).people.count == 1)
        #expect(try store.auditTrail().entries.filter { $0.action == .repair }.count == 2)
        store.close()
        #expect(try test.open().check().isClean)
    }

    @Test func aTeamLeadCanAcceptALossAndItIsAudited() throws {
        let (test, a, _) = try twoFamilies()
        try FileManager.default.removeItem(atPath: StoreLayout(root: test.root).family(a.id.raw))
        do {
            let worker = try test.open("worker")
            #expect(throws: StoreError.notPermitted(action: "repair")) { try worker.acceptLoss(of: a.id) }
            worker.close()
        }
        let store = try test.open()
        try store.acceptLoss(of: a.id)
        #expect(store.caseload().allSatisfy { $0.familyID != a.id })
        #expect(try store.auditTrail().entries.contains { $0.action == .repair && $0.target == a.id.raw && $0.fields == ["acceptLoss"] })
        store.close()
        let again = try test.open()
        #expect(again.check().isClean)
        #expect(again.caseload().count == 1)
    }

    /// A log created just before a crash, before it was registered, is adopted, not lost.
    @Test func aLogCreatedJustBeforeACrashIsAdopted() throws {
        let (test, a, _) = try twoFamilies()
        let layout = StoreLayout(root: test.root)
        let keyring = try test.open().keyring
        // The registry as it was before family A was registered.
        let storeID = try JSONDecoder().decode(Manifest.self, from: Data(read(layout.manifest))).storeID
        var registry = MirroredLog(path: layout.registry, kind: .registry, owner: storeID)
        try registry.create([RegistryEntry.encode([RegistryEntry(kind: .registered, family: Family.ID("BBBB0000000000001"), team: Fixture.team)])],
                            io: FileIO(root: test.root), keyring: keyring)
        test.markCrashed()
        let store = try test.open()
        #expect(try store.openCase(a.id).notes.count == 1)
        #expect(store.check().isClean)
    }
}

/// Case 5: one damaged store file locked everyone out, with a message that wasn't true.
@Suite struct StoreFileCopiesTests {
    @Test(arguments: ["team.log", "team.log.2", "families.reg", "families.reg.2"])
    func oneDamagedCopyLocksNobodyOut(file: String) throws {
        let test = TestStore()
        let store = try test.create()
        let a = Fixture.family("AAAA0000000000001", lead: Fixture.worker)
        try store.createFamily(a)
        store.close()
        let path = "\(test.root)/\(file)"
        for damage in ["flip", "cut", "delete"] {
            var bytes = read(path)
            switch damage {
            case "flip": bytes[frameRanges(bytes)[0].lowerBound + 40] ^= 0x01
            case "cut": bytes = Array(bytes.prefix(bytes.count - 7))
            default: try FileManager.default.removeItem(atPath: path)
            }
            if damage != "delete" { write(path, bytes) }
            let again = try test.open("worker")
            #expect(again.users.count == 3, "\(file) \(damage)")
            #expect(try again.openCase(a.id).family == a, "\(file) \(damage)")
            // A cut copy is only behind (as after a crash between the two appends) and is
            // caught up quietly; a damaged or missing one is rewritten and reported.
            #expect(again.problems.contains { $0.kind == .copyRepaired } == (damage != "cut"), "\(file) \(damage): \(again.problems)")
            #expect(again.problems.allSatisfy { $0.kind == .copyRepaired }, "\(file) \(damage): \(again.problems)")
            again.close()
            #expect(try test.open().check().isClean, "\(file) \(damage): repaired for good")
        }
    }
}

/// Case 7: the single-writer lock could be bypassed by unlinking `STORE/lock`.
@Suite struct LockTests {
    @Test func unlinkingTheLockFileDoesNotLetASecondWriterIn() throws {
        let test = TestStore()
        let first = try test.create()
        try FileManager.default.removeItem(atPath: StoreLayout(root: test.root).lock)
        let error = #expect(throws: StoreError.self) { try test.open() }
        #expect({ if case .locked = error { true } else { false } }(), "\(String(describing: error))")
        first.close()
        #expect(try test.open().check().isClean)
    }
}

/// Case 4: the audit trail could be removed without trace.
@Suite struct AuditAnchorTests {
    /// A store with some audited work, closed cleanly, and a copy of its audit log then.
    func storeWithHistory() throws -> (TestStore, Family, [UInt8]) {
        let test = TestStore()
        let store = try test.create()
        let a = Fixture.family("AAAA0000000000001", lead: Fixture.lead)
        try store.createFamily(a)
        _ = try store.openCase(a.id)
        store.close()
        let early = read(StoreLayout(root: test.root).audit)
        for _ in 1...3 {
            let again = try test.open()
            _ = try again.openCase(a.id)
            again.close()
        }
        return (test, a, early)
    }

    func expectGapReportedTwice(_ test: TestStore, sourceLocation: SourceLocation = #_sourceLocation) throws {
        for run in 1...2 {
            let store = try test.open()
            let report = store.check()
            #expect(!report.isClean, "check \(run)", sourceLocation: sourceLocation)
            #expect(report.problems.contains { $0.kind == .auditTrailCut }, "check \(run): \(report.problems)", sourceLocation: sourceLocation)
            store.close()
        }
    }

    @Test func deletingTheAuditLogIsDetected() throws {
        let (test, _, _) = try storeWithHistory()
        try FileManager.default.removeItem(atPath: StoreLayout(root: test.root).audit)
        try expectGapReportedTwice(test)
    }

    @Test func cuttingTheLastEntriesIsDetected() throws {
        let (test, _, _) = try storeWithHistory()
        let path = StoreLayout(root: test.root).audit
        let bytes = read(path)
        let keep = try #require(frameRanges(bytes).dropLast(2).last)
        write(path, Array(bytes[..<keep.upperBound]))
        try expectGapReportedTwice(test)
    }

    @Test func puttingBackAnOlderCopyIsDetected() throws {
        let (test, _, early) = try storeWithHistory()
        write(StoreLayout(root: test.root).audit, early)
        try expectGapReportedTwice(test)
    }

    @Test func puttingBackOlderCopiesOfTheLogAndTheIndexIsDetected() throws {
        let test = TestStore()
        try test.create().close()
        let layout = StoreLayout(root: test.root)
        let oldAudit = read(layout.audit), oldIndex = read(layout.index(for: Fixture.lead.raw)), oldLock = read(layout.lock)
        for _ in 1...2 { try test.open().close() }
        write(layout.audit, oldAudit)
        write(layout.index(for: Fixture.lead.raw), oldIndex)
        write(layout.lock, oldLock)
        try expectGapReportedTwice(test)
    }

    @Test func deletingTheAnchorIsDetected() throws {
        let (test, _, _) = try storeWithHistory()
        try FileManager.default.removeItem(atPath: StoreLayout(root: test.root).auditAnchor)
        try expectGapReportedTwice(test)
    }

    @Test func aTeamLeadAcceptsAGapAndTheAcceptanceIsAudited() throws {
        let (test, _, _) = try storeWithHistory()
        try FileManager.default.removeItem(atPath: StoreLayout(root: test.root).audit)
        let worker = try test.open("worker")
        #expect(throws: StoreError.notPermitted(action: "repair")) { try worker.acceptAuditGaps() }
        worker.close()
        let store = try test.open()
        try store.acceptAuditGaps()
        #expect(try store.auditTrail().entries.contains { $0.action == .repair && $0.fields.first == "acceptAuditGap" })
        store.close()
        #expect(try test.open().check().isClean)
    }

    @Test func anIntactTrailIsClean() throws {
        let (test, _, _) = try storeWithHistory()
        #expect(try test.open().check().isClean)
        test.markCrashed()
        #expect(try test.open().check().isClean)
    }
}

/// Case 5, for the small files: `keys.json` and `store.json`.
@Suite struct KeyAndManifestCopiesTests {
    @Test(arguments: ["keys.json", "keys.json.2", "store.json", "store.json.2"])
    func oneDamagedOrMissingCopyLocksNobodyOut(file: String) throws {
        let test = TestStore()
        try test.create().close()
        let path = "\(test.root)/\(file)"
        for damage in ["garble", "delete"] {
            if damage == "delete" { try FileManager.default.removeItem(atPath: path) } else { write(path, Array("{ not json".utf8)) }
            let store = try test.open("worker")
            #expect(store.problems.contains(StoreProblem(.copyRepaired, file: file)), "\(file) \(damage): \(store.problems)")
            store.close()
            #expect(try test.open().check().isClean, "\(file) \(damage)")
        }
    }

    /// A damaged key slot was reported as a wrong passphrase ("Check Caps Lock").
    @Test func aDamagedSlotIsNotAWrongPassphrase() throws {
        let test = TestStore()
        try test.create().close()
        let layout = StoreLayout(root: test.root)
        func damageWorkerSlot(_ path: String) throws {
            var slots = try JSONDecoder().decode(KeySlots.self, from: Data(read(path)))
            let i = try #require(slots.slots.firstIndex { $0.login == "worker" })
            var wrapped = Array(slots.slots[i].wrapped)
            wrapped[5] = wrapped[5] == "A" ? "B" : "A"
            slots.slots[i].wrapped = String(wrapped)
            write(path, Array(try JSONEncoder().encode(slots)))
        }
        // One copy damaged: the other opens, and the damaged one is mended.
        try damageWorkerSlot(layout.keys)
        let store = try test.open("worker")
        #expect(store.problems.contains(StoreProblem(.copyRepaired, file: "keys.json")))
        store.close()
        // Both damaged: the message says so, and a wrong passphrase is still a wrong passphrase for others.
        try damageWorkerSlot(layout.keys)
        try damageWorkerSlot(layout.keys + ".2")
        #expect(throws: StoreError.keySlotDamaged(login: "worker")) { try test.open("worker") }
        #expect(throws: StoreError.wrongPassphrase(login: "other")) {
            try Store.open(at: test.root, login: "other", passphrase: "not the passphrase at all")
        }
    }
}

@Suite struct RegistryLossTests {
    /// Both copies of the registry gone: the store still opens, says so, and knows its
    /// families again from the index.
    @Test func losingBothRegistryCopiesLocksNobodyOut() throws {
        let test = TestStore()
        let store = try test.create()
        let a = Fixture.family("AAAA0000000000001", lead: Fixture.lead)
        try store.createFamily(a)
        store.close()
        let layout = StoreLayout(root: test.root)
        try FileManager.default.removeItem(atPath: layout.registry)
        write(layout.registry + ".2", Array("garbage".utf8))
        let again = try test.open()
        #expect(again.problems.contains { $0.kind == .fileSetAside && $0.file == "families.reg" })
        #expect(try again.openCase(a.id).family == a)
        again.close()
        try FileManager.default.removeItem(atPath: layout.family(a.id.raw))
        try expectReportedByEveryCheck(test, StoreProblem(.familyMissing, file: "families/\(a.id.raw).log", detail: "missing"))
    }
}
