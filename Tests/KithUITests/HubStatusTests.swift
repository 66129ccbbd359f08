import Foundation
import Testing
import KithCore
import KithTestSupport
@testable import KithUI

/// The team hub as the app model sees it: the header's line, the once-a-second tick to the
/// edge (only for a user with a hub), and what a sync that took in others' work changes.
@Suite struct HubStatusTests {
    let s = Strings.shipped(.en)
    let cy = Strings.shipped(.cy)

    @Test func theLineSaysWhenAndWhatIsWaiting() {
        let now = 10_000.0
        #expect(HubStatus(connection: .online, lastSync: now - 20, notSent: 0).line(now: now, strings: s) == "synced just now")
        #expect(HubStatus(connection: .online, lastSync: now - 150, notSent: 0).line(now: now, strings: s) == "synced 2 min ago")
        #expect(HubStatus(connection: .online, lastSync: now - 7300, notSent: 1).line(now: now, strings: s) == "synced 2 h ago · 1 change not sent")
        #expect(HubStatus(connection: .online, lastSync: nil, notSent: 0).line(now: now, strings: s) == "not synced yet")
        #expect(HubStatus(connection: .offline, lastSync: now - 3 * 86_400, notSent: 12).line(now: now, strings: s) == "offline · 12 changes not sent")
        #expect(HubStatus(connection: .offline, lastSync: nil, notSent: 0).line(now: now, strings: s) == "offline")
        #expect(HubStatus(connection: .refused, lastSync: now, notSent: 3).line(now: now, strings: s) == "hub refused this laptop")
        #expect(HubStatus(connection: .offline, lastSync: nil, notSent: 12).line(now: now, strings: cy) == "all-lein · 12 newid heb eu hanfon")
    }

    func model(hub: Bool) -> AppModel {
        var context = ScreenTest.context()
        context.session?.hasHub = hub
        return AppModel(context: context, screens: [.caseload(CaseloadScreen(rows: [CaseloadRow(ScreenTest.file())], context: context))])
    }

    @Test func theEdgeIsAskedOnceASecondAndOnlyWithAHub() {
        var app = model(hub: true)
        let now = app.context.now
        // (Housekeeping's own effects may come with a tick.)
        func hub(_ effects: [AppEffect]) -> [AppEffect] { effects.filter { if case .hubTick = $0 { true } else { false } } }
        #expect(hub(app.update(.tick(now))) == [.hubTick(now: now)])
        #expect(hub(app.update(.tick(now + 0.25))) == [])
        #expect(hub(app.update(.tick(now + 1))) == [.hubTick(now: now + 1)])
        var without = model(hub: false)
        #expect(hub(without.update(.tick(now))) == [])
    }

    @Test func theHeaderShowsTheHubBeforeTheUserAndDropsTheUserFirst() {
        var app = model(hub: true)
        _ = app.update(.hubStatus(HubStatus(connection: .offline, lastSync: nil, notSent: 12)))
        var buffer = CellBuffer(size: Size(width: 80, height: 24))
        app.render(into: &buffer)
        #expect(buffer.lines[0].contains("offline · 12 changes not sent · Worker One · worker"), "\(buffer.lines[0])")
        // A long title leaves room for the hub's line alone.
        var narrow = app
        narrow.context.session?.user.displayName = String(repeating: "W", count: 40)
        buffer = CellBuffer(size: Size(width: 80, height: 24))
        narrow.render(into: &buffer)
        #expect(buffer.lines[0].trimmingCharacters(in: .whitespaces).hasSuffix("offline · 12 changes not sent"), "\(buffer.lines[0])")
    }

    @Test func othersWorkTakenInRefreshesTheCaseloadAndTheFamilyOnScreen() throws {
        var app = model(hub: true)
        let file = ScreenTest.file()
        let other = ScreenTest.file("FAM00000000000002")
        _ = app.update(.terminal(.key(.enter)))
        _ = app.update(.familyOpened(file, .show))
        #expect(app.screens.last?.family != nil)
        var row = CaseloadRow(file)
        row.openFlags = 2
        let effects = app.update(.hubMerged(rows: [row, CaseloadRow(other)], families: [file.family.id, other.family.id]))
        #expect(effects == [.reloadFamily(file.family.id)], "the family on screen is read again; the other only has its row")
        #expect(app.screens.first?.caseload?.rows.count == 2)
        #expect(app.screens.first?.caseload?.rows.first { $0.familyID == file.family.id }?.openFlags == 2)
        #expect(app.overlay == nil)
    }
}
