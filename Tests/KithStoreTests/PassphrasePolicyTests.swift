import Testing
import KithCore
@testable import KithStore
import KithTestSupport

@Suite struct PassphrasePolicyTests {
    @Test(arguments: [
        ("password1234", PassphrasePolicy.Problem.tooCommon), ("Password1234", .tooCommon), ("1qaz2wsx3edc", .tooCommon),
        ("            ", .tooSimple), ("aaaaaaaaaaaa", .tooSimple), ("abababababab", .tooSimple), ("abcdefghijkl", .tooSimple),
        ("zyxwvutsrqpo", .tooSimple), ("qwertyuiop", .tooShort), ("password", .tooShort), ("hannah.price", .isLogin),
    ])
    func guessablePassphrasesAreRefused(passphrase: String, problem: PassphrasePolicy.Problem) {
        #expect(PassphrasePolicy.problem(passphrase, login: "hannah.price") == problem)
    }

    @Test func passphrasesPeopleRememberAreAccepted() {
        for passphrase in ["afon las ger y bont", "correct horse battery", "kith-demo-store", "Siân a'r gath ddu", "日曜日の朝ごはんと夕ごはん"] {
            #expect(PassphrasePolicy.problem(passphrase, login: "hannah") == nil, "\(passphrase)")
        }
    }

    @Test func theStoreRefusesAGuessablePassphraseAndChangesNothing() throws {
        let test = TestStore()
        #expect(throws: StoreError.guessablePassphrase(reason: "tooCommon")) {
            try Store.create(at: test.root, teamName: "Team", firstUser: .init(login: "lead", displayName: "Lead", role: .teamLead),
                             passphrase: "password1234", kdf: .fastForTests)
        }
        #expect(!Store.exists(at: test.root))
        let store = try test.create()
        #expect(throws: StoreError.guessablePassphrase(reason: "tooSimple")) {
            try store.addUser(login: "new", displayName: "New", role: .worker, passphrase: "111111111111", kdf: .fastForTests)
        }
        #expect(throws: StoreError.guessablePassphrase(reason: "tooCommon")) {
            try store.changePassphrase(old: TestStore.passphrase, new: "iloveyou1234", kdf: .fastForTests)
        }
    }

    @Test func composedAndDecomposedSpellingsAreOnePassphrase() throws {
        let composed = "Siân yn y gegin"                                // â as one character
        let decomposed = "Sia\u{0302}n yn y gegin"                       // a + combining circumflex
        #expect(Array(composed.utf8) != Array(decomposed.utf8))
        let test = TestStore()
        try Store.create(at: test.root, teamName: "Team", firstUser: .init(login: "lead", displayName: "Lead", role: .teamLead),
                         passphrase: composed, kdf: .fastForTests).close()
        let store = try Store.open(at: test.root, login: "lead", passphrase: decomposed)
        store.close()
        #expect(throws: StoreError.self) { try Store.open(at: test.root, login: "lead", passphrase: "Sian yn y gegin") }
    }

    func slotParameters(_ root: String) throws -> [KDFParameters] {
        try Store.readSlots(StoreLayout(root: root), FileIO(root: root)).slots.map(\.kdf)
    }

    @Test func slotsBelowOWASPsMinimumAreStrengthenedAtUnlock() throws {
        #expect(KDFParameters.standard.logN >= 17)
        #expect(KDFParameters.standard.r == 8 && KDFParameters.standard.p == 1)
        // A store whose slot an earlier Kith made at N = 2^16
        let test = TestStore()
        let made = try test.create()
        let layout = StoreLayout(root: test.root), io = FileIO(root: test.root)
        var slots = try Store.readSlots(layout, io)
        let identity = try #require(made.identity)
        slots.slots[0] = try KeySlot.make(user: made.user, keyring: made.keyring, identity: identity, trust: made.trust,
                                          passphrase: TestStore.passphrase, kdf: KDFParameters(logN: 16), storeID: made.manifest.storeID)
        try Store.writeSlots(slots, layout, io)
        made.close()
        #expect(try slotParameters(test.root).first == KDFParameters(logN: 16))
        try Store.open(at: test.root, login: "lead", passphrase: TestStore.passphrase).close()
        #expect(try slotParameters(test.root).first == KDFParameters.standard)
        // and it still opens, with the same data key
        let store = try Store.open(at: test.root, login: "lead", passphrase: TestStore.passphrase)
        #expect(store.user.login == "lead")
        store.close()
    }
}
