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

    /// Welsh at both sizes, with a sensitive family in the caseload (K-NV4YSY): the
    /// caseload, every section of a family, and the actions across families. No date,
    /// age or status may be cut.
    @Test(arguments: [Size(width: 80, height: 24), Size(width: 120, height: 40)])
    func welshScreens(size: Size) throws {
        let app = try AppHarness(families: 40, size: size, language: .cy)
        let name = "\(size.width)x\(size.height)"
        #expect(app.screen.contains("⊘"), "a sensitive family is on the caseload")
        assertSnapshot(app.screen, named: "cy-caseload-\(name)")
        app.run(.open)
        for section in 0..<7 {
            assertSnapshot(app.screen, named: "cy-family-\(section)-\(name)")
            app.run(.nextSection)
        }
        // The actions across a worker's families.
        let worker = try AppHarness(families: 40, login: "alys", size: size, language: .cy)
        worker.run(.myActions)
        assertSnapshot(worker.screen, named: "cy-actions-mine-\(name)")
        worker.press(.char("a"))
        assertSnapshot(worker.screen, named: "cy-actions-all-\(name)")
    }
}
