import Foundation
import Testing
import KithCore
@testable import KithUI

@Suite struct ThemeTests {
    let file = """
    name = "test"
    [palette]
    teal = "#008787"
    [roles]
    normal = { fg = "white" }
    list = { fg = "yellow" }
    "list.selected" = { fg = "black", bg = "teal", bold = true, mono = ["reverse", "underline"] }
    """

    @Test func rolesFallBackToTheirParentThenNormal() throws {
        let parsed = try ThemeDefinition.parse(file, name: "test").get()
        let theme = Theme(chain: [parsed.definition], depth: .indexed256)
        #expect(theme[.listSelected].background == .indexed(30))
        #expect(theme[.listHeader].foreground == .ansi(3))    // list.header → list
        #expect(theme[.muted] == Theme.builtIn(depth: .indexed256)[.muted])   // not in this theme: the built-in one
        #expect(parsed.warnings.isEmpty)
    }

    @Test func coloursFallBack256To16ToMonochrome() throws {
        let definition = try ThemeDefinition.parse(file, name: "test").get().definition
        #expect(Theme(chain: [definition], depth: .ansi16)[.listSelected].background == .ansi(6))
        let mono = Theme(chain: [definition], depth: .monochrome)[.listSelected]
        #expect(mono.foreground == .default && mono.background == .default)
        #expect(mono.attributes == [.reverse, .underline])
        #expect(ColorSpec(text: "#ff0000")?.resolve(.ansi16) == .ansi(9))
        #expect(ColorSpec.index(196).resolve(.ansi16) == .ansi(9))
    }

    @Test func aBadColourDropsOnlyThatSettingWithAWarning() throws {
        let parsed = try ThemeDefinition.parse("[roles]\n\"list.selected\" = { fg = \"tealish\", bold = true }\n", name: "x").get()
        #expect(parsed.warnings.count == 1)
        #expect(parsed.warnings[0].contains("list.selected"))
        #expect(Theme(chain: [parsed.definition], depth: .indexed256)[.listSelected].attributes == [.bold])
    }

    @Test func aBrokenFileIsRejectedWithItsLine() {
        let parsed = ThemeDefinition.parse("name = \"x\"\n[roles\nnormal = {}\n", name: "x")
        #expect(throws: (any Error).self, "a broken theme parsed") { try parsed.get() }
        if case .failure(let error) = parsed { #expect(error.line == 2) }
    }

    @Test func theCompiledInDefaultDefinesEveryRoleAndMonochromeNeverUsesColour() {
        #expect(ThemeDefinition.builtIn.roles.count >= Role.allCases.count - 2)
        let mono = Theme.builtIn(depth: .monochrome)
        for role in Role.allCases {
            #expect(mono[role].foreground == .default && mono[role].background == .default, "\(role)")
        }
        // Selection and errors stay visible without colour.
        #expect(mono[.listSelected].attributes.contains(.reverse))
        #expect(!mono[.statusError].attributes.isEmpty)
    }
}

@Suite struct StringsTests {
    @Test func welshShipsEveryEnglishKey() {
        let en = Strings.shipped(.en), cy = Strings.shipped(.cy)
        #expect(en.keys.count > 800)
        #expect(en.keys.subtracting(cy.keys).isEmpty, "missing in cy: \(en.keys.subtracting(cy.keys).sorted().prefix(10))")
        #expect(cy("caseload.title") == "Llwyth achosion")
        #expect(cy.date(Day(iso: "2026-11-22")!) == "22 Tach 2026")
    }

    /// In safeguarding "FGM" means female genital mutilation: no string may abbreviate a
    /// Family Group Meeting so (nor "CGT" in Welsh), on the caseload, in reminders or anywhere.
    @Test func aFamilyGroupMeetingIsNeverAbbreviated() throws {
        let word = try Regex(#"\b(FGM|CGT)\b"#)
        for language in [Strings.Language.en, .cy] {
            let strings = Strings.shipped(language)
            for key in strings.keys {
                #expect(strings(key).firstMatch(of: word) == nil, "\(language) \(key): \(strings(key))")
            }
        }
        #expect(Strings.shipped(.en)("reminder.short.meetingReview") == "meeting")
    }

    @Test func missingKeysFallBackToEnglishThenShowTheKey() {
        let partial = Strings(language: .cy, table: ["only.welsh": "Cymraeg"], english: ["only.english": "English"])
        #expect(partial("only.welsh") == "Cymraeg")
        #expect(partial("only.english") == "English")
        #expect(partial("no.such.key") == "no.such.key")
        #expect(Strings.shipped(.en)("caseload.counts", ["shown": "3", "total": "9"]) == "3 of 9 families")
    }

    @Test func theEnvironmentChoosesTheLanguage() {
        #expect(Strings.Language.fromEnvironment(["LANG": "cy_GB.UTF-8"]) == .cy)
        #expect(Strings.Language.fromEnvironment(["LANG": "en_GB.UTF-8"]) == .en)
        #expect(Strings.Language.fromEnvironment(["LC_ALL": "cy_GB.UTF-8", "LANG": "en_GB.UTF-8"]) == .cy)
        #expect(Strings.Language.fromEnvironment([:]) == .en)
    }

    /// Every key the code asks for exists in English (keys built at run time are
    /// checked by the label tests of their types).
    @Test func everyKeyInTheSourceExists() throws {
        let en = Strings.shipped(.en)
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources")
        let pattern = try Regex(#"(?:\bs|strings|\.strings)\(\s*"([A-Za-z0-9_.]+)""#)
        var missing: [String] = []
        let files = FileManager.default.enumerator(atPath: sources.path)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") } ?? []
        #expect(files.count > 50)
        for file in files {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            for match in text.matches(of: pattern) {
                guard let key = match.output[1].substring.map(String.init), !key.hasSuffix(".") else { continue }
                if !en.has(key) { missing.append("\(file): \(key)") }
            }
        }
        #expect(missing.isEmpty, "\(missing)")
    }

    @Test func everyEnumLabelExistsInBothLanguages() {
        func check<L: Labelled>(_ type: L.Type) {
            for language in Strings.Language.allCases {
                for value in L.allCases { #expect(Strings.shipped(language).has(value.labelKey), "\(language) \(value.labelKey)") }
            }
        }
        check(RecordKind.self); check(User.Role.self); check(ServiceLevel.self); check(FamilyStatus.self); check(LanguagePreference.self)
        check(RiskLevel.self); check(PersonRole.self); check(NetworkMember.Relationship.self); check(Consent.Scope.self)
        check(Consent.Method.self); check(RiskFactorObservation.Status.self); check(RiskFactor.self); check(Assessment.Kind.self)
        check(Assessment.State.self); check(Plan.Status.self); check(Goal.Status.self); check(SafetyPlan.Status.self)
        check(FamilyGroupMeeting.Attendee.Group.self); check(FamilyGroupMeeting.Attendee.Attendance.self)
        check(FamilyGroupMeeting.ChildParticipation.self); check(FamilyGroupMeeting.Agreement.self); check(ContactNote.Kind.self)
        check(Review.Decision.self); check(Closure.Reason.self); check(Reminder.Kind.self); check(Reminder.Urgency.self)
        check(ActionItem.Status.self); check(ValidationIssue.Problem.self); check(Band.self); check(AssessmentSummary.Change.self)
    }
}
