import Foundation
import Testing
import KithApp
import KithCore
import KithStore
@testable import KithUI
import KithTestSupport

/// What a home visit, a worker's morning and a Welsh family ran into, key by key.
@Suite(.serialized) struct WorkerDayTests {
    func family(_ app: AppHarness) throws -> FamilyScreen {
        guard case .family(let screen)? = app.model.screens.last else { throw Unexpected.screen(app.screen) }
        return screen
    }

    func form(_ app: AppHarness) throws -> FormScreen {
        guard case .form(let screen)? = app.model.screens.last else { throw Unexpected.screen(app.screen) }
        return screen
    }

    /// Puts the form's cursor on a field, as Tab would.
    func focus(_ app: AppHarness, _ field: String) throws {
        var screen = try form(app)
        screen.state.focus(on: field, screen.spec, viewport: Size(width: 80, height: 20))
        app.replaceTop(.form(screen))
    }

    /// Records a Family Group Meeting held today on the open family, by keys.
    func recordMeeting(_ app: AppHarness, actions: [String]) throws {
        app.run(.newMeeting)
        try focus(app, "coordinator"); app.type("Independent coordinator")
        try focus(app, "planLead"); app.type("Mum")
        try focus(app, "familyPlan")
        for action in actions { app.press(.char("a")); app.type(action); app.press(.ctrl("s")) }
        app.press(.ctrl("s"), .char("s"))
        #expect(app.screen.contains("Family Group Meeting saved."), "\(app.screen)")
    }

    // MARK: 1. Ctrl-S inside a row

    @Test func ctrlSInARowFinishesTheRowAndAMeetingIsSavedOnlyAfterASummary() throws {
        let app = try AppHarness(families: 20)
        app.run(.open)
        let id = try family(app).file.family.id
        let meetingsBefore = try app.store.openCase(id).meetings.count
        app.run(.newMeeting)
        try focus(app, "coordinator"); app.type("Independent coordinator")
        try focus(app, "planLead"); app.type("Mum")
        try focus(app, "familyPlan")
        for n in 1...3 {
            app.press(.char("a"))
            app.type("Action number \(n)")
            app.press(.ctrl("s"))                                 // finishes the row, nothing else
            #expect(try form(app).state.rows("familyPlan").count == n)
            #expect(try form(app).state.rowEditor.isEmpty)
            #expect(app.model.overlay == nil)
            #expect(try app.store.openCase(id).meetings.count == meetingsBefore, "nothing saved from inside a row")
        }
        app.press(.ctrl("s"))                                     // the meeting: a summary first
        #expect(app.screen.contains("Save for good?"))
        #expect(app.screen.contains("The family's plan: 3"))
        #expect(app.screen.contains("Left empty:"))
        app.press(.escape)                                        // go back and check
        _ = try form(app)
        #expect(try app.store.openCase(id).meetings.count == meetingsBefore)
        app.press(.ctrl("s"), .char("s"))
        #expect(app.screen.contains("Family Group Meeting saved."))
        let meeting = try #require(try app.store.openCase(id).meetings.values.first { $0.coordinator == "Independent coordinator" })
        #expect(meeting.familyPlan.map(\.what) == ["Action number 1", "Action number 2", "Action number 3"])
    }

    @Test func aDraftSafetyPlanSavesWithoutAskingAnAgreedOneAsks() throws {
        let app = try AppHarness(families: 30)
        let open = app.store.caseload().filter { $0.status != .closed }.sorted { $0.reference < $1.reference }
        let row = try #require(try open.first { try app.store.openCase($0.familyID).safetyPlans.isEmpty })
        app.run(.search); app.type(row.reference); app.press(.enter)
        app.run(.newSafetyPlan)
        try focus(app, "worries")
        app.press(.char("a")); app.type("School"); app.press(.tab); app.type("Loud nights"); app.press(.tab, .tab); app.type("Calm mornings")
        app.press(.ctrl("s"))
        #expect(try form(app).state.rows("worries").count == 1)
        #expect(try app.store.openCase(row.familyID).safetyPlans.isEmpty)
        app.press(.ctrl("s"))                                     // nobody agreed yet: a draft, editable, no question
        #expect(app.model.overlay == nil)
        #expect(try app.store.openCase(row.familyID).safetyPlans.values.first?.status == .draft)
    }
}

extension WorkerDayTests {
    // MARK: 3. Contact

    @Test func aMeetingWithTheFamilyCountsAsContact() throws {
        let app = try AppHarness(families: 30)
        let row = try #require(app.store.caseload().filter { $0.status != .closed && ($0.daysSinceContact(today: Fixture.today) ?? 99) >= 14 }
            .sorted { $0.reference < $1.reference }.first)
        app.run(.search); app.type(row.reference); app.press(.enter)
        try recordMeeting(app, actions: ["Walk to school on Mondays"])
        #expect(app.store.row(row.familyID)?.lastContact == Fixture.today)
        app.press(.escape)                                        // back to the caseload, still searched
        #expect(app.screen.contains("0d"), "\(app.screen)")
    }
}

extension WorkerDayTests {
    // MARK: 10. Closing someone else's case

    @Test func aCoWorkerCannotCloseACaseLedBySomeoneElse() throws {
        let app = try AppHarness(families: 60, login: "alys")
        let me = app.store.user.id
        let row = try #require(app.store.caseload().filter { $0.lead != me && $0.coworkers.contains(me) && $0.status != .closed }
            .sorted { $0.reference < $1.reference }.first)
        app.run(.search); app.type(row.reference); app.press(.enter)
        app.run(.closeFamily)
        #expect(app.screen.contains("Only the family's lead worker or a team lead can close this case"))
        _ = try family(app)
        // Nor through a review that decides to close…
        app.run(.newReview)
        try focus(app, "decision")
        app.press(.enter); app.type("close"); app.press(.enter)
        #expect(try form(app).state.choice("decision", as: Review.Decision.self) == .close)
        app.press(.ctrl("s"))                                     // refused beside the field: no question asked
        #expect(app.screen.contains("Only the family's lead worker or a team lead can close this case"))
        #expect(app.store.row(row.familyID)?.status != .closed)
        // …nor by writing a closure to the store directly.
        let closure = Closure(id: Closure.ID("CLOSURE000000001"), familyID: row.familyID, date: Fixture.today, reason: .goalsMet, note: "")
        #expect(throws: StoreError.notPermitted(action: "closeCase")) { try app.store.save([closure], family: row.familyID) }
    }

    @Test func theLeadWorkerCanCloseTheirOwnCase() throws {
        let app = try AppHarness(families: 60, login: "alys")
        let me = app.store.user.id
        let row = try #require(app.store.caseload().filter { $0.lead == me && $0.status != .closed }.sorted { $0.reference < $1.reference }.first)
        app.run(.search); app.type(row.reference); app.press(.enter)
        app.run(.closeFamily)
        app.press(.ctrl("s"), .char("s"))
        #expect(app.store.row(row.familyID)?.status == .closed, "\(app.screen)")
    }
}

extension WorkerDayTests {
    // MARK: 15. Welsh wording

    @Test func welshWordingReadsNaturally() throws {
        let cy = Strings.shipped(.cy)
        #expect(cy("column.livesHere") == "Gartref")
        #expect(cy("family.section.professionals") == "Gweithwyr proffesiynol")
        #expect(cy("field.safety.agreedBy") == "Cytunwyd gan")
        #expect(cy("printout.agreedBy") == "Cytunwyd gan")
        #expect(cy("printout.superseded").contains("fersiwn fwy newydd"))
        #expect(cy("field.safety.bottomLines") == "Llinellau coch")
        let texts = InstrumentLoader.shipped.flatMap { instrument in
            instrument.domains.flatMap { $0.items.flatMap { [$0.text.cy, $0.guidance?.cy].compactMap { $0 ?? nil } } }
        }
        #expect(!texts.contains { $0.contains("a gan wasanaethau") || $0.contains("yn yr aelwyd") })
        #expect(texts.contains { $0.contains("a chan wasanaethau") })
    }

    /// Every part of an error message comes from the string table: in Welsh, no call
    /// name or C-library reason in English.
    @Test func aWelshErrorMessageIsWelshThroughout() {
        let cy = Strings.shipped(.cy), en = Strings.shipped(.en)
        let welsh = ErrorPresenter.message(StoreError.io(file: "families/X.log", operation: "read", reason: "EIO"), strings: cy).text
        #expect(welsh == "Methu darllen families/X.log: adroddodd y ddisg wall mewnbwn/allbwn.")
        let operations = ["fstat", "ftruncate", "link", "mkdir", "open", "read", "rename", "syncfs", "fsync", "fdatasync", "unlink", "write",
                          "readPassphraseFile", "deriveKey", "encode", "createStore"]
        let reasons = ["EIO", "ENOENT", "EISDIR", "ENOTDIR", "EEXIST", "EBUSY", "ENAMETOOLONG", "EMFILE", "ENFILE", "ELOOP", "EINVAL",
                       "EXDEV", "EFBIG", "EBADF", "EAGAIN", "ETXTBSY", "cannotRead", "scryptFailed", "parentMissing", "unknown"]
        for operation in operations {
            #expect(cy.has("io.operation.\(operation)") && cy("io.operation.\(operation)") != en("io.operation.\(operation)") || operation == "link",
                    "\(operation)")
        }
        for reason in reasons {
            let text = ErrorPresenter.message(StoreError.io(file: "f", operation: "open", reason: reason), strings: cy).text
            #expect(!text.contains(reason) && text != ErrorPresenter.message(StoreError.io(file: "f", operation: "open", reason: reason), strings: en).text,
                    "\(reason): \(text)")
        }
        for action in ["addUsers", "addTeams", "repair", "createFamilies", "closeCase", "unlockDeactivated", "importFamilies"] {
            let text = ErrorPresenter.message(StoreError.notPermitted(action: action), strings: cy).text
            #expect(!text.contains(action) && text.hasPrefix("Dim ond") || text.hasPrefix("Mae'r"), "\(action): \(text)")
        }
    }
}

enum Unexpected: Error { case screen(String) }
