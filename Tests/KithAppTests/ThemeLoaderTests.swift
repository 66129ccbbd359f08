import Foundation
import Testing
import KithApp
import KithCore
import KithUI
import KithTestSupport

@Suite struct ThemeLoaderTests {
    @Test func aBrokenThemeFileFallsBackWithAWarningNamingFileAndLine() throws {
        let directory = TemporaryDirectory("kith-themes")
        try "name = \"broken\"\n[roles\nnormal = {}\n".write(toFile: directory.file("broken.toml"), atomically: true, encoding: .utf8)
        let (theme, warnings) = ThemeLoader.load(name: "broken", depth: .indexed256, directories: [directory.path])
        #expect(theme == Theme.builtIn(depth: .indexed256))
        #expect(warnings.count == 1)
        #expect(warnings[0].contains("broken.toml line 2"))
        #expect(warnings[0].contains("using the default theme"))
    }

    @Test func anUnknownThemeSaysSoAndTheShippedOnesLoad() throws {
        let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("themes").path
        let (_, missing) = ThemeLoader.load(name: "no-such-theme", depth: .ansi16, directories: [shipped])
        #expect(missing == ["theme 'no-such-theme' was not found; using the default theme"])
        for name in ["default", "high-contrast", "monochrome"] {
            let (theme, warnings) = ThemeLoader.load(name: name, depth: .indexed256, directories: [shipped])
            #expect(warnings.isEmpty, "\(name): \(warnings)")
            #expect(theme.name == name)
        }
        let (mono, _) = ThemeLoader.load(name: "monochrome", depth: .indexed256, directories: [shipped])
        for role in Role.allCases { #expect(mono[role].foreground == .default && mono[role].background == .default) }
        let (contrast, _) = ThemeLoader.load(name: "high-contrast", depth: .indexed256, directories: [shipped])
        #expect(contrast[.listSelected].attributes.contains(.bold))
    }

    /// An installed binary finds no `themes/` folder: every shipped theme is compiled in and
    /// loads the same as its file; an unknown name is refused before the screen opens.
    @Test func everyShippedThemeIsCompiledIn() throws {
        let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("themes").path
        let nowhere = TemporaryDirectory("kith-no-themes")
        for name in ["default", "high-contrast", "monochrome"] {
            let (compiled, warnings) = ThemeLoader.load(name: name, depth: .indexed256, directories: [nowhere.path])
            let (fromFile, _) = ThemeLoader.load(name: name, depth: .indexed256, directories: [shipped])
            #expect(warnings.isEmpty, "\(name): \(warnings)")
            #expect(compiled == fromFile)
            #expect(ThemeLoader.exists(name, directories: []))
        }
        #expect(!ThemeLoader.exists("no-such-theme", directories: [nowhere.path]))
        #expect(ThemeLoader.load(name: "high-contrast", depth: .indexed256, directories: []).0 != Theme.builtIn(depth: .indexed256))
    }

    @Test func themesInheritFromTheirParent() throws {
        let directory = TemporaryDirectory("kith-themes")
        try "name = \"parent\"\n[roles]\n\"list.selected\" = { fg = \"red\" }\n".write(toFile: directory.file("parent.toml"), atomically: true, encoding: .utf8)
        try "name = \"child\"\ninherits = \"parent\"\n[roles]\nnormal = { fg = \"green\" }\n".write(toFile: directory.file("child.toml"), atomically: true, encoding: .utf8)
        let (theme, warnings) = ThemeLoader.load(name: "child", depth: .ansi16, directories: [directory.path])
        #expect(warnings.isEmpty)
        #expect(theme[.listSelected].foreground == .ansi(1))
        #expect(theme[.normal].foreground == .ansi(2))
    }
}

/// Case 6 of the store-integrity issue: a malformed TOML file (`[[`) aborted Kith with an
/// assertion inside the TOML library before the unlock screen.
@Suite struct MalformedTOMLTests {
    static let hostile = ["[[\n", "[[", "a = [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n",
                          "x = \"\"\"\nunterminated", "[a]\n[a]\n", "a.b = 1\na = 2\n", "\u{0}\u{1b}[31m = 1", "= 1", "[[x]]\n[x]\n"]

    @Test(arguments: hostile)
    func anInstrumentFileInTheStoreIsReportedNotFatal(text: String) throws {
        let library = InstrumentLibrary(agencyFiles: [(name: "x.toml", text: text)])
        #expect(library.problems.count == 1)
        #expect(library.problems.first?.description.contains("x.toml") == true)
        #expect(!library.instruments.isEmpty)            // the shipped ones still load
    }

    @Test(arguments: hostile)
    func aThemeFileFallsBackWithAWarning(text: String) throws {
        let directory = TemporaryDirectory("kith-themes")
        try text.write(toFile: directory.file("bad.toml"), atomically: true, encoding: .utf8)
        let (theme, warnings) = ThemeLoader.load(name: "bad", depth: .indexed256, directories: [directory.path])
        #expect(theme == Theme.builtIn(depth: .indexed256))
        #expect(warnings.count == 1 && warnings[0].contains("bad.toml"), "\(warnings)")
    }
}
