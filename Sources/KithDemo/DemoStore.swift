import KithCore
import KithStore

/// A synthetic store for demonstrations, training and benchmarks: a team lead, five
/// workers and an admin, and `families` generated families.
public enum DemoStore {
    /// Every demo user's passphrase (the demo says so on screen).
    public static let passphrase = "kith-demo-store"
    public static let leadLogin = "ceri"
    public static let workerLogins = ["alys", "dewi", "hannah", "kasia", "tom"]
    public static let adminLogin = "admin"

    static let staff: [(login: String, name: String)] = [
        ("alys", "Alys Bevan"), ("dewi", "Dewi Morgan"), ("hannah", "Hannah Price"), ("kasia", "Kasia Nowicka"), ("tom", "Tom Ellis"),
    ]

    /// Creates the store at `root` and returns it unlocked as the team lead.
    /// `kdf` applies to the lead's slot; the other demo users get a cheaper derivation.
    public static func create(at root: String, families count: Int, seed: UInt64, today: Day,
                              kdf: KDFParameters = .standard, clock: StoreClock = .system) throws(StoreError) -> Store {
        var ids = SeededGenerator(seed: seed ^ 0x5EED)
        let teamID: Team.ID = ids.id()
        let store = try Store.create(at: root, teamName: "Dyfi Early Help Team", teamID: teamID,
                                     firstUser: .init(login: leadLogin, displayName: "Ceri Rowlands", role: .teamLead, id: ids.id()),
                                     passphrase: passphrase, kdf: kdf, clock: clock)
        let cheap = KDFParameters(logN: min(kdf.logN, 14))
        var workers: [User.ID] = []
        // Each worker's history is signed as them, as if they had typed it.
        var signers: [User.ID: Identity] = [:]
        for member in staff {
            let identity = Identity.generate()
            let user = try store.addUser(login: member.login, displayName: member.name, role: .worker, passphrase: passphrase, kdf: cheap,
                                         id: ids.id(), identity: identity)
            workers.append(user.id)
            signers[user.id] = identity
        }
        try store.addUser(login: adminLogin, displayName: "Systems admin", role: .admin, passphrase: passphrase, kdf: cheap, id: ids.id())
        var generator = DemoGenerator(seed: seed, today: today, staff: .init(lead: store.user.id, workers: workers, team: teamID))
        // Each change at 10:00 on its day, but never in the future (today's changes an hour ago).
        let latest = clock.now() - 3_600
        let families = generator.families(count).map { family in
            (id: family.id, changes: family.changes.map {
                ImportedChange(author: $0.author, atSeconds: min(Double($0.day.ordinal) * 86_400 + 36_000, latest), records: $0.records)
            })
        }
        try store.bulkImport(families, signers: signers)
        return store
    }
}
