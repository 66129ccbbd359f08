import KithCore

extension Store {
    /// Everything held about a family, or one person in it, for a subject access request
    /// (see `SubjectAccess`). Team leads only. The export is recorded — an event in the
    /// family's history and a durable audit entry — before anything is handed out, so the
    /// result lists itself among who exported the family.
    public func subjectAccess(family id: Family.ID, person: Person.ID?, redactThirdParties: Bool) throws(StoreError) -> SubjectAccess {
        guard user.role == .teamLead else { throw .notPermitted(action: "exportSubject") }
        let before = try readCase(id)
        if let person, before.people[person] == nil { throw .invalidValue(record: "person:\(person.raw)", field: "person") }
        try recordOutput(.export, of: before.familyRef, family: id, format: person == nil ? "subject-access" : "subject-access-person")
        let file = try readCase(id)
        // The audit trail names a family by its id (views, saves) and a record as kind:id.
        let targets = Set([id.raw] + file.values.keys.map(\.description))
        let access = try auditTrail().entries.filter { targets.contains($0.target) }.map {
            SubjectAccess.Access(atMillis: $0.atMillis, actor: $0.actor, action: $0.action.rawValue, fields: $0.fields)
        }
        return SubjectAccess(file: file, person: person, access: access, redactThirdParties: redactThirdParties)
    }
}
