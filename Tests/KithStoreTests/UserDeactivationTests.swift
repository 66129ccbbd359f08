import Testing
import KithCore
@testable import KithStore
import KithTestSupport

/// A user who leaves is deactivated: they can no longer unlock, what they wrote stays theirs.
@Suite struct UserDeactivationTests {
    @Test func aDeactivatedWorkerCanNoLongerUnlockAndTheirWorkStays() throws {
        let test = TestStore()
        let lead = try test.create()
        let family = Fixture.family()
        try lead.createFamily(family)
        lead.close()
        let worker = try test.open("worker")
        try worker.save([Fixture.note(family.id)], family: family.id)
        worker.close()

        let again = try test.open("lead")
        try again.deactivateUser(login: "worker")
        #expect(again.users[Fixture.worker]?.active == false)
        #expect(try again.userList().first { $0.user.login == "worker" }?.user.active == false)
        #expect(try again.auditTrail().entries.last?.action == .deactivateUser)
        again.close()
        #expect(throws: StoreError.unknownUser(login: "worker")) { try test.open("worker") }
        #expect(try Store.userSlots(at: test.root).map(\.login).sorted() == ["lead", "other"])
        // Their note is still in the family's record, signed by them, and nothing is refused.
        let reader = try test.open("lead")
        let file = try reader.openCase(family.id)
        #expect(file.notes.count == 1)
        #expect(file.meta[Fixture.note(family.id).ref]?.createdBy == Fixture.worker)
        #expect(reader.check().isClean, "\(reader.problems)")
        reader.close()
    }

    @Test func onlyTeamLeadsAndAdminsDeactivateAndNobodyThemselves() throws {
        let test = TestStore()
        try test.create().close()
        let worker = try test.open("worker")
        #expect(throws: StoreError.notPermitted(action: "deactivateUsers")) { try worker.deactivateUser(login: "other") }
        worker.close()
        let lead = try test.open("lead")
        #expect(throws: StoreError.notPermitted(action: "deactivateSelf")) { try lead.deactivateUser(login: "lead") }
        #expect(throws: StoreError.unknownUser(login: "nobody")) { try lead.deactivateUser(login: "nobody") }
        lead.close()
        // And a worker who writes the deactivation into the team log by hand changes nothing.
        let forger = try test.open("worker")
        var other = try #require(forger.users[Fixture.otherWorker])
        other.active = false
        try forger.saveTeamRecords([other])
        forger.close()
        let check = try test.open("other")
        #expect(check.user.active)
        #expect(check.problems.contains { $0.kind == .entryRefused && $0.detail.hasSuffix("notPermitted") })
        check.close()
    }
}
