import Foundation
import KithCore
import KithStore
import KithDemo

let root = "/tmp/kith-probe-\(getpid())"
let t0 = Date()
do {
    let store = try DemoStore.create(at: root, families: Int(CommandLine.arguments.dropFirst().first ?? "200") ?? 200, seed: 7, today: Day(iso: "2026-11-22")!)
    print("created in", Date().timeIntervalSince(t0))
    print("caseload", store.caseload().count, "problems", store.problems)
    let row = store.caseload().sorted { $0.reference < $1.reference }.first!
    let file = try store.openCase(row.familyID)
    print(row.reference, row.displayName, file.people.count, file.events.count, file.reminders.count)
    store.close()
    let t1 = Date()
    let again = try Store.open(at: root, login: "ceri", passphrase: DemoStore.passphrase)
    print("reopen", Date().timeIntervalSince(t1), again.caseload().count, again.problems)
    let report = again.check()
    print("check", report.families, report.events, report.auditEntries, report.problems)
    do { _ = try Store.open(at: root, login: "ceri", passphrase: DemoStore.passphrase) } catch { print("second:", error) }
    again.close()
    do { _ = try Store.open(at: root, login: "ceri", passphrase: "wrong-pass") } catch { print("wrong:", error) }
    let worker = try Store.open(at: root, login: "alys", passphrase: DemoStore.passphrase)
    print("worker sees", worker.caseload().count)
} catch {
    print("error", error)
}
