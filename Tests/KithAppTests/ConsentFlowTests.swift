import Foundation
import Testing
import KithApp
import KithCore
import KithDemo
import KithStore
@testable import KithUI
import KithTestSupport

/// Consent as the practice records it: given by a family member picked from the family,
/// for sharing with named agencies, until a date with a reminder before it lapses; and a
/// printout for another agency refused until such consent is in force.
@Suite(.serialized) struct ConsentFlowTests {
    /// Opens the family's section `section` (Tab moves from one to the next).
    func show(_ section: FamilyScreen.Section, _ app: AppHarness) throws {
        for _ in FamilyScreen.Section.allCases where try #require(app.model.screens.last?.family).section != section {
            app.run(.nextSection)
        }
        #expect(try #require(app.model.screens.last?.family).section == section)
    }

    func shares(_ app: AppHarness, _ family: Family.ID) throws -> [Event] {
        try app.store.readCase(family).events.filter { e in e.action == .print && e.changes.contains { $0.field == "sharedWith" } }
    }

    @Test func anExportForAnotherAgencyIsRefusedUntilConsentIsRecorded() throws {
        let app = try AppHarness(families: 20)
        app.run(.open)
        let file = try #require(app.model.screens.last?.family).file
        let id = file.family.id
        let agency = "Ysgol Gynradd Prawf"
        #expect(file.consentToShare(with: agency, on: Fixture.today) == nil, "no demo consent names this agency")

        // Sharing the chronology with the school: refused on the form, nothing recorded.
        app.run(.chronology)
        app.run(.printRecord)
        #expect(app.screen.contains("for another agency"), "\(app.screen)")
        app.press(.char("s"))
        #expect(app.screen.contains("Share with another agency"), "\(app.screen)")
        try app.focus("agency"); app.type(agency)
        app.press(.ctrl("s"))
        #expect(app.screen.contains("No consent in force covers sharing with this agency."), "\(app.screen)")
        #expect(try app.form().purpose == .share(id, file.familyRef), "the form stays open")
        #expect(try shares(app, id).isEmpty)
        // The printing refuses it too, whoever asks (the command line's kith print --for).
        let request = PrintRequest(family: id, record: file.familyRef, format: "html", sharedWith: agency)
        #expect(throws: StoreError.noConsentToShare(reference: file.family.reference)) {
            try Printing.render(request, store: app.store, today: Fixture.today, language: nil)
        }
        app.press(.escape)
        #expect(app.model.screens.last?.record != nil, "\(app.screen)")
        app.press(.escape)

        // Consent to share with the school, from a member picked from the household, for
        // ten days: its renewal is due (14 days before it lapses) at once.
        let giver = try #require(file.householdMembers.first)
        try show(.consent, app)
        app.run(.addMember)
        #expect(app.screen.contains("Consent"), "\(app.screen)")
        try app.choose("scope", "sharing")
        try app.choose("personID", giver.givenName)
        try app.focus("agencies"); app.type("Health visiting, \(agency)")
        let until = Fixture.today.adding(days: 10)
        try app.focus("until"); app.type(until.iso)
        app.press(.ctrl("s"))
        let saved = try app.store.readCase(id)
        let consent = try #require(saved.consents.values.first { $0.agencyList.contains(agency) }, "\(app.screen)")
        #expect(consent.personID == giver.id && consent.givenBy == giver.fullName && consent.scope == .informationSharing)
        #expect(consent.until == until && consent.givenOn == Fixture.today)
        #expect(try app.store.row(id).map { row in row.due.contains(CaseloadRow.DueItem(kind: .consentRenewal, day: until.adding(days: -14))) } == true)
        #expect(app.screen.contains("lapses"), "the consent list says it lapses soon: \(app.screen)")

        // Now the share goes through, without regard to case, and is recorded with the
        // agency and the consent that let it.
        app.run(.chronology)
        app.run(.printRecord)
        app.press(.char("s"))
        try app.focus("agency"); app.type(agency.uppercased())
        app.press(.ctrl("s"))
        #expect(app.screen.contains("Printout saved"), "\(app.screen)")
        let event = try #require(try shares(app, id).first)
        #expect(event.changes.contains(FieldChange(field: "consent", old: nil, new: .string(consent.id.raw))))
        let folder = app.effects.printDirectory
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: folder).first { $0.hasSuffix(".html") })
        let html = try String(contentsOfFile: "\(folder)/\(name)", encoding: .utf8)
        let words = file.family.language == .welsh ? "Wedi&#39;i rannu gyda \(agency.uppercased())" : "Shared with \(agency.uppercased()) with the consent of"
        #expect(html.contains(words) || html.contains(words.replacingOccurrences(of: "&#39;", with: "'")), "\(html.suffix(600))")
        app.press(.escape)
        let family = try #require(app.model.screens.last?.family)
        #expect(family.timeline.contains { !$0.isOutput && $0.summary.contains("shared with \(agency.uppercased())") }, "sharing stays on the timeline")

        // Withdrawn, it covers nothing from that day.
        var withdrawn = consent
        withdrawn.withdrawnOn = Fixture.today
        try app.store.save([withdrawn], family: id)
        #expect(throws: StoreError.noConsentToShare(reference: file.family.reference)) {
            try Printing.render(request, store: app.store, today: Fixture.today, language: nil)
        }
        #expect(app.store.row(id)?.due.contains { $0.kind == .consentRenewal } == false, "withdrawn consent needs no renewal")
    }

    /// The consent form asks for a person from the family, and a consent to share names
    /// its agencies.
    @Test func consentNeedsAPersonAndSharingNamesItsAgencies() throws {
        let app = try AppHarness(families: 20)
        app.run(.open)
        try show(.consent, app)
        app.run(.addMember)
        try app.choose("scope", "sharing")
        app.press(.ctrl("s"))
        let problems = try app.form().state.problems
        #expect(problems["personID"] != nil && problems["agencies"] != nil, "\(problems)")
        try app.focus("until"); app.type(Fixture.today.adding(days: -1).iso)
        app.press(.ctrl("s"))
        #expect(try app.form().state.problems["until"] == "This date is before the consent was given.")
    }

    @Test(arguments: [Strings.Language.en, .cy]) func consentAndShareGoldens(_ language: Strings.Language) throws {
        let app = try AppHarness(families: 20, language: language)
        app.run(.open)
        try show(.consent, app)
        assertSnapshot(app.screen, named: "consent-list-\(language)-80x24")
        app.run(.addMember)
        assertSnapshot(app.screen, named: "consent-form-\(language)-80x24")
        app.press(.escape)
        app.run(.chronology)
        app.run(.printRecord)
        app.press(.char("s"))
        assertSnapshot(app.screen, named: "share-form-\(language)-80x24")
    }
}
