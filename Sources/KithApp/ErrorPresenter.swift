import KithCore
import KithHub
import KithStore
import KithUI

/// The one place that turns any error into words for the person at the keyboard (and
/// the command line). Messages name files, ids and fields — never names or notes.
public enum ErrorPresenter {
    public static func message(_ error: any Error, strings s: Strings) -> UserMessage {
        let title = s("error.title")
        guard let error = error as? StoreError else {
            if let error = error as? InstrumentError { return UserMessage(title: s("error.instrument.title"), text: error.description) }
            if let error = error as? HubError { return hubMessage(error, strings: s) }
            return UserMessage(title: title, text: s("error.unexpected"))
        }
        switch error {
        case .noStore(let path):
            return UserMessage(title: title, text: s("error.noStore", ["path": path]))
        case .alreadyExists(let path):
            return UserMessage(title: title, text: s("error.alreadyExists", ["path": path]))
        case .wrongPassphrase(let login):
            return UserMessage(title: s("error.wrongPassphrase.title"), text: s("error.wrongPassphrase", ["login": login]))
        case .keySlotDamaged(let login):
            return UserMessage(title: s("error.keySlotDamaged.title"), text: s("error.keySlotDamaged", ["login": login]))
        case .unknownUser(let login):
            return UserMessage(title: title, text: s("error.unknownUser", ["login": login]))
        case .locked(let path, let pid):
            return UserMessage(title: s("error.locked.title"), text: s("error.locked", ["path": path, "pid": pid.map(String.init) ?? "?"]))
        case .notWritable(let path):
            return UserMessage(title: title, text: s("error.notWritable", ["path": path]))
        case .diskFull(let file):
            return UserMessage(title: s("error.diskFull.title"), text: s("error.diskFull", ["file": file]))
        case .appendNotUndone(let file):
            return UserMessage(title: title, text: s("error.appendNotUndone", ["file": file]))
        case .io(let file, let operation, let reason):
            // The operation and the reason are keys (a call's name, an errno name): words
            // from the string table, the key itself only if the table has none.
            let words = { (prefix: String, key: String) in s.has("\(prefix).\(key)") ? s("\(prefix).\(key)") : key }
            return UserMessage(title: title, text: s("error.io", ["file": file, "operation": words("io.operation", operation),
                                                                   "reason": words("io.reason", reason)]))
        case .corrupt(let file, let detail):
            return UserMessage(title: s("error.corrupt.title"), text: s("error.corrupt", ["file": file, "detail": detail]))
        case .familyDamaged(let reference):
            return UserMessage(title: s("error.familyDamaged.title"), text: s("error.familyDamaged", ["reference": reference]))
        case .foreign(let file):
            return UserMessage(title: title, text: s("error.foreign", ["file": file]))
        case .newerSchema(let found, let supported):
            return UserMessage(title: title, text: s("error.newerSchema", ["found": String(found), "supported": String(supported)]))
        case .accessDenied(let family):
            return UserMessage(title: s("error.accessDenied.title"), text: s("error.accessDenied", ["id": family]))
        case .immutable(let record):
            return UserMessage(title: title, text: s("error.immutable", ["record": record]))
        case .noSuchFamily(let id):
            return UserMessage(title: title, text: s("error.noSuchFamily", ["id": id]))
        case .attachmentTooLarge(let file, let limit):
            return UserMessage(title: s("error.attachment.title"), text: s("error.attachmentTooLarge", ["file": file, "limit": s.bytes(limit)]))
        case .attachmentType(let file):
            return UserMessage(title: s("error.attachment.title"), text: s("error.attachmentType", ["file": file]))
        case .attachmentRemoved(let id):
            return UserMessage(title: s("error.attachment.title"), text: s("error.attachmentRemoved", ["id": id]))
        case .noConsentToShare(let reference):
            return UserMessage(title: s("error.noConsentToShare.title"), text: s("error.noConsentToShare", ["reference": reference]))
        case .weakPassphrase(let minimum):
            return UserMessage(title: title, text: s("error.weakPassphrase", ["n": String(minimum)]))
        case .guessablePassphrase(let reason):
            return UserMessage(title: title, text: s("error.guessablePassphrase.\(reason)"))
        case .notPermitted(let action):
            return UserMessage(title: title, text: s("error.notPermitted.\(action)"))
        case .duplicateLogin(let login):
            return UserMessage(title: title, text: s("error.duplicateLogin", ["login": login]))
        case .joinRefused(let reason):
            return UserMessage(title: title, text: s("error.joinRefused.\(reason)"))
        case .bundleRefused(let file, let reason):
            return UserMessage(title: title, text: s("error.bundleRefused.\(reason)", ["file": file]))
        case .conflictSettled(let record, let field):
            return UserMessage(title: title, text: s("error.conflictSettled", ["record": record, "field": field]))
        case .invalidValue(let record, let field):
            return UserMessage(title: title, text: s("error.invalidValue", ["record": record, "field": field]))
        }
    }

    /// The hub's errors: what to correct, or that being offline is fine.
    static func hubMessage(_ error: HubError, strings s: Strings) -> UserMessage {
        let title = s("error.hub.title")
        switch error {
        case .badURL(let reason):
            return UserMessage(title: title, text: s("error.hub.badURL.\(reason)"))
        case .unreachable(let endpoint):
            return UserMessage(title: title, text: s("error.hub.unreachable", ["endpoint": endpoint]))
        case .authentication(let user):
            return UserMessage(title: title, text: s("error.hub.authentication", ["user": user]))
        case .refused(let code, let detail):
            let key = code == "42501" ? "error.hub.notAllowed" : "error.hub.refused"
            return UserMessage(title: title, text: s(key, ["code": code, "detail": detail]))
        case .noDatabase(let name):
            return UserMessage(title: title, text: s("error.hub.noDatabase", ["database": name]))
        case .notAHub:
            return UserMessage(title: title, text: s("error.hub.notAHub"))
        case .newerHub(let found, let supported):
            return UserMessage(title: title, text: s("error.hub.newerHub", ["found": String(found), "supported": String(supported)]))
        case .connectionLost:
            return UserMessage(title: title, text: s("error.hub.connectionLost"))
        }
    }

    /// A store problem found and handled while working, as a one-line notice.
    public static func notice(_ problem: StoreProblem, strings s: Strings) -> String {
        if problem.kind == .entryRefused {
            let parts = problem.detail.split(separator: "|").map(String.init)
            return s("problem.store.entryRefused", ["file": problem.file, "n": parts.first ?? "?", "reason": s("problem.refusal.\(parts.last ?? "")")])
        }
        return s("problem.store.\(problem.kind.rawValue)", ["file": problem.file, "detail": problem.detail])
    }
}
