import Testing
import KithCore
import KithTestSupport

@Suite struct InstrumentTests {
    @Test func everyShippedInstrumentLoadsWithWelshText() throws {
        let shipped = InstrumentLoader.shipped
        #expect(Set(shipped.map(\.id)) == ["kith.strengths-needs", "kith.outcomes", "kith.worries-strengths", "kith.risk-factors"])
        for instrument in shipped {
            #expect(instrument.title.cy != nil, "\(instrument.id) has no Welsh title")
            for item in instrument.items {
                #expect(item.text.cy != nil, "\(item.id) has no Welsh text")
                #expect(item.guidance?.en != nil && item.guidance?.cy != nil, "\(item.id) has no guidance in both languages")
                #expect(item.guidance?.en != item.text.en, "\(item.id)'s guidance only repeats its text")
                #expect(instrument.scale(for: item).options.allSatisfy { $0.label.cy != nil })
            }
        }
        let sn = try #require(shipped.first { $0.id == "kith.strengths-needs" })
        #expect(sn.domains.map(\.id) == ["child", "parenting", "family"])
        #expect(sn.items.count == 30)
        let outcomes = try #require(shipped.first { $0.id == "kith.outcomes" })
        #expect(outcomes.items.count == 7)
        #expect(outcomes.raters == ["worker", "parent", "child"])
        #expect(outcomes.ratedKeys.count == 21)
        let risk = try #require(shipped.first { $0.id == "kith.risk-factors" })
        #expect(Set(risk.items.map(\.id)) == Set(RiskFactor.allCases.map(\.rawValue)))
    }

    @Test func agencyDefinitionsSupportEveryScaleType() throws {
        let instrument = try InstrumentLoader.parse(Fixture.everyScaleInstrument, file: "agency.toml")
        #expect(instrument.version == 3)
        let bi = try #require(instrument.scales["bi"])
        #expect(bi.goodness(2) == 1)
        #expect(bi.band(-3) == .concern)
        let act = try #require(instrument.scales["act"])
        #expect(act.higherIsBetter == false)
        #expect(act.label(0, polarity: .strength)?.en == "Centrepiece")
        #expect(act.label(0, polarity: .need)?.en == "No action")
        #expect(instrument.scales["status"]?.band(2) == .middle)
        #expect(instrument.scale(for: instrument.items.last!).kind == .narrative)
        #expect(instrument.scales["journey"]?.goodness(10) == 1)
        #expect(instrument.scales["judge"]?.band(0) == .concern)
        #expect(instrument.scales["check"]?.band(1) == .concern)
        #expect(instrument.ratedKeys == ["bi", "need", "strength", "journey", "judge", "status", "check"])
    }

    @Test(arguments: [
        ("id = \"x\"\nversion = 1\ntitle.en = \"T\"\n[[domains]]\nid = \"d\"\ntitle.en = \"D\"\n[[domains.items]]\nid = \"a\"\nscale = \"missing\"\ntext.en = \"A\"\n",
         9, "uses scale 'missing'"),
        ("id = \"x\"\nversion = 1\ntitle.en = \"T\"\n[[scales]]\nid = \"s\"\nkind = \"stars\"\n", 6, "unknown kind 'stars'"),
        ("id = \"x\"\nversion = \"one\"\n", 2, "version"),
        ("id = \"x\"\nversion = 1\ntitle.en = \"T\"\n[[scales]]\nid = \"s\"\nkind = \"judgement\"\n[[scales.options]]\nvalue = 11\nlabel.en = \"x\"\n[[scales.options]]\nvalue = 1\nlabel.en = \"y\"\n",
         7, "value 11 is outside 0…10"),
        ("id = \"x\"\nversion = 1\ntitle = \n", 3, "not valid TOML"),
        ("id = \"x\"\nversion = 1\ntitle.en = \"T\"\n[[domains]]\nid = \"d\"\ntitle.en = \"D\"\n[[domains.items]]\nid = \"a\"\ntext.en = \"A\"\n[[domains.items]]\nid = \"a\"\ntext.en = \"B\"\n",
         10, "item 'a' appears twice"),
    ])
    func brokenDefinitionsNameTheFileAndLine(text: String, line: Int, message: String) {
        #expect {
            try InstrumentLoader.parse(text, file: "broken.toml")
        } throws: { error in
            guard let error = error as? InstrumentError else { return false }
            return error.file == "broken.toml" && error.line == line && error.message.contains(message)
        }
    }

    @Test func aBrokenAgencyFileDoesNotStopTheOthers() {
        let library = InstrumentLibrary(agencyFiles: [("good.toml", Fixture.everyScaleInstrument), ("bad.toml", "id = ")])
        #expect(library.instruments.contains { $0.id == "agency.every-scale" })
        #expect(library.problems.map(\.file) == ["bad.toml"])
        #expect(library.current.count == 5)
    }
}

@Suite struct SummaryTests {
    let instrument = InstrumentLoader.shipped.first { $0.id == "kith.strengths-needs" }!

    func assessment(_ ratings: [String: Int], state: Assessment.State = .complete) -> Assessment {
        Assessment(id: Assessment.ID(.init(ratings.count)), familyID: Family.ID("F"), instrumentID: instrument.id, instrumentVersion: 1,
                   date: Fixture.today, ratings: ratings.mapValues { ItemRating(rating: .value($0)) }, state: state)
    }

    @Test func domainsShowBandProgressAndChange() throws {
        let before = assessment(["child.health": 5, "child.emotional": 4, "parenting.basic": 1])
        let now = assessment(["child.health": 2, "child.emotional": 2, "parenting.basic": 1, "parenting.safety": 5])
        let summary = AssessmentSummary(instrument: instrument, assessment: now, previous: before)
        let child = try #require(summary.domains.first { $0.domainID == "child" })
        #expect(child.rated == 2)
        #expect(child.total == 10)
        #expect(child.band == .strength)
        #expect(child.change == .better)
        let parenting = try #require(summary.domains.first { $0.domainID == "parenting" })
        #expect(parenting.concerns == ["parenting.safety"])
        #expect(parenting.change == .worse)
        #expect(summary.rated == 4)
        #expect(summary.total == 30)
        #expect(summary.domains.first { $0.domainID == "family" }?.score == nil)
    }

    @Test func concernDomainsWithoutAGoalAreWarnedAbout() {
        let worrying = assessment(["family.housing": 5, "family.income": 5, "child.health": 1])
        let summary = AssessmentSummary(instrument: instrument, assessment: worrying)
        #expect(summary.domainsWithoutGoals(instrument: instrument, plans: []) == ["family"])
        let plan = Plan(id: Plan.ID("P"), familyID: Family.ID("F"), title: "Plan",
                        goals: [Goal(id: "g", text: "A warm home", linkedDomain: "kith.strengths-needs/family")], createdOn: Fixture.today)
        #expect(summary.domainsWithoutGoals(instrument: instrument, plans: [plan]).isEmpty)
    }

    @Test func nextUnratedSkipsRatedItemsAndWraps() {
        let partial = assessment(["child.health": 2, "child.emotional": 3])
        #expect(AssessmentSummary.nextUnrated(in: instrument, assessment: partial, after: nil) == "child.behaviour")
        #expect(AssessmentSummary.nextUnrated(in: instrument, assessment: partial, after: "family.history") == "child.behaviour")
        var all = [String: Int]()
        for key in instrument.ratedKeys { all[key] = 3 }
        #expect(AssessmentSummary.nextUnrated(in: instrument, assessment: assessment(all), after: nil) == nil)
    }

    @Test func notRatedAndUnknownCountDifferently() {
        var a = assessment([:])
        a.ratings["child.health"] = ItemRating(rating: .unknown)
        let summary = AssessmentSummary(instrument: instrument, assessment: a)
        #expect(summary.rated == 1)
        #expect(summary.domains[0].score == nil)
        #expect(Rating.notRated != .unknown)
    }
}
