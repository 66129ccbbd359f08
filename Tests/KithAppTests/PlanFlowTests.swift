import Foundation
import Testing
import KithApp
import KithCore
@testable import KithUI
import KithTestSupport

@Suite(.serialized) struct PlanFlowTests {
    /// Opens a family with no safety plan yet.
    func familyWithoutSafetyPlan(_ app: AppHarness) throws -> Family.ID {
        let rows = app.store.caseload().filter { $0.status != .closed }.sorted { $0.reference < $1.reference }
        for row in rows {
            let file = try app.store.openCase(row.familyID)
            if file.safetyPlans.isEmpty && !file.network.isEmpty {
                app.run(.search)
                app.type(row.reference)
                app.press(.enter)
                return row.familyID
            }
        }
        throw CancellationError()
    }

    @Test func aSafetyPlanWithTheKeyboardOnlyIsDueWithinSevenDays() throws {
        let app = try AppHarness(families: 30)
        let id = try familyWithoutSafetyPlan(app)
        app.run(.newSafetyPlan)
        #expect(app.screen.contains("Safety plan"))
        #expect(app.screen.contains("[x] yes"))                          // immediate by default
        app.press(.tab, .tab)                                          // to the worries
        app.press(.char("a"))
        app.type("School and Nain"); app.press(.tab)
        app.type("the children arriving hungry after loud nights"); app.press(.tab)
        app.type("they could be hurt or miss school"); app.press(.tab)
        app.type("the children are fed and calm every morning")
        app.press(.escape)
        app.press(.tab)                                                // judgements
        app.press(.char("a"))
        app.type("Mum"); app.press(.tab, .char("6"), .tab)
        app.type("Things are calmer when Nain stays")
        app.press(.escape)
        app.press(.tab)                                                // the network (prefilled from the family's network)
        app.press(.enter)                                              // edit the first person
        app.press(.tab, .tab, .ctrl("u"))
        app.type("Stays over when things get tense")
        app.press(.tab, .tab, .char(" "))                              // agreed
        app.press(.escape)
        app.press(.tab); app.type("No shouting in front of the children\nNain is called when arguments start")
        app.press(.tab); app.type("Drinking at weekends")
        app.press(.tab); app.type("The children are never alone with an adult who has been drinking")
        app.press(.tab, .char("a"))
        app.type("an argument will not stop"); app.press(.tab)
        app.type("the children go to Nain's"); app.press(.tab)
        app.type("Mum phones Nain")
        app.press(.escape)
        app.press(.tab); app.type("I feel safe when Nain is there.")
        app.press(.tab); app.type("Mum, Nain, worker")
        app.press(.tab); app.type("today")
        app.press(.ctrl("s"), .char("s"))            // save for good
        #expect(app.screen.contains("Safety plan saved."), "\(app.screen)")
        let file = try app.store.openCase(id)
        let plan = try #require(file.currentSafetyPlan)
        #expect(plan.status == .active)
        #expect(plan.immediate)
        #expect(plan.worries.first?.safetyGoal == "the children are fed and calm every morning")
        #expect(plan.judgements.first?.score == 6)
        #expect(plan.network.first?.agreed == true)
        #expect(plan.network.first?.role == "Stays over when things get tense")
        #expect(plan.rules == ["No shouting in front of the children", "Nain is called when arguments start"])
        #expect(plan.contingencies.first?.who == "Mum phones Nain")
        #expect(plan.agreedBy == ["Mum", "Nain", "worker"])
        // An immediate plan is due for review within 7 days.
        let due = try #require(file.reminders.first { $0.kind == .safetyPlanReview })
        #expect(due.due == Fixture.today.adding(days: 7))
    }

    @Test func revisingKeepsTheOldVersionReadableAndSuperseded() throws {
        let app = try AppHarness(families: 40)
        // (An open family, the same one every run: the caseload comes in no particular order.)
        let row = try #require(try app.store.caseload().filter { $0.status != .closed }.sorted { $0.reference < $1.reference }
            .first { try app.store.openCase($0.familyID).currentSafetyPlan?.status == .active })
        app.run(.search); app.type(row.reference); app.press(.enter)
        let old = try #require(try app.store.openCase(row.familyID).currentSafetyPlan)
        app.run(.newSafetyPlan)
        #expect(app.screen.contains("New version of the safety plan"))
        app.press(.ctrl("s"), .char("s"))            // save for good
        let file = try app.store.openCase(row.familyID)
        let current = try #require(file.currentSafetyPlan)
        #expect(current.version == old.version + 1)
        #expect(current.supersedes == old.id)
        #expect(file.safetyPlans[old.id]?.status == .superseded)
        #expect(file.safetyPlans[old.id]?.worries == old.worries)
        // The old version still opens, marked as replaced.
        let documents = RecordDocuments(strings: .shipped(.en), instruments: InstrumentLibrary(), today: Fixture.today, names: { _ in "" })
        let text = try #require(documents.document(for: old.ref, in: file)).plainText()
        #expect(text.contains("superseded"))
        #expect(text.contains("Replaced by"))
    }

    @Test func aFamilyGroupMeetingWithTheKeyboardOnly() throws {
        let app = try AppHarness(families: 20)
        app.run(.open)
        let family = try #require(app.model.screens.last?.family)
        app.run(.newMeeting)
        app.press(.tab); app.type("Canolfan Deulu")
        app.press(.tab, .tab); app.type("Coordinator typed in this test")
        app.press(.tab)                                                // attendees, prefilled
        app.press(.char("a")); app.type("School"); app.press(.tab, .char("p"), .tab, .char("s"), .char("s")); app.press(.escape)
        app.press(.tab, .right, .tab); app.type("Through a drawing")  // child took part by…
        app.press(.tab); app.type("Evenings are hard")
        app.press(.tab); app.type("A close family; Nain nearby")
        app.press(.tab); app.type("After-school club")
        app.press(.tab); app.type("Always a sober adult with the children")
        app.press(.tab)                                                // private family time (yes)
        app.press(.tab, .char("a"))
        app.type("Walk the children to school on Mondays"); app.press(.tab)
        app.type("Nain"); app.press(.tab); app.type("+14"); app.press(.tab); app.type("Mum")
        app.press(.escape)
        app.press(.tab, .right); app.press(.tab); app.type("Mum wants to try it for a month first")
        app.press(.tab); app.type("Mum phones the worker and Nain")
        app.press(.tab); app.type("Worker visits every two weeks")
        app.press(.tab); app.type("Mum")
        app.press(.tab, .tab); app.type("Family, Nain, School")
        app.press(.ctrl("s"), .char("s"))            // save for good
        #expect(app.screen.contains("Family Group Meeting saved."), "\(app.screen)")
        let file = try app.store.openCase(family.file.family.id)
        let meeting = try #require(file.meetings.values.first { $0.coordinator == "Coordinator typed in this test" })
        #expect(meeting.venue == "Canolfan Deulu")
        #expect(meeting.attendees.last?.name == "School")
        #expect(meeting.attendees.last?.group == .professional)
        #expect(meeting.attendees.last?.attendance == .writtenViews)
        #expect(meeting.childParticipationNote == "Through a drawing")
        #expect(meeting.privateFamilyTime)
        #expect(meeting.familyPlan.first?.byWhen == Fixture.today.adding(days: 14))
        #expect(meeting.agreement == .agreedWithChanges)
        #expect(meeting.planLead == "Mum")
        #expect(meeting.distribution == ["Family", "Nain", "School"])
        // Its actions join the family's actions, and can be marked done.
        app.run(.familyActions)
        let actions = try #require(app.model.screens.last?.actions)
        #expect(actions.visible.contains { $0.item.action.what == "Walk the children to school on Mondays" && $0.item.source == meeting.ref })
    }

    @Test func markingAnActionDoneRecordsWhoAndWhen() throws {
        let app = try AppHarness(families: 20)
        app.run(.open)
        let family = try #require(app.model.screens.last?.family)
        app.run(.familyActions)
        let actions = try #require(app.model.screens.last?.actions)
        let first = try #require(actions.visible.first)
        app.press(.char("d"))
        #expect(app.screen.contains("Mark this action done?"))
        app.press(.char("y"))
        let file = try app.store.openCase(family.file.family.id)
        let done = try #require(file.isActionDone(source: first.item.source, actionID: first.item.action.id))
        #expect(done.by == app.store.user.id)
        #expect(done.on == Fixture.today)
        #expect(app.screen.contains("Marked done."))
    }

    @Test func aReviewThatClosesTheCaseClosesTheFamily() throws {
        let app = try AppHarness(families: 20)
        app.run(.open)
        let family = try #require(app.model.screens.last?.family)
        try #require(family.file.family.status != .closed)
        app.run(.newReview)
        app.press(.tab); app.type("Outcomes met on every count")
        var form = try #require(app.model.screens.last?.form)
        form.state.focus(on: "decision", form.spec, viewport: Size(width: 80, height: 20))
        app.replaceTop(.form(form))
        app.press(.char("c"))                                          // close
        app.press(.ctrl("s"), .char("s"))            // save for good
        let file = try app.store.openCase(family.file.family.id)
        #expect(file.family.status == .closed)
        #expect(file.latestReview?.decision == .close)
        #expect(!file.closures.isEmpty)
        #expect(file.reminders.isEmpty)
        #expect(app.store.row(family.file.family.id)?.status == .closed)
    }

    @Test func aReviewThatStepsUpRaisesTheLevelWithHistory() throws {
        let app = try AppHarness(families: 20)
        let row = try #require(app.store.caseload().sorted { $0.reference < $1.reference }.first { $0.serviceLevel == .secondary && $0.status == .active })
        app.run(.search); app.type(row.reference); app.press(.enter)
        app.run(.newReview)
        var form = try #require(app.model.screens.last?.form)
        form.state.focus(on: "decision", form.spec, viewport: Size(width: 80, height: 20))
        app.replaceTop(.form(form))
        app.press(.enter); app.type("step up"); app.press(.enter)
        app.press(.ctrl("s"))
        let file = try app.store.openCase(row.familyID)
        #expect(file.family.serviceLevel == .tertiary)
        #expect(file.family.serviceLevelHistory.last?.level == .tertiary)
        #expect(file.family.serviceLevelHistory.last?.from == Fixture.today)
    }
}

@Suite(.serialized) struct PrintoutGoldenTests {
    /// A family of our own for the golden: Welsh and accented names, one right-to-left.
    func printFamily(_ app: AppHarness) throws -> (Family.ID, SafetyPlan, FamilyGroupMeeting, Plan) {
        let id = Family.ID("PRINTFAMILY00001")
        let today = Fixture.today
        var family = Fixture.family(id.raw, lead: app.store.user.id, name: "Teulu Llŷr")
        family.team = app.store.user.team
        let people: [any FamilyScoped] = [
            Person(id: Person.ID("P1"), familyID: id, role: .parent, givenName: "Siân", familyName: "Llŷr", dateOfBirth: Day(iso: "1990-04-02")),
            Person(id: Person.ID("P2"), familyID: id, role: .child, givenName: "Gwenllïan", familyName: "Llŷr", dateOfBirth: Day(iso: "2017-09-12")),
            NetworkMember(id: NetworkMember.ID("N1"), familyID: id, name: "Nain Ștefania", relationship: .grandparent, phone: "07700 900123"),
            NetworkMember(id: NetworkMember.ID("N2"), familyID: id, name: "ليلى حداد", relationship: .neighbour, phone: "07700 900456"),
        ]
        let plan = SafetyPlan(id: SafetyPlan.ID("SP1"), familyID: id, immediate: true,
                              worries: [WorryStatement(who: "The school", about: "Gwenllïan arriving hungry", ifNothingChanges: "she may miss school",
                                                       safetyGoal: "Gwenllïan has breakfast every day")],
                              judgements: [SafetyJudgement(who: "Siân", score: 7, reason: "Nain is close by")],
                              network: [SafetyNetworkEntry(member: NetworkMember.ID("N1"), name: "Nain Ștefania", role: "Stays over on hard nights", phone: "07700 900123", agreed: true),
                                        SafetyNetworkEntry(member: NetworkMember.ID("N2"), name: "ليلى حداد", role: "Gwenllïan can go next door", phone: "07700 900456", agreed: true)],
                              rules: ["No shouting in front of Gwenllïan"], triggers: ["Money worries at the end of the month"],
                              bottomLines: ["Gwenllïan is never left alone at night"],
                              contingencies: [Contingency(ifWhat: "an argument starts", then: "Gwenllïan goes to ليلى's", who: "Siân")],
                              childView: "I feel safe when Nain is here.", agreedBy: ["Siân", "Nain Ștefania", "ليلى حداد"], agreedOn: today, createdOn: today)
        let meeting = FamilyGroupMeeting(id: FamilyGroupMeeting.ID("M1"), familyID: id, date: today, venue: "Canolfan Deulu", languageUsed: .welsh,
                                         coordinator: "Coordinator", attendees: [.init(name: "Siân Llŷr", group: .family, attendance: .attended),
                                                                                 .init(name: "ليلى حداد", group: .network, attendance: .attended)],
                                         worries: "Evenings are hard.", strengths: "A warm home and a kind neighbour.", bottomLines: "Always a sober adult.",
                                         privateFamilyTime: true,
                                         familyPlan: [PlanAction(id: "m1", what: "Walk Gwenllïan to school on Mondays", who: "Nain Ștefania", byWhen: today.adding(days: 14), whoChecks: "Siân")],
                                         agreement: .agreed, contingency: "Phone the worker.", monitoring: "Visits every two weeks.", planLead: "Siân",
                                         reviewDate: today.adding(days: 42), distribution: ["Siân", "Nain Ștefania"])
        let support = Plan(id: Plan.ID("PL1"), familyID: id, title: "Our family plan",
                           goals: [Goal(id: "g1", text: "We want calmer mornings", actions: [PlanAction(id: "a1", what: "Make a morning chart", who: "Siân", byWhen: today.adding(days: 7), whoChecks: "Worker")])],
                           createdOn: today, reviewDate: today.adding(days: 90))
        try app.store.createFamily(family, with: people + [plan, meeting, support])
        return (id, plan, meeting, support)
    }

    @Test(arguments: [Strings.Language.en, .cy])
    func printoutsInBothLanguages(language: Strings.Language) throws {
        let app = try AppHarness(families: 2)
        let (id, plan, meeting, support) = try printFamily(app)
        for (name, ref) in [("safety-plan", plan.ref), ("meeting-plan", meeting.ref), ("family-plan", support.ref)] {
            for format in ["txt", "md", "html"] {
                let (text, _) = try Printing.render(PrintRequest(family: id, record: ref, format: format), store: app.store, today: Fixture.today, language: language)
                assertSnapshot(text, named: "printout-\(name)-\(language.rawValue)-\(format)")
                #expect(text.contains("Gwenllïan") || name != "safety-plan")
                #expect(text.contains("ليلى حداد"))
            }
        }
        // Printing is part of the family's history.
        let prints = try app.store.openCase(id).events.filter { $0.action == .print }
        #expect(prints.count == 9)
    }

    @Test func htmlIsOneSelfContainedFileForA4() throws {
        let app = try AppHarness(families: 2)
        let (id, plan, _, _) = try printFamily(app)
        let (html, _) = try Printing.render(PrintRequest(family: id, record: plan.ref, format: "html"), store: app.store, today: Fixture.today, language: .en)
        #expect(html.contains("@page { size: A4"))
        #expect(!html.contains("<script"))
        #expect(!html.contains("src="))
        #expect(!html.contains("href="))
        #expect(html.contains("dir=\"auto\">ليلى حداد"))
        #expect(html.contains("In an emergency, call 999."))
    }

    /// Saves a new version (SP2) of the family's safety plan, changed by `edit` and agreed,
    /// superseding SP1.
    func agreeRevisedPlan(_ app: AppHarness, _ id: Family.ID, _ edit: (inout SafetyPlan) -> Void) throws -> SafetyPlan {
        let file = try app.store.openCase(id)
        var plan = try #require(file.currentSafetyPlan).revised(id: SafetyPlan.ID("SP2"), on: Fixture.today)
        edit(&plan)
        plan.agreedBy = ["Siân"]
        var old = try #require(file.safetyPlans[SafetyPlan.ID("SP1")])
        old.status = .superseded
        try app.store.save([old, plan], family: id)
        return plan
    }

    @Test func hostileTextCannotBreakAPrintout() throws {
        let app = try AppHarness(families: 2)
        let (id, _, _, _) = try printFamily(app)
        let plan = try agreeRevisedPlan(app, id) { $0.rules = ["<script>alert(1)</script> **bold** \u{1b}[2J"] }
        let (html, _) = try Printing.render(PrintRequest(family: id, record: plan.ref, format: "html"), store: app.store, today: Fixture.today, language: .en)
        #expect(!html.contains("<script>alert"))
        #expect(html.contains("&lt;script&gt;"))
        #expect(!html.contains("\u{1b}"))
        let (md, _) = try Printing.render(PrintRequest(family: id, record: plan.ref, format: "md"), store: app.store, today: Fixture.today, language: .en)
        #expect(md.contains("\\*\\*bold\\*\\*"))
        #expect(!md.contains("\u{1b}"))
    }

    /// A review found a note that changed the terminal's title and clipboard when printed
    /// as text: every format keeps escape sequences and bidirectional overrides out, so a
    /// phone number can't be shown reordered.
    @Test func escapeSequencesAndBidiOverridesStayOutOfEveryPrintout() throws {
        let app = try AppHarness(families: 2)
        let (id, _, _, _) = try printFamily(app)
        let plan = try agreeRevisedPlan(app, id) { plan in
            plan.rules = ["title\u{1b}]0;changed\u{07} clipboard\u{1b}]52;c;ZXZpbA==\u{07} clear\u{1b}[2J\u{9b}31m"]
            plan.network[0].phone = "07700 900\u{202E}321\u{202C}"
        }
        for format in ["txt", "md", "html"] {
            let (text, _) = try Printing.render(PrintRequest(family: id, record: plan.ref, format: format), store: app.store, today: Fixture.today, language: .en)
            let bad = text.unicodeScalars.filter { [0x1b, 0x07, 0x9b, 0x202E, 0x202C].contains($0.value) }
            #expect(bad.isEmpty, "\(format): \(bad.map { String($0.value, radix: 16) })")
            #expect(text.contains("clipboard"), "\(format): the words are kept")
            #expect(text.contains("07700 900"), "\(format): the number is kept, in the order typed")
        }
    }
}
