import Foundation
import Testing
import KithApp
import KithCore
import KithDemo
import KithStore
@testable import KithUI
import KithTestSupport

@Suite(.serialized) struct FamilyFlowTests {
    /// Typing a family whose member matches one already in the caseload shows the
    /// possible duplicate before anything is saved.
    @Test func creatingAFamilyChecksForDuplicatesFirst() throws {
        let app = try AppHarness(families: 30)
        // The first by reference: the caseload comes back in no particular order.
        let existing = try #require(app.store.caseload().sorted { $0.reference < $1.reference }.first { row in row.members.contains { $0.dateOfBirth != nil } })
        let file = try app.store.openCase(existing.familyID)
        let person = try #require(file.householdMembers.first { $0.dateOfBirth != nil })
        app.run(.newFamily)
        #expect(app.screen.contains("New family"))
        app.type("Another \(person.familyName) family")
        // Jump to the household members and add one with the same name and birth date.
        app.press(.backTab)
        app.press(.enter)                                   // opens a new row
        app.type(person.givenName)
        app.press(.tab)
        app.type(person.familyName)
        app.press(.tab, .tab)
        app.type(DateField.format(person.dateOfBirth!))
        app.press(.escape)                                  // back to the form, row kept
        let before = app.store.familyCount
        app.press(.ctrl("s"))
        #expect(app.screen.contains("Is this family already here?"))
        #expect(app.screen.contains(existing.reference))
        // The dialog wraps its lines where the names make it: read it as running text.
        let dialog = app.screen.replacingOccurrences(of: "│", with: " ").split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(dialog.contains("same date of birth"))
        #expect(app.store.familyCount == before)
        app.press(.char("y"))                               // a different family after all
        #expect(app.store.familyCount == before + 1)
        let created = try #require(app.model.screens.last?.family)
        #expect(created.file.people.values.contains { $0.givenName == person.givenName })
        #expect(app.screen.contains("Family created."))
    }

    @Test func aContactNoteAutosavesWhileTypedAndSavesDurably() throws {
        let app = try AppHarness(families: 10)
        app.run(.open)
        let family = try #require(app.model.screens.last?.family)
        let notesBefore = family.file.notes.count
        app.run(.addNote)
        app.press(.tab, .tab, .char(" "), .tab, .tab)      // seen: first member; to the note text
        app.type("Visited with Nain.")
        app.wait(1)
        let drafts = app.store.drafts()
        #expect(drafts.count == 1, "the typing reached a durable draft within a second")
        let draft = try #require(drafts.first)
        let state = try #require((try ValueDecoder().decode(DraftEnvelope.self, from: draft.payload).content).formState)
        #expect(state.note("text") == "Visited with Nain.")
        #expect(state.focus == "text")
        app.press(.enter)
        app.type("Mali showed me her drawing.")
        app.press(.ctrl("s"), .char("s"))            // save for good
        let after = try #require(app.model.screens.last?.family)
        #expect(after.file.notes.count == notesBefore + 1)
        #expect(after.file.notes.values.contains { $0.text == "Visited with Nain.\nMali showed me her drawing." })
        #expect(app.store.drafts().isEmpty, "the draft is removed once saved")
        #expect(app.screen.contains("Contact note saved."))
    }

    @Test func requiredFieldsAreNamedAndNothingIsLost() throws {
        let app = try AppHarness(families: 5)
        app.run(.open)
        app.run(.addNote)
        app.press(.ctrl("s"))
        #expect(app.screen.contains("Not saved yet"))
        #expect(app.screen.contains("✗ required"))
        let form = try #require(app.model.screens.last?.form)
        #expect(form.state.focus == "text")
    }

    /// The team lead flags a record; the worker sees the flag on the caseload and resolves it.
    @Test func flagAndResolve() throws {
        let lead = try AppHarness(families: 40)
        let alys = try #require(lead.store.users.values.first { $0.login == "alys" })
        let row = try #require(lead.store.caseload().first { $0.lead == alys.id && $0.openFlags == 0 && $0.status != .closed })
        lead.run(.search)
        lead.type(row.reference)
        lead.press(.enter)
        lead.run(.flag)
        #expect(lead.screen.contains("Flag for the worker"))
        lead.type("Please book the review this week.")
        lead.press(.ctrl("s"))
        #expect(lead.screen.contains("Flag sent to the worker."))
        #expect(lead.store.row(row.familyID)?.openFlags == 1)
        lead.store.close()

        let worker = try AppHarness(login: "alys", existing: lead.root)
        worker.run(.filterFlagged)
        let caseload = try #require(worker.model.screens.last?.caseload)
        #expect(caseload.shown.contains { caseload.rows[$0].familyID == row.familyID })
        #expect(worker.screen.contains("⚑1"))
        worker.run(.search)
        worker.type(row.reference)
        worker.press(.enter)
        #expect(worker.screen.contains("1 open flag"))
        worker.run(.resolveFlag)
        #expect(worker.screen.contains("Please book the review this week."))
        worker.type("Booked for Thursday.")
        worker.press(.ctrl("s"))
        #expect(worker.store.row(row.familyID)?.openFlags == 0)
        let flag = try #require(try worker.store.openCase(row.familyID).flags.values.first { $0.note == "Please book the review this week." })
        #expect(flag.resolvedBy == alys.id)
        #expect(flag.response == "Booked for Thursday.")
        #expect(flag.raisedBy == lead.store.user.id)
    }

    @Test func workersCannotFlag() throws {
        let app = try AppHarness(families: 40, login: "alys")
        app.run(.open)
        app.run(.flag)
        #expect(app.screen.contains("Only a team lead can flag records."))
    }

    @Test func editingTheFamilyChangingLevelAndLeadKeepHistory() throws {
        let app = try AppHarness(families: 10)
        app.run(.open)
        let before = try #require(app.model.screens.last?.family)
        let level = before.file.family.serviceLevel
        app.run(.changeLevel)
        app.press(.char("t"))                              // Tertiary
        app.press(.tab, .tab)
        app.type("Worries about safety at home")
        app.press(.ctrl("s"))
        let after = try #require(app.model.screens.last?.family)
        #expect(after.file.family.serviceLevel == .tertiary)
        if level != .tertiary {
            #expect(after.file.family.serviceLevelHistory.count == before.file.family.serviceLevelHistory.count + 1)
            #expect(after.file.family.serviceLevelHistory.last?.reason == "Worries about safety at home")
        }
        app.run(.changeLead)
        app.press(.enter)
        app.type("Tom")
        app.press(.enter)
        app.press(.ctrl("s"))
        let led = try #require(app.model.screens.last?.family)
        #expect(app.store.users[led.file.family.lead!]?.displayName == "Tom Ellis")
    }

    /// A form left open when the process dies is offered back on the next start, exactly.
    @Test func anUnsavedFormComesBackAfterACrash() throws {
        let app = try AppHarness(families: 8)
        app.run(.open)
        let family = try #require(app.model.screens.last?.family)
        app.run(.addNote)
        app.press(.tab, .tab, .tab, .tab)
        app.type("The laptop battery is about to di")
        app.wait(1)
        // The process dies here: no save, no clean close.
        let root = app.root
        app.effects.store?.close()

        let again = try AppHarness(existing: root)
        #expect(again.screen.contains("Unsaved work found"))
        #expect(again.screen.contains("Contact note"))
        again.press(.enter)
        let form = try #require(again.model.screens.last?.form)
        #expect(form.file?.family.id == family.file.family.id)
        #expect(form.state.note("text") == "The laptop battery is about to di")
        #expect(form.state.focus == "text")
        again.type("e.")
        again.press(.ctrl("s"), .char("s"))            // save for good
        #expect(try again.store.openCase(family.file.family.id).notes.values.contains { $0.text == "The laptop battery is about to die." })
        #expect(again.store.drafts().isEmpty)
    }
}

@Suite(.serialized) struct PrivacyTests {
    /// Errors and log lines name files, ids and fields — never names or notes.
    @Test func noCaseContentInErrorsOrLogs() throws {
        let test = TestStore()
        let store = try test.create()
        let family = Fixture.family(lead: Fixture.lead)
        try store.createFamily(family, with: [Fixture.child(family.id), Fixture.parent(family.id)])
        let note = Fixture.note(family.id)
        try store.save([note], family: family.id)
        var errors: [any Error] = []
        var edited = note
        edited.text = "Zebediah rewritten"
        do { try store.save([edited], family: family.id) } catch { errors.append(error) }
        do { _ = try Store.open(at: test.root, login: "lead", passphrase: "wrong Zebediah") } catch { errors.append(error) }
        do { _ = try store.openCase(Family.ID("NOSUCHFAMILY0001")) } catch { errors.append(error) }
        store.close()
        let worker = try test.open("other")
        do { _ = try worker.openCase(family.id) } catch { errors.append(error) }
        worker.close()
        // Damage the family's log and read it again.
        let path = StoreLayout(root: test.root).family(family.id.raw)
        var bytes = Array(FileManager.default.contents(atPath: path)!)
        bytes[bytes.count - 20] ^= 0xFF
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        let reopened = try test.open()
        let problems = reopened.check().problems
        #expect(!problems.isEmpty)
        #expect(errors.count == 4)

        let strings = Strings.shipped(.en)
        var texts = errors.map { "\($0)" } + errors.map { ErrorPresenter.message($0, strings: strings).text }
        texts += problems.map { "\($0)" } + problems.map { ErrorPresenter.notice($0, strings: strings) }
        // The log: what LiveEffects writes when an effect fails.
        let log = TemporaryDirectory()
        let saved = dup(STDERR_FILENO)
        let fd = open(log.file("kith.log"), O_WRONLY | O_CREAT, 0o600)
        dup2(fd, STDERR_FILENO)
        for error in errors { KithLog.error(error, during: "privacy-check") }
        KithLog.error(CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "Zebediah"]), during: "privacy-check")
        dup2(saved, STDERR_FILENO)
        close(fd)
        let logText = String(decoding: FileManager.default.contents(atPath: log.file("kith.log")) ?? Data(), as: UTF8.self)
        // (Other tests running meanwhile may write to the same stderr: only these lines count.)
        #expect(logText.split(separator: "\n").filter { $0.contains("privacy-check failed:") }.count == 5)
        texts.append(logText)
        for text in texts {
            for word in Fixture.secretWords + ["Quillfeather family", "Test Street", "rewritten"] where !text.isEmpty {
                #expect(!text.contains(word), "“\(word)” in: \(text)")
            }
        }
    }
}
