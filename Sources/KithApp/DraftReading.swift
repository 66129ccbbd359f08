import KithCore
import KithStore
import KithUI

/// Reads stored drafts into envelopes, setting aside (never dropping) those it can't read:
/// they stay in `drafts/` as they are, and are named at unlock and by `kith check`.
public enum DraftReading {
    public static func read(_ drafts: [Draft]) -> (readable: [DraftEnvelope], unreadable: [UnreadableDraft]) {
        var readable: [DraftEnvelope] = [], unreadable: [UnreadableDraft] = []
        for draft in drafts {
            do {
                readable.append(try ValueDecoder().decode(DraftEnvelope.self, from: draft.payload))
            } catch {
                unreadable.append(UnreadableDraft(id: draft.id.raw, form: draft.form, savedAt: draft.savedAt,
                                                  newer: error is DraftEnvelope.NewerFormat))
            }
        }
        return (readable, unreadable)
    }
}
