// A writer for the kill test: saves records as fast as it can and prints a line for
// each save only after the store acknowledged it. The test kills it with SIGKILL at a
// random moment and then checks that every printed save is in the store, whole.
//
//   kith-crash-writer STORE RUN FAMILY_ID
import Foundation
import KithCore
import KithStore

/// Writes a line straight to the pipe (no buffering that a kill would lose).
func say(_ line: String) {
    var bytes = Array((line + "\n").utf8)
    _ = write(STDOUT_FILENO, &bytes, bytes.count)
}
let arguments = CommandLine.arguments
guard arguments.count == 4 else { exit(2) }
let (root, run, familyID) = (arguments[1], arguments[2], Family.ID(arguments[3]))
let today = Day(secondsSince1970: Date().timeIntervalSince1970)
do {
    let store = try Store.open(at: root, login: "worker", passphrase: "correct horse battery")
    _ = try store.openCase(familyID)   // read the (growing) log before saying ready
    say("ready")
    var i = 0
    while true {
        i += 1
        let note = ContactNote(id: ContactNote.ID("N-\(run)-\(i)"), familyID: familyID, contactKind: .call, date: today,
                               text: String(repeating: "synthetic note \(run) \(i) ", count: 1 + i % 40))
        try store.save([note], family: familyID)
        say("note \(note.id.raw)")
        if i % 3 == 0 {
            var family = try store.openCase(familyID).family
            family.area = "area-\(run)-\(i)"
            try store.save([family], family: familyID)
            say("area \(family.area!)")
        }
        if i % 2 == 0 {
            let draft = Draft(id: Draft.ID("D-\(run)"), author: store.user.id, family: familyID, form: "contactNote",
                              savedAt: Double(i), payload: .object(["counter": .int(Int64(i)), "text": .string(String(repeating: "x", count: i * 7))]))
            try store.saveDraft(draft)
            say("draft \(i)")
        }
        if i % 10 == 0 {
            let id = Family.ID("NEW-\(run)-\(i)")
            let family = Family(id: id, reference: Family.reference(for: id), displayName: "Synthetic \(i)", serviceLevel: .primary,
                                lead: store.user.id, team: store.user.team, openedOn: today)
            try store.createFamily(family)
            say("family \(id.raw)")
        }
    }
} catch {
    say("error \(error)")
    exit(1)
}
