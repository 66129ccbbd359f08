extension Review.Decision {
    /// What the decision does to the family: stepping up or down moves the service level
    /// (history kept), closing closes the case, the others keep (or make) it active.
    public func applied(to family: Family, on day: Day, by user: User.ID) -> Family {
        var next = family
        switch self {
        case .continue, .revisePlan:
            if next.status == .paused || next.status == .referred { next.status = .active }
        case .stepUp:
            let higher = ServiceLevel.allCases.first { $0 > family.serviceLevel } ?? family.serviceLevel
            next.changeServiceLevel(to: higher, on: day, by: user, reason: nil)
            next.status = .active
        case .stepDown:
            let lower = ServiceLevel.allCases.last { $0 < family.serviceLevel } ?? family.serviceLevel
            next.changeServiceLevel(to: lower, on: day, by: user, reason: nil)
            next.status = .active
        case .close:
            next.status = .closed
        }
        return next
    }
}
