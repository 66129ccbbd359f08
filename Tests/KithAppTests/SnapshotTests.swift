import Testing
import KithCore
import KithUI
import KithTestSupport

@Suite(.serialized) struct ScreenSnapshotTests {
    @Test(arguments: [Size(width: 80, height: 24), Size(width: 120, height: 40)])
    func caseloadWithDemoData(size: Size) throws {
        let app = try AppHarness(families: 40, size: size)
        assertSnapshot(app.screen, named: "caseload-\(size.width)x\(size.height)")
    }

    @Test(arguments: [Size(width: 80, height: 24), Size(width: 120, height: 40)])
    func familyWithDemoData(size: Size) throws {
        let app = try AppHarness(families: 40, size: size)
        app.run(.open)
        assertSnapshot(app.screen, named: "family-\(size.width)x\(size.height)")
        app.run(.nextSection)
        app.run(.nextSection)
        app.run(.nextSection)
        app.run(.nextSection)
        app.run(.nextSection)
        app.run(.nextSection)
        assertSnapshot(app.screen, named: "family-timeline-\(size.width)x\(size.height)")
    }

    @Test func welshCaseload() throws {
        let app = try AppHarness(families: 40, language: .cy)
        assertSnapshot(app.screen, named: "caseload-cy-80x24")
    }
}
