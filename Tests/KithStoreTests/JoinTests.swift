import Foundation
import Testing
import KithCore
@testable import KithStore
import KithTestSupport

/// A new laptop joins the team with a join file and its one-time code — no passphrase is
/// shared — and a family's key reaches a worker when the family is given to them.
@Suite struct JoinTests {
    @Test func aNewMembersLaptopJoinsWithTheCodeAndReceivesAFamilyWhenItIsGivenToThem() throws {
        let test = TestStore()
        let lead = try test.create()
        let family = Fixture.family(lead: Fixture.lead)
        try lead.createFamily(family, with: [Fixture.child(family.id)])
        let invitation = try lead.invite(login: "newbie", displayName: "New Worker", role: .worker, kdf: .fastForTests)
        #expect(invitation.code.count == 24)
        lead.close()

        let laptop = test.directory.file("newbie-laptop")
        #expect(throws: StoreError.joinRefused(reason: "wrongCode")) {
            try Store.join(at: laptop, file: invitation.file, code: "AAAA-BBBB-CCCC-DDDD-EEEE", passphrase: TestStore.passphrase, kdf: .fastForTests)
        }
        #expect(!FileManager.default.fileExists(atPath: laptop), "a wrong code makes nothing")
        #expect(try Store.invitedLogin(file: invitation.file, code: invitation.code.lowercased().replacingOccurrences(of: "-", with: " ")) == "newbie")
        let joined = try Store.join(at: laptop, file: invitation.file, code: invitation.code, passphrase: TestStore.passphrase,
                                    kdf: .fastForTests, clock: test.clock.storeClock)
        #expect(joined.user.login == "newbie")
        #expect(joined.manifest.storeID != "" && joined.device.raw != "")
        #expect(joined.caseload().isEmpty, "a worker sees no family until one is theirs")
        #expect(throws: StoreError.accessDenied(family: family.id.raw)) { try joined.openCase(family.id) }
        // The family's log came as bytes nobody on this laptop can read.
        #expect(FileManager.default.fileExists(atPath: StoreLayout(root: laptop).family(family.id.raw)))
        joined.close()

        // The lead gives the family to the newcomer; the next bundle brings its key.
        let again = try test.open()
        var changed = try again.openCase(family.id).family
        changed.coworkers = [invitation.user.id]
        try again.save([changed], family: family.id)
        let bundle = try again.exportBundle(for: .user(login: "newbie")).bytes
        again.close()
        let newbie = try Store.open(at: laptop, login: "newbie", passphrase: TestStore.passphrase, clock: test.clock.storeClock)
        try newbie.importBundle(bundle, file: "from-lead.kithbundle")
        #expect(newbie.caseload().map(\.familyID) == [family.id])
        #expect(try newbie.openCase(family.id).children.map(\.givenName) == ["Zebediah"])
        // They write, and their note reaches the lead.
        try newbie.save([Fixture.note(family.id, id: "NOTE-FROM-NEWBIE")], family: family.id)
        let back = try newbie.exportBundle(for: .user(login: "lead")).bytes
        newbie.close()
        let leadAgain = try test.open()
        try leadAgain.importBundle(back, file: "from-newbie.kithbundle")
        let file = try leadAgain.openCase(family.id)
        #expect(file.notes.keys.map(\.raw) == ["NOTE-FROM-NEWBIE"])
        #expect(file.meta[Fixture.note(family.id, id: "NOTE-FROM-NEWBIE").ref]?.createdBy == invitation.user.id)
        leadAgain.close()
    }

    @Test func aJoinFileIsSealedAndSomeoneWhoAlreadyUnlocksHereIsNotInvitedAgain() throws {
        let test = TestStore()
        let lead = try test.create()
        #expect(throws: StoreError.duplicateLogin(login: "worker")) { try lead.invite(login: "worker", displayName: "W", role: .worker, kdf: .fastForTests) }
        let invitation = try lead.invite(login: "teamlead2", displayName: "Second Lead", role: .teamLead, kdf: .fastForTests)
        lead.close()
        // Nothing in the file is readable without the code.
        let text = String(decoding: invitation.file, as: UTF8.self)
        #expect(!text.contains("Second Lead") && !text.contains("teamlead2"))
        #expect(throws: StoreError.joinRefused(reason: "notAJoinFile")) {
            try Store.join(at: test.directory.file("x"), file: Array("junk".utf8), code: invitation.code, passphrase: TestStore.passphrase)
        }
        var damaged = invitation.file
        damaged[damaged.count - 5] ^= 1
        #expect(throws: StoreError.joinRefused(reason: "wrongCode")) {
            try Store.join(at: test.directory.file("y"), file: damaged, code: invitation.code, passphrase: TestStore.passphrase, kdf: .fastForTests)
        }
    }
}
