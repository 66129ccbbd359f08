import Foundation
import Testing
import KithApp
import KithCore
import KithDemo
import KithStore
@testable import KithUI
import KithTestSupport

/// Referral intake, by keys: a referral brings a family, waits on the caseload with its
/// age, and its decision opens the family (or closes one that was only referred).
@Suite(.serialized) struct ReferralFlowTests {
    @Test func aReferralBringsAFamilyThatOpensOnItsDecision() throws {
        let app = try AppHarness(families: 20)
        let before = app.store.familyCount
        let (year, quarter) = TeamDashboard.quarter(of: Fixture.today)
        func quarterReturn() -> QuarterReturn {
            QuarterReturn(rows: app.store.caseload(), year: year, quarter: quarter, measures: TeamDashboard.followedMeasures())
        }
        let returnBefore = quarterReturn()
        app.run(.referral)
        #expect(app.screen.contains("Referral for a new family"), "\(app.screen)")
        try app.focus("displayName"); app.type("Referral test family")
        try app.choose("source", "health")
        try app.focus("agency"); app.type("Health visiting")
        try app.focus("reason"); app.type("Mum is struggling since the baby came; asked for help with routines.")
        try app.focus("consentToReferral"); app.press(.char(" "))
        app.press(.ctrl("s"))                                     // no family shares a word of its name: no duplicate question
        #expect(app.screen.contains("Referral recorded"), "\(app.screen)")
        #expect(app.store.familyCount == before + 1)
        let family = try #require(app.model.screens.last?.family, "the new family opens")
        #expect(family.file.family.status == .referred)
        let referral = try #require(family.file.referrals.values.first)
        #expect(referral.source == .health && referral.agency == "Health visiting" && referral.consentToReferral && referral.isPending)
        #expect(family.timeline.contains { $0.ref == referral.ref }, "the referral is on the timeline")
        // Waiting on the caseload with its age, and due for a decision in two days.
        let row = try #require(app.store.row(family.file.family.id))
        #expect(row.due.first == CaseloadRow.DueItem(kind: .referralDecision, day: Fixture.today.adding(days: 2)))
        app.press(.escape)
        #expect(app.screen.contains("1 referrals waiting (oldest 0d)"), "\(app.screen)")
        // Decide: open for early help.
        app.run(.search); app.type(row.reference); app.press(.enter)
        app.run(.referral)
        #expect(app.screen.contains("Decide the referral"))
        #expect(app.screen.contains("Mum is struggling since the baby came"))
        try app.focus("decisionReason"); app.type("Needs met by targeted support; family keen.")
        app.press(.ctrl("s"))
        #expect(app.screen.contains("Referral decided."), "\(app.screen)")
        let file = try app.store.readCase(row.familyID)
        #expect(file.family.status == .active)
        let decided = try #require(file.referrals[referral.id])
        #expect(decided.decision == .open && decided.decidedBy == app.store.user.id && decided.decidedOn == Fixture.today)
        #expect(app.store.row(row.familyID)?.due.contains { $0.kind == .referralDecision } == false)
        // The quarter's return counts the referral, and that it was opened for work.
        let returnAfter = quarterReturn()
        #expect(returnAfter.referrals == returnBefore.referrals + 1)
        #expect(returnAfter.openedForWork == returnBefore.openedForWork + 1)
        // Decided once: the store keeps it as it is.
        var again = decided
        again.decision = .noFurtherAction
        #expect(throws: StoreError.immutable(record: decided.ref.description)) { try app.store.save([again], family: row.familyID) }
    }

    /// A new referral for a closed family re-opens it when it is decided "open"; "no
    /// further action" on a family only referred closes it.
    @Test func aClosedFamilyReopensOnANewReferral() throws {
        let app = try AppHarness(families: 40)
        let closed = try #require(app.store.caseload().filter { $0.status == .closed }.min { $0.reference < $1.reference })
        // Closed families are listed once the status filter comes to them.
        for _ in FamilyStatus.allCases { app.run(.filterStatus) }
        app.run(.search); app.type(closed.reference); app.press(.enter)
        #expect(app.model.screens.last?.family?.file.family.id == closed.familyID, "\(app.screen)")
        app.run(.referral)
        #expect(try app.form().purpose == .referral(closed.familyID), "a new referral for this family, none waiting")
        try app.focus("reason"); app.type("School worried about attendance again.")
        app.press(.ctrl("s"))
        #expect(app.screen.contains("Referral recorded"), "\(app.screen)")
        #expect(app.store.row(closed.familyID)?.status == .closed, "still closed until decided")
        #expect(app.store.row(closed.familyID)?.due.contains { $0.kind == .referralDecision } == true, "but waiting on the caseload")
        app.run(.referral)
        #expect(try app.form().purpose.titleKey == "form.title.decideReferral", "the one now waiting is decided")
        try app.focus("decisionReason"); app.type("Re-open: the same worries as before.")
        app.press(.ctrl("s"))
        #expect(app.store.row(closed.familyID)?.status == .active)

        #expect(Referral.status(after: .noFurtherAction, from: .referred) == .closed)
        #expect(Referral.status(after: .signpost, from: .active) == .active, "a family being worked with stays open")
        #expect(Referral.status(after: .open, from: .closed) == .active)
    }

    @Test(arguments: [Strings.Language.en, .cy]) func theDecisionFormGoldens(_ language: Strings.Language) throws {
        let app = try AppHarness(families: 20, language: language)
        let row = try #require(app.store.caseload().filter { $0.status != .closed }.min { $0.reference < $1.reference })
        let referral = Referral(id: Referral.ID("REFERRAL-GOLDEN1"), familyID: row.familyID, receivedOn: Fixture.today.adding(days: -3), source: .school,
                                agency: "Ysgol Gynradd", contact: "Head of year, 01632 960001", reason: "Attendance has fallen to 70% this term.",
                                consentToReferral: true)
        try app.store.save([referral], family: row.familyID)
        app.run(.search); app.type(row.reference); app.press(.enter)
        app.run(.referral)
        assertSnapshot(app.screen, named: "referral-decide-\(language)-80x24")
    }
}
