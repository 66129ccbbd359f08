import Foundation
import Testing
import KithApp
import KithCore
import KithStore
@testable import KithUI
import KithTestSupport
@testable import KithDemo

/// What a home visit, a worker's morning and a Welsh family ran into, key by key.
@Suite(.serialized) struct WorkerDayTests {
    func family(_ app: AppHarness) throws -> FamilyScreen {
        let screen = try #require(app.model.screens.last?.family, "\(app.screen)")
        return screen
    }

    /// Records a Family Group Meeting held today on the open family, by keys.
    func recordMeeting(_ app: AppHarness, actions: [String]) throws {
        app.run(.newMeeting)
        try app.focus("coordinator"); app.type("Coordinator typed in this test")
        try app.focus("planLead"); app.type("Mum")
        try app.focus("familyPlan")
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
        try app.focus("coordinator"); app.type("Coordinator typed in this test")
        try app.focus("planLead"); app.type("Mum")
        try app.focus("familyPlan")
        for n in 1...3 {
            app.press(.char("a"))
            app.type("Action number \(n)")
            app.press(.ctrl("s"))                                 // finishes the row, nothing else
            #expect(try app.form().state.rows("familyPlan").count == n)
            #expect(try app.form().state.rowEditor.isEmpty)
            #expect(app.model.overlay == nil)
            #expect(try app.store.openCase(id).meetings.count == meetingsBefore, "nothing saved from inside a row")
        }
        app.press(.ctrl("s"))                                     // the meeting: a summary first
        #expect(app.screen.contains("Save for good?"))
        #expect(app.screen.contains("The family's plan: 3"))
        #expect(app.screen.contains("Left empty:"))
        app.press(.escape)                                        // go back and check
        _ = try app.form()
        #expect(try app.store.openCase(id).meetings.count == meetingsBefore)
        app.press(.ctrl("s"), .char("s"))
        #expect(app.screen.contains("Family Group Meeting saved."))
        let meeting = try #require(try app.store.openCase(id).meetings.values.first { $0.coordinator == "Coordinator typed in this test" })
        #expect(meeting.familyPlan.map(\.what) == ["Action number 1", "Action number 2", "Action number 3"])
    }

    @Test func aDraftSafetyPlanSavesWithoutAskingAnAgreedOneAsks() throws {
        let app = try AppHarness(families: 30)
        let open = app.store.caseload().filter { $0.status != .closed }.sorted { $0.reference < $1.reference }
        let row = try #require(try open.first { try app.store.openCase($0.familyID).safetyPlans.isEmpty })
        app.run(.search); app.type(row.reference); app.press(.enter)
        app.run(.newSafetyPlan)
        try app.focus("worries")
        app.press(.char("a")); app.type("School"); app.press(.tab); app.type("Loud nights"); app.press(.tab, .tab); app.type("Calm mornings")
        app.press(.ctrl("s"))
        #expect(try app.form().state.rows("worries").count == 1)
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
        // C proposes the closure to a team lead instead (see SignOffFlowTests).
        #expect(app.screen.contains("Propose closing the case"))
        #expect(app.screen.contains("it closes when a team lead approves"))
        app.press(.escape)
        _ = try family(app)
        // Nor through a review that decides to close…
        app.run(.newReview)
        try app.focus("decision")
        app.press(.enter); app.type("close"); app.press(.enter)
        #expect(try app.form().state.choice("decision", as: Review.Decision.self) == .close)
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

extension WorkerDayTests {
    func actions(_ app: AppHarness) throws -> ActionsScreen {
        let screen = try #require(app.model.screens.last?.actions, "\(app.screen)")
        return screen
    }

    // MARK: 4. My actions

    @Test func myActionsAreTheWorkersOwnFirstAndDoneCanBeUndone() throws {
        let app = try AppHarness(families: 60, login: "alys")
        let me = try #require(app.store.users[app.store.user.id])
        app.run(.myActions)
        let mine = try actions(app)
        #expect(!mine.visible.isEmpty)
        #expect(mine.visible.allSatisfy { $0.isMine })
        #expect(mine.visible.allSatisfy { $0.item.action.isFor(me, leadsFamily: app.store.row($0.family)?.lead == me.id) })
        #expect(app.screen.contains("Yours (a: all "))
        app.press(.char("a"))                                      // every action on her families
        let all = try actions(app)
        #expect(all.visible.count > mine.visible.count)
        #expect(all.visible.contains { !$0.isMine })
        #expect(app.screen.contains("(a: yours)"))
        app.press(.char("a"))                                      // back to hers
        let first = try #require(try actions(app).visible.first)
        app.press(.char("d"), .char("y"))
        #expect(app.screen.contains("u reopens it"))
        let done = try #require(try app.store.openCase(first.family).isActionDone(source: first.item.source, actionID: first.item.action.id))
        // Marked done by mistake: reopen it (shown with the done ones).
        app.press(.char("h"))
        let index = try #require(try actions(app).visible.firstIndex { $0.item.source == first.item.source && $0.item.action.id == first.item.action.id })
        for _ in 0..<index { app.press(.down) }
        app.press(.char("u"))
        #expect(app.screen.contains("Reopen this action?"))
        app.press(.char("y"))
        #expect(app.screen.contains("Action reopened."))
        let file = try app.store.openCase(first.family)
        #expect(file.isActionDone(source: first.item.source, actionID: first.item.action.id) == nil)
        let record = try #require(file.completions[done.id])
        #expect(record.reopenedBy == me.id && record.reopenedOn == Fixture.today && record.by == me.id, "the first mark stays, with who reopened it")
        #expect(try actions(app).visible.contains { $0.item.source == first.item.source && $0.item.action.id == first.item.action.id && !$0.item.isDone })
    }

    @Test func myActionsComeFromTheIndexWithoutOpeningOrAuditingAnyFamily() throws {
        let app = try AppHarness(families: 60, login: "alys")
        let me = app.store.user
        let before = try app.store.auditTrail().entries.count
        let messages = app.effects.perform(.loadMyActions(Request(RequestID("mine"))))
        let listed = try #require(messages.lazy.compactMap { if case .result(_, .actions(let a)) = $0 { a } else { nil } }.first, "\(messages)")
        #expect(try app.store.auditTrail().entries.count == before, "listing actions records no view of any family")
        // The same actions as reading every family of hers would give (read, not viewed).
        var expected: [WorkerAction] = []
        for row in app.store.caseload() where (row.lead == me.id || row.coworkers.contains(me.id)) && row.status != .closed {
            expected += WorkerAction.of(try app.store.readCase(row.familyID), for: me)
        }
        #expect(!expected.isEmpty)
        #expect(Set(listed.map(ActionsScreen.key)) == Set(expected.map(ActionsScreen.key)))
        #expect(listed.sorted { ActionsScreen.key($0) < ActionsScreen.key($1) } == expected.sorted { ActionsScreen.key($0) < ActionsScreen.key($1) })
        #expect(try app.store.auditTrail().entries.count == before, "reading a case file records nothing")
        // Opening one (what a person does) records the view once.
        let family = try #require(expected.first?.family)
        _ = app.effects.perform(.openFamily(family, then: .show))
        let after = try app.store.auditTrail().entries
        #expect(after.count == before + 1)
        #expect(after.last?.action == .view && after.last?.target == family.raw)
    }

    @Test func aCompletionCanBeReopenedOnceAndNotOtherwiseChanged() throws {
        let before = Value.object(["by": .string("U1"), "on": .string("2026-11-01")])
        #expect(!Mutability.isViolation(kind: .actionCompletion, old: before,
                                        new: .object(["by": .string("U1"), "on": .string("2026-11-01"), "reopenedBy": .string("U2"), "reopenedOn": .string("2026-11-02")])))
        #expect(Mutability.isViolation(kind: .actionCompletion, old: before, new: .object(["by": .string("U2"), "on": .string("2026-11-01")])))
        let reopened = Value.object(["by": .string("U1"), "on": .string("2026-11-01"), "reopenedBy": .string("U2"), "reopenedOn": .string("2026-11-02")])
        #expect(Mutability.isViolation(kind: .actionCompletion, old: reopened,
                                       new: .object(["by": .string("U1"), "on": .string("2026-11-01"), "reopenedBy": .string("U3"), "reopenedOn": .string("2026-11-03")])))
    }

    @Test func whoseActionIsReadFromWhoAndWhoChecks() {
        let user = User(id: User.ID("U1"), login: "alys", displayName: "Alys Bevan", role: .worker, team: Team.ID("T1"))
        func action(_ who: String, _ checks: String = "") -> PlanAction { PlanAction(id: "a", what: "x", who: who, byWhen: nil, whoChecks: checks) }
        #expect(action("Worker").isFor(user, leadsFamily: true))
        #expect(!action("Worker").isFor(user, leadsFamily: false), "on a family someone else leads, 'the worker' is them")
        #expect(action("Mum", "Gweithiwr").isFor(user, leadsFamily: true))
        #expect(action("Alys Bevan and Mum").isFor(user, leadsFamily: false))
        #expect(!action("Alys").isFor(user, leadsFamily: false), "a first name alone may be a family member's")
        #expect(!action("Nain", "Mum").isFor(user, leadsFamily: true))
    }
}

extension WorkerDayTests {
    // MARK: 2. Sensitive families

    /// A family of alys's made sensitive, its name and a member's made unmistakable; a
    /// draft of a note left for it. Returns the store's path and the family.
    func sensitiveFamily() throws -> (root: String, row: CaseloadRow, keep: AppHarness) {
        let app = try AppHarness(families: 60, login: "alys")
        let me = app.store.user.id
        let candidates = app.store.caseload().filter { $0.lead == me && $0.status != .closed }.sorted { $0.reference < $1.reference }
        let row = try #require(try candidates.first { try !app.store.openCase($0.familyID).openActions.isEmpty })
        var file = try app.store.openCase(row.familyID)
        var family = file.family
        family.sensitive = true
        family.displayName = "Teulu Cyfrinachol"
        var person = try #require(file.householdMembers.first)
        person.givenName = "Zebedee"
        person.familyName = "Cyfrinachol"
        file = try app.store.save([family, person], family: row.familyID)
        // Every one of its actions is hers (so "My actions" lists them).
        #expect(WorkerAction.of(file, for: app.store.users[me]).contains { $0.isMine })
        app.run(.search); app.type(row.reference); app.press(.enter)
        app.run(.addNote)
        app.press(.tab, .tab, .tab, .tab); app.type("Draft left for later")
        app.wait(1)
        app.effects.store?.close()
        return (app.root, row, app)
    }

    @Test func aSensitiveFamilysNameNeverShowsAwayFromItsOwnScreen() throws {
        let (root, row, keep) = try sensitiveFamily()
        defer { withExtendedLifetime(keep) {} }
        let app = try AppHarness(login: "alys", existing: root)
        var seen: [String] = []
        func look(_ what: String) {
            seen.append(what)
            // (What the person typed into the search line is theirs; the rows are checked.)
            let shown = app.screen.split(separator: "\n").filter { !$0.contains("/ Zebedee") && !$0.contains("“Zebedee”") }.joined(separator: "\n")
            #expect(!shown.contains("Cyfrinachol") && !shown.contains("Zebedee"), "\(what):\n\(app.screen)")
        }
        look("the recovery dialog")
        #expect(app.screen.contains("For \(row.reference) ⊘ sensitive — name hidden"))
        app.press(.char("l"))                                     // later
        look("the caseload")
        for command: Command in [.filterOverdue, .filterDueWeek, .filterFlagged, .filterNoContact, .clearFilters, .sortNext, .sortNext, .sortReverse] {
            app.run(command); look("caseload after \(command)")
        }
        app.run(.search); app.type(row.reference); look("searched by reference")
        #expect(app.screen.contains(row.reference))
        app.press(.escape); app.press(.escape)
        app.run(.search); app.type("Zebedee"); look("searched by a member's name")
        #expect(app.screen.contains(row.reference), "the family is found, by reference only")
        app.press(.escape); app.press(.escape)
        app.run(.myActions); look("my actions")
        app.press(.char("a")); look("all actions"); app.press(.char("h")); look("all actions with done ones")
        #expect(try actions(app).visible.contains { $0.family == row.familyID }, "its actions are listed (by reference only)")
        // Scrolled to each of its rows in turn: the name never shows.
        let listed = try actions(app).visible
        for (i, action) in listed.enumerated() where action.family == row.familyID {
            var screen = try actions(app)
            screen.table.selected = i
            screen.table.scrollToSelection(visibleRows: 18)
            app.replaceTop(.actions(screen))
            look("its action at row \(i)")
            #expect(app.screen.contains(row.reference))
        }
        app.press(.escape)
        // A new family with the same member: the duplicate check names the match by reference only.
        app.run(.newFamily)
        var form = try app.form()
        form.state["displayName"] = .text(TextField("Teulu Arall"))
        app.replaceTop(.form(form))
        try app.focus("members")
        app.press(.enter); app.type("Zebedee"); app.press(.tab); app.type("Cyfrinachol"); app.press(.escape)
        app.press(.ctrl("s"))
        #expect(app.screen.contains(row.reference), "\(app.screen)")
        look("the duplicate dialog")
        app.press(.escape); app.press(.escape); app.press(.char("d"))
        // Its own screen does show the name: the test would see it if it leaked.
        app.run(.search); app.type(row.reference); app.press(.enter)
        #expect(app.screen.contains("Teulu Cyfrinachol"))
        #expect(seen.count > 10)
    }
}

extension WorkerDayTests {
    // MARK: 8. Users

    @Test func theUserListSaysWhoRoleAndLastUnlockToLeadsOnly() throws {
        let lead = try AppHarness(families: 5)
        lead.store.close()
        let worker = try AppHarness(login: "alys", existing: lead.root)
        #expect(throws: StoreError.notPermitted(action: "listUsers")) { try worker.store.userList() }
        worker.store.close()
        let again = try AppHarness(existing: lead.root)
        let list = try again.store.userList()
        let alys = try #require(list.first { $0.user.login == "alys" })
        #expect(alys.lastUnlock != nil)
        #expect(list.contains { $0.user.login == "ceri" && $0.lastUnlock != nil })
        #expect(list.contains { $0.lastUnlock == nil }, "someone who never unlocked says so")
        #expect(Strings.shipped(.cy)("error.notPermitted.listUsers").hasPrefix("Dim ond"))
    }
}

extension WorkerDayTests {
    // MARK: 12. Why a search found a row

    @Test func aSearchSaysWhichMemberMatchedAndKeepsTheSort() throws {
        let app = try AppHarness(families: 60)
        // A family found by a member whose first name is not in the family's own name.
        var target: (row: CaseloadRow, person: Person)?
        for row in app.store.caseload().filter({ $0.status != .closed }).sorted(by: { $0.reference < $1.reference }) {
            let file = try app.store.openCase(row.familyID)
            if let person = file.householdMembers.first(where: { p in
                p.givenName.count >= 4 && !SearchKey.tokens(row.displayName).contains(SearchKey.fold(p.givenName))
                    && !SearchKey.tokens(row.displayName).contains(where: { SearchKey.phonetic($0) == SearchKey.phonetic(SearchKey.fold(p.givenName)) })
            }) { target = (row, person); break }
        }
        let (row, person) = try #require(target)
        app.run(.search); app.type(person.givenName)
        let screen = try #require({ if case .caseload(let c)? = app.model.screens.last { c } else { nil } }())
        let line = try #require(app.screen.split(separator: "\n").first { $0.contains(row.reference) }, "\(app.screen)")
        #expect(line.contains(person.givenName), "the row says which member matched: \(line)")
        #expect(app.screen.contains("Found by"))
        // The matches keep the chosen sort (next due, earliest first), sound-alikes included.
        let due = screen.shown.map { screen.rows[$0].nextDue?.day.ordinal ?? Int.max }
        #expect(due == due.sorted(), "\(due)")
        // Found by its own name: no reason needed, the due column stays.
        app.press(.escape); app.press(.escape)
        app.run(.search); app.type(row.reference)
        #expect(!app.screen.contains("Found by"))
    }
}

extension WorkerDayTests {
    // MARK: 17. The cursor on the focus

    @Test func theFrameKeepsTheCursorOnTheFocus() throws {
        let app = try AppHarness(families: 30)
        app.press(.down, .down)
        #expect(app.frame.cursor == nil)
        #expect(app.frame.focus == Point(x: 0, y: 6), "the start of the third row")
        app.run(.open)
        app.press(.down)
        #expect(app.frame.focus == Point(x: 0, y: 7), "the second member")
        app.run(.addNote)
        for field in ["Kind of contact", "Date"] {
            let frame = app.frame
            let lines = frame.text.split(separator: "\n", omittingEmptySubsequences: false)
            let at = try #require(frame.cursor)
            #expect(lines[at.y].contains("▸ \(field)"), "\(at): \(app.screen)")
            app.press(.tab)
        }
        app.press(.char("x"))                                      // a change, then Esc: the dialog has the focus
        app.press(.escape)
        let dialog = app.frame
        #expect(dialog.cursor == nil)
        let at = try #require(dialog.focus)
        #expect(dialog.text.split(separator: "\n", omittingEmptySubsequences: false)[at.y].contains("save now"), "\(app.screen)")
    }
}

extension WorkerDayTests {
    // MARK: 5. What needs the worker after unlock

    @Test func afterUnlockOneLineSaysWhatNeedsTheWorker() throws {
        let lead = try AppHarness(families: 40)
        let alys = try #require(lead.store.users.values.first { $0.login == "alys" })
        let row = try #require(lead.store.caseload().filter { $0.lead == alys.id && $0.status != .closed }.sorted { $0.reference < $1.reference }.first)
        lead.run(.search); lead.type(row.reference); lead.press(.enter)
        lead.run(.flag); lead.type("Please book the review."); lead.press(.ctrl("s"))
        lead.store.close()

        let worker = try AppHarness(login: "alys", existing: lead.root)
        let mine = worker.store.caseload().filter { ($0.lead == alys.id || $0.coworkers.contains(alys.id)) && $0.status != .closed }
        let flags = mine.reduce(0) { $0 + $1.openFlags }
        let overdue = mine.filter { $0.isOverdue(today: Fixture.today) }.count
        #expect(flags >= 1)
        #expect(worker.model.overlay == nil, "a line, not a dialog to dismiss")
        #expect(worker.screen.contains("Needs you: ⚑ \(flags) open flag(s) (f)"), "\(worker.screen)")
        if overdue > 0 { #expect(worker.screen.contains("\(overdue) overdue (o)")) }
        // A draft left for later is waiting; once dealt with, it no longer is.
        worker.run(.search); worker.type(row.reference); worker.press(.enter)
        worker.run(.addNote); worker.press(.tab, .tab, .tab, .tab); worker.type("To finish tomorrow"); worker.wait(1)
        worker.store.close()
        let next = try AppHarness(login: "alys", existing: lead.root)
        next.press(.char("l"))
        #expect(next.screen.contains("1 draft(s) waiting"), "\(next.screen)")
        next.store.close()
        let last = try AppHarness(login: "alys", existing: lead.root)
        last.press(.char("d"))
        #expect(!last.screen.contains("draft(s) waiting"))
        #expect(last.screen.contains("Needs you:"))
    }
}

extension WorkerDayTests {
    // MARK: 9. Duplicate work

    @Test func startingAnAssessmentSomeoneElseHasADraftOfSaysSo() throws {
        let worker = try AppHarness(families: 40, login: "alys")
        let me = worker.store.user.id
        let row = try #require(worker.store.caseload().filter { $0.lead == me && $0.status != .closed }.sorted { $0.reference < $1.reference }.first)
        worker.run(.search); worker.type(row.reference); worker.press(.enter)
        worker.run(.newAssessment)
        worker.press(.ctrl("s"))                                   // nobody else's draft: straight in
        #expect(worker.screen.contains("Rated 0/"), "\(worker.screen)")
        worker.press(.char("4"))
        worker.wait(1)
        worker.store.close()

        let lead = try AppHarness(existing: worker.root)
        lead.run(.search); lead.type(row.reference); lead.press(.enter)
        lead.run(.newAssessment)
        lead.press(.ctrl("s"))
        #expect(lead.screen.contains("Someone else has started this"), "\(lead.screen)")
        #expect(lead.screen.contains("Alys Bevan has a draft of"))
        lead.press(.char("o"))                                     // theirs, read only
        let theirs = try #require({ if case .record(let r)? = lead.model.screens.last { r } else { nil } }(), "\(lead.screen)")
        #expect(theirs.readOnly)
        #expect(lead.screen.contains("Their draft, read only"))
        lead.press(.char("a"))                                     // no addendum to someone's draft
        #expect(lead.model.screens.last.map { if case .record = $0 { true } else { false } } == true)
        lead.press(.escape)
        lead.press(.ctrl("s"))                                     // asked once: now it starts
        #expect(lead.screen.contains("Rated 0/"), "\(lead.screen)")
    }
}

extension WorkerDayTests {
    // MARK: 11. Printouts for the family

    @Test func aPrintoutIsFitToHandToTheFamily() throws {
        let app = try AppHarness(families: 2)
        let (id, _, meeting, _) = try PrintoutGoldenTests().printFamily(app)
        try app.store.updateTeam(name: "Early Help North", phone: "01632 960100", outOfHours: "01632 960999")
        try app.store.setPhone("01632 960200")
        var file = try app.store.openCase(id)
        // A network member who has not agreed, a review already past, doubled full stops,
        // a done action and an overdue one.
        var plan = try #require(file.currentSafetyPlan).revised(id: SafetyPlan.ID("SP9"), on: Fixture.today.adding(days: -60))
        plan.network.append(SafetyNetworkEntry(member: nil, name: "Uncle Not Agreed", role: "Might help", phone: "07700 900999", agreed: false))
        plan.worries[0].about = "the children sleeping in the cold room."
        plan.agreedBy = ["Siân"]
        plan.agreedOn = Fixture.today.adding(days: -60)
        var old = try #require(file.safetyPlans[SafetyPlan.ID("SP1")])
        old.status = .superseded
        var later = meeting
        later.id = FamilyGroupMeeting.ID("M2")
        later.familyPlan = [PlanAction(id: "d1", what: "Done already", who: "Nain", byWhen: Fixture.today.adding(days: -3)),
                            PlanAction(id: "o1", what: "Late one", who: "Siân", byWhen: Fixture.today.adding(days: -2))]
        file = try app.store.save([old, plan, later], family: id)
        try app.store.save([ActionCompletion(id: ActionCompletion.ID("C1"), familyID: id, source: later.ref, actionID: "d1", by: app.store.user.id, on: Fixture.today)], family: id)

        let (text, _) = try Printing.render(PrintRequest(family: id, record: plan.ref, format: "txt"), store: app.store, today: Fixture.today, language: .en)
        let call = try #require(text.components(separatedBy: "*** Who to call ***").last)
        #expect(call.contains("Your worker, Ceri Rowlands: 01632 960200"))
        #expect(call.contains("Early Help North office: 01632 960100"))
        #expect(call.contains("Out of hours (evenings, nights and weekends): 01632 960999"))
        #expect(!call.contains("Uncle Not Agreed"), "only people who agreed are named to call")
        #expect(!text.contains("must never happen"))
        #expect(text.contains("Our bottom lines"))
        #expect(text.contains("We planned to look at this again on: 30 September 2026. That day has passed"), "\(text)")
        #expect(!text.contains(".."))
        #expect(text.contains("Worry from The school: the children sleeping in the cold room."))
        #expect(text.contains("November 2026") && !text.contains("Nov 2026"), "dates in full")
        #expect(!text.contains(" | "), "text tables are aligned columns, not pipes")
        #expect(text.firstRange(of: "This is private")!.lowerBound < text.firstRange(of: "What people are worried about")!.lowerBound)

        let (meetingText, _) = try Printing.render(PrintRequest(family: id, record: later.ref, format: "txt"), store: app.store, today: Fixture.today, language: .en)
        #expect(meetingText.contains("done ✓"))
        #expect(meetingText.contains("overdue"))

        let (html, _) = try Printing.render(PrintRequest(family: id, record: plan.ref, format: "html"), store: app.store, today: Fixture.today, language: .en)
        #expect(html.contains("counter(page)"), "page numbers")
        #expect(html.contains("@top-left { content: \"Our safety plan · Teulu Llŷr\""), "every page after the first says whose it is")
        #expect(!html.contains("table { border-collapse: collapse; width: 100%; page-break-inside: avoid"), "a long table may break across pages")
        let (both, _) = try Printing.render(PrintRequest(family: id, record: plan.ref, format: "html", bilingual: true), store: app.store, today: Fixture.today, language: nil)
        #expect(both.contains("<section lang=\"cy\">") && both.contains("<section lang=\"en\">"))
        #expect(both.contains("Ein cynllun diogelwch") && both.contains("Our safety plan"))
        // Printed twice on one day: two files.
        let directory = app.directory.path + "/printouts"
        let first = try Printing.write(PrintRequest(family: id, record: plan.ref, format: "html"), store: app.store, directory: directory, today: Fixture.today, language: nil)
        let second = try Printing.write(PrintRequest(family: id, record: plan.ref, format: "html"), store: app.store, directory: directory, today: Fixture.today, language: nil)
        #expect(first != second)
        // An assessment summary can be given to the family too.
        let assessment = try #require(try app.store.caseload().lazy.compactMap { row in
            try app.store.openCase(row.familyID).assessments.values.first(where: \.isComplete)
        }.first)
        let (summary, _) = try Printing.render(PrintRequest(family: assessment.familyID, record: assessment.ref, format: "txt"), store: app.store,
                                               today: Fixture.today, language: .en)
        #expect(summary.contains("what we found together"))
        #expect(summary.contains("How things are going"))
    }
}

extension WorkerDayTests {
    // MARK: 13. Smaller ones

    @Test func smallerOnesFromTheHomeVisit() throws {
        let app = try AppHarness(families: 20)
        // The team lead's "mine" view, empty, says why.
        app.run(.toggleScope)
        #expect(app.screen.contains("You don't lead or co-work any family yet"), "\(app.screen)")
        app.run(.toggleScope)
        app.run(.open)
        let id = try family(app).file.family.id
        // `a` in the Due section adds nothing.
        while try family(app).section != .due { app.run(.nextSection) }
        app.press(.char("a"))
        _ = try family(app)
        #expect(app.screen.contains("Nothing is added here"))
        // The timeline: records only, printouts on request.
        try app.store.recordOutput(.print, of: try family(app).file.family.ref, family: id, format: "html")
        app.press(.escape); app.run(.open)
        #expect(try family(app).timeline.allSatisfy { !$0.isOutput })
        app.press(.char("v"))
        #expect(try family(app).timeline.contains { $0.isOutput })
        #expect(app.screen.contains("shows printouts too"))
        // Esc on an untouched new assessment closes without a question.
        app.run(.newAssessment); app.press(.ctrl("s"))
        #expect(app.screen.contains("Rated 0/"))
        app.press(.escape)
        #expect(app.model.overlay == nil)
        _ = try family(app)
        // Home and PgDn move through the assessment; a pasted tab is a space.
        app.run(.newAssessment); app.press(.ctrl("s"))
        let start = try #require(app.model.screens.last?.assessment, "\(app.screen)")
        let first = start.draft.form.focus
        app.press(.pageDown)
        let paged = try #require(app.model.screens.last?.assessment, "\(app.screen)")
        #expect(paged.draft.form.focus != first)
        app.press(.home)
        let home = try #require(app.model.screens.last?.assessment, "\(app.screen)")
        #expect(home.draft.form.focus == first)
        app.press(.escape); app.press(.char("d"))
        app.run(.addNote)
        try app.focus("text")
        app.paste("one\ttwo")
        #expect(try app.form().state.note("text") == "one two")
        #expect(!app.screen.contains("␉"))
    }

    @Test func theUnlockScreenWrapsItsErrorAndSaysUpAndDown() {
        let strings = Strings.shipped(.cy)
        var unlock = UnlockScreen(storePath: "/tmp/store", users: [UnlockUser(login: "alys", role: .worker)])
        unlock.failed(strings("error.wrongPassphrase", ["login": "alys"]))
        let context = AppContext(strings: strings, theme: .builtIn(depth: .monochrome), size: Size(width: 80, height: 24), now: 0, today: Fixture.today)
        var buffer = CellBuffer(size: Size(width: 80, height: 24))
        unlock.render(into: &buffer, area: context.screenArea, context: context)
        let shown = buffer.text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "│ ")) }.joined(separator: " ")
        let words = strings("error.wrongPassphrase", ["login": "alys"]).split(separator: " ")
        #expect(words.allSatisfy { shown.contains($0) }, "\(buffer.text)")
        #expect(UnlockScreen.keys.bindings.first { $0.keys == [.up] }?.command == .moveUp)
        #expect(UnlockScreen.keys.bindings.first { $0.keys == [.down] }?.command == .moveDown)
    }

    @Test func anItemThatFellShowsThoughTheAverageStayedTheSame() throws {
        let instrument = try #require(InstrumentLoader.shipped.first { $0.id == "kith.strengths-needs" })
        let domain = try #require(instrument.domains.first)
        let (a, b) = (domain.items[0].id, domain.items[1].id)
        func assessment(_ ratings: [String: Int]) -> Assessment {
            Assessment(id: Assessment.ID("A\(ratings.values.reduce(0, +))"), familyID: Family.ID("F"), instrumentID: instrument.id, instrumentVersion: instrument.version,
                       assessmentKind: .review, date: Fixture.today, subjects: [], participants: "",
                       ratings: ratings.mapValues { ItemRating(rating: .value($0), evidence: "") }, familyView: "", childVoice: "", summary: "", state: .complete)
        }
        let summary = AssessmentSummary(instrument: instrument, assessment: assessment([a: 2, b: 5]), previous: assessment([a: 5, b: 2]))
        let line = try #require(summary.domains.first)
        #expect(line.change == .same)
        #expect(line.moved.count == 2)
        let s = Strings.shipped(.en)
        #expect(AssessmentSummary.changeText(line, strings: s) == "same on average, 2 item(s) moved")
        #expect(summary.movedLines(instrument, strings: s).contains { $0.contains(": 5 → 2 (") && !$0.contains("(same)") }, "\(summary.movedLines(instrument, strings: s))")
    }
}

extension WorkerDayTests {
    // MARK: 16. The demo

    @Test func demoPhonesAreFromTheDramaRangesAndGrandparentsFitTheirNames() throws {
        let app = try AppHarness(families: 60)
        let drama = try Regex(#"^(07700 900\d{3}|01632 960\d{3})$"#)
        let female = Set(["Siân", "Gwenllian", "Elin", "Ffion", "Mali", "Cerys", "Nia", "Lowri", "Megan", "Angharad", "Catrin", "Seren", "Eleri", "Heledd", "Non", "Gwenno", "Awen", "Alaw"])
        var phones = 0, taids = 0
        for row in app.store.caseload() {
            let file = try app.store.openCase(row.familyID)
            for phone in file.network.values.compactMap(\.phone) + file.professionals.values.compactMap(\.phone) {
                #expect(phone.wholeMatch(of: drama) != nil, "\(phone)")
                phones += 1
            }
            for member in file.network.values where member.name.hasPrefix("Taid ") {
                taids += 1
                #expect(!female.contains(String(member.name.dropFirst(5))), "\(member.name)")
            }
        }
        #expect(phones > 50)
        #expect(taids > 0)
    }

    @Test func welshFamiliesPlansAreInWelshAndActionsServeTheirGoals() throws {
        let app = try AppHarness(families: 60)
        func english(_ text: String) -> Bool {
            text.contains(" the ") || text.hasPrefix("The ") || text.hasPrefix("We ") || text.contains(" and ") || text.hasPrefix("If ")
        }
        var welshFamilies = 0
        for row in app.store.caseload() {
            let file = try app.store.openCase(row.familyID)
            for plan in file.plans.values {
                for goal in plan.goals {
                    let match = try #require(DemoText.goalPlans.first { $0.goal.en == goal.text || $0.goal.cy == goal.text }, "\(goal.text)")
                    for action in goal.actions {
                        #expect(match.actions.contains { $0.en == action.what || $0.cy == action.what }, "\(action.what) does not serve \(goal.text)")
                    }
                }
            }
            guard file.family.language == .welsh else { continue }
            welshFamilies += 1
            var texts: [String] = []
            for plan in file.plans.values {
                texts.append(plan.title)
                for goal in plan.goals {
                    texts.append(goal.text)
                    for action in goal.actions { texts += [action.what, action.who, action.whoChecks] }
                }
            }
            for p in file.safetyPlans.values {
                texts += p.rules + p.triggers + p.bottomLines + [p.childView] + p.agreedBy
                texts += p.network.map(\.role)
                for w in p.worries { texts += [w.who, w.about, w.ifNothingChanges, w.safetyGoal] }
                for c in p.contingencies { texts += [c.ifWhat, c.then, c.who] }
            }
            for m in file.meetings.values {
                texts += [m.worries, m.strengths, m.resources, m.bottomLines, m.contingency, m.monitoring, m.coordinator]
                texts += m.familyPlan.map(\.what)
            }
            for a in file.assessments.values {
                texts += [a.participants, a.familyView, a.childVoice, a.summary] + a.ratings.values.map(\.evidence)
            }
            for note in file.notes.values { texts.append(note.text) }
            for review in file.reviews.values { texts += [review.outcomeNote, review.notes] }
            texts += file.people.values.flatMap { [$0.disability, $0.communicationNeeds].compactMap { $0 } }
            texts += file.network.values.compactMap(\.roleInPlans)
            texts += file.riskFactors.values.map(\.evidence)
            for text in texts { #expect(!english(text), "\(row.reference): \(text)") }
        }
        #expect(welshFamilies > 3)
    }
}

