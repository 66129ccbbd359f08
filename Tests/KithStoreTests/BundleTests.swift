import Foundation
import Testing
import KithCore
@testable import KithStore
import KithTestSupport

/// Bundles between two laptops of one team (a store and a copy of it, each its own
/// device): what they carry, what they change, and every reason one is refused whole.
@Suite struct BundleTests {
    struct Team {
        let test: TestStore
        let b: String
        let family: Family

        func open(_ root: String, _ login: String = "lead") throws -> Store {
            try Store.open(at: root, login: login, passphrase: TestStore.passphrase, clock: test.clock.storeClock)
        }

        /// Every byte of the store's shared files and family logs, to show nothing changed.
        func snapshot(_ root: String) throws -> [String: Data] {
            var files: [String: Data] = [:]
            let layout = StoreLayout(root: root)
            for path in [layout.teamLog, layout.registry, layout.grants] { files[path] = FileManager.default.contents(atPath: path) }
            for name in try FileManager.default.contentsOfDirectory(atPath: layout.families) {
                files[name] = FileManager.default.contents(atPath: layout.families + "/" + name)
            }
            return files
        }
    }

    func team() throws -> Team {
        let test = TestStore()
        let lead = try test.create()
        let family = Fixture.family(lead: Fixture.lead)
        try lead.createFamily(family, with: [Fixture.child(family.id)])
        lead.close()
        for login in ["worker", "other"] { try test.open(login).close() }   // each gets an identity
        let copy = test.directory.file("laptop-b")
        try FileManager.default.copyItem(atPath: test.root, toPath: copy)
        try Data("LAPTOPB000000001\n".utf8).write(to: URL(fileURLWithPath: StoreLayout(root: copy).device))
        return Team(test: test, b: copy, family: family)
    }

    func export(_ team: Team, _ root: String, _ target: BundleTarget = .everything, as login: String = "lead") throws -> (bytes: [UInt8], items: Int) {
        let store = try team.open(root, login)
        defer { store.close() }
        return try store.exportBundle(for: target)
    }

    @discardableResult
    func `import`(_ team: Team, _ root: String, _ bytes: [UInt8], as login: String = "lead") throws -> MergeReport {
        let store = try team.open(root, login)
        defer { store.close() }
        return try store.importBundle(bytes, file: "test.kithbundle")
    }

    @Test func aConflictTravelsBothWaysAndItsSettlementReachesTheOtherLaptop() throws {
        let team = try team()
        for (root, level) in [(team.test.root, RiskLevel.high), (team.b, .low)] {
            let store = try team.open(root)
            var changed = try store.openCase(team.family.id).family
            changed.riskLevel = level
            try store.save([changed], family: team.family.id)
            store.close()
            team.test.clock.advance(60)
        }
        let toB = try export(team, team.test.root)
        let report = try `import`(team, team.b, toB.bytes)
        #expect(report.entries == 1 && report.families == [team.family.id])
        let toA = try export(team, team.b, .user(login: "lead"))
        try `import`(team, team.test.root, toA.bytes)
        for root in [team.test.root, team.b] {
            let store = try team.open(root)
            #expect(try store.openCase(team.family.id).conflicts.map(\.path) == ["riskLevel"])
            #expect(store.row(team.family.id)?.conflicts == 1)
            store.close()
        }
        let a = try team.open(team.test.root)
        let conflict = try #require(try a.openCase(team.family.id).conflicts.first)
        try a.resolve(conflict, with: .string("low"), family: team.family.id)
        a.close()
        // A heard from B, so the next bundle for B carries only the family that changed.
        let settle = try export(team, team.test.root, .user(login: "lead"))
        #expect(settle.items < toB.items + 2)
        try `import`(team, team.b, settle.bytes)
        let b = try team.open(team.b)
        let file = try b.openCase(team.family.id)
        #expect(file.conflicts.isEmpty)
        #expect(file.family.riskLevel == .low)
        b.close()
    }

    @Test func theSameBundleTwiceChangesNothingTheSecondTime() throws {
        let team = try team()
        let a = try team.open(team.test.root)
        try a.save([Fixture.note(team.family.id, id: "NOTE-ON-A")], family: team.family.id)
        let newFamily = Fixture.family("NEWFAMILY00000001", lead: Fixture.worker, name: "Xylander family")
        try a.createFamily(newFamily, with: [Fixture.child(newFamily.id, given: "Oswin", surname: "Xylander")])
        a.close()
        let bundle = try export(team, team.test.root)
        let first = try `import`(team, team.b, bundle.bytes)
        #expect(first.families == [team.family.id, newFamily.id])
        #expect(first.grants > 0 && first.registrations > 0)
        let before = try team.snapshot(team.b)
        let second = try `import`(team, team.b, bundle.bytes)
        #expect(second.isEmpty)
        #expect(try team.snapshot(team.b) == before)
        // The worker on laptop B reads the new family they lead; the note is there for the lead.
        let worker = try team.open(team.b, "worker")
        #expect(try worker.openCase(newFamily.id).family.displayName == "Xylander family")
        worker.close()
        let lead = try team.open(team.b)
        #expect(try lead.openCase(team.family.id).notes.keys.map(\.raw) == ["NOTE-ON-A"])
        lead.close()
    }

    @Test func aBundleCutShortChangedOrFromElsewhereIsRefusedWholeAndChangesNothing() throws {
        let team = try team()
        let a = try team.open(team.test.root)
        try a.save([Fixture.note(team.family.id, id: "NOTE-ON-A")], family: team.family.id)
        a.close()
        let good = try export(team, team.test.root).bytes
        let before = try team.snapshot(team.b)

        var flipped = good
        flipped[good.count / 2] ^= 0x40
        let otherTeam = TestStore()
        try otherTeam.create().close()
        let foreign = try otherTeam.open().exportBundle(for: .everything).bytes
        let cases: [([UInt8], BundleRefusal)] = [
            (Array(good.prefix(good.count - 100)), .truncated),
            (Array(good.prefix(good.count / 3)), .truncated),
            (flipped, .tampered),
            (Array(good.dropLast(64)) + [UInt8](repeating: 7, count: 64), .tampered),
            (foreign, .otherTeam),
            (Array("not a bundle at all".utf8), .notABundle),
            ([], .notABundle),
        ]
        for (bytes, reason) in cases {
            #expect(throws: StoreError.bundleRefused(file: "test.kithbundle", reason: reason.rawValue)) { try `import`(team, team.b, bytes) }
        }
        #expect(try team.snapshot(team.b) == before)
    }

    @Test func aBundleFromSomeoneWithoutTheRightOrNotSealedToYouIsRefused() throws {
        let team = try team()
        // Someone added only on laptop B: A doesn't know them.
        let b = try team.open(team.b)
        try b.addUser(login: "newcomer", displayName: "New Person", role: .worker, passphrase: TestStore.passphrase, kdf: .fastForTests)
        b.close()
        try team.open(team.b, "newcomer").close()
        let fromNewcomer = try export(team, team.b, as: "newcomer").bytes
        #expect(throws: StoreError.bundleRefused(file: "test.kithbundle", reason: "unknownSender")) { try `import`(team, team.test.root, fromNewcomer) }

        // The worker writes a bundle on B; on A they have been deactivated meanwhile.
        let fromWorker = try export(team, team.b, as: "worker").bytes
        let a = try team.open(team.test.root)
        try a.deactivateUser(login: "worker")
        a.close()
        #expect(throws: StoreError.bundleRefused(file: "test.kithbundle", reason: "senderNotPermitted")) { try `import`(team, team.test.root, fromWorker) }

        // A bundle A wrote before the newcomer's record reached it isn't sealed to them.
        let beforeJoining = try export(team, team.test.root).bytes
        #expect(throws: StoreError.bundleRefused(file: "test.kithbundle", reason: "notForYou")) { try `import`(team, team.b, beforeJoining, as: "newcomer") }
    }

    @Test func aFamilyIdThatIsAPathWritesNothingOutsideTheStore() throws {
        let team = try team()
        let a = try team.open(team.test.root)
        let items = [SyncItem(kind: .family, family: "../../escaped", payload: [1, 2, 3]),
                     SyncItem(kind: .family, family: "a/b", payload: [4]), SyncItem(kind: .family, family: "", payload: [5])]
        let bytes = Bundle.write(storeID: a.manifest.storeID, sender: a.user.id, device: a.device, createdMillis: 1, identity: try #require(a.identity),
                                 recipients: a.users.values.compactMap { user in user.agreementKey.map { (user.id, $0) } },
                                 summary: SyncSummary(), items: items)
        a.close()
        let report = try `import`(team, team.b, bytes)
        #expect(report.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: team.test.directory.file("escaped.log")))
        #expect(!FileManager.default.fileExists(atPath: StoreLayout(root: team.b).families + "/a"))
        #expect(Store.isSafeFileID("K7Q3M2XABCDEFGH1") && !Store.isSafeFileID("..") && !Store.isSafeFileID("a.log"))
    }

    @Test func statusSaysWhatIsNotSentAndWhoWasHeardFrom() throws {
        let team = try team()
        let a = try team.open(team.test.root)
        let fresh = try a.syncStatus()
        #expect(fresh.lastExportMillis == nil && fresh.peers.isEmpty && fresh.notSent > 0)
        _ = try a.exportBundle(for: .everything)
        #expect(try a.syncStatus().notSent == 0)
        try a.save([Fixture.note(team.family.id, id: "NOTE-ON-A")], family: team.family.id)
        #expect(try a.syncStatus().notSent == 1)
        a.close()
        let fromB = try export(team, team.b).bytes
        try `import`(team, team.test.root, fromB)
        let again = try team.open(team.test.root)
        #expect(try again.syncStatus().peers.map(\.device.raw) == ["LAPTOPB000000001"])
        again.close()
    }
}
