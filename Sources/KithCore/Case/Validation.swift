/// One problem with a record's fields. Validation returns every problem at once and
/// never blocks saving a draft: forms show the problems beside the fields.
public struct ValidationIssue: Hashable, Sendable {
    /// The field's key (the record's coding key).
    public var field: String
    public var problem: Problem

    public init(_ field: String, _ problem: Problem) {
        self.field = field
        self.problem = problem
    }

    public enum Problem: String, Sendable, Labelled {
        case required, inFuture, beforeBirth, outOfRange, tooLong, afterReviewLimit, duplicateEntry
        public static let labelPrefix = "problem"
    }
}

public protocol Validatable {
    func validate(today: Day) -> [ValidationIssue]
}

private func blank(_ text: String?) -> Bool {
    (text ?? "").allSatisfy(\.isWhitespace)
}

extension Family: Validatable {
    public func validate(today: Day) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if blank(displayName) { issues.append(.init("displayName", .required)) }
        if lead == nil { issues.append(.init("lead", .required)) }
        if language == .other && blank(otherLanguage) { issues.append(.init("otherLanguage", .required)) }
        if let offer = activeOffer, offer.on > today { issues.append(.init("activeOffer", .inFuture)) }
        return issues
    }
}

extension Person: Validatable {
    public func validate(today: Day) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if blank(givenName) && blank(familyName) { issues.append(.init("givenName", .required)) }
        if let dob = dateOfBirth, dob > today { issues.append(.init("dateOfBirth", .inFuture)) }
        if let age = estimatedAge, !(0...120).contains(age) { issues.append(.init("estimatedAge", .outOfRange)) }
        return issues
    }
}

extension ContactNote: Validatable {
    public func validate(today: Day) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if blank(text) { issues.append(.init("text", .required)) }
        if date > today { issues.append(.init("date", .inFuture)) }
        for action in followUps where blank(action.what) { issues.append(.init("followUps", .required)) }
        return issues
    }
}

extension SafetyPlan: Validatable {
    public func validate(today: Day) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if worries.isEmpty { issues.append(.init("worries", .required)) }
        for worry in worries where blank(worry.safetyGoal) { issues.append(.init("worries", .required)) }
        for judgement in judgements where !(0...10).contains(judgement.score) { issues.append(.init("judgements", .outOfRange)) }
        if network.isEmpty { issues.append(.init("network", .required)) }
        if reviewDate == nil && !immediate { issues.append(.init("reviewDate", .required)) }
        if immediate, let review = reviewDate, review > createdOn.adding(days: SafetyPlan.immediateReviewDays) {
            issues.append(.init("reviewDate", .afterReviewLimit))
        }
        return issues
    }
}

extension FamilyGroupMeeting: Validatable {
    public func validate(today: Day) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if blank(coordinator) { issues.append(.init("coordinator", .required)) }
        if attendees.isEmpty { issues.append(.init("attendees", .required)) }
        if familyPlan.isEmpty { issues.append(.init("familyPlan", .required)) }
        if agreement == .notAgreed && blank(agreementNote) { issues.append(.init("agreementNote", .required)) }
        if reviewDate == nil { issues.append(.init("reviewDate", .required)) }
        if blank(planLead) { issues.append(.init("planLead", .required)) }
        return issues
    }
}

extension Review: Validatable {
    public func validate(today: Day) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if decision != .close && nextReviewDate == nil { issues.append(.init("nextReviewDate", .required)) }
        if let next = nextReviewDate, next < date { issues.append(.init("nextReviewDate", .outOfRange)) }
        return issues
    }
}

extension Plan: Validatable {
    public func validate(today: Day) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if blank(title) { issues.append(.init("title", .required)) }
        if goals.isEmpty { issues.append(.init("goals", .required)) }
        for goal in goals where blank(goal.text) { issues.append(.init("goals", .required)) }
        return issues
    }
}
