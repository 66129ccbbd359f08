import Foundation
import Testing
import KithApp
import KithCore
import KithStore
import KithTestSupport
import KithUI

/// Drafts outlive upgrades: one written by an earlier format is read; one that can't be
/// read is kept untouched and named, never dropped.
@Suite struct DraftFormatTests {
    /// A contact note typed into and autosaved, then the process dies; returns the store
    /// and the draft as stored.
    func typedNote(_ text: String) throws -> (root: String, draft: Draft, harness: AppHarness) {
        let app = try AppHarness(families: 8)
        app.startNote(text)
        app.wait(1)
        let draft = try #require(app.store.drafts().first)
        #expect(draft.payload.objectValue?["format"] == .int(Int64(DraftEnvelope.currentFormat)))
        return (app.root, draft, app)
    }

    func rewrite(_ draft: Draft, in store: Store, _ change: (inout [String: Value]) -> Void) throws {
        var fields = try #require(draft.payload.objectValue)
        change(&fields)
        var old = draft
        old.payload = .object(fields)
        try store.saveDraft(old)
    }

    @Test func aDraftWrittenBeforeFormatsWereNamedIsRecovered() throws {
        let (root, draft, app) = try typedNote("Typed under the earlier format")
        // As the earlier Kith wrote it: no format field.
        try rewrite(draft, in: app.store) { $0["format"] = nil }
        app.store.close()

        let again = try AppHarness(existing: root)
        #expect(again.screen.contains("Unsaved work found"))
        again.press(.enter)
        let form = try #require(again.model.screens.last?.form, "\(again.screen)")
        #expect(form.state.note("text") == "Typed under the earlier format")
    }

    @Test func aDraftThatCantBeReadIsKeptAndNamed() throws {
        let (root, draft, app) = try typedNote("Typed before an upgrade went wrong")
        // A later Kith renamed what the content holds, and another draft comes from a newer Kith.
        try rewrite(draft, in: app.store) { $0["content"] = .object(["renamedForm": .null]) }
        var newer = draft
        newer.id = Draft.ID("DNEWERFORMAT0001")
        try rewrite(newer, in: app.store) { $0["format"] = .int(99); $0["id"] = .string("DNEWERFORMAT0001") }
        let before = try Set(FileManager.default.contentsOfDirectory(atPath: "\(root)/drafts"))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: "\(root)/drafts/\(draft.id.raw).draft"))
        app.store.close()

        let again = try AppHarness(existing: root)
        // Named on screen at unlock (the form and when), not offered as if it were readable
        again.loop.send(again.effects.unlockedMessage())
        #expect(!again.screen.contains("Unsaved work found"))
        #expect(again.screen.contains("Kept a draft"), "\(again.screen)")
        #expect(again.screen.contains("[1 more: kith check]"))
        let read = DraftReading.read(again.store.allDrafts())
        #expect(read.readable.isEmpty)
        #expect(Set(read.unreadable.map(\.id)) == [draft.id.raw, "DNEWERFORMAT0001"])
        let named = read.unreadable.map { $0.message(Strings.shipped(.en), naming: true) }
        #expect(named.contains { $0.contains("Contact note") && $0.contains("drafts/\(draft.id.raw).draft") })
        #expect(named.contains { $0.contains("newer Kith") && $0.contains("drafts/DNEWERFORMAT0001.draft") })
        // and kept, byte for byte, after a session has come and gone
        again.store.close()
        #expect(try Set(FileManager.default.contentsOfDirectory(atPath: "\(root)/drafts")) == before)
        #expect(try Data(contentsOf: URL(fileURLWithPath: "\(root)/drafts/\(draft.id.raw).draft")) == bytes)
    }
}
