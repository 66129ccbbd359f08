import Testing
import KithCore
import KithTestSupport

@Suite struct ReminderTests {
    let today = Fixture.today
    let family = Fixture.family()

    @Test func urgencyIsOverdueWhenPastSoonWithinSevenDays() {
        let r = { (days: Int) in Reminder(kind: .action, due: today.adding(days: days), source: family.ref) }
        #expect(r(-1).urgency(today: today) == .overdue)
        #expect(r(0).urgency(today: today) == .soon)
        #expect(r(7).urgency(today: today) == .soon)
        #expect(r(8).urgency(today: today) == .later)
    }

    @Test func immediateSafetyPlanIsDueWithinSevenDaysWhateverTheStatedDate() {
        // Given an immediate plan made 3 days ago with a review date a month away
        let plan = SafetyPlan(id: SafetyPlan.ID("S"), familyID: family.id, immediate: true, createdOn: today.adding(days: -3), reviewDate: today.adding(days: 30))
        // Then it is due 7 days after it was made
        #expect(plan.effectiveReviewDate == today.adding(days: 4))
        let file = caseFile(family, [plan])
        #expect(file.reminders.map(\.kind) == [.safetyPlanReview])
        #expect(file.reminders.first?.due == today.adding(days: 4))
        #expect(file.reminders.first?.urgency(today: today) == .soon)
    }

    @Test func reviewsReplaceEarlierReviewDatesAndSetTheNextOne() {
        let plan = Plan(id: Plan.ID("P"), familyID: family.id, title: "Plan", createdOn: today.adding(days: -60), reviewDate: today.adding(days: -5))
        let beforeReview = caseFile(family, [plan])
        #expect(beforeReview.reminders.map(\.kind) == [.planReview])
        #expect(beforeReview.dueSummary(today: today).overdue == 1)
        // When a review is recorded after the plan was made
        let review = Review(id: Review.ID("R"), familyID: family.id, date: today.adding(days: -2), decision: .continue, nextReviewDate: today.adding(days: 40))
        let afterReview = caseFile(family, [plan, review])
        // Then only the review's next date remains
        #expect(afterReview.reminders.map(\.kind) == [.familyReview])
        #expect(afterReview.reminders.first?.due == today.adding(days: 40))
    }

    @Test func actionsAreDueUntilMarkedDone() {
        let action = PlanAction(id: "a1", what: "Book appointment", who: "Mum", byWhen: today.adding(days: -1))
        let plan = Plan(id: Plan.ID("P"), familyID: family.id, title: "Plan", goals: [Goal(id: "g", text: "Goal", actions: [action])], createdOn: today.adding(days: -20))
        let open = caseFile(family, [plan])
        #expect(open.openActions.count == 1)
        #expect(open.allActions.first?.status(today: today) == .overdue)
        let done = ActionCompletion(id: ActionCompletion.ID("D"), familyID: family.id, source: plan.ref, actionID: "a1", by: Fixture.worker, on: today)
        let closed = caseFile(family, [plan, done])
        #expect(closed.openActions.isEmpty)
        #expect(closed.allActions.first?.status(today: today) == .done)
        #expect(closed.reminders.isEmpty)
    }

    @Test func followUpsFromNotesAndMeetingActionsAreCollected() {
        var note = Fixture.note(family.id)
        note.followUps = [PlanAction(id: "f1", what: "Call school", who: "Worker", byWhen: today.adding(days: 2))]
        let meeting = FamilyGroupMeeting(id: FamilyGroupMeeting.ID("M"), familyID: family.id, date: today,
                                         familyPlan: [PlanAction(id: "m1", what: "Walk to school", who: "Nain", byWhen: today.adding(days: 9))])
        let file = caseFile(family, [note, meeting])
        #expect(file.allActions.map(\.action.id).sorted() == ["f1", "m1"])
        #expect(file.reminders.filter { $0.kind == .action }.map { $0.urgency(today: today) } == [.soon, .later])
    }

    @Test func aClosedFamilyHasNoReminders() {
        var closed = family
        closed.status = .closed
        let plan = Plan(id: Plan.ID("P"), familyID: family.id, title: "Plan", createdOn: today, reviewDate: today.adding(days: -1))
        #expect(caseFile(closed, [plan]).reminders.isEmpty)
    }

    @Test func caseloadRowSummarisesDueItemsAndContact() {
        let plan = Plan(id: Plan.ID("P"), familyID: family.id, title: "Plan", createdOn: today.adding(days: -30), reviewDate: today.adding(days: -3))
        let note = Fixture.note(family.id, on: today.adding(days: -12))
        let row = CaseloadRow(caseFile(family, [plan, note, Fixture.child(family.id)]))
        #expect(row.isOverdue(today: today))
        #expect(row.overdueCount(today: today) == 1)
        #expect(row.daysSinceContact(today: today) == 12)
        #expect(SearchQuery("zeb quill").matches(row.search))
    }
}

@Suite struct ReviewDecisionTests {
    let today = Fixture.today

    @Test(arguments: [(Review.Decision.stepUp, ServiceLevel.tertiary, FamilyStatus.active),
                      (.stepDown, .primary, .active), (.close, .secondary, .closed), (.continue, .secondary, .active)])
    func decisionsMoveLevelAndStatus(decision: Review.Decision, level: ServiceLevel, status: FamilyStatus) {
        var family = Fixture.family(level: .secondary)
        family.status = .paused
        let after = decision.applied(to: family, on: today, by: Fixture.worker)
        #expect(after.serviceLevel == level)
        #expect(after.status == status)
        if level != family.serviceLevel {
            #expect(after.serviceLevelHistory.count == family.serviceLevelHistory.count + 1)
            #expect(after.serviceLevelHistory.last?.from == today)
        }
    }
}
