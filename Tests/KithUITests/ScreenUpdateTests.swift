import Testing
import KithCore
import KithTestSupport
@testable import KithUI

/// Each screen's `update`, as values: send one event, then compare the whole screen with
/// the one expected and the actions with the exact list expected. (The flow tests in
/// KithAppTests keep the end-to-end paths through a real store.)
@Suite struct FormScreenUpdateTests {
    let file = ScreenTest.file()

    func noteForm(_ context: AppContext, typing text: String = "") -> FormScreen {
        var screen = FormScreen(purpose: .contactNote(file.family.id), file: file, context: context)
        screen.state.focus(on: "text", screen.spec, viewport: FormScreen.viewport(context))
        for character in text { _ = screen.handle(.char(character), context: context) }
        return screen
    }

    @Test func theFirstKeyWritesTheDraftAndTheNextWaitHalfASecond() {
        var context = ScreenTest.context()
        var screen = noteForm(context)
        var expected = screen

        let first = screen.handle(.char("S"), context: context)
        expected.state = screen.state
        expected.lastDraftAt = context.now
        #expect(screen.state.note("text") == "S")
        #expect(first == [.effect(.saveDraft(expected.envelope(at: context.now)))])
        #expect(screen == expected)

        let second = screen.handle(.char("e"), context: context)
        expected.state = screen.state
        expected.draftDirty = true
        #expect(second == [])
        #expect(screen == expected)

        context.now += 0.6
        let ticked = screen.tick(context: context)
        expected.draftDirty = false
        expected.lastDraftAt = context.now
        #expect(ticked == [.effect(.saveDraft(expected.envelope(at: context.now)))])
        #expect(screen == expected)
    }

    @Test func savingAsksOnceAndClosesWhenTheRecordIsDurable() throws {
        let context = ScreenTest.context()
        var screen = noteForm(context, typing: "Seen at home")
        let before = screen

        // A note can't be changed once saved: what is in it is shown once, the draft kept first.
        let asked = screen.handle(.ctrl("s"), context: context)
        #expect(asked.first == .effect(.saveDraft(before.envelope(at: context.now))))
        let final = try #require(asked.last.flatMap { if case .dialog(let d) = $0 { d } else { nil } }, "\(asked)")
        #expect(asked.count == 2 && final.choices == [.char("s"): DialogChoice("final")])
        var expected = before
        expected.draftDirty = false
        expected.lastDraftAt = context.now
        #expect(screen == expected)

        let actions = screen.chose(DialogChoice("final"), context: context)
        let save = try #require(actions.last?.effect?.save, "\(actions)")
        let note = try #require(save.records.first?.contactNote)
        #expect(note.text == "Seen at home" && note.familyID == file.family.id && note.date == Fixture.today && note.contactKind == .visit)
        expected.finalConfirmed = true
        expected.pendingSave = save.request.id
        #expect(actions == [.effect(.save(SaveRequest(Request(save.request.id), family: file.family.id, records: [note], draftID: before.draftID)))])
        #expect(screen == expected)

        // A second Ctrl-S while the save is on its way makes nothing twice.
        #expect(screen.handle(.ctrl("s"), context: context) == [])
        #expect(screen.chose(DialogChoice("final"), context: context) == [])
        #expect(screen == expected)
        // Someone else's result changes nothing.
        #expect(screen.receive(.saved(file, nil), for: RequestID("someone-else"), context: context) == [])
        #expect(screen == expected)

        let done = screen.receive(.saved(file, CaseloadRow(file)), for: save.request.id, context: context)
        expected.pendingSave = nil
        #expect(done == [.pop, .status("Contact note saved.", .info)])
        #expect(screen == expected)
    }

    @Test func aFailedSaveLeavesTheFormToTryAgain() throws {
        let context = ScreenTest.context()
        var screen = noteForm(context, typing: "Seen at home")
        _ = screen.handle(.ctrl("s"), context: context)
        let first = try #require(screen.chose(DialogChoice("final"), context: context).last?.effect?.save)
        var expected = screen
        expected.pendingSave = nil
        #expect(screen.receive(.failed(UserMessage(title: "t", text: "disk full")), for: first.request.id, context: context) == [])
        #expect(screen == expected)
        let again = try #require(screen.handle(.ctrl("s"), context: context).last?.effect?.save, "asked once: not again")
        #expect(again.request.id != first.request.id)
        // The same note (each attempt mints its record afresh, under a new id).
        var note = try #require(first.records.first?.contactNote)
        note.id = try #require(again.records.first?.contactNote?.id)
        #expect(again.records == [.contactNote(note)])
    }

    @Test func closingWithUnsavedTextAsksAndKeepingWritesTheDraft() throws {
        let context = ScreenTest.context()
        var screen = noteForm(context, typing: "Half a note")
        let before = screen
        let asked = screen.handle(.escape, context: context)
        let pending = try #require(asked.first.flatMap { if case .dialog(let d) = $0 { d } else { nil } })
        #expect(asked.count == 1)
        #expect(pending.choices == [.char("s"): DialogChoice("save"), .char("k"): DialogChoice("keep"), .char("d"): DialogChoice("discard")])
        #expect(screen == before)
        let kept = screen.chose(DialogChoice("keep"), context: context)
        #expect(kept == [.effect(.saveDraft(before.envelope(at: context.now))), .pop,
                         .status("Kept as a draft: Kith offers it back next time.", .info)])
    }
}

@Suite struct AssessmentScreenUpdateTests {
    let file = ScreenTest.file()

    func started(_ context: AppContext) throws -> (AssessmentScreen, RequestID) {
        var screen = AssessmentScreen(choosingFor: file, context: context)
        let asked = screen.handle(.ctrl("s"), context: context)
        let request = try #require(asked.first?.effect?.request, "\(asked)")
        return (screen, request.id)
    }

    @Test func startingAsksWhetherSomeoneElseHasADraftFirst() throws {
        let context = ScreenTest.context()
        var screen = AssessmentScreen(choosingFor: file, context: context)
        var expected = screen
        let asked = screen.handle(.ctrl("s"), context: context)
        let request = try #require(asked.first?.effect?.request)
        expected.pendingOthersCheck = request.id
        #expect(asked == [.effect(.findOthersDrafts(Request(request.id), family: file.family.id, instrumentID: "kith.strengths-needs"))])
        #expect(screen == expected)
        #expect(screen.draft.phase == .choose)
    }

    @Test func nobodyElsesDraftStartsTheRatingAndWritesTheDraft() throws {
        let context = ScreenTest.context()
        var (screen, request) = try started(context)
        let actions = screen.receive(.othersDrafts([]), for: request, context: context)
        #expect(screen.draft.phase == .rate)
        #expect(screen.pendingOthersCheck == nil)
        #expect(!screen.draftDirty && screen.lastDraftAt == context.now)
        #expect(actions == [.effect(.saveDraft(screen.envelope(at: context.now)))])
        // The answer comes once: the same result again starts nothing more.
        let settled = screen
        #expect(screen.receive(.othersDrafts([]), for: request, context: context) == [])
        #expect(screen == settled)
    }

    @Test func someoneElsesDraftIsNamedAndOfferedReadOnly() throws {
        let context = ScreenTest.context()
        var (screen, request) = try started(context)
        var theirs = AssessmentScreen(choosingFor: file, context: ScreenTest.context(seed: 99))
        theirs.draft.phase = .rate
        let actions = screen.receive(.othersDrafts([OthersDraft(author: "Worker Two", savedAt: context.now - 3_600, draft: theirs.draft)]),
                                     for: request, context: context)
        let pending = try #require(actions.first.flatMap { if case .dialog(let d) = $0 { d } else { nil } })
        #expect(actions.count == 1)
        #expect(pending.choices == [.char("o"): DialogChoice("openTheirs"), .enter: DialogChoice("goOn")])
        #expect(pending.dialog.message.first?.contains("Worker Two") == true)
        #expect(screen.draft.phase == .choose)
        let opened = screen.chose(DialogChoice("openTheirs"), context: context)
        let shown = try #require(opened.first.flatMap { if case .push(.record(let r)) = $0 { r } else { nil } })
        #expect(shown.readOnly)
    }

    @Test func completingSavesForGoodAndClosesWhenDurable() throws {
        let context = ScreenTest.context()
        var (screen, request) = try started(context)
        _ = screen.receive(.othersDrafts([]), for: request, context: context)
        _ = screen.handle(.char("2"), context: context)
        let asked = screen.handle(.ctrl("t"), context: context)
        #expect(asked.contains { if case .dialog = $0 { true } else { false } })
        let before = screen
        let actions = screen.chose(DialogChoice("complete"), context: context)
        let save = try #require(actions.first?.effect?.save)
        let assessment = try #require(save.records.first?.assessment)
        #expect(assessment.state == .complete && assessment.completedBy == ScreenTest.worker.id && assessment.completedOn == Fixture.today)
        #expect(actions == [.effect(.save(SaveRequest(Request(save.request.id), family: file.family.id, records: [assessment], draftID: before.draftID)))])
        var expected = before
        expected.pendingSave = save.request.id
        expected.closesAfterSave = true
        expected.savedDoneKey = "status.saved.assessment"
        #expect(screen == expected)
        let done = screen.receive(.saved(file, nil), for: save.request.id, context: context)
        #expect(done == [.pop, .status("Assessment completed and saved. It can no longer be changed; add an addendum for corrections.", .info)])
    }
}

@Suite struct ActionsScreenUpdateTests {
    let file = ScreenTest.file()

    @Test func acrossFamiliesTheListIsAskedForOnceAsTheScreenOpens() throws {
        let context = ScreenTest.context()
        var screen = ActionsScreen(scope: .mine)
        var expected = screen
        let asked = screen.appear(context: context)
        let request = try #require(asked.first?.effect?.request)
        expected.pendingLoad = request.id
        #expect(asked == [.effect(.loadMyActions(Request(request.id)))])
        #expect(screen == expected)
        #expect(screen.appear(context: context) == [])

        let list = WorkerAction.of(file, for: ScreenTest.worker)
        #expect(screen.receive(.actions(list), for: request.id, context: context) == [])
        expected.pendingLoad = nil
        expected.loading = false
        expected.items = list
        expected.table.setCount(1)
        #expect(screen == expected)
        #expect(screen.items.map(\.isMine) == [true])
    }

    @Test func markingDoneSavesACompletionAndTheListFollowsTheFamily() throws {
        let context = ScreenTest.context()
        var screen = ActionsScreen(scope: .mine)
        let request = try #require(screen.appear(context: context).first?.effect?.request)
        _ = screen.receive(.actions(WorkerAction.of(file, for: ScreenTest.worker)), for: request.id, context: context)
        let action = try #require(screen.visible.first)
        let actions = screen.chose(DialogChoice("done", ActionsScreen.key(action)), context: context)
        let save = try #require(actions.first?.effect?.save)
        let completion = try #require(save.records.first?.actionCompletion)
        #expect(completion.actionID == "a1" && completion.by == ScreenTest.worker.id && completion.on == Fixture.today)
        #expect(actions == [.effect(.save(SaveRequest(Request(save.request.id), family: file.family.id, records: [completion], draftID: nil)))])

        let saved = Fixture.caseFile(file.family, [Fixture.child(file.family.id), Fixture.parent(file.family.id), try #require(file.plans.values.first), completion])
        #expect(screen.receive(.saved(saved, nil), for: save.request.id, context: context) == [.status("Marked done. u reopens it if that was a mistake.", .info)])
        screen.familyChanged(saved, row: nil, context: context)
        #expect(screen.items.count == 1)
        #expect(screen.items.first?.item.isDone == true)
        #expect(screen.items.first?.isMine == true, "whose an action is survives marking it done")
    }
}

@Suite struct CaseloadScreenUpdateTests {
    let files = [ScreenTest.file("FAM00000000000001"), ScreenTest.file("FAM00000000000002")]

    @Test func enterAsksForTheSelectedFamilyAndChangesNothingElse() throws {
        let context = ScreenTest.context()
        var screen = CaseloadScreen(rows: files.map(CaseloadRow.init), context: context)
        let before = screen
        let selected = try #require(screen.selectedRow)
        #expect(screen.handle(.enter, context: context) == [.effect(.openFamily(selected.familyID, then: .show))])
        #expect(screen == before)
        #expect(screen.handle(.char("a"), context: context) == [.push(.actions(ActionsScreen(scope: .mine)))])
        #expect(screen == before)
    }

    @Test func aSavedFamilysRowComesInAndTheSelectionStays() throws {
        let context = ScreenTest.context()
        var screen = CaseloadScreen(rows: files.map(CaseloadRow.init), context: context)
        _ = screen.handle(.down, context: context)
        let selected = try #require(screen.selectedRow?.familyID)
        let before = screen
        let third = ScreenTest.file("FAM00000000000003")
        screen.familyChanged(third, row: nil, context: context)
        #expect(screen == before, "without a row there is nothing to show")
        screen.familyChanged(third, row: CaseloadRow(third), context: context)
        #expect(screen.rows.count == 3)
        #expect(screen.selectedRow?.familyID == selected)
    }
}

@Suite struct CaseloadConflictTests {
    @Test func conflictsAreMarkedCountedAndFilteredWithC() throws {
        let context = ScreenTest.context()
        var rows = [ScreenTest.file("FAM00000000000001"), ScreenTest.file("FAM00000000000002")].map(CaseloadRow.init)
        rows[1].conflicts = 2
        var screen = CaseloadScreen(rows: rows, context: context)
        var buffer = CellBuffer(size: context.size)
        screen.render(into: &buffer, area: context.screenArea, context: context)
        #expect(buffer.text.contains("≠2"))
        #expect(buffer.text.contains(context.strings("caseload.attention.conflicts", ["n": "2"])))
        #expect(screen.handle(.char("C"), context: context) == [])
        #expect(screen.shown.map { screen.rows[$0].familyID } == [rows[1].familyID])
        buffer = CellBuffer(size: context.size)
        screen.render(into: &buffer, area: context.screenArea, context: context)
        #expect(buffer.text.contains(context.strings("caseload.filter.conflicts")))
        _ = screen.handle(.char("C"), context: context)
        #expect(screen.shown.count == 2)
    }
}

@Suite struct FamilyScreenUpdateTests {
    let file = ScreenTest.file()

    @Test func aNewNoteOpensItsFormOnTop() {
        let context = ScreenTest.context(seed: 11)
        var screen = FamilyScreen(file: file, context: context)
        let before = screen
        let actions = screen.handle(.char("n"), context: context)
        // The same seed draws the same draft id: the form expected, built the same way.
        let expected = FormScreen(purpose: .contactNote(file.family.id), file: file, context: ScreenTest.context(seed: 11))
        #expect(actions == [.push(.form(expected))])
        #expect(screen == before)
    }

    @Test func itFollowsItsOwnFamilyOnly() {
        let context = ScreenTest.context()
        var screen = FamilyScreen(file: file, context: context)
        let before = screen
        screen.familyChanged(ScreenTest.file("FAM00000000000009", extra: [Fixture.note(Family.ID("FAM00000000000009"))]), row: nil, context: context)
        #expect(screen == before)
        let withNote = ScreenTest.file(extra: [Fixture.note(file.family.id)])
        screen.familyChanged(withNote, row: nil, context: context)
        #expect(screen.file == withNote)
        #expect(screen.timeline.count == before.timeline.count + 1)
    }
}

@Suite struct RecordScreenUpdateTests {
    let file = ScreenTest.file(extra: [Fixture.note(Family.ID("FAM00000000000001"))])

    @Test func printingAsksForAFormatAndThePrintoutNamesIt() throws {
        let context = ScreenTest.context()
        let ref = EntityRef(kind: .plan, id: "PLAN-FAM00000000000001")
        var screen = RecordScreen(file: file, ref: ref, context: context)
        let asked = screen.handle(.char("P"), context: context)
        let pending = try #require(asked.first.flatMap { if case .dialog(let d) = $0 { d } else { nil } })
        #expect(pending.choices[.char("m")] == DialogChoice("print", "md"))
        #expect(screen.chose(DialogChoice("print", "md"), context: context)
            == [.effect(.print(PrintRequest(family: file.family.id, record: ref, format: "md")))])
        #expect(screen.chose(DialogChoice("print", "both"), context: context)
            == [.effect(.print(PrintRequest(family: file.family.id, record: ref, format: "html", bilingual: true)))])
    }

    @Test func someoneElsesDraftShownReadOnlyDoesNotFollowTheFamily() {
        let context = ScreenTest.context()
        var screen = RecordScreen(file: file, ref: EntityRef(kind: .assessment, id: "X"), context: context, readOnly: true)
        let before = screen
        screen.familyChanged(ScreenTest.file(), row: nil, context: context)
        #expect(screen == before)
        #expect(screen.handle(.char("P"), context: context) == [], "a read-only record can't be printed")
    }
}

@Suite struct UnlockScreenUpdateTests {
    @Test func enterAsksToUnlockAndAFailureSaysWhyAndClearsThePassphrase() {
        let context = ScreenTest.context()
        var screen = UnlockScreen(storePath: "/nowhere", users: [UnlockUser(login: "lead", role: .teamLead)])
        for character in "pass words" { _ = screen.handle(.char(character), context: context) }
        let actions = screen.handle(.enter, context: context)
        #expect(actions == [.effect(.unlock(login: "lead", passphrase: "pass words"))])
        #expect(screen.unlocking && screen.passphrase.text.isEmpty)
        var expected = screen
        screen.failed("Wrong passphrase")
        expected.unlocking = false
        expected.error = "Wrong passphrase"
        #expect(screen == expected)
    }
}

/// The app model as a router: results go to the screen that asked, wherever it is.
@Suite struct RoutingTests {
    let file = ScreenTest.file()

    func model() -> AppModel {
        let context = ScreenTest.context()
        return AppModel(context: context, screens: [.caseload(CaseloadScreen(rows: [CaseloadRow(file)], context: context))])
    }

    @Test func aScreensRequestCarriesItsScreenAndTheResultGoesBackToIt() throws {
        var app = model()
        let effects = app.update(.terminal(.key(.char("a"))))
        let request = try #require(effects.first?.request)
        #expect(effects == [.loadMyActions(request)])
        #expect(request.screen == app.screenIDs.last, "asked by the actions screen that opened, not the caseload")
        let list = WorkerAction.of(file, for: ScreenTest.worker)
        #expect(app.update(.result(request, .actions(list))) == [])
        #expect(app.screens.last?.actions?.items == list)
    }

    @Test func aResultForAScreenThatHasClosedChangesNothing() throws {
        var app = model()
        let request = try #require(app.update(.terminal(.key(.char("a")))).first?.request)
        _ = app.update(.terminal(.key(.escape)))
        let before = app.screens
        #expect(app.update(.result(request, .actions(WorkerAction.of(file, for: ScreenTest.worker)))) == [])
        #expect(app.screens == before)
        #expect(app.overlay == nil)
    }

    @Test func aFailureGoesToTheScreenAndThePersonIsTold() throws {
        var app = model()
        let request = try #require(app.update(.terminal(.key(.char("a")))).first?.request)
        _ = app.update(.result(request, .failed(UserMessage(title: "Could not read", text: "The index is damaged."))))
        #expect(app.screens.last?.actions?.loading == false)
        let dialog = try #require(app.overlay?.dialog)
        #expect(dialog.dialog.message == ["The index is damaged."])
    }

    @Test func aScreenClosesItselfOnlyOnceAndNeverAnotherScreen() throws {
        let context = ScreenTest.context()
        var app = AppModel(context: context, screens: [.caseload(CaseloadScreen(rows: [CaseloadRow(file)], context: context)),
                                                       .family(FamilyScreen(file: file, context: context)),
                                                       .form(FormScreen(purpose: .contactNote(file.family.id), file: file, context: context))])
        let family = try #require(app.screens[1].family)
        _ = app.apply([.pop, .pop, .replace(.record(RecordScreen(file: file, ref: file.familyRef, context: context)))], from: 2)
        #expect(app.screens.count == 3, "the form closed once; the family stays under what replaced it")
        #expect(app.screens[1] == .family(family))
        #expect(app.screens.last?.record != nil)
    }

    @Test func theTeamsIdleLockTimeIsTheOneUsed() throws {
        let context = ScreenTest.context()
        var app = AppModel(context: context, screens: [.unlock(UnlockScreen(storePath: "/nowhere", users: []))])
        let session = SessionInfo(user: ScreenTest.worker, users: [ScreenTest.worker.id: ScreenTest.worker], teamName: "Test team",
                                  storePath: "/nowhere", isDemo: false, idleLockMinutes: 2)
        _ = app.update(.unlocked(session, [CaseloadRow(file)], drafts: [], notices: []))
        _ = app.update(.tick(context.now + 119))
        #expect(app.lock == nil)
        _ = app.update(.tick(context.now + 121))
        let lock = try #require(app.lock)
        var buffer = CellBuffer(size: context.size)
        lock.render(into: &buffer, area: context.screenArea, context: app.context)
        #expect(buffer.lines.joined(separator: "\n").contains("Locked after 2 minutes"), "\(buffer.lines.joined(separator: "\n"))")
    }

    @Test func aSaveReachesEveryScreenShowingTheFamily() throws {
        var app = model()
        let saved = ScreenTest.file(extra: [Fixture.note(file.family.id)])
        var row = CaseloadRow(saved)
        row.openFlags = 3
        _ = app.update(.result(Request(RequestID("from-elsewhere")), .saved(saved, row)))
        #expect(app.screens.first?.caseload?.rows.first?.openFlags == 3)
    }
}
