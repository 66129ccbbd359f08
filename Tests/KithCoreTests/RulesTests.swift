import Testing
import KithCore
import KithTestSupport

@Suite struct ValidationTests {
    @Test func everyProblemIsReturnedAtOnce() {
        var meeting = FamilyGroupMeeting(id: FamilyGroupMeeting.ID("M"), familyID: Family.ID("F"), date: Fixture.today)
        meeting.agreement = .notAgreed
        let problems = Set(meeting.validate(today: Fixture.today).map(\.field))
        #expect(problems == ["coordinator", "attendees", "familyPlan", "agreementNote", "reviewDate", "planLead"])
    }

    @Test func immediatePlanReviewAfterSevenDaysIsFlagged() {
        var plan = SafetyPlan(id: SafetyPlan.ID("S"), familyID: Family.ID("F"), immediate: true, createdOn: Fixture.today, reviewDate: Fixture.today.adding(days: 10))
        plan.worries = [WorryStatement(who: "a", about: "b", ifNothingChanges: "c", safetyGoal: "d")]
        plan.network = [SafetyNetworkEntry(name: "n", role: "r", phone: "p", agreed: true)]
        #expect(plan.validate(today: Fixture.today) == [ValidationIssue("reviewDate", .afterReviewLimit)])
    }

    @Test func personValidationChecksDatesAndNames() {
        var person = Fixture.child(Family.ID("F"), given: "", surname: "", born: Fixture.today.adding(days: 3))
        person.estimatedAge = 200
        #expect(Set(person.validate(today: Fixture.today).map(\.field)) == ["givenName", "dateOfBirth", "estimatedAge"])
    }
}

@Suite struct AccessPolicyTests {
    let lead = User(id: Fixture.lead, login: "lead", displayName: "Lead", role: .teamLead, team: Fixture.team)
    let worker = User(id: Fixture.worker, login: "w", displayName: "W", role: .worker, team: Fixture.team)
    let admin = User(id: User.ID("ADMIN"), login: "admin", displayName: "Admin", role: .admin, team: Fixture.team)

    @Test func workersSeeOnlyFamiliesTheyLeadOrCoWork() {
        let mine = Fixture.family(lead: Fixture.worker)
        var theirs = Fixture.family("F2", lead: Fixture.otherWorker)
        #expect(AccessPolicy(user: worker).canSee(mine))
        #expect(!AccessPolicy(user: worker).canSee(theirs))
        theirs.coworkers = [Fixture.worker]
        #expect(AccessPolicy(user: worker).canSee(theirs))
    }

    @Test func teamLeadsSeeTheirTeamOnlyAndFlag() {
        let inTeam = Fixture.family(lead: Fixture.otherWorker)
        var otherTeam = inTeam
        otherTeam.team = Team.ID("ELSEWHERE")
        #expect(AccessPolicy(user: lead).canSee(inTeam))
        #expect(!AccessPolicy(user: lead).canSee(otherTeam))
        #expect(AccessPolicy(user: lead).canFlag(inTeam))
        #expect(!AccessPolicy(user: worker).canFlag(Fixture.family(lead: Fixture.worker)))
    }

    @Test func adminsManageUsersButSeeNoCaseFiles() {
        #expect(!AccessPolicy(user: admin).canSee(Fixture.family()))
        #expect(AccessPolicy(user: admin).canManageUsers)
        #expect(!AccessPolicy(user: worker).canManageUsers)
    }

    @Test func deactivatedUsersSeeNothing() {
        var gone = worker
        gone.active = false
        #expect(!AccessPolicy(user: gone).canSee(Fixture.family(lead: Fixture.worker)))
    }
}

@Suite struct MutabilityTests {
    func value(_ record: some Record) -> Value { try! ValueEncoder().encode(record) }

    @Test func notesAndMeetingsCannotBeRewritten() {
        let note = Fixture.note(Family.ID("F"))
        var edited = note
        edited.text = "changed"
        #expect(Mutability.isViolation(kind: .contactNote, old: value(note), new: value(edited)))
        #expect(!Mutability.isViolation(kind: .contactNote, old: nil, new: value(note)))
        #expect(!Mutability.isViolation(kind: .contactNote, old: value(note), new: value(note)))
    }

    @Test func completedAssessmentsAreImmutableDraftsAreNot() {
        var draft = Assessment(id: Assessment.ID("A"), familyID: Family.ID("F"), instrumentID: "i", instrumentVersion: 1, date: Fixture.today)
        var rated = draft
        rated.ratings["x"] = ItemRating(rating: .value(2))
        #expect(!Mutability.isViolation(kind: .assessment, old: value(draft), new: value(rated)))
        rated.state = .complete
        #expect(!Mutability.isViolation(kind: .assessment, old: value(draft), new: value(rated)))
        draft = rated
        rated.summary = "rewritten"
        #expect(Mutability.isViolation(kind: .assessment, old: value(draft), new: value(rated)))
    }

    @Test func activeSafetyPlansMayOnlyBecomeSuperseded() {
        let plan = SafetyPlan(id: SafetyPlan.ID("S"), familyID: Family.ID("F"), status: .active, createdOn: Fixture.today)
        var superseded = plan
        superseded.status = .superseded
        #expect(!Mutability.isViolation(kind: .safetyPlan, old: value(plan), new: value(superseded)))
        var edited = plan
        edited.rules = ["new rule"]
        #expect(Mutability.isViolation(kind: .safetyPlan, old: value(plan), new: value(edited)))
    }

    @Test func revisingKeepsTheOldVersionAndPointsBack() {
        let plan = SafetyPlan(id: SafetyPlan.ID("S1"), familyID: Family.ID("F"), version: 1, status: .active, rules: ["a"], agreedBy: ["Mum"],
                              agreedOn: Fixture.today, createdOn: Fixture.today.adding(days: -20))
        let next = plan.revised(id: SafetyPlan.ID("S2"), on: Fixture.today)
        #expect(next.version == 2)
        #expect(next.supersedes == plan.id)
        #expect(next.rules == ["a"])
        #expect(next.agreedBy.isEmpty)
        #expect(next.createdOn == Fixture.today)
    }
}

@Suite struct DuplicateCheckTests {
    @Test func similarNamesAndSameBirthDateAreCandidates() {
        let family = Fixture.family()
        let row = CaseloadRow(caseFile(family, [Fixture.child(family.id, given: "Siân", surname: "Llŷr", born: Day(iso: "2018-05-01"))]))
        let exact = DuplicateCheck.candidates(for: [.init(givenName: "Sian", familyName: "Llyr", dateOfBirth: Day(iso: "2018-05-01"))], familyName: "Llyr family", in: [row])
        #expect(exact.first?.sameDateOfBirth == true)
        let variant = DuplicateCheck.candidates(for: [.init(givenName: "Shaun", familyName: "Llyr", dateOfBirth: nil)], familyName: "", in: [row])
        #expect(variant.count == 1)
        let differentBirth = DuplicateCheck.candidates(for: [.init(givenName: "Sian", familyName: "Llyr", dateOfBirth: Day(iso: "2001-01-01"))], familyName: "", in: [row])
        #expect(differentBirth.isEmpty)
        let stranger = DuplicateCheck.candidates(for: [.init(givenName: "Oliver", familyName: "Smith", dateOfBirth: nil)], familyName: "Smith family", in: [row])
        #expect(stranger.isEmpty)
    }

    /// With no members typed, the family's name decides — but "family" or "teulu" names
    /// no one, so it doesn't make every family a candidate.
    @Test func aFamilyNameMatchesOnItsOwnWordsOnly() {
        let family = Fixture.family(name: "Quillfeather family")
        let row = CaseloadRow(caseFile(family, [Fixture.child(family.id)]))
        #expect(DuplicateCheck.candidates(for: [], familyName: "Pennywhistle family", in: [row]).isEmpty)
        #expect(DuplicateCheck.candidates(for: [], familyName: "Teulu Pennywhistle", in: [row]).isEmpty)
        #expect(DuplicateCheck.candidates(for: [], familyName: "Teulu Quillfeather", in: [row]).map(\.familyID) == [family.id])
    }
}
