import Foundation
import Testing
import KithCore
@testable import KithStore
import KithTestSupport

/// Every entry of a log is signed by the user it names, and only what that user was
/// entitled to do is applied. Someone who can write the store's files (any user: they all
/// hold the data key) can append frames, but not sign them as someone else, nor give
/// themselves rights. The forgeries here are the ones a review made by hand.
@Suite struct SignatureTests {
    /// A store with the lead, two workers and one family led by "worker".
    func store() throws -> (TestStore, Family.ID) {
        let test = TestStore()
        let lead = try test.create()
        let family = Fixture.family()
        try lead.createFamily(family, with: [Fixture.child(family.id)])
        lead.close()
        return (test, family.id)
    }

    /// Appends a frame to the team log as someone editing the files would.
    func forgeTeamEntry(_ store: Store, _ payload: [UInt8]) throws {
        try store.teamLog.append(payload, io: store.io, keyring: store.keyring) { _ throws(StoreError) in }
    }

    /// A signed batch sealed with the newest key of the family `store`'s user holds, as the
    /// family's log holds entries.
    func sealed(_ store: Store, _ batch: [UInt8], family: Family.ID) throws -> [UInt8] {
        let epoch = try #require(store.heldEpochs(family).first, "holds a key of the family")
        let key = try #require(store.keys(family, epoch: epoch).first).key
        return FamilyEntry.seal(batch, key: key, epoch: epoch, family: family, storeID: store.manifest.storeID)
    }

    /// The worker's own user record with `change`, as a team-log event.
    func selfEdit(_ store: Store, _ change: FieldChange) -> Event {
        Event(id: .random(), hlc: store.tick(), author: store.user.id, entity: store.user.ref, action: .update, changes: [change])
    }

    @Test func identitiesAreMadeWithTheUserWrappedByTheirPassphraseAndPublished() throws {
        let (test, _) = try store()
        let slots = try Store.readSlots(StoreLayout(root: test.root), FileIO(root: test.root)).slots
        #expect(slots.count == 3 && slots.allSatisfy { $0.identity != nil && $0.signedOnly == true && $0.isIntact })
        let lead = try test.open("lead")
        let root = try #require(slots.first?.root)
        #expect(Set(slots.map(\.root)) == [root], "every slot pins the founder's key")
        #expect(lead.users[Fixture.lead]?.signingKey == root)
        lead.close()
        for login in ["lead", "worker", "other"] {
            let store = try test.open(login)
            let identity = try #require(store.identity)
            #expect(store.user.signingKey == identity.publicKeys.signing)
            #expect(store.user.agreementKey == identity.publicKeys.agreement)
            store.close()
        }
        // A new passphrase wraps the same identity.
        let worker = try test.open("worker")
        let before = try #require(worker.identity?.publicKeys)
        try worker.changePassphrase(old: TestStore.passphrase, new: "a different passphrase", kdf: .fastForTests)
        worker.close()
        let again = try Store.open(at: test.root, login: "worker", passphrase: "a different passphrase")
        #expect(again.identity?.publicKeys == before)
        #expect(again.problems.isEmpty)
        again.close()
    }

    @Test func aSlotWhoseTrustWasEditedDoesNotOpen() throws {
        let (test, _) = try store()
        let layout = StoreLayout(root: test.root), io = FileIO(root: test.root)
        var slots = try Store.readSlots(layout, io)
        // Point the worker's trust at a key the forger holds, checksum and all.
        let index = try #require(slots.slots.firstIndex { $0.login == "worker" })
        slots.slots[index].root = Identity.generate().publicKeys.signing
        slots.slots[index].check = slots.slots[index].computedCheck
        try Store.writeSlots(slots, layout, io)
        #expect(throws: StoreError.keySlotDamaged(login: "worker")) { try test.open("worker") }
    }

    @Test func aWorkerCannotMakeThemselvesTeamLeadByEditingTheTeamLog() throws {
        let (test, _) = try store()
        let worker = try test.open("worker")
        let promote = selfEdit(worker, FieldChange(field: "role", old: .string("worker"), new: .string("teamLead")))
        // Signed with their own key, and unsigned: both refused.
        try forgeTeamEntry(worker, worker.sealBatch([promote], owner: Store.teamLogOwner))
        try forgeTeamEntry(worker, Event.encodeBatch([promote]))
        worker.close()
        for login in ["worker", "lead"] {
            let store = try test.open(login)
            #expect(store.users[Fixture.worker]?.role == .worker, "\(login) sees the worker as a worker")
            let refused = store.problems.filter { $0.kind == .entryRefused && $0.file == "team.log" }
            #expect(refused.map(\.detail).sorted().map { $0.split(separator: "|").last.map(String.init) } == ["notPermitted", "unsigned"])
            let report = store.check()
            #expect(!report.isClean)
            store.close()
        }
        // The worker can still change their own phone.
        let again = try test.open("worker")
        try forgeTeamEntry(again, again.sealBatch([selfEdit(again, FieldChange(field: "phone", old: nil, new: .string("01970 000000")))],
                                                    owner: Store.teamLogOwner))
        again.close()
        let lead = try test.open("lead")
        #expect(lead.users[Fixture.worker]?.phone == "01970 000000")
        lead.close()
    }

    @Test func keysAreSwappedOnlyByAResetOfSomeoneElse() throws {
        let (test, _) = try store()
        let lead = try test.open("lead")
        try lead.addUser(login: "admin", displayName: "Admin", role: .admin, passphrase: TestStore.passphrase, kdf: .fastForTests, id: Fixture.admin)
        // A team lead may not replace their own key this way, nor an admin's; saving is
        // signed and applied now, refused on reading.
        let swapped = Identity.generate()
        for id in [Fixture.lead, Fixture.admin] {
            var record = try #require(lead.users[id])
            record.signingKey = swapped.publicKeys.signing
            try lead.saveTeamRecords([record])
        }
        lead.close()
        // Nor may a worker replace another's.
        let worker = try test.open("worker")
        var other = try #require(worker.users[Fixture.otherWorker])
        other.signingKey = swapped.publicKeys.signing
        try forgeTeamEntry(worker, worker.sealBatch([Event(id: .random(), hlc: worker.tick(), author: Fixture.worker, entity: other.ref, action: .update,
                                                           changes: [FieldChange(field: "signingKey", old: nil, new: .string(swapped.publicKeys.signing))])],
                                                    owner: Store.teamLogOwner))
        worker.close()
        let again = try test.open("lead")
        for id in [Fixture.lead, Fixture.admin, Fixture.otherWorker] { #expect(again.users[id]?.signingKey != swapped.publicKeys.signing) }
        #expect(again.problems.filter { $0.kind == .entryRefused && $0.detail.hasSuffix("notPermitted") }.count == 3)
        again.close()
    }

    @Test func aNoteInAnotherUsersNameIsRefusedAndSetAside() throws {
        let (test, family) = try store()
        // The team lead holds the family's key, so can seal entries its readers open.
        let forger = try test.open("lead")
        let note = Fixture.note(family, id: "NOTE-FORGED", text: "forged text")
        let event = Event(id: .random(), hlc: forger.tick(), author: Fixture.worker, entity: note.ref, action: .create,
                          changes: try ValueEncoder().encode(note).changes(from: nil))
        // Named as the worker, signed by the forger; then claiming to be signed by the worker.
        let wrongAuthor = forger.sealBatch([event], owner: family.raw)
        var claimed = Array(SignedBatch.magic)
        var w = BinaryWriter()
        w.string(Fixture.worker.raw)
        w.data(Event.encodeBatch([event]))
        w.data(forger.identity!.sign(SignedBatch.signedBytes(Event.encodeBatch([event]), owner: family.raw)))
        claimed += w.bytes
        let path = forger.layout.family(family.raw)
        for (n, payload) in [wrongAuthor, claimed].enumerated() {
            try forger.io.append(path, FrameFile.frame(try sealed(forger, payload, family: family), kind: .family, owner: family.raw,
                                                       sequence: 1 + n, keyring: forger.keyring))
        }
        forger.close()

        let worker = try test.open("worker")
        let file = try worker.openCase(family)
        #expect(file.notes[note.id] == nil, "the forged note is not in the family's record")
        #expect(file.children.count == 1, "what was really written is")
        let reasons = worker.problems.filter { $0.kind == .entryRefused }.map { String($0.detail.split(separator: "|").last ?? "") }
        #expect(reasons.sorted() == ["badSignature", "notTheAuthor"])
        // Kept in the log as they are (every laptop then holds and refuses the same entries),
        // never applied, named at every reading.
        let held = try FrameFile.read(try worker.io.readAll(worker.layout.family(family.raw)), kind: .family, owner: family.raw, keyring: worker.keyring)
        #expect(held.payloads.count == 3)
        #expect(worker.problems.allSatisfy { !$0.detail.contains("forged") })
        let report = worker.check()
        #expect(!report.isClean, "check keeps naming the entries set aside")
        worker.close()
    }

    @Test func aWorkerTakenOffAFamilyIsNamedWhenTheyWriteToIt() throws {
        let (test, family) = try store()
        // "other" co-worked the family, then was taken off it: they still hold its first key.
        let lead = try test.open("lead")
        var record = try lead.openCase(family).family
        record.coworkers = [Fixture.otherWorker]
        try lead.save([record], family: family)
        record.coworkers = []
        try lead.save([record], family: family)
        lead.close()
        let other = try test.open("other")
        #expect(other.caseload().isEmpty)
        let note = Fixture.note(family, id: "NOTE-OTHER")
        let event = Event(id: .random(), hlc: other.tick(), author: other.user.id, entity: note.ref, action: .create,
                          changes: try ValueEncoder().encode(note).changes(from: nil))
        let batch = other.sealBatch([event], owner: family.raw)
        // With the key they kept (signed by them, not entitled), and with a key made up.
        let kept = FamilyEntry.seal(batch, key: try #require(other.keys(family, epoch: 0).first).key, epoch: 0, family: family,
                                    storeID: other.manifest.storeID)
        let madeUp = FamilyEntry.seal(batch, key: .init(size: .bits256), epoch: 1, family: family, storeID: other.manifest.storeID)
        for (n, payload) in [kept, madeUp].enumerated() {
            try other.io.append(other.layout.family(family.raw),
                                FrameFile.frame(payload, kind: .family, owner: family.raw, sequence: 3 + n, keyring: other.keyring))
        }
        other.close()
        // Laptops merge entries in any order, so someone taken off a family (their laptop may
        // not have heard yet) still adds what counts, named; a key they make up does not.
        let again = try test.open("lead")
        #expect(try again.openCase(family).notes[note.id]?.text == note.text)
        #expect(again.problems.filter { $0.kind == .writtenAfterRemoval }.map(\.detail) == ["4|\(Fixture.otherWorker.raw)"])
        let refused = again.problems.filter { $0.kind == .entryRefused }.map(\.detail)
        #expect(refused == ["5|wrongKey"])
        again.close()
    }

    @Test func aCoWorkerCannotReassignTheFamilyByAnyPath() throws {
        let (test, family) = try store()
        let lead = try test.open("lead")
        var record = try lead.openCase(family).family
        record.coworkers = [Fixture.otherWorker]
        try lead.save([record], family: family)
        lead.close()
        // Through the store: refused with a reason a person can act on.
        let other = try test.open("other")
        var takeover = try other.openCase(family).family
        takeover.lead = Fixture.otherWorker
        takeover.coworkers = []
        #expect(throws: StoreError.notPermitted(action: "changeLead")) { try other.save([takeover], family: family) }
        var dropped = try other.openCase(family).family
        dropped.coworkers = [Fixture.otherWorker, Fixture.lead]
        #expect(throws: StoreError.notPermitted(action: "changeCoworkers")) { try other.save([dropped], family: family) }
        // Through the files, signed and sealed with the key they hold: not applied.
        let before = try other.openCase(family)
        let events = try other.makeEvents(for: [takeover], in: before)
        let payload = try sealed(other, other.sealBatch(events, owner: family.raw), family: family)
        let frames = try FrameFile.read(try other.io.readAll(other.layout.family(family.raw)), kind: .family, owner: family.raw, keyring: other.keyring).frameCount
        try other.io.append(other.layout.family(family.raw), FrameFile.frame(payload, kind: .family, owner: family.raw, sequence: frames, keyring: other.keyring))
        other.close()
        let worker = try test.open("worker")
        #expect(try worker.openCase(family).family.lead == Fixture.worker)
        #expect(worker.problems.contains { $0.kind == .entryRefused && $0.detail == "\(frames + 1)|notPermitted" })
        // The family's lead worker decides who co-works it.
        var mine = try worker.openCase(family).family
        mine.coworkers = []
        try worker.save([mine], family: family)
        #expect(try worker.openCase(family).family.coworkers.isEmpty)
        worker.close()
    }

    /// A worker who approves their own request by writing the log, signed with their own
    /// key, is refused on reading: answering a sign-off is a team lead's.
    @Test func aWorkerCannotApproveTheirOwnSignOffThroughTheFiles() throws {
        let (test, family) = try store()
        let worker = try test.open("worker")
        let request = SignOff(id: SignOff.ID("SIGNOFF-REQUEST1"), familyID: family, target: EntityRef(kind: .family, id: family.raw),
                              requestedBy: Fixture.worker, requestedOn: Fixture.today)
        try worker.save([request], family: family)
        let approved = request.decided(.approved, by: Fixture.worker, on: Fixture.today, comment: "")
        #expect(throws: StoreError.notPermitted(action: "signOff")) { try worker.save([approved], family: family) }
        let events = try worker.makeEvents(for: [approved], in: try worker.openCase(family))
        let payload = try sealed(worker, worker.sealBatch(events, owner: family.raw), family: family)
        let frames = try FrameFile.read(try worker.io.readAll(worker.layout.family(family.raw)), kind: .family, owner: family.raw, keyring: worker.keyring).frameCount
        try worker.io.append(worker.layout.family(family.raw), FrameFile.frame(payload, kind: .family, owner: family.raw, sequence: frames, keyring: worker.keyring))
        worker.close()
        let lead = try test.open("lead")
        #expect(try lead.openCase(family).signOffs[request.id]?.state == .pending)
        #expect(lead.problems.contains { $0.kind == .entryRefused && $0.detail == "\(frames + 1)|notPermitted" })
        // The lead's own answer counts.
        try lead.save([request.decided(.approved, by: Fixture.lead, on: Fixture.today, comment: "")], family: family)
        #expect(try lead.openCase(family).signOffs[request.id]?.state == .approved)
        lead.close()
    }

    @Test func anEntryMovedToAnotherFamilysLogDoesNotCount() throws {
        let (test, family) = try store()
        let lead = try test.open("lead")
        let second = Fixture.family("FAM00000000000002", lead: Fixture.worker, name: "Second family")
        try lead.createFamily(second)
        let note = Fixture.note(family, id: "NOTE-MOVED")
        let event = Event(id: .random(), hlc: lead.tick(), author: lead.user.id, entity: note.ref, action: .create,
                          changes: try ValueEncoder().encode(note).changes(from: nil))
        // Signed for the first family's log and sealed with its key, appended to the
        // second's; then signed for the second's but sealed with the first's key.
        let moved = try sealed(lead, lead.sealBatch([event], owner: family.raw), family: family)
        let resealed = try sealed(lead, lead.sealBatch([event], owner: family.raw), family: second.id)
        for (n, payload) in [moved, resealed].enumerated() {
            try lead.io.append(lead.layout.family(second.id.raw),
                               FrameFile.frame(payload, kind: .family, owner: second.id.raw, sequence: 1 + n, keyring: lead.keyring))
        }
        lead.close()
        let again = try test.open("lead")
        _ = try again.openCase(second.id)
        let refused = again.problems.filter { $0.kind == .entryRefused }.map(\.detail)
        #expect(refused.sorted() == ["2|wrongKey", "3|badSignature"])
        again.close()
    }

    /// Makes the store what an earlier Kith left: plain entries, users without keys, slots
    /// without identities, one key for every family (and no index, rebuilt from the logs).
    func makeLegacy(_ test: TestStore, _ family: Family.ID) throws {
        let lead = try test.open("lead")
        lead.close()
        let opened = try #require(lead.openEntry(try FrameFile.read(try lead.io.readAll(lead.layout.family(family.raw)), kind: .family,
                                                                     owner: family.raw, keyring: lead.keyring).payloads[0], family: family))
        #expect(try SignedBatch.open(opened.batch).events.count == 2)
        func plain(_ payload: [UInt8]) throws -> [UInt8] {
            Event.encodeBatch(try SignedBatch.open(payload).events.map { event in
                var event = event
                event.changes = event.changes.filter { $0.field != "signingKey" && $0.field != "agreementKey" }
                return event
            })
        }
        var teamLog = lead.teamLog
        let (payloads, _) = try teamLog.load(io: lead.io, keyring: lead.keyring) { _ throws(StoreError) in }
        try teamLog.create(payloads.map(plain), io: lead.io, keyring: lead.keyring)
        let path = lead.layout.family(family.raw)
        let contents = try FrameFile.read(try lead.io.readAll(path), kind: .family, owner: family.raw, keyring: lead.keyring)
        var bytes = FrameFile.header(kind: .family, owner: family.raw)
        for (n, payload) in contents.payloads.enumerated() {
            let batch = try #require(lead.openEntry(payload, family: family)).batch
            bytes += FrameFile.frame(try plain(batch), kind: .family, owner: family.raw, sequence: n, keyring: lead.keyring)
        }
        try lead.io.writeAtomically(path, bytes)
        let layout = StoreLayout(root: test.root)
        for name in try FileManager.default.contentsOfDirectory(atPath: test.root) where name.hasPrefix("index") || name.hasPrefix("grants") {
            try lead.io.remove("\(test.root)/\(name)")
        }
        var manifest = try Store.readManifest(layout, lead.io)
        manifest.schema = 3
        try Store.writeManifest(manifest, layout, lead.io)
        var slots = try Store.readSlots(layout, lead.io)
        for i in slots.slots.indices {
            slots.slots[i].identity = nil
            slots.slots[i].root = nil
            slots.slots[i].signedOnly = nil
            slots.slots[i].check = slots.slots[i].computedCheck
        }
        try Store.writeSlots(slots, layout, lead.io)
    }

    @Test func theFirstTeamLeadToUnlockClosesAnUnsignedHistory() throws {
        let (test, family) = try store()
        try makeLegacy(test, family)
        let lead = try test.open("lead")
        #expect(!lead.unsignedTeamEntries, "the lead's unlock signed a checkpoint of the history")
        lead.close()
        // A worker editing the files appends an unsigned promotion: nobody takes it now.
        let worker = try test.open("worker")
        #expect(!worker.unsignedTeamEntries)
        let promote = selfEdit(worker, FieldChange(field: "role", old: .string("worker"), new: .string("teamLead")))
        try forgeTeamEntry(worker, Event.encodeBatch([promote]))
        worker.close()
        for login in ["worker", "lead"] {
            let store = try test.open(login)
            #expect(store.users[Fixture.worker]?.role == .worker, "\(login)")
            #expect(store.problems.contains { $0.kind == .entryRefused && $0.file == "team.log" && $0.detail.hasSuffix("|unsigned") }, "\(login)")
            #expect(!store.check().isClean)
            store.close()
        }
        // Slipping it into the history before the checkpoint instead is reported.
        let forger = try test.open("worker")
        var log = forger.teamLog
        var (payloads, _) = try log.load(io: forger.io, keyring: forger.keyring) { _ throws(StoreError) in }
        payloads.removeLast()
        payloads.insert(Event.encodeBatch([promote]), at: 2)
        try log.create(payloads, io: forger.io, keyring: forger.keyring)
        forger.close()
        let again = try test.open("lead")
        #expect(again.problems.contains { $0.kind == .entryRefused && $0.file == "team.log" && $0.detail.hasSuffix("|historyChanged") })
        #expect(!again.check().isClean)
        again.close()
    }

    @Test func aStoreFromBeforeIdentitiesGetsThemAtEachUsersNextUnlock() throws {
        let (test, family) = try store()
        try makeLegacy(test, family)
        let layout = StoreLayout(root: test.root)
        let path = layout.family(family.raw)
        // The worker unlocks: what was written before still reads; they get an identity,
        // kept in their slot and published in their record.
        let worker = try test.open("worker")
        #expect(try worker.openCase(family).children.count == 1)
        let identity = try #require(worker.identity)
        #expect(worker.user.signingKey == identity.publicKeys.signing)
        let slot = try #require(try Store.readSlots(layout, FileIO(root: test.root)).slots.first { $0.login == "worker" })
        #expect(slot.identity != nil && slot.signedOnly != true && slot.root == nil && slot.isIntact)
        // Their unlock gave the family a key of its own, sealed to them (the only one with an
        // identity yet); the store's key no longer reads it.
        #expect(worker.manifest.schema == 4)
        #expect(worker.grants[family]?.map(\.recipient) == [Fixture.worker])
        let sealedNow = try FrameFile.read(try worker.io.readAll(path), kind: .family, owner: family.raw, keyring: worker.keyring)
        #expect(sealedNow.payloads.allSatisfy { FamilyEntry.epoch(of: $0) == 0 && (try? SignedBatch.open($0)) == nil })
        // What they write from now on is signed, and read as theirs by the others.
        try worker.save([Fixture.note(family)], family: family)
        worker.close()
        // The team lead's first unlock publishes their keys; the worker's next gives them
        // the family's key; from then on the lead reads it.
        let first = try test.open("lead")
        #expect(first.caseload().isEmpty)
        first.close()
        try test.open("worker").close()
        let again = try test.open("lead")
        #expect(again.users[Fixture.worker]?.signingKey == identity.publicKeys.signing)
        #expect(try again.openCase(family).notes.count == 1)
        #expect(again.problems.allSatisfy { $0.kind != .entryRefused }, "\(again.problems)")
        again.close()
        let checked = try test.open("worker")
        #expect(checked.identity?.publicKeys == identity.publicKeys, "the same identity at the next unlock")
        #expect(checked.check().isClean, "\(checked.problems)")
        checked.close()
    }
}

