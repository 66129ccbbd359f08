import Foundation
import Testing
import KithApp
import KithCore
import KithDemo
import KithStore
@testable import KithUI
import KithTestSupport

/// Supervision and sign-off, by keys, as a worker and a team lead use them on one store.
@Suite(.serialized) struct SignOffFlowTests {
    func open(_ app: AppHarness, _ reference: String) {
        app.run(.search); app.type(reference); app.press(.enter)
    }

    /// What the status line says straight after unlocking (the harness clears it).
    func unlockStatus(_ app: AppHarness) throws -> String {
        var model = AppModel(context: app.model.context, screens: [.unlock(UnlockScreen(storePath: app.root, users: []))], seed: 1)
        _ = model.update(app.effects.unlockedMessage())
        return try #require(model.status?.text)
    }

    /// Moves the family screen to its timeline, on `ref`.
    func select(_ app: AppHarness, _ ref: EntityRef) throws {
        var family = try #require(app.model.screens.last?.family, "\(app.screen)")
        family.section = .timeline
        let index = try #require(family.timeline.firstIndex { $0.ref == ref })
        family.tables[.timeline]?.selected = index
        app.replaceTop(.family(family))
    }

    /// The worker sends a completed assessment; the lead returns it with a comment; the
    /// worker sees it returned when they next unlock, and opening it is seeing it.
    @Test func anAssessmentSentReturnedAndSeenByTheWorker() throws {
        let worker = try AppHarness(families: 40, login: "alys")
        let me = worker.store.user.id
        var found: (row: CaseloadRow, assessment: Assessment)?
        for row in worker.store.caseload().filter({ $0.lead == me && $0.status != .closed }).sorted(by: { $0.reference < $1.reference }) {
            if let a = try worker.store.openCase(row.familyID).assessments.values.sorted(by: { $0.entityID < $1.entityID }).first(where: \.isComplete) {
                found = (row, a)
                break
            }
        }
        let (row, assessment) = try #require(found)
        open(worker, row.reference)
        try select(worker, assessment.ref)
        worker.run(.signOff)
        #expect(worker.screen.contains("Send for sign-off"))
        worker.type("Scores agreed with the family at the visit.")
        worker.press(.ctrl("s"))
        #expect(worker.screen.contains("Sent to the team lead for sign-off."), "\(worker.screen)")
        let sent = try #require(try worker.store.openCase(row.familyID).pendingSignOff(for: assessment.ref))
        #expect(sent.requestedBy == me && sent.note == "Scores agreed with the family at the visit.")
        // Sending it twice is refused.
        try select(worker, assessment.ref)
        worker.run(.signOff)
        #expect(worker.screen.contains("already waiting for the team lead's sign-off"))
        worker.store.close()

        let lead = try AppHarness(login: DemoStore.leadLogin, existing: worker.root)
        #expect(try unlockStatus(lead).contains("1 items wait for your sign-off"))
        lead.run(.signOffs)
        let list = try #require(lead.model.screens.last?.signOffList)
        #expect(list.items.map(\.mark.id) == [sent.id])
        #expect(lead.screen.contains(row.reference))
        lead.run(.signOff)
        #expect(lead.screen.contains("Scores agreed with the family at the visit."))
        try lead.focus("decision")
        lead.press(.enter); lead.type("return"); lead.press(.enter)
        lead.press(.ctrl("s"))
        #expect(lead.screen.contains("Say what needs changing"), "a return needs a comment")
        try lead.focus("comment")
        lead.type("Add the school's view to the learning domain.")
        lead.press(.ctrl("s"))
        #expect(lead.screen.contains("Sign-off answered"), "\(lead.screen)")
        let answered = try #require(try lead.store.openCase(row.familyID).signOffs[sent.id])
        #expect(answered.state == .returned && answered.decidedBy == lead.store.user.id && answered.comment == "Add the school's view to the learning domain.")
        let trail = try lead.store.auditTrail().entries
        #expect(trail.contains { $0.action == .save && $0.target == row.familyID.raw && $0.actor == lead.store.user.id.raw && $0.fields.contains("decidedBy") })
        lead.store.close()

        let back = try AppHarness(login: "alys", existing: worker.root)
        let returned = try #require(back.model.screens.last?.signOffList, "the list opens at unlock: \(back.screen)")
        #expect(returned.items.map(\.mark.id) == [sent.id])
        #expect(try unlockStatus(back).contains("1 items were returned to you"))
        back.press(.enter)                                          // the assessment, with the answer on it
        #expect(back.screen.contains("Add the school's view to the learning domain."), "\(back.screen)")
        #expect(try back.store.openCase(row.familyID).signOffs[sent.id]?.seenOn == Fixture.today)
        back.store.close()

        let later = try AppHarness(login: "alys", existing: worker.root)
        #expect(later.model.screens.last?.signOffList == nil, "seen once, not shown again")
    }

    /// A co-worker proposes closing a case led by someone else; it closes only when the
    /// team lead approves, and the closure is the lead's.
    @Test func aCoWorkersClosureIsApprovedByTheLead() throws {
        let worker = try AppHarness(families: 60, login: "alys")
        let me = worker.store.user.id
        let row = try #require(worker.store.caseload().filter { $0.lead != me && $0.coworkers.contains(me) && $0.status != .closed }
            .sorted { $0.reference < $1.reference }.first)
        open(worker, row.reference)
        worker.run(.closeFamily)
        #expect(worker.screen.contains("Propose closing the case"), "\(worker.screen)")
        try worker.focus("note")
        worker.type("Goals met; family agree.")
        worker.press(.ctrl("s"))
        #expect(worker.screen.contains("Closure sent to the team lead for approval."), "\(worker.screen)")
        #expect(worker.store.row(row.familyID)?.status != .closed, "not closed until approved")
        worker.run(.closeFamily)
        #expect(worker.screen.contains("already waiting for a team lead's approval"))
        worker.store.close()

        let lead = try AppHarness(login: DemoStore.leadLogin, existing: worker.root)
        lead.run(.signOffs)
        #expect(lead.screen.contains("Close case"))
        lead.run(.signOff)
        #expect(lead.screen.contains("Goals met; family agree."))
        lead.press(.ctrl("s"))                                      // approve is the default; closing is for good
        #expect(lead.screen.contains("Save for good?"))
        lead.press(.char("s"))
        #expect(lead.screen.contains("Sign-off answered"), "\(lead.screen)")
        let file = try lead.store.openCase(row.familyID)
        #expect(file.family.status == .closed)
        let closure = try #require(file.closures.values.first { $0.note == "Goals met; family agree." })
        #expect(file.meta[closure.ref]?.createdBy == lead.store.user.id)
        #expect(file.signOffs.values.contains { $0.proposedClosure != nil && $0.state == .approved })
        lead.press(.escape)                                         // from the family back to the list: nothing left
        #expect(lead.model.screens.last?.signOffList?.items.isEmpty == true)
    }

    /// Supervision is a team lead's record; its actions are reminders like any other.
    @Test func supervisionActionsAreReminders() throws {
        let lead = try AppHarness(families: 30)
        let row = try #require(lead.store.caseload().filter { $0.status != .closed && $0.lead != nil }.sorted { $0.reference < $1.reference }.first)
        open(lead, row.reference)
        lead.run(.recordSupervision)
        #expect(lead.screen.contains("Supervision"))
        #expect(try lead.form().state.choice("worker") == row.lead?.raw, "the lead worker is chosen")
        try lead.focus("discussed"); lead.type("Attendance and the new school place.")
        try lead.focus("decisions"); lead.type("Keep at targeted support.")
        try lead.focus("actions")
        lead.press(.char("a")); lead.type("Ring the school"); lead.press(.tab); lead.type("Worker"); lead.press(.tab)
        lead.type(DateField.format(Fixture.today.adding(days: -1)))
        lead.press(.ctrl("s"))
        lead.press(.ctrl("s"), .char("s"))
        #expect(lead.screen.contains("Supervision recorded."), "\(lead.screen)")
        let file = try lead.store.openCase(row.familyID)
        let supervision = try #require(file.supervisions.values.first)
        #expect(supervision.worker == row.lead && supervision.discussed == "Attendance and the new school place.")
        let reminder = try #require(file.reminders.first { $0.source == supervision.ref })
        #expect(reminder.kind == .action && reminder.detail == "Ring the school" && reminder.due < Fixture.today)
        #expect(lead.store.row(row.familyID)?.due.contains { $0.kind == .action && $0.day == Fixture.today.adding(days: -1) } == true)
        let family = try #require(lead.model.screens.last?.family)
        #expect(family.timeline.contains { $0.ref == supervision.ref })

        let worker = try AppHarness(families: 30, login: "alys")
        worker.run(.open)
        worker.run(.recordSupervision)
        #expect(worker.screen.contains("Only a team lead records supervision."))
    }

    /// The lead's list and the answer form, in English and Welsh (monochrome, 80x24): two
    /// requests from a worker (a completed assessment, and closing a case they co-work).
    @Test(arguments: [Strings.Language.en, .cy]) func theLeadsListAndAnswerGoldens(_ language: Strings.Language) throws {
        let worker = try AppHarness(families: 40, login: "alys")
        let me = worker.store.user.id
        let rows = worker.store.caseload().filter { $0.status != .closed }.sorted { $0.reference < $1.reference }
        var sent = 0
        for row in rows where row.lead == me {
            let file = try worker.store.openCase(row.familyID)
            guard let assessment = file.assessments.values.sorted(by: { $0.entityID < $1.entityID }).first(where: \.isComplete) else { continue }
            try worker.store.save([SignOff(id: SignOff.ID("SIGNOFF-ASSESS01"), familyID: row.familyID, target: assessment.ref, requestedBy: me,
                                           requestedOn: Fixture.today.adding(days: -3), note: "Scores agreed at the visit.")], family: row.familyID)
            sent += 1
            break
        }
        let shared = try #require(rows.first { $0.lead != me && $0.coworkers.contains(me) })
        try worker.store.save([SignOff(id: SignOff.ID("SIGNOFF-CLOSE001"), familyID: shared.familyID, target: EntityRef(kind: .family, id: shared.familyID.raw),
                                       requestedBy: me, requestedOn: Fixture.today, note: "Family moving to Cardiff.",
                                       proposedClosure: .init(date: Fixture.today, reason: .movedAway))], family: shared.familyID)
        #expect(sent == 1)
        worker.store.close()
        let lead = try AppHarness(login: DemoStore.leadLogin, language: language, existing: worker.root)
        lead.run(.signOffs)
        assertSnapshot(lead.screen, named: "signoff-lead-\(language)-80x24")
        lead.run(.moveDown)
        lead.run(.signOff)
        assertSnapshot(lead.screen, named: "signoff-answer-\(language)-80x24")
    }

    /// The store itself refuses supervision and sign-off answers from a worker, whatever
    /// the screens allow.
    @Test func theStoreRefusesLeadOnlyWritesFromAWorker() throws {
        let app = try AppHarness(families: 40, login: "alys")
        let me = app.store.user.id
        let row = try #require(app.store.caseload().filter { $0.lead == me && $0.status != .closed }.sorted { $0.reference < $1.reference }.first)
        let supervision = Supervision(id: Supervision.ID("SUPERVISION00001"), familyID: row.familyID, date: Fixture.today, worker: me, discussed: "x")
        #expect(throws: StoreError.notPermitted(action: "recordSupervision")) { try app.store.save([supervision], family: row.familyID) }
        let request = SignOff(id: SignOff.ID("SIGNOFF000000001"), familyID: row.familyID, target: EntityRef(kind: .family, id: row.familyID.raw), requestedBy: me, requestedOn: Fixture.today)
        try app.store.save([request], family: row.familyID)
        #expect(throws: StoreError.notPermitted(action: "signOff")) {
            try app.store.save([request.decided(.approved, by: me, on: Fixture.today, comment: "")], family: row.familyID)
        }
        #expect(try app.store.openCase(row.familyID).signOffs[request.id]?.state == .pending)
    }
}
