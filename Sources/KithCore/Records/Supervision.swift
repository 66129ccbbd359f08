/// A team lead's supervision of a worker's work with one family: what was discussed, what
/// was decided, and who does what by when. Its actions are reminders like any other;
/// the record itself is what happened, so it is never edited once saved (corrections are
/// addenda).
public struct Supervision: FamilyScoped {
    public typealias ID = Identifier<Supervision>
    public static let kind = RecordKind.supervision

    public var id: ID
    public var familyID: Family.ID
    public var date: Day
    /// The worker supervised.
    public var worker: User.ID
    public var discussed: String
    public var decisions: String
    public var actions: [PlanAction]

    public init(id: ID, familyID: Family.ID, date: Day, worker: User.ID, discussed: String, decisions: String = "", actions: [PlanAction] = []) {
        self.id = id
        self.familyID = familyID
        self.date = date
        self.worker = worker
        self.discussed = discussed
        self.decisions = decisions
        self.actions = actions
    }

    public var entityID: String { id.raw }
}
