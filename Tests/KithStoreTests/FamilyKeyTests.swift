import Foundation
import Testing
import KithCore
@testable import KithStore
import KithTestSupport

/// Keys per family, tested as the attacks a review made: with the store's files and any
/// one user's passphrase (the store's key included), only what that user may read opens.
/// Decryption here is done by hand from the files — grants opened with a user's own
/// identity, entries opened with what those grants give — not through the store's access
/// checks, so a mistake in those checks can't make these tests pass.
@Suite struct FamilyKeyTests {
    /// The newest entry of a family's log, as bytes on disk (the frame opened with the
    /// store's key, which every user holds).
    func newestEntry(_ store: Store, _ family: Family.ID) throws -> [UInt8] {
        let contents = try FrameFile.read(try store.io.readAll(store.layout.family(family.raw)), kind: .family, owner: family.raw, keyring: store.keyring)
        return try #require(contents.payloads.last)
    }

    /// Whether `identity` (the user `id`'s keys, as kept from their slot) opens `payload`
    /// with any grant `store`'s files hold for them.
    func decrypts(_ payload: [UInt8], family: Family.ID, as id: User.ID, identity: Identity, in store: Store) -> Bool {
        for grant in store.grants[family] ?? [] where grant.recipient == id {
            guard let granterKey = store.users[grant.granter]?.agreementKey,
                  let key = grant.open(with: identity, granterKey: granterKey, storeID: store.manifest.storeID) else { continue }
            if FamilyEntry.open(payload, key: key, family: family, storeID: store.manifest.storeID) != nil { return true }
        }
        return false
    }

    /// The lead, two workers and an admin; "mine" led by the worker, "theirs" by the other.
    func store() throws -> (TestStore, [String: Identity], Family, Family) {
        let test = TestStore()
        let lead = try test.create()
        var identities: [String: Identity] = ["lead": try #require(lead.identity)]
        let admin = Identity.generate()
        try lead.addUser(login: "admin", displayName: "Admin Person", role: .admin, passphrase: TestStore.passphrase, kdf: .fastForTests,
                         id: Fixture.admin, identity: admin)
        identities["admin"] = admin
        let mine = Fixture.family("MINE0000000000001", lead: Fixture.worker, name: "Quillfeather family")
        let theirs = Fixture.family("THEIRS00000000001", lead: Fixture.otherWorker, name: "Zanzibarre family")
        try lead.createFamily(mine, with: [Fixture.child(mine.id)])
        try lead.createFamily(theirs, with: [Fixture.child(theirs.id, given: "Ottoline", surname: "Zanzibarre")])
        lead.close()
        for login in ["worker", "other"] {
            let store = try test.open(login)
            identities[login] = try #require(store.identity)
            store.close()
        }
        return (test, identities, mine, theirs)
    }

    @Test func theAdminsOrAnotherWorkersPassphraseOpensNoFamilyTheyMayNotRead() throws {
        let (test, identities, mine, theirs) = try store()
        let admin = try test.open("admin")
        #expect(admin.caseload().isEmpty)
        #expect(throws: StoreError.accessDenied(family: mine.id.raw)) { try admin.openCase(mine.id) }
        for family in [mine, theirs] {
            let contents = try FrameFile.read(try admin.io.readAll(admin.layout.family(family.id.raw)), kind: .family, owner: family.id.raw,
                                              keyring: admin.keyring)
            #expect(!contents.payloads.isEmpty, "the store's key opens the frames")
            for payload in contents.payloads {
                #expect((try? SignedBatch.open(payload)) == nil, "but not what they hold")
                #expect(admin.openEntry(payload, family: family.id) == nil)
                #expect(!decrypts(payload, family: family.id, as: Fixture.admin, identity: identities["admin"]!, in: admin))
                #expect(!Data(payload).contains(Data("Quillfeather".utf8)) && !Data(payload).contains(Data("Zanzibarre".utf8)))
            }
        }
        // Every file the admin's passphrase opens holds neither family's name.
        var payloadsRead = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: test.root) where name.hasSuffix(".log") || name.hasSuffix(".reg") || name.hasSuffix(".bin") {
            guard let bytes = try? admin.io.readAll("\(test.root)/\(name)") else { continue }
            for kind in FrameFile.Kind.allCases {
                guard let opened = try? FrameFile.read(bytes, kind: kind, owner: admin.manifest.storeID, keyring: admin.keyring) else { continue }
                for payload in opened.payloads {
                    payloadsRead += 1
                    #expect(!Data(payload).contains(Data("Quillfeather".utf8)) && !Data(payload).contains(Data("Zanzibarre".utf8)), "\(name)")
                }
            }
        }
        #expect(payloadsRead > 10, "the team log, registry, grants and audit trail were read")
        admin.close()
        // The other worker: theirs opens, the worker's family doesn't.
        let other = try test.open("other")
        #expect(other.caseload().map(\.familyID) == [theirs.id])
        #expect(decrypts(try newestEntry(other, theirs.id), family: theirs.id, as: Fixture.otherWorker, identity: identities["other"]!, in: other))
        #expect(!decrypts(try newestEntry(other, mine.id), family: mine.id, as: Fixture.otherWorker, identity: identities["other"]!, in: other))
        // Nor does the worker's caseload index, with the store's key or the other's own.
        let workerIndex = try other.io.readAll(other.layout.index(for: Fixture.worker.raw))
        for keyring in [other.keyring, Keyring.personal(identities["other"]!, storeID: other.manifest.storeID)] {
            #expect((try? FrameFile.read(workerIndex, kind: .index, owner: other.manifest.storeID, keyring: keyring))?.payloads.isEmpty != false)
        }
        other.close()
    }

    @Test func aDeactivatedUsersKeptKeysReadNothingWrittenAfterwards() throws {
        let (test, identities, mine, _) = try store()
        // The worker keeps a copy of everything: their identity, the store's files.
        let worker = identities["worker"]!
        let lead = try test.open("lead")
        try lead.save([Fixture.note(mine.id, id: "NOTE-BEFORE")], family: mine.id)
        let before = try newestEntry(lead, mine.id)
        #expect(decrypts(before, family: mine.id, as: Fixture.worker, identity: worker, in: lead))
        try lead.deactivateUser(login: "worker")
        let moved = try #require(try lead.auditTrail().entries.last { $0.action == .deactivateUser })
        #expect(moved.fields == ["families:1"])
        var family = try lead.openCase(mine.id).family
        family.lead = Fixture.otherWorker
        try lead.save([family, Fixture.note(mine.id, id: "NOTE-AFTER")], family: mine.id)
        let after = try newestEntry(lead, mine.id)
        lead.close()
        let reader = try test.open("other")
        #expect(!decrypts(after, family: mine.id, as: Fixture.worker, identity: worker, in: reader), "written after: not for them")
        #expect(decrypts(before, family: mine.id, as: Fixture.worker, identity: worker, in: reader), "written before: as it was")
        #expect(decrypts(after, family: mine.id, as: Fixture.otherWorker, identity: identities["other"]!, in: reader))
        #expect(try reader.openCase(mine.id).notes.count == 2, "the new lead reads the family's whole history")
        #expect(reader.check().isClean, "\(reader.problems)")
        reader.close()
        #expect(throws: StoreError.self) { try test.open("worker") }
    }

    @Test func aWorkerTakenOffAFamilyReadsNothingWrittenAfterwards() throws {
        let (test, identities, mine, _) = try store()
        let lead = try test.open("lead")
        var family = try lead.openCase(mine.id).family
        family.coworkers = [Fixture.otherWorker]
        try lead.save([family], family: mine.id)
        let shared = try newestEntry(lead, mine.id)
        family.coworkers = []
        try lead.save([family], family: mine.id)
        try lead.save([Fixture.note(mine.id, id: "NOTE-LATER")], family: mine.id)
        let later = try newestEntry(lead, mine.id)
        #expect(decrypts(shared, family: mine.id, as: Fixture.otherWorker, identity: identities["other"]!, in: lead))
        #expect(!decrypts(later, family: mine.id, as: Fixture.otherWorker, identity: identities["other"]!, in: lead))
        #expect(decrypts(later, family: mine.id, as: Fixture.worker, identity: identities["worker"]!, in: lead))
        lead.close()
    }

    @Test func aDeactivatedUsersKeptKeysWriteNothingThatCounts() throws {
        let (test, identities, mine, _) = try store()
        let worker = identities["worker"]!
        let lead = try test.open("lead")
        try lead.deactivateUser(login: "worker")
        try lead.save([Fixture.note(mine.id, id: "NOTE-AFTER")], family: mine.id)
        // With the key of the family's first epoch they were given, signed with their own
        // identity: once dated after their deactivation, once dated before it. Laptops merge
        // entries in any order, so the order of the file can't tell the back-dated one from
        // work done offline before they left: it counts, with their name and its date (the
        // README says so), and is never anything but theirs.
        let grant = try #require(lead.grants[mine.id]?.first { $0.recipient == Fixture.worker && $0.epoch == 0 })
        let granterKey = try #require(lead.users[grant.granter]?.agreementKey)
        let key = try #require(grant.open(with: worker, granterKey: granterKey, storeID: lead.manifest.storeID))
        let left = try #require(lead.deactivatedAt[Fixture.worker])
        let path = lead.layout.family(mine.id.raw)
        var frames = try FrameFile.read(try lead.io.readAll(path), kind: .family, owner: mine.id.raw, keyring: lead.keyring).frameCount
        for (n, hlc) in [left.next(physicalMillis: left.wallMillis + 60_000), HLC(wallMillis: left.wallMillis - 86_400_000, counter: 0, device: left.device)].enumerated() {
            let note = Fixture.note(mine.id, id: "NOTE-FORGED-\(n)")
            let event = Event(id: .random(), hlc: hlc, author: Fixture.worker, entity: note.ref, action: .create,
                              changes: try ValueEncoder().encode(note).changes(from: nil))
            let batch = SignedBatch.seal([event], owner: mine.id.raw, signer: Fixture.worker, identity: worker)
            let payload = FamilyEntry.seal(batch, key: key, epoch: 0, family: mine.id, storeID: lead.manifest.storeID)
            try lead.io.append(path, FrameFile.frame(payload, kind: .family, owner: mine.id.raw, sequence: frames, keyring: lead.keyring))
            frames += 1
        }
        lead.close()
        let reader = try test.open("lead")
        let file = try reader.openCase(mine.id)
        #expect(Set(file.notes.keys.map(\.raw)) == ["NOTE-AFTER", "NOTE-FORGED-1"])
        #expect(file.meta[Fixture.note(mine.id, id: "NOTE-FORGED-1").ref]?.createdBy == Fixture.worker)
        let refused = reader.problems.filter { $0.kind == .entryRefused }.map { String($0.detail.split(separator: "|").last ?? "") }
        #expect(refused == ["notPermitted"])
        #expect(!reader.check().isClean, "check names what was set aside")
        reader.close()
    }

    @Test func draftsAreSealedForThoseWhoMayReadTheFamilyOrForTheirAuthorAlone() throws {
        let (test, _, mine, _) = try store()
        let worker = try test.open("worker")
        try worker.saveDraft(Draft(id: Draft.ID("DRAFT-FAMILY"), author: Fixture.worker, family: mine.id, form: "contactNote", savedAt: 1,
                                   payload: .string("draft-secret-4471")))
        try worker.saveDraft(Draft(id: Draft.ID("DRAFT-NEW"), author: Fixture.worker, family: nil, form: "newFamily", savedAt: 2,
                                   payload: .string("draft-secret-9902")))
        #expect(Set(worker.drafts().map(\.payload)) == [.string("draft-secret-4471"), .string("draft-secret-9902")])
        worker.close()
        for name in ["DRAFT-FAMILY", "DRAFT-NEW"] {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: StoreLayout(root: test.root).draft(name)))
            let frames = try FrameFile.read(Array(bytes), kind: .draft, owner: name, keyring: worker.keyring)
            #expect(frames.payloads.allSatisfy { !Data($0).contains(Data("draft-secret".utf8)) }, "the store's key doesn't open the form")
        }
        // The team lead may read the family: sees that draft (for the duplicate-work
        // warning), not the one for a family not made yet. The other worker sees neither.
        let lead = try test.open("lead")
        #expect(try lead.othersDrafts(family: mine.id).map(\.payload) == [.string("draft-secret-4471")])
        #expect(lead.allDrafts().filter(\.isReadable).map(\.id) == [Draft.ID("DRAFT-FAMILY")])
        lead.close()
        let other = try test.open("other")
        #expect(other.allDrafts().count == 2 && other.allDrafts().allSatisfy { !$0.isReadable })
        other.close()
    }

    @Test func aDraftFromBeforeIsSealedAtItsAuthorsNextUnlock() throws {
        let (test, _, mine, _) = try store()
        let worker = try test.open("worker")
        let old = Draft(id: Draft.ID("DRAFT-OLD"), author: Fixture.worker, family: mine.id, form: "contactNote", savedAt: 1, payload: .string("old-secret-5120"))
        try worker.io.writeAtomically(worker.layout.draft("DRAFT-OLD"), FrameFile.header(kind: .draft, owner: "DRAFT-OLD")
            + FrameFile.frame(old.encoded(), kind: .draft, owner: "DRAFT-OLD", sequence: 0, keyring: worker.keyring))
        worker.close()
        let again = try test.open("worker")
        #expect(again.drafts().map(\.payload) == [.string("old-secret-5120")])
        #expect(again.drafts().allSatisfy { !$0.isLegacy })
        let bytes = try again.io.readAll(again.layout.draft("DRAFT-OLD"))
        #expect(!Data(bytes).contains(Data("old-secret".utf8)))
        #expect(try FrameFile.read(bytes, kind: .draft, owner: "DRAFT-OLD", keyring: again.keyring).payloads.allSatisfy { !Data($0).contains(Data("old-secret".utf8)) })
        again.close()
    }

    @Test func aResetGivesANewKeyThatReadsTheWholeHistoryAndTheOldOneNothingNew() throws {
        let (test, identities, mine, _) = try store()
        let oldIdentity = identities["worker"]!
        let worker = try test.open("worker")
        try worker.save([Fixture.note(mine.id, id: "NOTE-BEFORE")], family: mine.id)
        worker.close()
        let lead = try test.open("lead")
        try lead.resetUser(login: "worker", passphrase: "a brand new passphrase", kdf: .fastForTests)
        #expect(try lead.auditTrail().entries.last?.action == .resetUser)
        try lead.save([Fixture.note(mine.id, id: "NOTE-AFTER")], family: mine.id)
        let after = try newestEntry(lead, mine.id)
        #expect(!decrypts(after, family: mine.id, as: Fixture.worker, identity: oldIdentity, in: lead), "the old key reads nothing new")
        lead.close()
        #expect(throws: StoreError.wrongPassphrase(login: "worker")) { try test.open("worker") }
        let again = try Store.open(at: test.root, login: "worker", passphrase: "a brand new passphrase", clock: test.clock.storeClock)
        let newIdentity = try #require(again.identity)
        #expect(newIdentity.publicKeys != oldIdentity.publicKeys)
        #expect(decrypts(after, family: mine.id, as: Fixture.worker, identity: newIdentity, in: again))
        // What they signed with the old key still counts; the whole history reads.
        #expect(try again.openCase(mine.id).notes.count == 2)
        #expect(again.check().isClean, "\(again.problems)")
        again.close()
        // Who may reset whom.
        let other = try test.open("other")
        #expect(throws: StoreError.notPermitted(action: "resetUsers")) { try other.resetUser(login: "worker", passphrase: "another new passphrase") }
        other.close()
        let leadAgain = try test.open("lead")
        #expect(throws: StoreError.notPermitted(action: "resetSelf")) { try leadAgain.resetUser(login: "lead", passphrase: "another new passphrase") }
        #expect(throws: StoreError.notPermitted(action: "resetUsers")) { try leadAgain.resetUser(login: "admin", passphrase: "another new passphrase") }
        leadAgain.close()
    }

    /// Random teams, assignments, reassignments and departures: afterwards, who can open the
    /// newest entry of each family is exactly who the access policy lets read it.
    @Test(arguments: (1...8).map(UInt64.init)) func whoCanDecryptIsExactlyWhoThePolicyAllows(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        let test = TestStore()
        let first = try test.create()
        var identities: [User.ID: Identity] = [Fixture.lead: try #require(first.identity)]
        let admin = Identity.generate()
        try first.addUser(login: "admin", displayName: "Admin", role: .admin, passphrase: TestStore.passphrase, kdf: .fastForTests,
                          id: Fixture.admin, identity: admin)
        identities[Fixture.admin] = admin
        first.close()
        for login in ["worker", "other"] {
            let store = try test.open(login)
            identities[store.user.id] = try #require(store.identity)
            store.close()
        }
        var families: [Family.ID] = []
        var newUsers = 0
        for step in 0..<24 {
            let lead = try test.open("lead")
            let workers = lead.users.values.filter { $0.active && $0.role == .worker }.map(\.id).sorted()
            switch Int.random(in: 0..<10, using: &random) {
            case 0...2 where !workers.isEmpty || families.isEmpty:
                let id = Family.ID("FAM\(seed)X\(step)Y".padding(toLength: 16, withPad: "0", startingAt: 0))
                var family = Fixture.family(id.raw, lead: workers.randomElement(using: &random) ?? Fixture.lead, name: "Family \(step)")
                family.coworkers = workers.filter { _ in Bool.random(using: &random) && Bool.random(using: &random) }.filter { $0 != family.lead }
                try lead.createFamily(family)
                families.append(id)
            case 3...4 where !families.isEmpty && !workers.isEmpty:
                let id = families.randomElement(using: &random)!
                var family = try lead.openCase(id).family
                family.lead = workers.randomElement(using: &random)
                family.coworkers.removeAll { $0 == family.lead }
                try lead.save([family], family: id)
            case 5...6 where !families.isEmpty && !workers.isEmpty:
                let id = families.randomElement(using: &random)!
                var family = try lead.openCase(id).family
                let who = workers.randomElement(using: &random)!
                if family.coworkers.contains(who) { family.coworkers.removeAll { $0 == who } } else if family.lead != who { family.coworkers.append(who) }
                try lead.save([family], family: id)
            case 7 where workers.count > 1:
                try lead.deactivateUser(login: try #require(lead.users[workers.randomElement(using: &random)!]).login)
            case 8:
                // A new worker, added by the lead.
                newUsers += 1
                let identity = Identity.generate()
                let id = User.ID("NEWUSER\(newUsers)Y".padding(toLength: 17, withPad: "0", startingAt: 0))
                try lead.addUser(login: "new\(newUsers)", displayName: "New \(newUsers)", role: .worker, passphrase: TestStore.passphrase,
                                 kdf: .fastForTests, id: id, identity: identity)
                identities[id] = identity
            default:
                // A second team lead, added by the admin, who holds no family's key.
                lead.close()
                newUsers += 1
                let store = try test.open("admin")
                let identity = Identity.generate()
                let id = User.ID("NEWLEAD\(newUsers)Y".padding(toLength: 17, withPad: "0", startingAt: 0))
                try store.addUser(login: "newlead\(newUsers)", displayName: "New lead \(newUsers)", role: .teamLead,
                                  passphrase: TestStore.passphrase, kdf: .fastForTests, id: id, identity: identity)
                identities[id] = identity
                store.close()
                continue
            }
            lead.close()
        }
        // The lead's next unlock gives the keys to whoever lacks them; a note in every
        // family is written after everything above.
        let lead = try test.open("lead")
        for id in families { try lead.save([Fixture.note(id, id: "NOTE-LAST-\(id.raw)")], family: id) }
        for id in families {
            let newest = try newestEntry(lead, id)
            let family = try lead.openCase(id).family
            for (user, identity) in identities {
                let person = try #require(lead.users[user])
                let allowed = AccessPolicy(user: person).canSee(family)
                #expect(decrypts(newest, family: id, as: user, identity: identity, in: lead) == allowed,
                        "seed \(seed): \(person.login) (\(person.role), active \(person.active)) on \(id.raw)")
            }
        }
        #expect(lead.check().isClean, "\(lead.problems)")
        lead.close()
    }
}
